"""Explicit configuration objects (httpx style): no globals, no environment lookups."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Literal

FailMode = Literal["closed", "open"]
FAIL_MODES: tuple[str, ...] = ("closed", "open")

#: What is worth another try: the request timed out at the server, the service is
#: rate-limiting or overloaded, or it failed in a way a retry may not meet again.
RETRY_STATUSES: frozenset[int] = frozenset({408, 429, *range(500, 600)})


@dataclass(frozen=True)
class Timeout:
    """``total`` bounds the whole call, retries and back-off included; ``connect`` bounds
    each TCP (and TLS) connection attempt. The defaults suit a chat message on loopback."""

    total: float = 2.0
    connect: float = 0.5

    def __post_init__(self) -> None:
        if not self.total > 0 or not self.connect > 0:
            raise ValueError("timeouts must be positive")
        if self.connect > self.total:
            raise ValueError("the connect timeout cannot exceed the total timeout")


@dataclass(frozen=True)
class Retry:
    """Retries with exponential back-off and jitter, only on connection errors and
    ``statuses`` (408, 429, 5xx). ``attempts`` counts every try, the first included.

    The n-th retry waits ``min(max_backoff, backoff * 2**(n-1))``, of which a random fraction
    up to ``jitter`` is taken off (so clients that failed together do not retry together), or
    the server's ``Retry-After`` when that is longer. Nothing waits past the total timeout:
    a ``Retry-After`` beyond it ends the call at once.
    """

    attempts: int = 3
    backoff: float = 0.05
    max_backoff: float = 0.5
    jitter: float = 0.5
    statuses: frozenset[int] = field(default=RETRY_STATUSES)

    def __post_init__(self) -> None:
        if self.attempts < 1:
            raise ValueError("attempts must be at least 1")
        if self.backoff < 0 or self.max_backoff < 0 or not 0 <= self.jitter <= 1:
            raise ValueError("backoff must be >= 0 and jitter within 0..1")

    def delay(self, retry_number: int, rng: random.Random) -> float:
        """Back-off before retry number ``retry_number`` (1 = the first retry)."""
        base = min(self.max_backoff, self.backoff * (2 ** max(0, retry_number - 1)))
        return base * (1 - self.jitter * rng.random())


NO_RETRY = Retry(attempts=1)
DEFAULT_TIMEOUT = Timeout()
DEFAULT_RETRY = Retry()
