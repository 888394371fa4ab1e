"""Loose Plytix values -> the type their attribute declares, counted so the log can say how many.

The real API answers loosely: dates as `2023-02-27T00:00:00`, integers and decimals as text
(`"123456"`), empty values as `""`, media as `[{"id"}]` (v1 search), expanded objects (v1 GET)
or plain id strings (v2). A reader turns each into its declared type and never drops a row: a
value that cannot be read as its type becomes null and is counted as unreadable.
"""

from __future__ import annotations

import math
import threading
from collections import Counter
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

MEDIA_GALLERY = "MediaGalleryAttribute"
MEDIA_SINGLE = "MediaAttribute"
TEXT_TYPES = frozenset(
    {"TextAttribute", "MultilineAttribute", "HtmlAttribute", "UrlAttribute", "DropdownAttribute"}
)
INT64 = 2**63
TRUE_WORDS = frozenset({"true", "1", "yes", "y", "on"})
FALSE_WORDS = frozenset({"false", "0", "no", "n", "off"})


class UnreadableError(ValueError):
    """A value that cannot be read as its declared type."""


class Coercions:
    """Counts of values coerced (and unreadable) per field, shared by threads of a run."""

    def __init__(self) -> None:
        self.coerced: Counter[str] = Counter()
        self.unreadable: Counter[str] = Counter()
        self._lock = threading.Lock()

    def note(self, field_name: str, unreadable: bool = False) -> None:
        with self._lock:
            (self.unreadable if unreadable else self.coerced)[field_name] += 1

    def summary(self) -> str:
        """`12 values coerced (price 8, launch_date 4)`, plus the unreadable ones."""
        parts = [
            f"{sum(self.coerced.values())} values coerced to their column types"
            f"{_by_field(self.coerced)}"
        ]
        if self.unreadable:
            parts.append(
                f"{sum(self.unreadable.values())} unreadable values emitted as null"
                f"{_by_field(self.unreadable)}"
            )
        return "; ".join(parts)


def _by_field(counts: Counter[str]) -> str:
    return f" ({', '.join(f'{k} {n}' for k, n in counts.most_common(10))})" if counts else ""


def ref_id(value: Any) -> str | None:
    """`{"id": x}`, `[{"id": x}]`, `["x"]`, an expanded asset or a bare id -> `x`."""
    if isinstance(value, list):
        return ref_id(value[0]) if value else None
    if isinstance(value, dict):
        found = value.get("id")
        return str(found) if found not in (None, "") else None
    return None if value in (None, "") else str(value)


def ref_ids(value: Any) -> list[str]:
    """A list of references (or one reference) -> the list of their ids, in order."""
    if value is None or value == "":
        return []
    items = value if isinstance(value, list) else [value]
    return [found for item in items if (found := ref_id(item)) is not None]


def to_int(value: Any) -> int:
    if isinstance(value, bool):
        raise UnreadableError(f"a boolean where a whole number belongs: {value!r}")
    if isinstance(value, int):
        number = value
    elif isinstance(value, float | str | Decimal):
        try:
            exact = Decimal(str(value).strip())
        except InvalidOperation:
            raise UnreadableError(f"not a whole number: {value!r}") from None
        if not exact.is_finite() or exact != exact.to_integral_value():
            raise UnreadableError(f"not a whole number: {value!r}")
        number = int(exact)
    else:
        raise UnreadableError(f"not a whole number: {value!r}")
    if not -INT64 <= number < INT64:
        raise UnreadableError(f"beyond 64 bits: {value!r}")
    return number


def to_number(value: Any) -> int | float:
    if isinstance(value, bool):
        raise UnreadableError(f"a boolean where a number belongs: {value!r}")
    if isinstance(value, int | float):
        number = value
    elif isinstance(value, str):
        try:
            number = float(value.strip())
        except ValueError:
            raise UnreadableError(f"not a number: {value!r}") from None
        if number.is_integer() and abs(number) < INT64:
            number = int(number)
    else:
        raise UnreadableError(f"not a number: {value!r}")
    if isinstance(number, float) and not math.isfinite(number):
        raise UnreadableError(f"not a finite number: {value!r}")
    return number


def to_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    word = str(value).strip().casefold()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise UnreadableError(f"not true or false: {value!r}")


def to_date(value: Any) -> str:
    """`2023-02-27T00:00:00` (or any ISO date-time) -> `2023-02-27`."""
    if not isinstance(value, str):
        raise UnreadableError(f"not a date: {value!r}")
    text = value.strip()
    try:
        if len(text) > 10:
            return datetime.fromisoformat(text.replace("Z", "+00:00")).date().isoformat()
        return date.fromisoformat(text).isoformat()
    except ValueError:
        raise UnreadableError(f"not a date: {value!r}") from None


def to_text(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float | Decimal):
        return str(value)
    raise UnreadableError(f"not text: {value!r}")


def to_datetime(value: Any) -> str:
    """An ISO date-time; one without a zone (v2 writes `2024-11-13T11:20:30.578000`) is UTC
    and gets `+00:00`, so both generations give the same value."""
    if not isinstance(value, str):
        raise UnreadableError(f"not a date-time: {value!r}")
    text = value.strip()
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise UnreadableError(f"not a date-time: {value!r}") from None
    return text if moment.tzinfo else f"{text}+00:00"


READERS = {"integer": to_int, "number": to_number, "boolean": to_bool, "string": to_text}
FORMAT_READERS = {"date": to_date, "date-time": to_datetime}
ATTRIBUTE_KINDS: dict[str, tuple[str, str | None]] = {
    "IntAttribute": ("integer", None),
    "DecimalAttribute": ("number", None),
    "CompletenessAttribute": ("number", None),
    "BooleanAttribute": ("boolean", None),
    "DateAttribute": ("string", "date"),
}
"""type_class -> (JSON schema kind, format); text kinds and unknown types are text."""


def coerce(kind: str, value: Any, fmt: str | None = None) -> tuple[Any, bool]:
    """(the value as JSON schema `kind` / `fmt`, whether it had to change).

    `None` and `""` are null (`""` counts as coerced); raises UnreadableError when the value
    cannot be read as the kind.
    """
    if value is None or value == "":
        return None, value == ""
    reader: Callable[[Any], Any] | None = (
        FORMAT_READERS.get(fmt or "") if kind == "string" else None
    )
    reader = reader or READERS.get(kind)
    if reader is None:
        return value, False
    out = reader(value)
    return out, type(out) is not type(value) or out != value


def attribute_value(type_class: str, value: Any) -> tuple[Any, bool]:
    """(a custom attribute's value in its column's type, whether it had to be coerced).

    Media (v1 `[{"id"}]` or expanded objects, v2 id strings) become asset ids; empty values
    are null (`[]` for a gallery); raises UnreadableError when the value cannot be read.
    """
    if value is None or value == "" or value == []:
        return ([] if type_class == MEDIA_GALLERY else None), value == ""
    if type_class == MEDIA_GALLERY:
        return ref_ids(value), False
    if type_class == MEDIA_SINGLE:
        return ref_id(value), False
    if type_class == "MultiSelectAttribute":
        items = value if isinstance(value, list) else [value]
        out = [to_text(item) for item in items if item not in (None, "")]
        return out, out != value
    kind, fmt = ATTRIBUTE_KINDS.get(type_class, ("string", None))
    return coerce(kind, value, fmt)
