"""Where the bundled ``patterns/`` and ``samples/`` are, installed or in a checkout.

A wheel carries them as package data under ``dlp/_bundled/`` (copied there by setup.py's build
step), found through ``importlib.resources``. A checkout or an editable install has no
``dlp/_bundled``: there they are the top-level directories the security team edits.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

BUNDLED_NAMES = ("patterns", "samples")
_CHECKOUT_ROOT = Path(__file__).resolve().parent.parent


def bundled_dir(name: str) -> Path:
    """The bundled directory ``name`` ("patterns" or "samples") as a real path on disk."""
    if name not in BUNDLED_NAMES:
        raise ValueError(f"no bundled directory named {name!r}")
    packaged = files("dlp").joinpath("_bundled", name)
    if packaged.is_dir():
        return Path(str(packaged))
    return _CHECKOUT_ROOT / name
