"""API items to stream rows, defensively: an item that cannot be read is reported, not fatal.

PhotoShelter answers are JSON:API objects whose attribute types are documented but not
guaranteed. Each value is coerced to its column's type (`"12"` -> 12, `1` -> true); a
value that cannot be (a list where a number belongs, a timestamp that is not one, an
integer beyond 64 bits) makes the whole item `BadRowError`, so the stream logs it with its
id and reason and goes on with the rest of the page. A whole item is skipped rather than a
field emptied, because an emptied field would read downstream as a real value (an empty
`license_expiration` means "never expires").
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from datetime import date
from typing import Any

from photoshelter_api.client import attributes
from photoshelter_api.formats import (
    IPTC_FIELDS,
    column_name,
    custom_metadata_entries,
    join_keywords,
    link_url,
    split_keywords,
    utc_iso,
)
from pim_dam_core.errors import BadRowError

INT64 = 2**63 - 1
INTEGER_FIELDS = ("file_size", "width", "height", "rating")
NUMBER_FIELDS = ("focal_point_x", "focal_point_y")
BOOLEAN_FIELDS = ("flagged", "model_released", "property_released")
TEXT_FIELDS = ("file_name", "media_type", "organization_id", "photographer_id")


def item_id(item: Mapping[str, Any]) -> str:
    """The item's id as text; BadRowError when it has none."""
    raw = item.get("id")
    if isinstance(raw, bool) or not isinstance(raw, str | int) or not str(raw).strip():
        raise BadRowError(f"id: expected an id, got {_show(raw)}")
    return str(raw).strip()


def describe_id(item: Any) -> str:
    """The id to name in a report, even for an item that has none."""
    if isinstance(item, Mapping) and isinstance(item.get("id"), str | int):
        return str(item["id"])[:40]
    return "(no id)"


def media_row(
    item: Mapping[str, Any],
    iptc_raw: Any,
    custom_raw: Any,
    link_raw: Any,
    fields: list[dict[str, Any]],
) -> dict[str, Any]:
    """One `media` row from the list item and its IPTC, custom metadata and link."""
    row = attributes(item)
    media_id = item_id(row)
    out: dict[str, Any] = {"id": media_id}
    for name in INTEGER_FIELDS:
        out[name] = to_integer(name, row.get(name))
    for name in NUMBER_FIELDS:
        out[name] = to_number(name, row.get(name))
    for name in BOOLEAN_FIELDS:
        out[name] = to_boolean(name, row.get(name))
    for name in TEXT_FIELDS:
        out[name] = to_text(name, row.get(name))
    out["created_at"] = to_timestamp("created_at", row.get("created_at"))
    modified = to_timestamp("modified_at", row.get("modified_at"))
    if modified is None:
        raise BadRowError("modified_at: missing (needed for the incremental bookmark)")
    out["modified_at"] = modified
    out["license_expiration"] = to_date("license_expiration", row.get("license_expiration"))
    iptc = iptc_values(iptc_raw)
    custom_rows = custom_metadata_entries(custom_raw)
    by_field = {e["field_id"]: e for e in custom_rows}
    out.update(
        {
            "iptc": iptc,
            "keywords": split_keywords(iptc.get("keywords")),
            "custom_metadata": {
                column_name(f["name"]): (
                    by_field[f["id"]]["tag_name"] if f["id"] in by_field else None
                )
                for f in fields
            },
            "custom_metadata_raw": custom_rows,
            "link_url": link_url(link_raw),
        }
    )
    return out


def container_row(item: Mapping[str, Any]) -> dict[str, Any]:
    """A gallery or collection: `{id, **attributes}` with UTC timestamps."""
    row = attributes(item)
    out = {
        **row,
        "id": item_id(row),
        "created_at": to_timestamp("created_at", row.get("created_at")),
        "modified_at": to_timestamp("modified_at", row.get("modified_at")),
    }
    for name in ("name", "description"):
        out[name] = to_text(name, row.get(name))
    if "media_count" in row:
        out["media_count"] = to_integer("media_count", row.get("media_count"))
    if "is_public" in row:
        out["is_public"] = to_boolean("is_public", row.get("is_public"))
    return out


def iptc_values(raw: Any) -> dict[str, str | None]:
    """The IPTC core fields as text (a keyword list is joined the way PhotoShelter stores it)."""
    flat = attributes(raw) if isinstance(raw, dict) else {}
    values: dict[str, str | None] = {}
    for name in IPTC_FIELDS:
        value = flat.get(name)
        if name == "keywords" and isinstance(value, list):
            value = join_keywords(split_keywords(value))
        values[name] = to_text(f"iptc.{name}", value)
    return values


def row_digest(row: Mapping[str, Any]) -> str:
    """A short fingerprint of a row's content (tells a same-second edit from a repeat)."""
    text = json.dumps(row, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha1(text.encode(), usedforsecurity=False).hexdigest()[:16]


# --- coercion ---------------------------------------------------------------------------------
def to_integer(name: str, value: Any) -> int | None:
    if value is None or value == "":
        return None
    number: int | None = None
    if isinstance(value, bool):
        number = None
    elif isinstance(value, int):
        number = value
    elif isinstance(value, float) and value.is_integer():
        number = int(value)
    elif isinstance(value, str) and value.strip().lstrip("-").isdigit():
        number = int(value.strip())
    if number is None:
        raise BadRowError(f"{name}: expected a whole number, got {_show(value)}")
    if abs(number) > INT64:
        raise BadRowError(f"{name}: {_show(value)} is out of the 64-bit range")
    return number


def to_number(name: str, value: Any) -> float | None:
    if value is None or value == "":
        return None
    if isinstance(value, int | float) and not isinstance(value, bool):
        number = float(value)
    else:
        try:
            number = float(str(value)) if isinstance(value, str) else float("nan")
        except ValueError:
            number = float("nan")
    if number != number or number in (float("inf"), float("-inf")):
        raise BadRowError(f"{name}: expected a number, got {_show(value)}")
    return number


def to_boolean(name: str, value: Any) -> bool | None:
    if value is None or isinstance(value, bool):
        return value
    if value in (0, 1) and not isinstance(value, float):
        return bool(value)
    if isinstance(value, str) and value.strip().lower() in ("true", "false", "1", "0"):
        return value.strip().lower() in ("true", "1")
    raise BadRowError(f"{name}: expected true or false, got {_show(value)}")


def to_text(name: str, value: Any) -> str | None:
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    raise BadRowError(f"{name}: expected text, got {_show(value)}")


def to_timestamp(name: str, value: Any) -> str | None:
    try:
        return utc_iso(value)
    except (ValueError, TypeError):
        raise BadRowError(f"{name}: {_show(value)} is not a timestamp") from None


def to_date(name: str, value: Any) -> str | None:
    if value in (None, ""):
        return None
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip()[:10]).isoformat()
        except ValueError:
            pass
    raise BadRowError(f"{name}: {_show(value)} is not a date")


def _show(value: Any) -> str:
    """A value for a log line: short, whatever its size."""
    text = repr(value)
    return text if len(text) <= 60 else f"{text[:40]}... ({len(text)} characters)"
