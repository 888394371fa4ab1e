"""When to try a request again and how long to wait first.

A 429 or 503 may carry `Retry-After` as a number of seconds or as an HTTP date (RFC 9110
10.2.3); both are read, and capped at an hour so a misconfigured proxy cannot park a sync for
a day. Other failures wait an exponential step with jitter, so parallel callers spread out.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from typing import TypeVar

import requests

RETRYABLE_STATUSES = frozenset({429, 500, 502, 503, 504})
TRANSPORT_ERRORS = (
    requests.ConnectionError,
    requests.Timeout,
    requests.exceptions.ChunkedEncodingError,
    requests.exceptions.ContentDecodingError,
)
"""Exceptions of requests that mean "no usable answer" (SSLError is one too: check it first)."""
MAX_RETRY_AFTER_SECONDS = 3600.0
T = TypeVar("T")


def retry_after_seconds(
    headers: Mapping[str, str] | None, now: Callable[[], float] = time.time
) -> float | None:
    """`Retry-After` in seconds (a number or an HTTP date), between 0 and one hour; None when
    the header is absent or unreadable."""
    value = (headers or {}).get("Retry-After")
    if not value:
        return None
    try:
        seconds = float(value)
    except ValueError:
        try:
            seconds = parsedate_to_datetime(value).timestamp() - now()
        except (TypeError, ValueError, IndexError):
            return None
    if seconds != seconds:  # NaN
        return None
    return min(MAX_RETRY_AFTER_SECONDS, max(0.0, seconds))


@dataclass(frozen=True)
class Backoff:
    """Exponential backoff with jitter: retry n waits between half and all of
    `base_seconds * 2**n`, capped at `max_seconds`; at most `max_retries` retries."""

    max_retries: int = 8
    base_seconds: float = 0.5
    max_seconds: float = 30.0
    sleep: Callable[[float], None] = field(default=time.sleep, compare=False)

    def delay(self, attempt: int) -> float:
        """The wait before retry number `attempt + 1` (`attempt` counts from 0)."""
        cap = min(self.max_seconds, self.base_seconds * 2**attempt)
        return random.uniform(cap / 2, cap)

    def exhausted(self, attempt: int) -> bool:
        """Whether `attempt` (counted from 0) was the last one allowed."""
        return attempt >= self.max_retries

    def wait(self, attempt: int) -> float:
        """Sleep the delay of `attempt`; return it."""
        seconds = self.delay(attempt)
        self.sleep(seconds)
        return seconds


@dataclass(frozen=True)
class Again:
    """An attempt's answer that another attempt may cure (a 429, a 5xx, no answer)."""

    problem: str
    """What went wrong, for the log line and the final error."""
    status: int | None = None
    response: requests.Response | None = None
    counted: bool = True
    """False: try again at once, without waiting or counting an attempt (a renewed token)."""


def retry_loop(
    attempt_once: Callable[[int], T | Again],
    backoff: Backoff,
    wait: Callable[[Again, int], None],
    give_up: Callable[[Again, int], Exception],
) -> T:
    """The one retry loop: call `attempt_once(attempt)` until it returns an answer; after an
    `Again`, `wait(again, attempt)` (backoff, or a pause the server asked for) and try again,
    or raise `give_up(again, attempts)` once `backoff.max_retries` retries are spent."""
    attempt = 0
    while True:
        outcome = attempt_once(attempt)
        if not isinstance(outcome, Again):
            return outcome
        if not outcome.counted:
            continue
        if backoff.exhausted(attempt):
            raise give_up(outcome, attempt + 1)
        wait(outcome, attempt)
        attempt += 1
