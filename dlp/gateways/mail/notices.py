"""The sender's notice (warn, redact, quarantine, block), in Traditional Chinese.

The texts are data (``notice_texts.yaml`` beside this module, or the security team's own file
given to ``dlp milter --notice-texts``). A notice names the reasons, the recipients that caused
the decision and the incident id; it never quotes the mail's content, and hides the subject when
the subject itself held a finding. Notices are sent with the null sender ``<>`` and
``Auto-Submitted: auto-generated`` (RFC 3834), so a notice never causes another notice.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path

import yaml

DEFAULT_TEXTS = Path(__file__).with_name("notice_texts.yaml")
NOTICE_ACTIONS = ("warn", "redact", "quarantine", "block")
_LABELS = ("mail", "hidden_subject", "no_subject", "time", "recipients", "behind", "reasons", "incident")


class NoticeTextsError(ValueError):
    pass


@dataclass(frozen=True)
class NoticeTexts:
    from_name: str
    subject: dict[str, str]
    intro: dict[str, str]
    labels: dict[str, str]
    footer: str


def load_notice_texts(path: str | Path | None = None) -> NoticeTexts:
    """Read and check a notice-texts file; a bad file is refused with the key and why."""
    path = Path(path) if path else DEFAULT_TEXTS
    try:
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise NoticeTextsError(f"{path}: 無法讀取通知文字：{exc}") from None
    if not isinstance(doc, dict):
        raise NoticeTextsError(f"{path}: 通知文字檔必須是 YAML 對應表")

    def table(key: str, names: tuple[str, ...]) -> dict[str, str]:
        value = doc.get(key)
        if not isinstance(value, dict):
            raise NoticeTextsError(f"{path}: {key}: 必須是對應表")
        missing = [n for n in names if not isinstance(value.get(n), str) or not value[n].strip()]
        if missing:
            raise NoticeTextsError(f"{path}: {key}: 缺少 {', '.join(missing)}")
        for name in names:
            try:
                value[name].format(incident="")
            except (KeyError, IndexError, ValueError) as exc:
                raise NoticeTextsError(f"{path}: {key}.{name}: 只能使用 {{incident}}（{exc}）") from None
        return {n: str(value[n]) for n in names}

    footer = doc.get("footer", "")
    if not isinstance(footer, str):
        raise NoticeTextsError(f"{path}: footer: 必須是文字")
    return NoticeTexts(
        from_name=str(doc.get("from_name") or "DLP"),
        subject=table("subject", NOTICE_ACTIONS),
        intro=table("intro", NOTICE_ACTIONS),
        labels=table("labels", _LABELS),
        footer=footer,
    )


def should_notify(action: str, sender: str) -> bool:
    """Notices go for every action but allow, and never to the null sender ``<>``."""
    return action in NOTICE_ACTIONS and bool(sender.strip()) and sender.strip() != "<>"


def build_notice(
    texts: NoticeTexts,
    *,
    action: str,
    incident: str,
    sender: str,
    notice_from: str,
    reasons: list[str],
    recipients: list[str],
    behind: list[str],
    subject: str | None,
    subject_has_finding: bool,
    when: datetime,
    original_message_id: str | None = None,
) -> EmailMessage:
    labels = texts.labels
    if subject_has_finding:
        shown_subject = labels["hidden_subject"]
    else:
        shown_subject = subject.strip() if subject and subject.strip() else labels["no_subject"]
    lines = [texts.intro[action].format(incident=incident), ""]
    lines.append(f"{labels['mail']}：{shown_subject}")
    lines.append(f"{labels['time']}：{when.astimezone().strftime('%Y-%m-%d %H:%M:%S %z')}")
    lines.append(f"{labels['recipients']}：{'、'.join(recipients)}")
    if behind and set(behind) != set(recipients):
        lines.append(f"{labels['behind']}：{'、'.join(behind)}")
    if reasons:
        lines.append(f"{labels['reasons']}：")
        lines.extend(f"  ・{r}" for r in reasons)
    lines.append(f"{labels['incident']}：{incident}")
    if texts.footer.strip():
        lines += ["", texts.footer.format(incident=incident)]

    notice = EmailMessage()
    notice["From"] = Address(texts.from_name, addr_spec=notice_from)
    notice["To"] = sender
    notice["Subject"] = texts.subject[action].format(incident=incident)
    notice["Date"] = format_datetime(datetime.now().astimezone())
    notice["Message-ID"] = make_msgid("dlp-notice")
    notice["Auto-Submitted"] = "auto-generated"
    if original_message_id:
        notice["In-Reply-To"] = original_message_id
        notice["References"] = original_message_id
    notice.set_content("\n".join(lines) + "\n", charset="utf-8", cte="base64")
    return notice
