"""PhotoShelter value formats: timestamps, keyword lists, custom-metadata names and includes."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from typing import Any

IPTC_FIELDS = (
    "title",
    "headline",
    "caption",
    "keywords",
    "author",
    "credit",
    "source",
    "copyright",
    "rights",
    "instructions",
    "trans_ref",
    "category",
    "edit_status",
    "city",
    "state",
    "country",
    "country_iso",
)
"""The IPTC core fields of `GET /media/{id}/iptc` (docs/apis/photoshelter.md)."""

_TIMESTAMP_FORMATS = (
    "%Y-%m-%d %H:%M:%S %Z",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%dT%H:%M:%S%z",
    "%Y-%m-%dT%H:%M:%S.%f%z",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%dT%H:%M:%S.%f",
    "%Y-%m-%d %H:%M:%S%z",
    "%Y-%m-%d",
)


def utc_iso(value: Any) -> str | None:
    """`2026-03-14 09:26:53 GMT`, ISO with or without zone, or epoch -> `...T..+00:00`."""
    if value in (None, ""):
        return None
    if isinstance(value, bool):
        raise ValueError(f"unrecognised timestamp {value!r}")
    if isinstance(value, int | float):
        try:
            return datetime.fromtimestamp(value, UTC).isoformat()
        except (OverflowError, OSError, ValueError):
            raise ValueError(f"timestamp {value!r} is out of range") from None
    text = str(value).strip()
    if text.endswith("Z"):
        text = text[:-1] + "+00:00"
    for fmt in _TIMESTAMP_FORMATS:
        try:
            parsed = datetime.strptime(text, fmt)
        except ValueError:
            continue
        if parsed.tzinfo is None:
            parsed = parsed.replace(tzinfo=UTC)
        return parsed.astimezone(UTC).isoformat()
    raise ValueError(f"unrecognised timestamp {value!r}")


def api_timestamp(iso: str) -> str:
    """A UTC ISO timestamp as the media search filters take it (`YYYY-MM-DD HH:MM:SS`)."""
    parsed = datetime.fromisoformat(iso)
    if parsed.tzinfo is not None:
        parsed = parsed.astimezone(UTC)
    return parsed.strftime("%Y-%m-%d %H:%M:%S")


def split_keywords(raw: Any) -> list[str]:
    """IPTC keywords (comma-separated string, or a list) -> trimmed, non-empty, in order."""
    if raw is None:
        return []
    parts: Iterable[Any] = raw if isinstance(raw, list) else str(raw).split(",")
    seen: list[str] = []
    for part in parts:
        keyword = str(part).strip()
        if keyword and keyword not in seen:
            seen.append(keyword)
    return seen


def join_keywords(keywords: Iterable[str]) -> str:
    return ", ".join(keywords)


def column_name(field_name: str) -> str:
    """Custom field `Launch Status` -> column `launch_status`."""
    return re.sub(r"[^a-z0-9]", "_", field_name.lower())


def includes_of(item: Mapping[str, Any]) -> dict[str, Any]:
    """Embedded resources of a list item, keyed by include name (`iptc`, `link`, ...).

    Accepts `includes` as a mapping `{name: value}` (a value may be wrapped in `data` or be
    a JSON:API object) or as a list of JSON:API objects keyed by their `type`.
    """
    raw = item.get("includes")
    if raw is None:
        raw = (
            (item.get("attributes") or {}).get("includes")
            if isinstance(item.get("attributes"), dict)
            else None
        )
    found: dict[str, Any] = {}
    if isinstance(raw, dict):
        for name, value in raw.items():
            found[_include_key(name)] = _unwrap(value)
    elif isinstance(raw, list):
        for entry in raw:
            if isinstance(entry, dict) and entry.get("type"):
                key = _include_key(str(entry["type"]))
                value = _unwrap(entry)
                if key in found:
                    previous = found[key]
                    found[key] = [*(previous if isinstance(previous, list) else [previous]), value]
                else:
                    found[key] = value
    return found


def _include_key(name: str) -> str:
    key = name.lower().replace("_", "-")
    return {
        "custom-metadata": "custom-metadata",
        "custommetadata": "custom-metadata",
        "media-link": "link",
        "medialink": "link",
    }.get(key, key)


def _unwrap(value: Any) -> Any:
    if isinstance(value, dict) and set(value) <= {"data", "meta", "links"} and "data" in value:
        value = value["data"]
    if isinstance(value, list):
        return [_unwrap(v) for v in value]
    if isinstance(value, dict) and isinstance(value.get("attributes"), dict):
        return {**value["attributes"], **({"id": value["id"]} if "id" in value else {})}
    return value


def custom_metadata_entries(value: Any) -> list[dict[str, Any]]:
    """`GET /media/{id}/custom-metadata` (or its include) -> `[{field_id, field_name,
    tag_id, tag_name}]`, one per field that holds a tag."""
    value = _unwrap(value)
    if isinstance(value, dict):
        value = [value]
    entries = []
    for entry in value or []:
        if not isinstance(entry, dict):
            continue
        flat = _unwrap(entry)
        if flat.get("field_id") is None:
            continue
        entries.append(
            {
                "field_id": str(flat["field_id"]),
                "field_name": flat.get("field_name"),
                "tag_id": None if flat.get("tag_id") is None else str(flat["tag_id"]),
                "tag_name": flat.get("tag_name"),
            }
        )
    return entries


def link_url(value: Any) -> str | None:
    """The public URL from `GET /media/{id}/link` (or its include)."""
    value = _unwrap(value)
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        for key in ("link", "url", "href", "public_url"):
            if isinstance(value.get(key), str):
                return value[key]
    return None
