"""Checks a value written to a custom attribute against the attribute's type.

Every refusal is a 422 naming `attributes.<label>`, so a writer learns which value was wrong.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from emulators.plytix.errors import invalid

TEXT_TYPES = ("TextAttribute", "MultilineAttribute", "HtmlAttribute", "UrlAttribute")
READ_ONLY_TYPES = ("CompletenessAttribute",)


def check_value(attribute: dict[str, Any], value: Any, assets: dict[str, Any]) -> Any:
    """The value to store (media refs reduced to `{"id"}`), or a 422 naming the attribute."""
    field = f"attributes.{attribute['label']}"
    kind = attribute["type_class"]
    options = attribute.get("options") or []
    if kind in READ_ONLY_TYPES:
        raise invalid(field, "is computed by Plytix and cannot be written")
    if kind in TEXT_TYPES:
        if not isinstance(value, str):
            raise invalid(field, f"expected text, got {value!r}")
        return value
    if kind == "IntAttribute":
        if isinstance(value, bool) or not isinstance(value, int):
            raise invalid(field, f"expected an integer, got {value!r}")
        return value
    if kind == "DecimalAttribute":
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise invalid(field, f"expected a number, got {value!r}")
        return value
    if kind == "BooleanAttribute":
        if not isinstance(value, bool):
            raise invalid(field, f"expected true or false, got {value!r}")
        return value
    if kind == "DateAttribute":
        try:
            return date.fromisoformat(value).isoformat()
        except (TypeError, ValueError):
            raise invalid(field, f"expected a date YYYY-MM-DD, got {value!r}") from None
    if kind == "DropdownAttribute":
        if value not in options:
            raise invalid(field, f"{value!r} is not one of the options {options}")
        return value
    if kind == "MultiSelectAttribute":
        if not isinstance(value, list) or any(v not in options for v in value):
            raise invalid(field, f"expected a list of options from {options}, got {value!r}")
        return list(dict.fromkeys(value))
    if kind == "MediaAttribute":
        return _asset_ref(field, value, assets)
    if kind == "MediaGalleryAttribute":
        if not isinstance(value, list):
            raise invalid(field, f"expected a list of asset references, got {value!r}")
        refs = [_asset_ref(field, ref, assets) for ref in value]
        ids = [ref["id"] for ref in refs]
        if len(set(ids)) != len(ids):
            raise invalid(field, "the same asset appears twice in the gallery")
        return refs
    raise invalid(field, f"attribute type {kind} cannot be written")


def _asset_ref(field: str, value: Any, assets: dict[str, Any]) -> dict[str, str]:
    if not isinstance(value, dict) or not isinstance(value.get("id"), str):
        raise invalid(field, f'expected an asset reference {{"id": ...}}, got {value!r}')
    if value["id"] not in assets:
        raise invalid(field, f"asset {value['id']} does not exist")
    return {"id": value["id"]}
