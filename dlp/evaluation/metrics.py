"""Scoring scanner output against labelled messages (format: docs/evaluation.md).

Entity matching is by overlap: a prediction matches a gold entity of the same type when the
spans share at least one character. Pairs are matched greedily by largest overlap, so each gold
entity and each prediction is used at most once; a second prediction on an already matched
entity (a span split in two) is a false positive. Predictions of a type that never occurs in the
gold labels are false positives too. ``exact`` counts matches whose spans are identical, to see
whether a recognizer agrees with the span conventions.

The scoring functions are pure; :func:`evaluate_file` is the only one that runs a scanner.
"""

from __future__ import annotations

import argparse
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from dlp.model import FINDING_TYPES, SECRECY_LEVELS, Message

Record = dict[str, Any]
Span = tuple[str, int, int]  # (type, start, end)

#: Finding types scored as entities; secrecy markings are scored per message instead.
ENTITY_TYPES: frozenset[str] = frozenset(
    t for t, kind in FINDING_TYPES.items() if kind in ("personal_data", "official")
)
#: The personal-data types among them (the "PII" row of the table).
PERSONAL_TYPES: frozenset[str] = frozenset(t for t, kind in FINDING_TYPES.items() if kind == "personal_data")


# --- loading -----------------------------------------------------------------------------------


def _check_spans(rec: Record, key: str, text: str | None, where: str) -> None:
    for ent in rec.get(key) or []:
        start, end = ent.get("start"), ent.get("end")
        if ent.get("type") not in ENTITY_TYPES:
            raise ValueError(f"{where}: unknown entity type {ent.get('type')!r}")
        if not (isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(text or "")):
            raise ValueError(f"{where}: span {start}..{end} is outside the {key} text")


def validate_record(rec: Record, where: str = "record") -> None:
    """Raise ``ValueError`` if a record breaks the label format."""
    if not isinstance(rec.get("text"), str):
        raise ValueError(f"{where}: 'text' must be a string")
    if not isinstance(rec.get("entities", []), list):
        raise ValueError(f"{where}: 'entities' must be a list")
    _check_spans(rec, "entities", rec["text"], where)
    if "subject_entities" in rec:
        _check_spans(rec, "subject_entities", rec.get("subject"), where)
    level = rec.get("secrecy_level")
    if level is not None and level not in SECRECY_LEVELS:
        raise ValueError(f"{where}: unknown secrecy_level {level!r}")


def load_records(path: str | Path) -> list[Record]:
    """Read and check a JSONL label file (blank lines are skipped)."""
    records: list[Record] = []
    with open(path, encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            where = f"{path}:{lineno}"
            try:
                rec = json.loads(line)
            except json.JSONDecodeError as exc:
                raise ValueError(f"{where}: not valid JSON ({exc.msg}, column {exc.colno})") from None
            if not isinstance(rec, dict):
                raise ValueError(f"{where}: a record must be a JSON object, not {type(rec).__name__}")
            validate_record(rec, where)
            records.append(rec)
    return records


# --- entity scores -------------------------------------------------------------------------------


@dataclass
class _Counts:
    """True/false positives and negatives, and the ratios every score reports."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0


@dataclass
class TypeScore(_Counts):
    exact: int = 0

    @property
    def support(self) -> int:
        return self.tp + self.fn

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def add(self, other: TypeScore) -> None:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn
        self.exact += other.exact

    def to_dict(self) -> dict[str, Any]:
        return {
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
            "exact": self.exact,
            "support": self.support,
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
        }


@dataclass
class Mistake:
    """One false positive or false negative, for reading what went wrong."""

    record_id: str
    kind: str  # "fp" | "fn"
    type: str
    start: int
    end: int
    where: str = "body"

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass
class EntityScores:
    per_type: dict[str, TypeScore] = field(default_factory=dict)
    mistakes: list[Mistake] = field(default_factory=list)

    @property
    def total(self) -> TypeScore:
        """Micro-averaged over all types."""
        out = TypeScore()
        for score in self.per_type.values():
            out.add(score)
        return out

    @property
    def personal(self) -> TypeScore:
        """Micro-averaged over the personal-data types (every type but TW_DOCUMENT_NUMBER)."""
        out = TypeScore()
        for name, score in self.per_type.items():
            if name in PERSONAL_TYPES:
                out.add(score)
        return out

    def to_dict(self) -> dict[str, Any]:
        return {
            "per_type": {t: s.to_dict() for t, s in sorted(self.per_type.items())},
            "total": self.total.to_dict(),
            "personal_data": self.personal.to_dict(),
        }


def match_spans(gold: Sequence[Span], predicted: Sequence[Span]) -> list[tuple[int, int]]:
    """Pairs (gold index, predicted index) of same-type overlapping spans, one-to-one,
    chosen greedily by largest overlap (ties: earliest gold, then earliest prediction)."""
    candidates = []
    for gi, (gt, gs, ge) in enumerate(gold):
        for pi, (pt, ps, pe) in enumerate(predicted):
            overlap = min(ge, pe) - max(gs, ps)
            if pt == gt and overlap > 0:
                candidates.append((-overlap, gi, pi))
    candidates.sort()
    used_g: set[int] = set()
    used_p: set[int] = set()
    pairs = []
    for _, gi, pi in candidates:
        if gi not in used_g and pi not in used_p:
            used_g.add(gi)
            used_p.add(pi)
            pairs.append((gi, pi))
    return pairs


def _score_one(
    scores: EntityScores, record_id: str, gold: Sequence[Span], predicted: Sequence[Span], where: str
) -> None:
    pairs = match_spans(gold, predicted)
    matched_g = {g for g, _ in pairs}
    matched_p = {p for _, p in pairs}
    for gi, pi in pairs:
        s = scores.per_type.setdefault(gold[gi][0], TypeScore())
        s.tp += 1
        s.exact += gold[gi] == tuple(predicted[pi])
    for gi, span in enumerate(gold):
        if gi not in matched_g:
            scores.per_type.setdefault(span[0], TypeScore()).fn += 1
            scores.mistakes.append(Mistake(record_id, "fn", *span, where=where))
    for pi, span in enumerate(predicted):
        if pi not in matched_p:
            scores.per_type.setdefault(span[0], TypeScore()).fp += 1
            scores.mistakes.append(Mistake(record_id, "fp", *span, where=where))


def gold_spans(rec: Record, key: str = "entities") -> list[Span]:
    return [(e["type"], e["start"], e["end"]) for e in rec.get(key) or []]


def score_entities(
    gold: Sequence[Record],
    predicted: Sequence[Iterable[Span]],
    predicted_subject: Sequence[Iterable[Span]] | None = None,
) -> EntityScores:
    """Per-type TP/FP/FN of ``predicted[i]`` (body spans) against ``gold[i]["entities"]``.

    Subject predictions, if given, are scored only for records that carry a
    ``subject_entities`` label (possibly empty); elsewhere the subject is unlabelled.
    """
    if len(gold) != len(predicted):
        raise ValueError("gold and predicted must have one entry per record")
    scores = EntityScores()
    for i, (rec, preds) in enumerate(zip(gold, predicted)):
        rid = str(rec.get("id", i))
        _score_one(scores, rid, gold_spans(rec), [tuple(p) for p in preds], "body")  # type: ignore[misc]
        if predicted_subject is not None and "subject_entities" in rec:
            subj = [tuple(p) for p in predicted_subject[i]]
            _score_one(scores, rid, gold_spans(rec, "subject_entities"), subj, "subject")  # type: ignore[misc]
    return scores


# --- secrecy scores --------------------------------------------------------------------------------


#: A record is *mention-only* when its gold level is ``none`` but its text or subject names a
#: level (機密, 密等, 限閱, 「密」 ...): the documents that only talk about a level, where a false
#: alarm is what gets a filter switched off. A lone 密 counts only when no ideograph touches it.
MENTION_WORDS = re.compile(
    r"絕對機密|極機密|機密|机密|绝密|秘密|密等|密件|限閱|內部使用|內部參考|內部資料|外流"
    r"|(?<![\u3400-\u9fff])密(?![\u3400-\u9fff])"
)


def is_mention_only(rec: Record) -> bool:
    """Gold level ``none`` and a level word somewhere in the text or subject."""
    if rec.get("secrecy_level") != "none":
        return False
    return bool(MENTION_WORDS.search(rec.get("text") or "") or MENTION_WORDS.search(rec.get("subject") or ""))


@dataclass
class SecrecyMistake:
    record_id: str
    gold: str
    predicted: str

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass
class SecrecyScores(_Counts):
    """Message-level secrecy: marked (any level but none) vs unmarked, and the exact level."""

    tn: int = 0
    exact: int = 0
    confusion: dict[str, dict[str, int]] = field(default_factory=dict)  # gold -> predicted -> n
    #: Unmarked records that name a level (see ``is_mention_only``), and how many were called marked.
    mention_only: int = 0
    mention_false_alarms: int = 0
    mistakes: list[SecrecyMistake] = field(default_factory=list)

    @property
    def mention_false_alarm_rate(self) -> float:
        return self.mention_false_alarms / self.mention_only if self.mention_only else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def n(self) -> int:
        return self.tp + self.fp + self.fn + self.tn

    @property
    def accuracy(self) -> float:
        """Share of messages whose predicted level is exactly the gold level."""
        return self.exact / self.n if self.n else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "n": self.n,
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
            "tn": self.tn,
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "level_accuracy": round(self.accuracy, 4),
            "mention_only": self.mention_only,
            "mention_false_alarms": self.mention_false_alarms,
            "mention_false_alarm_rate": round(self.mention_false_alarm_rate, 4),
            "confusion": self.confusion,
            "mistakes": [m.to_dict() for m in self.mistakes],
        }


def score_secrecy(gold: Sequence[Record], predicted: Sequence[str]) -> SecrecyScores:
    """Score predicted levels for the records that carry a ``secrecy_level`` label."""
    if len(gold) != len(predicted):
        raise ValueError("gold and predicted must have one entry per record")
    out = SecrecyScores()
    for i, (rec, pred) in enumerate(zip(gold, predicted)):
        level = rec.get("secrecy_level")
        if level is None:
            continue
        g_marked, p_marked = level != "none", pred != "none"
        if is_mention_only(rec):
            out.mention_only += 1
            out.mention_false_alarms += p_marked
        if level != pred:
            out.mistakes.append(SecrecyMistake(str(rec.get("id", i)), level, pred))
        if g_marked and p_marked:
            out.tp += 1
        elif p_marked:
            out.fp += 1
        elif g_marked:
            out.fn += 1
        else:
            out.tn += 1
        out.exact += level == pred
        row = out.confusion.setdefault(level, {})
        row[pred] = row.get(pred, 0) + 1
    return out


# --- running a scanner -------------------------------------------------------------------------------


class _Finding(Protocol):
    type: str
    location: str
    start: int
    end: int
    shadow: bool


class _Report(Protocol):
    findings: Sequence[_Finding]
    secrecy_level: str


class ScannerLike(Protocol):
    def scan(self, message: Message) -> _Report: ...


@dataclass
class EvalResult:
    entities: EntityScores
    secrecy: SecrecyScores | None
    records: int
    #: The scored records themselves (to show the text of each mistake); may be empty.
    source: Sequence[Record] = ()

    def format_mistakes(self, context: int = 8, limit: int | None = None) -> str:
        """Every false positive and false negative, then every wrong secrecy level, one a line:
        ``id  fn|fp  TYPE  where:start-end  「value」  …context…``."""
        by_id = {str(r.get("id", i)): r for i, r in enumerate(self.source)}
        lines: list[str] = []
        for m in self.entities.mistakes[:limit]:
            rec = by_id.get(m.record_id, {})
            text = (rec.get("subject") if m.where == "subject" else rec.get("text")) or ""
            value = text[m.start:m.end]
            around = text[max(0, m.start - context):m.end + context]
            lines.append(
                f"{m.record_id}  {m.kind}  {m.type}  {m.where}:{m.start}-{m.end}  「{value}」  …{around}…".replace("\n", "⏎")
            )
        if self.secrecy is not None:
            for sm in self.secrecy.mistakes[:limit]:
                lines.append(f"{sm.record_id}  level  {sm.gold} -> {sm.predicted}")
        return "\n".join(lines)

    def format_table(self) -> str:
        """A plain-text table: per type P/R/F1, support, exact-span matches."""
        head = f"{'type':<20} {'P':>6} {'R':>6} {'F1':>6} {'support':>8} {'TP':>6} {'FP':>6} {'FN':>6} {'exact':>6}"
        lines = [f"{self.records} messages", head, "-" * len(head)]

        def row(name: str, s: TypeScore) -> str:
            return (
                f"{name:<20} {s.precision:>6.3f} {s.recall:>6.3f} {s.f1:>6.3f} {s.support:>8}"
                f" {s.tp:>6} {s.fp:>6} {s.fn:>6} {s.exact:>6}"
            )

        for name, s in sorted(self.entities.per_type.items()):
            lines.append(row(name, s))
        lines += ["-" * len(head), row("PII (micro)", self.entities.personal), row("ALL (micro)", self.entities.total)]
        if self.secrecy is not None and self.secrecy.n:
            sec = self.secrecy
            lines += [
                "",
                f"secrecy ({sec.n} labelled): marked P {sec.precision:.3f} R {sec.recall:.3f}"
                f" (TP {sec.tp} FP {sec.fp} FN {sec.fn} TN {sec.tn}); exact level {sec.accuracy:.3f}",
                f"mention-only (unmarked, names a level): {sec.mention_only}, false alarms"
                f" {sec.mention_false_alarms} ({sec.mention_false_alarm_rate:.1%})",
                "confusion (gold \\ predicted):",
            ]
            for level in SECRECY_LEVELS:
                if level in sec.confusion:
                    cells = " ".join(f"{p}={n}" for p, n in sorted(sec.confusion[level].items()))
                    lines.append(f"  {level:<16} {cells}")
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        return {
            "records": self.records,
            "entities": self.entities.to_dict(),
            "secrecy": self.secrecy.to_dict() if self.secrecy is not None else None,
            "mistakes": [m.to_dict() for m in self.entities.mistakes],
        }


def predictions_from_report(report: _Report) -> tuple[list[Span], list[Span]]:
    """(body spans, subject spans) of a report's enforced entity findings."""
    body: list[Span] = []
    subject: list[Span] = []
    for f in report.findings:
        if f.shadow or f.type not in ENTITY_TYPES:
            continue
        if f.location == "body":
            body.append((f.type, f.start, f.end))
        elif f.location == "subject":
            subject.append((f.type, f.start, f.end))
    return body, subject


def evaluate_records(records: Sequence[Record], scanner: ScannerLike) -> EvalResult:
    body_preds: list[list[Span]] = []
    subject_preds: list[list[Span]] = []
    levels: list[str] = []
    for rec in records:
        report = scanner.scan(Message(text=rec["text"], subject=rec.get("subject")))
        body, subject = predictions_from_report(report)
        body_preds.append(body)
        subject_preds.append(subject)
        levels.append(report.secrecy_level)
    entities = score_entities(records, body_preds, subject_preds)
    has_secrecy = any("secrecy_level" in r for r in records)
    secrecy = score_secrecy(records, levels) if has_secrecy else None
    return EvalResult(entities=entities, secrecy=secrecy, records=len(records), source=records)


def evaluate_file(path: str | Path, scanner: ScannerLike) -> EvalResult:
    """Scan every message of a JSONL label file and score the findings."""
    return evaluate_records(load_records(path), scanner)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="以標註語料評估掃描器 (JSONL)")
    parser.add_argument("files", nargs="+", help="JSONL label files")
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    parser.add_argument("--mistakes", action="store_true", help="also list every mistake (table mode)")
    args = parser.parse_args(argv)
    from dlp import Scanner  # type: ignore[attr-defined]  # imported late: heavy

    scanner = Scanner()
    for path in args.files:
        result = evaluate_file(path, scanner)
        if args.json:
            print(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
        else:
            print(f"== {path}\n{result.format_table()}\n")
            if args.mistakes:
                print(f"mistakes:\n{result.format_mistakes()}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
