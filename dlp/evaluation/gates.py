"""Score floors for CI and ``dlp eval --fail-under TYPE=F`` (a regression fails the run).

A floor is written ``NAME[.METRIC]=VALUE``:

* ``NAME`` is an entity type (``PERSON``, ``TW_PHONE`` ...), ``ALL`` (micro-average over all
  types), ``PII`` (micro-average over the personal-data types) or ``SECRECY`` (marked vs
  unmarked, message level);
* ``METRIC`` is ``f1`` (the default), ``precision`` or ``recall``; ``SECRECY`` also has
  ``accuracy`` (exact level) and ``mention_false_alarm_rate``, which is a *ceiling* (the run
  fails when the rate is above the value);
* ``VALUE`` is a number from 0 to 1.
"""

from __future__ import annotations

from dataclasses import dataclass

from dlp.evaluation.metrics import ENTITY_TYPES, EvalResult

_ENTITY_METRICS = ("f1", "precision", "recall")
_SECRECY_METRICS = ("f1", "precision", "recall", "accuracy", "mention_false_alarm_rate")
#: Metrics where lower is better: the value given is a ceiling, not a floor.
_CEILINGS = frozenset({"mention_false_alarm_rate"})


class GateError(ValueError):
    """A floor that cannot be read; the message is for people (Traditional Chinese)."""


@dataclass(frozen=True)
class Gate:
    name: str
    metric: str
    value: float

    @property
    def is_ceiling(self) -> bool:
        return self.metric in _CEILINGS

    def describe(self) -> str:
        return f"{self.name}.{self.metric}{'<=' if self.is_ceiling else '>='}{self.value:g}"


def parse_gate(spec: str) -> Gate:
    """``PERSON=0.9``, ``PERSON.recall=0.93``, ``SECRECY.mention_false_alarm_rate=0.02``."""
    key, sep, raw = spec.partition("=")
    if not sep or not key.strip() or not raw.strip():
        raise GateError(f"門檻「{spec}」格式應為 類型=數值，例如 PERSON=0.9 或 PERSON.recall=0.93")
    name, _, metric = key.strip().partition(".")
    metric = metric or "f1"
    if name == "SECRECY":
        allowed = _SECRECY_METRICS
    elif name in ("ALL", "PII") or name in ENTITY_TYPES:
        allowed = _ENTITY_METRICS
    else:
        raise GateError(f"門檻「{spec}」的類型「{name}」不存在；可用 ALL、PII、SECRECY 或：{', '.join(sorted(ENTITY_TYPES))}")
    if metric not in allowed:
        raise GateError(f"門檻「{spec}」的指標「{metric}」不存在；{name} 可用：{', '.join(allowed)}")
    try:
        value = float(raw)
    except ValueError:
        raise GateError(f"門檻「{spec}」的數值「{raw}」不是數字") from None
    if not 0.0 <= value <= 1.0:
        raise GateError(f"門檻「{spec}」的數值必須介於 0 與 1 之間")
    return Gate(name, metric, value)


def measured(result: EvalResult, gate: Gate) -> float | None:
    """The figure a gate checks, or None when the corpus has nothing to measure it on."""
    if gate.name == "SECRECY":
        sec = result.secrecy
        if sec is None or not sec.n:
            return None
        if gate.metric == "accuracy":
            return sec.accuracy
        if gate.metric == "mention_false_alarm_rate":
            return sec.mention_false_alarm_rate if sec.mention_only else None
        return float(getattr(sec, gate.metric))
    if gate.name == "ALL":
        score = result.entities.total
    elif gate.name == "PII":
        score = result.entities.personal
    else:
        score = result.entities.per_type.get(gate.name)
        if score is None or score.tp + score.fp + score.fn == 0:
            return None
    return float(getattr(score, gate.metric))


def failures(result: EvalResult, gates: list[Gate]) -> list[str]:
    """One line (Traditional Chinese) per gate the result does not pass."""
    out: list[str] = []
    for gate in gates:
        value = measured(result, gate)
        if value is None:
            out.append(f"{gate.describe()}：語料中沒有可計算此指標的資料")
        elif (value > gate.value) if gate.is_ceiling else (value < gate.value):
            out.append(f"{gate.describe()}：實際為 {value:.4f}")
    return out
