"""The built wheel works where a user installs it: a fresh venv outside the checkout.

Built as a user would (``python -m build``: an sdist, then the wheel from the unpacked sdist, so
MANIFEST.in and setup.py's build step are exercised too), installed with plain ``pip install``
(dependencies from pip's cache or the index), run from a directory that is not the checkout.
Slow (one build and one venv for the whole session).
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]

#: Modules that need an extra (``dlp[corpus]``) or the test dependencies.
# Modules of the extras: corpus (Faker), ocr (numpy, OpenCV: loaded on the first picture only).
NEEDS_EXTRAS = {"dlp.evaluation.generator", "dlp.evaluation.fakes", "service.testing", "dlp.ocr.page", "dlp.ocr.stamps",
                # Alembic's environment script: run by alembic inside a migration, not importable alone
                "dlp.store.migrations.env"}

_IMPORT_ALL = """
import importlib, pkgutil, sys
import dlp, service
skip = set(sys.argv[1:])
names = [m.name for pkg in (dlp, service) for m in pkgutil.walk_packages(pkg.__path__, pkg.__name__ + ".")]
for name in names:
    if name not in skip:
        importlib.import_module(name)
print(len(names))
"""


class Installed:
    def __init__(self, venv: Path, elsewhere: Path):
        self.venv = venv
        self.elsewhere = elsewhere
        self.env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME")}

    def run(self, program: str, *args: str, stdin: bytes = b"") -> subprocess.CompletedProcess[bytes]:
        proc = subprocess.run([str(self.venv / "bin" / program), *args], input=stdin, capture_output=True,
                              cwd=self.elsewhere, env=self.env, timeout=300)
        assert b"Traceback" not in proc.stderr, proc.stderr.decode("utf-8", "replace")[-3000:]
        return proc


def _check(proc: subprocess.CompletedProcess[bytes], what: str) -> None:
    assert proc.returncode == 0, f"{what} failed:\n{proc.stdout.decode()[-3000:]}\n{proc.stderr.decode()[-3000:]}"


@pytest.fixture(scope="session")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Installed:
    work = tmp_path_factory.mktemp("wheel")
    assert REPO not in work.resolve().parents, "the venv must live outside the checkout"
    dist = work / "dist"
    _check(subprocess.run([sys.executable, "-m", "build", "--outdir", str(dist), str(REPO)],
                          capture_output=True, timeout=600), "python -m build")
    wheels = sorted(dist.glob("dlp-*.whl"))
    assert len(wheels) == 1, list(dist.iterdir())
    venv = work / "venv"
    _check(subprocess.run([sys.executable, "-m", "venv", str(venv)], capture_output=True, timeout=300), "venv")
    _check(subprocess.run([str(venv / "bin" / "pip"), "install", "-q", "--disable-pip-version-check", str(wheels[0])],
                          capture_output=True, timeout=900), "pip install dlp-*.whl")
    elsewhere = work / "elsewhere"
    elsewhere.mkdir()
    return Installed(venv, elsewhere)


def test_the_wheel_scans_and_tests_its_bundled_packs_outside_the_checkout(installed: Installed) -> None:
    import dlp

    version = installed.run("dlp", "--version")
    assert version.stdout.decode().strip() == f"dlp {dlp.__version__}"
    scan = installed.run("dlp", "scan", "身分證字號 D104553971")
    assert scan.returncode == 5, scan.stderr.decode()
    assert "TW_NATIONAL_ID" in scan.stdout.decode() and "D10****971" in scan.stdout.decode()
    big5 = installed.run("dlp", "scan", "-", stdin="機密 身分證字號 D104553971\n".encode("big5"))
    assert big5.returncode == 6 and "SECRECY_MARKING(confidential)" in big5.stdout.decode()
    tested = installed.run("dlp", "patterns", "test")
    out = tested.stdout.decode()
    assert tested.returncode == 0, out
    assert " 0 failed" in out and "0 個失敗" in out and "處置範例通過" in out
    samples = installed.run("dlp", "scan", "--samples")
    assert samples.stdout.decode().count("== 0") == 4


def test_the_wheel_ships_the_repository_packs_as_package_data(installed: Installed) -> None:
    where = installed.run("python", "-c", "from dlp.resources import bundled_dir; print(bundled_dir('patterns'))")
    bundled = Path(where.stdout.decode().strip())
    assert installed.venv in bundled.parents and "site-packages" in bundled.parts
    shipped = {p.relative_to(bundled).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
               for p in bundled.rglob("*") if p.is_file()}
    source = REPO / "patterns"
    expected = {p.relative_to(source).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
                for p in [*source.glob("*.yaml"), *source.glob("schemas/*.json")]}
    assert shipped == expected


def test_the_wheel_declares_what_it_imports_and_nothing_it_does_not(installed: Installed) -> None:
    _check(installed.run("pip", "check"), "pip check")
    imported = installed.run("python", "-c", _IMPORT_ALL, *sorted(NEEDS_EXTRAS))
    _check(imported, "importing every module")
    assert int(imported.stdout.decode().split()[-1]) > 40
    absent = installed.run("python", "-c", "import importlib.util as u; print([m for m in ('faker', 'presidio_anonymizer') if u.find_spec(m)])")
    assert absent.stdout.decode().strip() == "[]"
    corpus = installed.run("dlp", "corpus", "generate", "-n", "1")
    assert corpus.returncode == 2 and "dlp[corpus]" in corpus.stderr.decode()
