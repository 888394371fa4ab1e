"""Timestamps: epoch seconds inside, ISO-8601 with microseconds and `+00:00` on the wire."""

from __future__ import annotations

from datetime import UTC, date, datetime


def iso(epoch: float | None) -> str | None:
    if epoch is None:
        return None
    return datetime.fromtimestamp(epoch, UTC).isoformat(timespec="microseconds")


def parse_instant(value: object) -> float:
    """An ISO date or date-time (`Z` allowed, naive means UTC) or a number, as epoch seconds.

    Raises ValueError for anything else, so a filter can answer 422 naming its field.
    """
    if isinstance(value, bool):
        raise ValueError(f"not a date: {value!r}")
    if isinstance(value, int | float):
        return float(value)
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"not a date: {value!r}")
    text = value.strip()
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    if len(text) == 10:
        day = date.fromisoformat(text)
        return datetime(day.year, day.month, day.day, tzinfo=UTC).timestamp()
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.timestamp()


def naive_iso(epoch: float | None) -> str | None:
    """UTC without an offset (`2024-11-13T11:20:30.578000`), as `file_modified` comes."""
    if epoch is None:
        return None
    return (
        datetime.fromtimestamp(epoch, UTC).replace(tzinfo=None).isoformat(timespec="microseconds")
    )
