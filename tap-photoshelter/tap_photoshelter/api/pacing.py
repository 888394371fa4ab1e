"""Client-side pacing: stay under a request budget, and under what the server reports.

PhotoShelter reports its budget in the body of single-object responses as
`meta.rate_limit {limit, current, expires}` (allowed, used, seconds until the oldest counted
request leaves the window) and answers 429 with `Retry-After` when it is spent. List
responses carry no report, so the pacer learns the budget from the reports it sees: the
limit, and the window length estimated from when its own counted requests went out. It
then keeps its own sliding window under that budget, so a long sync runs at the allowed
rate instead of bouncing off 429s. An optional local budget (`requests_per_window` per
`window_seconds`) caps it further.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable
from typing import Any

MAX_TRACKED = 20_000
"""Request times kept: enough for any budget the pacer enforces."""


class Pacer:
    """Thread-safe gate called before every request."""

    def __init__(self, requests_per_window: int = 0, window_seconds: float = 60.0,
                 clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self.local_budget = (max(0, int(requests_per_window)), float(window_seconds))
        self.server_budget: tuple[int, float] | None = None
        self._clock = clock
        self._sleep = sleep
        self._lock = threading.Lock()
        self._sent: deque[float] = deque(maxlen=MAX_TRACKED)
        self._not_before = 0.0
        self.waited_seconds = 0.0
        self.requests = 0

    def wait(self) -> None:
        """Block until one more request fits the budgets; then count it."""
        while True:
            with self._lock:
                now = self._clock()
                delay = max(self._not_before - now, self._budget_delay(self.local_budget, now),
                            self._budget_delay(self.server_budget, now))
                if delay <= 0:
                    self._sent.append(now)
                    self.requests += 1
                    return
            self.waited_seconds += delay
            self._sleep(delay)

    def _budget_delay(self, budget: tuple[int, float] | None, now: float) -> float:
        if not budget or budget[0] <= 0 or len(self._sent) < budget[0]:
            return 0.0
        limit, window = budget
        oldest_in_window = self._sent[-min(limit, MAX_TRACKED)]
        return oldest_in_window + window - now

    def observe(self, rate_limit: Any) -> None:
        """Adopt the server's report `{limit, current, expires}` (ignored when malformed)."""
        if not isinstance(rate_limit, dict):
            return
        try:
            limit = int(rate_limit["limit"])
            current = int(rate_limit["current"])
            expires = max(0.0, float(rate_limit["expires"]))
        except (KeyError, TypeError, ValueError):
            return
        with self._lock:
            now = self._clock()
            if limit <= 0:
                self.server_budget = None
                return
            if current >= limit:
                self._not_before = max(self._not_before, now + expires)
            window = expires
            if 0 < current <= len(self._sent):
                window = now - self._sent[-current] + expires
            previous = self.server_budget[1] if self.server_budget else 0.0
            self.server_budget = (limit, min(3600.0, max(window, previous)))

    def retry_after(self, seconds: float) -> None:
        """A 429: nothing goes out before `seconds` from now."""
        with self._lock:
            self._not_before = max(self._not_before, self._clock() + max(0.0, seconds))
