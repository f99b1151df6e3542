"""Evaluation: a labelled corpus generator and scoring of scanner output against labels.

The label format (JSONL) is described in docs/evaluation.md. Names are imported lazily so that
``python -m dlp.evaluation.generator`` and ``python -m dlp.evaluation.metrics`` run cleanly.
"""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS: dict[str, str] = {
    "generate": "dlp.evaluation.generator",
    "EntityScores": "dlp.evaluation.metrics",
    "EvalResult": "dlp.evaluation.metrics",
    "SecrecyScores": "dlp.evaluation.metrics",
    "TypeScore": "dlp.evaluation.metrics",
    "evaluate_file": "dlp.evaluation.metrics",
    "load_records": "dlp.evaluation.metrics",
    "score_entities": "dlp.evaluation.metrics",
    "score_secrecy": "dlp.evaluation.metrics",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(importlib.import_module(_EXPORTS[name]), name)
    raise AttributeError(name)
