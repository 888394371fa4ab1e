"""Client-side pacing to sliding request windows, shared by every thread of a process.

Plytix counts requests per account in two windows (per 10 seconds and per hour) and answers
429 to every call once one is full. Sending at most `limit` requests in any `window` seconds,
plus a small margin for the time a request spends in flight, keeps a sync at the allowed
rate without ever meeting a 429 in normal operation.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field

IN_FLIGHT_MARGIN_SECONDS = 0.25
"""A request counts at the server when it arrives, a little after we send it."""


@dataclass
class Window:
    seconds: float
    limit: int
    sent: deque[float] = field(default_factory=deque)

    def wait_needed(self, now: float, margin: float) -> float:
        while self.sent and self.sent[0] <= now - self.seconds - margin:
            self.sent.popleft()
        if self.limit and len(self.sent) >= self.limit:
            return self.sent[0] + self.seconds + margin - now
        return 0.0


class Pacer:
    """Blocks `acquire()` until a request fits every window; `pause()` honours Retry-After."""

    def __init__(self, windows: list[tuple[float, int]], *,
                 margin: float = IN_FLIGHT_MARGIN_SECONDS,
                 clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self.windows = [Window(seconds, limit) for seconds, limit in windows if limit]
        self.margin = margin
        self.clock = clock
        self.sleep = sleep
        self.paused_until = 0.0
        self.waited_seconds = 0.0
        self._lock = threading.Lock()

    def acquire(self) -> float:
        """Take one slot, sleeping as long as needed; return the seconds waited."""
        waited = 0.0
        while True:
            with self._lock:
                now = self.clock()
                wait = max([self.paused_until - now,
                            *(w.wait_needed(now, self.margin) for w in self.windows)])
                if wait <= 0:
                    for window in self.windows:
                        window.sent.append(now)
                    self.waited_seconds += waited
                    return waited
            self.sleep(wait)
            waited += wait

    def tighten(self, seconds: float, limit: int) -> bool:
        """Pace to at most `limit` requests per `seconds` when that is stricter than what
        the window allows now (a limit the account states); True when it changed."""
        if limit <= 0:
            return False
        with self._lock:
            for window in self.windows:
                if window.seconds == seconds:
                    if window.limit and window.limit <= limit:
                        return False
                    window.limit = limit
                    return True
            self.windows.append(Window(seconds, limit))
            return True

    def limits(self) -> dict[float, int]:
        """{window seconds: requests} as paced now."""
        with self._lock:
            return {w.seconds: w.limit for w in self.windows}

    def pause(self, seconds: float) -> None:
        """Hold every caller for `seconds` (a 429 said the account is over its budget)."""
        with self._lock:
            self.paused_until = max(self.paused_until, self.clock() + seconds)
