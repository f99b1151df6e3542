"""Build step: ship the security team's ``patterns/`` and the ``samples/`` inside the wheel.

Both stay at the top of the repository (the security team's world, see DESIGN.md's layout); the
build copies them to ``dlp/_bundled/patterns`` and ``dlp/_bundled/samples`` in the build tree, where
``importlib.resources.files("dlp")`` finds them once installed (``dlp.resources``). A checkout or
an editable install has no ``dlp/_bundled`` and reads the top-level directories directly.
Everything else about the package is declared in pyproject.toml.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
#: top-level directory -> (where it goes inside the package, the files it ships)
BUNDLED = {
    "patterns": ("dlp/_bundled/patterns", ("*.yaml", "schemas/*.json")),
    "samples": ("dlp/_bundled/samples", ("*.txt",)),
}


class build_py_with_bundled_data(build_py):
    """``build_py`` plus a copy of ``patterns/`` and ``samples/`` into the built package."""

    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return  # an editable install reads the top-level directories in place
        for source, (target, globs) in BUNDLED.items():
            shutil.rmtree(Path(self.build_lib, target), ignore_errors=True)  # no stale files from a previous build
            for glob in globs:
                for path in sorted((ROOT / source).glob(glob)):
                    dest = Path(self.build_lib, target, path.relative_to(ROOT / source))
                    dest.parent.mkdir(parents=True, exist_ok=True)
                    shutil.copyfile(path, dest)


setup(cmdclass={"build_py": build_py_with_bundled_data})
