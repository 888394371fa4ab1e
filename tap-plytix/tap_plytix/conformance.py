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

INT64 = 2**63
SHOWN_CHARS = 60
WORDS = {"string": "text", "integer": "a whole number (64-bit)", "number": "a finite number",
         "boolean": "true or false", "array": "a list", "object": "an object"}


class BadRow(ValueError):
    """A row that cannot become a record; the message is the reason."""


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
            if problem := schema_problem(value.get(key), spec, f"{where}.{key}" if where
                                         else key):
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
