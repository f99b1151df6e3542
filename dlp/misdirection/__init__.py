"""The misdirection guard: is this message going to the recipient its sender meant?

Learned from each sender's own destination history (kept, hashed, in the incident store by
``dlp.store.history``) and handed to ``Scanner.scan(message, history=facts)`` as plain facts: the
library never opens a database. The policy's ``misdirection:`` section turns the signals into
actions and Chinese reasons; the report gains a ``misdirection`` block. See docs/misdirection.md.
"""

from dlp.misdirection.config import SIGNALS, MisdirectionConfig, SignalRow
from dlp.misdirection.content import Content, summarize
from dlp.misdirection.decision import apply as apply_misdirection
from dlp.misdirection.explain import explain_lines
from dlp.misdirection.facts import ConversationFacts, DestinationFacts, HistoryFacts, Usage, destination_keys

__all__ = ["SIGNALS", "Content", "ConversationFacts", "DestinationFacts", "HistoryFacts", "MisdirectionConfig",
           "SignalRow", "Usage", "apply_misdirection", "destination_keys", "explain_lines", "summarize"]
