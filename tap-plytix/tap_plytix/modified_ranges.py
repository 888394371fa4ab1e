"""`modified` ranges for incremental searches: split a range when Plytix says 428.

A search with an order answers 428 above 10,000 matches, so a large sync pages through
`modified` windows `[start, end)` small enough to be ordered, oldest first.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from plytix_api import ConnectorError

EARLIEST = datetime(1970, 1, 1, tzinfo=UTC)
SMALLEST_WINDOW = timedelta(seconds=1)
FUTURE_STEP = timedelta(days=30)
"""How far an open window past the current time is cut (clocks and seeds can run ahead)."""


def parse_instant(value: str) -> datetime:
    moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def wire(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


@dataclass(frozen=True)
class ModifiedRange:
    """`modified` from `start` (inclusive; None: the beginning) to `end` (exclusive; None: open)."""

    start: str | None
    end: str | None

    def split(self, now: datetime | None = None) -> tuple[ModifiedRange, ModifiedRange]:
        """Two halves; an open window is cut at `now`, or 30 days on when it starts later."""
        start = parse_instant(self.start) if self.start else EARLIEST
        if self.end is None:
            now = now or datetime.now(UTC)
            cut = now if start + SMALLEST_WINDOW < now else start + FUTURE_STEP
            return ModifiedRange(self.start, wire(cut)), ModifiedRange(wire(cut), None)
        end = parse_instant(self.end)
        if end - start <= SMALLEST_WINDOW:
            raise ConnectorError(
                f"more than 10,000 records modified between {wire(start)} and "
                f"{wire(end)}: cannot window the search further"
            )
        middle = wire(start + (end - start) / 2)
        return ModifiedRange(self.start, middle), ModifiedRange(middle, self.end)
