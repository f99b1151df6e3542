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


@pytest.fixture(scope="session")
def scanner_without_ocr(tmp_path_factory):
    """The bundled packs with the policy's ``ocr: enabled: false`` (every picture a finding)."""
    from dlp import Scanner

    directory = tmp_path_factory.mktemp("patterns_no_ocr") / "patterns"
    shutil.copytree(PATTERNS, directory)
    policy = directory / "policy.yaml"
    text = policy.read_text(encoding="utf-8")
    on = "\nocr:\n  enabled: true"
    assert on in text, "policy.yaml's ocr: section no longer starts with enabled: true"
    policy.write_text(text.replace(on, "\nocr:\n  enabled: false"), encoding="utf-8")
    scanner = Scanner(patterns_dir=directory)
    assert scanner.policy.ocr_settings.enabled is False
    return scanner
