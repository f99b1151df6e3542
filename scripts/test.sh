#!/usr/bin/env bash
# Set up .venv from the project's own files and run the whole test suite (ruff + pytest).
# The README's second command and CI's .ci/run both call this script.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q -e '.[test,ocr]'
.venv/bin/ruff check .
.venv/bin/python -m pytest "$@"
