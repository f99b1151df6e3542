"""Decision examples of ``policy.yaml``: a message and where it goes -> the action expected.

They are to the policy what ``examples: {match, no_match}`` are to a pack: whenever packs and
the policy beside them load, every example is scanned with them, and a policy whose examples no
longer hold is refused (file, ``examples[i]``, line, and what came out instead). ``dlp patterns
test DIR`` runs them too.

    examples:
      - description: 一筆身分證字號寄到個人信箱
        text: 承辦人王小明，身分證字號 D104553971
        to: [someone@gmail.com]          # or from:, channel: chat + conversation: {...}
        expect: quarantine               # optional: secrecy_level: none
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from dlp.errors import PackError, PackErrors
from dlp.model import ACTIONS, CHANNELS, SECRECY_LEVELS, Conversation, Message

if TYPE_CHECKING:  # pragma: no cover
    from dlp.patterns import PackSet
    from dlp.policy import Policy
    from dlp.policy_schema import _Checker
    from dlp.scanner import ScannerState

EXAMPLE_KEYS: dict[str, bool] = {  # key -> required
    "description": False,
    "text": True,
    "subject": False,
    "channel": False,
    "from": False,
    "to": False,
    "conversation": False,
    "expect": True,
    "secrecy_level": False,
}
CONVERSATION_KEYS: dict[str, bool] = {
    "id": False, "name": False, "members": False, "external_members": False, "registered": False,
}


@dataclass(frozen=True)
class DecisionExample:
    key: str  # "examples[3]"
    description: str
    text: str
    subject: str | None
    channel: str
    sender: str | None
    recipients: tuple[str, ...]
    conversation: Conversation | None
    expect: str
    secrecy_level: str | None

    def message(self) -> Message:
        return Message(text=self.text, subject=self.subject, channel=self.channel, sender=self.sender,
                       recipients=list(self.recipients), conversation=self.conversation)

    def destination_text(self) -> str:
        if self.conversation is not None:
            c = self.conversation
            return f"傳送至對話「{c.name or c.id}」（{c.members} 位成員，{c.external_members} 位外部成員）"
        if self.recipients:
            return f"寄至 {'、'.join(self.recipients)}"
        return "沒有收件者"


def parse_decision_examples(c: _Checker, raw: Any) -> tuple[DecisionExample, ...]:
    """The ``examples:`` list of a policy file; problems go to the checker ``c``."""
    if raw is None:
        return ()
    if not isinstance(raw, list):
        c.err("examples", "應為清單（每一項是一則訊息、它的目的地和預期的處置）")
        return ()
    out = []
    for i, item in enumerate(raw):
        key = f"examples[{i}]"
        before = len(c.errors)
        m = c.mapping(item, key, EXAMPLE_KEYS)
        if not m:
            continue
        text = c.text(m.get("text", ""), f"{key}.text", allow_empty=True) if "text" in m else ""
        subject = c.text(m["subject"], f"{key}.subject") if "subject" in m else None
        channel = c.choice(m.get("channel", "mail"), f"{key}.channel", CHANNELS, "管道") or "mail"
        sender = c.text(m["from"], f"{key}.from") if "from" in m else None
        to = m.get("to", [])
        recipients = [to] if isinstance(to, str) else c.text_list(to, f"{key}.to")
        conversation = _conversation(c, m["conversation"], f"{key}.conversation") if "conversation" in m else None
        if conversation is not None and channel != "chat":
            c.err(f"{key}.conversation", "只有 channel: chat 的範例可以指定 conversation")
        expect = c.choice(m.get("expect"), f"{key}.expect", ACTIONS, "處置") if "expect" in m else None
        level = c.choice(m["secrecy_level"], f"{key}.secrecy_level", SECRECY_LEVELS, "機密等級") \
            if "secrecy_level" in m else None
        description = c.text(m["description"], f"{key}.description") if "description" in m else ""
        if len(c.errors) == before and expect is not None:
            out.append(DecisionExample(key, description, text, subject, channel, sender, tuple(recipients),
                                       conversation, expect, level))
    return tuple(out)


def _conversation(c: _Checker, raw: Any, key: str) -> Conversation | None:
    m = c.mapping(raw, key, CONVERSATION_KEYS)
    if not isinstance(raw, dict):
        return None
    name = c.text(m["name"], f"{key}.name") if "name" in m else ""
    return Conversation(
        id=c.text(m["id"], f"{key}.id") if "id" in m else (name or "example"),
        name=name,
        members=c.integer(m.get("members", 0), f"{key}.members", 0),
        external_members=c.integer(m.get("external_members", 0), f"{key}.external_members", 0),
        registered=c.boolean(m.get("registered", False), f"{key}.registered"),
    )


@dataclass
class DecisionResult:
    example: DecisionExample
    file: str
    action: str
    secrecy_level: str
    reasons: list[str]
    line: int | None = None
    labels: dict[str, str] = field(default_factory=dict)  # action -> its name in the policy

    @property
    def passed(self) -> bool:
        e = self.example
        return self.action == e.expect and (e.secrecy_level is None or e.secrecy_level == self.secrecy_level)

    @property
    def where(self) -> str:
        line = f" 第 {self.line} 行" if self.line else ""
        return f"{Path(self.file).name}{line} {self.example.key}"

    def _action(self, action: str) -> str:
        label = self.labels.get(action)
        return f"「{label}」（{action}）" if label and label != action else f"「{action}」"

    @property
    def message(self) -> str:
        e = self.example
        shown = e.text if len(e.text) <= 40 else e.text[:37] + "…"
        label = f"（{e.description}）" if e.description else ""
        got = self._action(self.action)
        if e.secrecy_level is not None and e.secrecy_level != self.secrecy_level:
            return (f"範例{label}「{shown}」{e.destination_text()}：預期機密等級 {e.secrecy_level}，"
                    f"實際為 {self.secrecy_level}（處置{got}）")
        why = f"；理由：{'；'.join(self.reasons)}" if self.reasons else "；沒有任何規則觸發"
        return f"範例{label}「{shown}」{e.destination_text()}：預期處置{self._action(e.expect)}，實際為{got}{why}"


def run_decision_examples(packset: PackSet, policy: Policy, state: ScannerState | None = None) -> list[DecisionResult]:
    """Scan every decision example of ``policy`` with ``packset`` (and the conversation registry
    beside it, which decides chat facts); one result per example. ``state``: an already built
    state to scan with (its analyzer and registry), so that loading builds nothing twice."""
    from dlp.conversations import load_registry
    from dlp.scanner import Scanner, ScannerState
    from dlp.yaml_lines import KeyLines

    examples = policy.config.examples
    if not examples:
        return []
    if state is None:
        state = ScannerState(packset, packset.analyzer(), policy, load_registry(packset.directory))
    scanner = Scanner.from_state(state)
    try:
        lines = KeyLines(Path(policy.file).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError):
        lines = KeyLines("")
    labels = dict(policy.config.action_labels)
    results = []
    for example in examples:
        report = scanner.scan(example.message())
        results.append(DecisionResult(example, policy.file, report.action, report.secrecy_level,
                                      list(report.reasons), lines.line(example.key), labels))
    return results


def check_decision_examples(state: ScannerState) -> None:
    """Raise ``PackErrors`` (file, example, line, what happened) when an example fails."""
    failures = [r for r in run_decision_examples(state.packset, state.policy, state) if not r.passed]
    if failures:
        raise PackErrors([PackError(state.policy.file, r.example.key, r.message, r.line) for r in failures])


def policy_for_packs(directory: Path, policy_path: str | Path | None) -> tuple[Policy, bool]:
    """The policy used with the packs in ``directory``, and whether its examples apply to them.

    ``policy_path`` if given, else ``policy.yaml`` beside the packs, else the bundled one. The
    bundled policy's decision examples describe the bundled packs: they are checked only when
    it is paired with them (its own directory, or named explicitly).
    """
    from dlp.patterns import POLICY_FILE, bundled_patterns_dir
    from dlp.policy import Policy

    if policy_path is not None:
        return Policy.load(policy_path), True
    beside = Path(directory) / POLICY_FILE
    if beside.exists():
        return Policy.load(beside), True
    bundled = bundled_patterns_dir() / POLICY_FILE
    return Policy.load(bundled), Path(directory).resolve() == bundled.parent.resolve()
