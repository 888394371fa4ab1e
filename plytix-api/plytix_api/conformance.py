"""Does a record fit its stream's schema? One reason naming the field when it does not.

The API can answer with a value of an unexpected type, a row without its id, a date that
is not a date, a number too large for any loader, or NaN (which Python's JSON parser
accepts). Such a row is reported and skipped so the rest of its page still flows, and no
downstream loader meets a value its column cannot hold.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from plytix_api.values import Coercions, UnreadableError, coerce

INT64 = 2**63
SHOWN_CHARS = 60
WORDS = {
    "string": "text",
    "integer": "a whole number (64-bit)",
    "number": "a finite number",
    "boolean": "true or false",
    "array": "a list",
    "object": "an object",
}


def shown(value: Any) -> str:
    """A value for a log line, cut short (huge values must not flood the log)."""
    text = repr(value)
    return text if len(text) <= SHOWN_CHARS else f"{text[:SHOWN_CHARS]}... ({len(text)} chars)"


def schema_problem(value: Any, schema: Mapping[str, Any], where: str = "") -> str | None:
    """Why `value` does not fit `schema` (JSON schema types, date formats, items, properties)."""
    declared = schema.get("type")
    if declared is None:
        return None
    kinds = [declared] if isinstance(declared, str) else list(declared)
    name = where or "record"
    if value is None:
        return None if "null" in kinds else f"{name} is missing"
    kind = fitting_kind(value, kinds)
    if kind is None:
        wanted = " or ".join(WORDS.get(k, k) for k in kinds if k != "null")
        return f"{name} expects {wanted}, got {shown(value)}"
    if kind == "string":
        return format_problem(value, schema.get("format"), name)
    if kind == "array":
        items = schema.get("items") or {}
        for n, item in enumerate(value):
            if problem := schema_problem(item, items, f"{where}[{n}]"):
                return problem
    if kind == "object":
        for key, spec in (schema.get("properties") or {}).items():
            if problem := schema_problem(value.get(key), spec, f"{where}.{key}" if where else key):
                return problem
    return None


def fitting_kind(value: Any, kinds: list[str]) -> str | None:
    if isinstance(value, bool):
        return "boolean" if "boolean" in kinds else None
    if isinstance(value, int):
        if "integer" in kinds and -INT64 <= value < INT64:
            return "integer"
        return "number" if "number" in kinds and -INT64 <= value < INT64 else None
    if isinstance(value, float):
        return "number" if "number" in kinds and math.isfinite(value) else None
    for kind, python in (("string", str), ("array", list), ("object", dict)):
        if isinstance(value, python):
            return kind if kind in kinds else None
    return None


def format_problem(value: str, fmt: str | None, name: str) -> str | None:
    try:
        if fmt == "date-time":
            datetime.fromisoformat(value.replace("Z", "+00:00"))
        elif fmt == "date":
            date.fromisoformat(value)
    except ValueError:
        return f"{name} expects a {fmt}, got {shown(value)}"
    return None


def conform(
    record: dict[str, Any], schema: Mapping[str, Any], coercions: Coercions, where: str = ""
) -> list[str]:
    """Coerce the record's loose values to its schema in place; return what was unreadable.

    Scalars (and the items of lists of scalars) are coerced by their declared kind and
    format, one level of nested objects (`attributes`) too. A value that cannot be read
    becomes null, so the row is still emitted; each is counted and described for the log.
    """
    problems = []
    for key, spec in (schema.get("properties") or {}).items():
        if key not in record:
            continue
        name = f"{where}.{key}" if where else key
        value = record[key]
        kinds = _kinds(spec)
        if "object" in kinds and isinstance(value, dict):
            problems += conform(value, spec, coercions, name)
            continue
        if "array" in kinds and isinstance(value, list):
            item_kinds = _kinds(spec.get("items") or {})
            scalar = next((k for k in item_kinds if k in SCALARS), None)
            if scalar:
                items = []
                for n, item in enumerate(value):
                    out = _coerced(
                        item,
                        scalar,
                        spec["items"].get("format"),
                        f"{name}[{n}]",
                        coercions,
                        problems,
                    )
                    if out is not None:
                        items.append(out)
                record[key] = items
            continue
        scalar = next((k for k in kinds if k in SCALARS), None)
        if scalar:
            record[key] = _coerced(value, scalar, spec.get("format"), name, coercions, problems)
    return problems


SCALARS = ("integer", "number", "boolean", "string")


def _kinds(spec: Mapping[str, Any]) -> list[str]:
    declared = spec.get("type")
    if declared is None:
        return []
    return [declared] if isinstance(declared, str) else list(declared)


def _coerced(
    value: Any, kind: str, fmt: str | None, name: str, coercions: Coercions, problems: list[str]
) -> Any:
    try:
        out, changed = coerce(kind, value, fmt)
    except UnreadableError as error:
        coercions.note(name, unreadable=True)
        problems.append(f"{name}: {shown_reason(error)}")
        return None
    if changed:
        coercions.note(name)
    return out


def shown_reason(error: Exception) -> str:
    text = str(error)
    return text if len(text) <= SHOWN_CHARS * 2 else f"{text[: SHOWN_CHARS * 2]}..."
