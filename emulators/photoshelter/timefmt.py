"""PhotoShelter's two timestamp styles, and the formats its filters accept."""

from __future__ import annotations

from datetime import UTC, datetime

from emulators.photoshelter.errors import bad_request


def media_time(epoch: float) -> str:
    """Media timestamps: `2026-03-14 09:26:53 GMT`."""
    return datetime.fromtimestamp(epoch, UTC).strftime("%Y-%m-%d %H:%M:%S GMT")


def container_time(epoch: float) -> str:
    """Gallery and collection timestamps: ISO 8601 without a zone (UTC)."""
    return datetime.fromtimestamp(epoch, UTC).strftime("%Y-%m-%dT%H:%M:%S")


def parse_time(text: str, parameter: str) -> float:
    """`YYYY-MM-DD HH:MM:SS` (optionally ` GMT`), ISO 8601, or a date; naive means UTC."""
    cleaned = text.strip()
    for suffix in (" GMT", " UTC"):
        if cleaned.upper().endswith(suffix):
            cleaned = cleaned[: -len(suffix)]
    try:
        moment = datetime.fromisoformat(cleaned)
    except ValueError:
        raise bad_request(
            f"{parameter} must look like '2026-03-14 09:26:53' or ISO 8601, got {text!r}"
        ) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.timestamp()
