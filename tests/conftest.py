"""Shared fixtures: real packs, real scanners (loaded once per test session)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

pytest_plugins = ["store_support"]  # store_url, store: SQLite and the real PostgreSQL (issue 16)

REPO = Path(__file__).resolve().parents[1]
PATTERNS = REPO / "patterns"
SHARED = REPO.parent / "shared"


@pytest.fixture(scope="session")
def personal_analyzer(tmp_path_factory):
    """An Analyzer over the bundled personal-data pack only (detection without the other packs)."""
    from dlp.engine import Analyzer
    from dlp.patterns import load_packs

    directory = tmp_path_factory.mktemp("personal_only")
    shutil.copy(PATTERNS / "personal_data.yaml", directory)
    return Analyzer(load_packs(directory).detectors)


@pytest.fixture(scope="session")
def scanner():
    """The bundled packs and policy, as a newcomer gets them with ``Scanner()``."""
    from dlp import Scanner

    return Scanner()
