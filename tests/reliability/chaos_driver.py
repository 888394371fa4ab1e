"""Plays a fault schedule against the emulators while a sync runs, through the admin API.

Events are armed when their route's request count passes their threshold, so a burst lands
mid-run on whatever the sync is doing then. Token and session expiry come from moving both
emulators' clocks past the token lifetime and the session idle time every few calls.
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from typing import Any

from chaos_schedule import FaultSchedule

from emulators.runtime import AdminClient

POLL_SECONDS = 0.1


class FaultDriver:
    """A background thread: `start()` before the run, `stop()` after it."""

    def __init__(
        self,
        admins: dict[str, AdminClient],
        schedule: FaultSchedule,
        expiry_jumps: dict[str, float],
    ) -> None:
        self.admins = admins
        self.pending = list(schedule.events)
        self.expiry_every = schedule.expiry_every_seconds
        self.expiry_jumps = expiry_jumps
        self.armed: Counter[str] = Counter()
        self.expiries = 0
        self.errors: list[str] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="chaos-driver", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> dict[str, Any]:
        """Stop, disarm what is still armed, and say what was done."""
        self._stop.set()
        self._thread.join(timeout=30)
        for admin in self.admins.values():
            admin.clear_faults()
        return {
            "armed": dict(self.armed),
            "not_reached": len(self.pending),
            "expiries": self.expiries,
            "driver_errors": self.errors,
        }

    def _loop(self) -> None:
        next_expiry = time.monotonic() + self.expiry_every
        while not self._stop.wait(POLL_SECONDS):
            try:
                self._arm_due()
                if time.monotonic() >= next_expiry:
                    for side, seconds in self.expiry_jumps.items():
                        self.admins[side].advance_clock(seconds)
                    self.expiries += 1
                    next_expiry = time.monotonic() + self.expiry_every
            except Exception as error:  # noqa: BLE001 - reported with the trial, never hidden
                self.errors.append(f"{type(error).__name__}: {error}")

    def _arm_due(self) -> None:
        if not self.pending:
            return
        seen = {side: admin.requests() for side, admin in self.admins.items()}
        due = [
            e
            for e in self.pending
            if requests_on(seen[e.side], e.spec["route"]) >= e.after_requests
        ]
        for event in due:
            self.admins[event.side].fault(**event.spec)
            self.armed[event.kind] += 1
            self.pending.remove(event)


def requests_on(log: dict[str, Any], route: str) -> int:
    """Requests an emulator has served on `route` (all routes for `*`)."""
    return int(log["total"]) if route == "*" else int(log["by_route"].get(route, 0))
