"""Client-side pacing: at most `limit` requests in any `seconds`, for every window at once.

A service counts requests in windows (Plytix: per 10 seconds and per hour; PhotoShelter: a
budget it reports in its answers) and answers 429 once one is full. The pacer keeps the send
times of this process and holds a caller until one more request fits every window:

- fixed windows, from the settings or tightened to what the account states (`tighten`);
- a server-reported budget `{limit, current, expires}` (`observe`): the limit, over a window
  estimated from when the counted requests went out;
- a pause everyone honours after a 429 (`pause`, with the `Retry-After` wait).

An in-flight `margin` counts a request a little after it is sent, when it reaches the server.
Thread-safe: one pacer is shared by every thread of a run.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

MIN_TRACKED = 20_000
"""Send times kept at least (more when a window allows more requests)."""
MAX_SERVER_WINDOW_SECONDS = 3600.0


@dataclass
class Window:
    """At most `limit` requests in any `seconds` (limit 0: no limit)."""

    seconds: float
    limit: int


class Pacer:
    """Blocks `acquire()` until one more request fits every window; records it."""

    def __init__(
        self,
        windows: Iterable[tuple[float, int]] = (),
        *,
        margin: float = 0.0,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.windows = [
            Window(float(seconds), int(limit)) for seconds, limit in windows if limit and limit > 0
        ]
        self.server_budget: Window | None = None
        """The budget the server last reported (`observe`), None until it reports one."""
        self.margin = margin
        self.clock = clock
        self.sleep = sleep
        self.paused_until = 0.0
        """Clock time before which nothing goes out (a 429's pause, a spent budget)."""
        self._lock = threading.Lock()
        self._sent: deque[float] = deque(maxlen=self._tracked())

    def _tracked(self) -> int:
        return max([MIN_TRACKED, *(w.limit for w in self.windows)])

    def acquire(self) -> float:
        """Take one slot, sleeping as long as needed; return the seconds waited."""
        waited = 0.0
        while True:
            with self._lock:
                now = self.clock()
                budgets = [*self.windows, *([self.server_budget] if self.server_budget else [])]
                wait = max(
                    [self.paused_until - now, *(self._delay(window, now) for window in budgets)]
                )
                if wait <= 0:
                    self._sent.append(now)
                    return waited
            self.sleep(wait)
            waited += wait

    def _delay(self, window: Window, now: float) -> float:
        """Seconds until the `limit`-th latest request leaves the window (0: it fits now)."""
        if window.limit <= 0 or len(self._sent) < window.limit:
            return 0.0
        return self._sent[-window.limit] + window.seconds + self.margin - now

    def tighten(self, seconds: float, limit: int) -> bool:
        """Pace to at most `limit` per `seconds` when that is stricter than what the window
        allows now (a limit the account states); True when it changed."""
        if limit <= 0:
            return False
        with self._lock:
            for window in self.windows:
                if window.seconds == seconds:
                    if window.limit <= limit:
                        return False
                    window.limit = limit
                    return True
            self.windows.append(Window(float(seconds), int(limit)))
            if self._tracked() > (self._sent.maxlen or 0):
                self._sent = deque(self._sent, maxlen=self._tracked())
            return True

    def limits(self) -> dict[float, int]:
        """{window seconds: requests} of the fixed windows, as paced now."""
        with self._lock:
            return {w.seconds: w.limit for w in self.windows}

    def pause(self, seconds: float) -> None:
        """Hold every caller for `seconds` from now (a 429 said the budget is spent)."""
        with self._lock:
            self.paused_until = max(self.paused_until, self.clock() + max(0.0, seconds))

    def observe(self, rate_limit: Any) -> None:
        """Adopt a server's report `{limit, current, expires}` (allowed, used, seconds until
        the oldest counted request leaves the window); a malformed report is ignored."""
        if not isinstance(rate_limit, dict):
            return
        try:
            limit = int(rate_limit["limit"])
            current = int(rate_limit["current"])
            expires = max(0.0, float(rate_limit["expires"]))
        except (KeyError, TypeError, ValueError):
            return
        with self._lock:
            now = self.clock()
            if limit <= 0:
                self.server_budget = None
                return
            if current >= limit:
                self.paused_until = max(self.paused_until, now + expires)
            window = expires
            if 0 < current <= len(self._sent):
                window = now - self._sent[-current] + expires
            previous = self.server_budget.seconds if self.server_budget else 0.0
            self.server_budget = Window(
                min(MAX_SERVER_WINDOW_SECONDS, max(window, previous)), limit
            )
            if limit > (self._sent.maxlen or 0):
                self._sent = deque(self._sent, maxlen=limit)
