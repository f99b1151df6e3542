"""Outbound DLP filter for Taiwanese government agencies.

    from dlp import Scanner, Message
    report = Scanner().scan(Message(text="...", channel="mail", recipients=["a@gmail.com"]))
"""

from dlp.errors import PackError, PackErrors
from dlp.model import Attachment, Conversation, Finding, Message, Report, Segment

__all__ = [
    "Attachment",
    "Conversation",
    "Finding",
    "Message",
    "PackError",
    "PackErrors",
    "Report",
    "Scanner",
    "Segment",
]
__version__ = "0.1.0"


def __getattr__(name: str):
    # Scanner pulls in presidio; import it only when asked for.
    if name == "Scanner":
        from dlp.scanner import Scanner

        return Scanner
    raise AttributeError(name)
