"""The record contracts of target-plytix (`products`, `product_media`) and their checks.

A check returns the reason a record breaks its contract (one line naming the field), or
None. Definitions (attribute types, options) come from Plytix, so an unknown label or a
value of the wrong type is refused before any write.
"""

from __future__ import annotations

import math
from datetime import date
from decimal import Decimal
from typing import Any

from pim_dam_contracts import contract, of_target
from plytix_api.conformance import INT64, shown

from target_plytix.asset_urls import AssetUrlPolicy

PRODUCTS = "products"
PRODUCT_MEDIA = "product_media"
KINDS = tuple(c.stream for c in of_target("target-plytix"))
STATUSES = ("Draft", "Completed", "Archived")
TEXT_TYPES = ("TextAttribute", "MultilineAttribute", "HtmlAttribute", "UrlAttribute")
MEDIA_SINGLE = "MediaAttribute"
MEDIA_GALLERY = "MediaGalleryAttribute"
READ_ONLY_TYPES = ("CompletenessAttribute",)
THUMBNAIL = "thumbnail"
NAME_SEPARATOR = "__"
SKU_NORMALISATIONS = ("none", "trim", "upper", "lower")
FLOAT_LIMIT = 1e300
"""Larger numbers are refused: no loader downstream holds them as numbers."""
FIELDS = {kind: contract(kind).fields for kind in (PRODUCTS, PRODUCT_MEDIA)}
"""The columns each contract accepts, from its JSON Schema (docs/contracts/)."""
REQUIRED = {kind: contract(kind).required for kind in (PRODUCTS, PRODUCT_MEDIA)}


class Rejected(Exception):
    """A record breaks its contract; the message is the reason."""


def kind_of(stream_name: str) -> str | None:
    """`products` / `product_media` for a stream name, allowing a prefix (`outbox_products`)."""
    for kind in KINDS:
        if stream_name == kind or stream_name.endswith((f"_{kind}", f"-{kind}", f".{kind}")):
            return kind
    return None


def plain(value: Any) -> Any:
    """JSON values as Python plain types (the SDK reads numbers as Decimal)."""
    if isinstance(value, Decimal):
        if not value.is_finite():
            return float(value)
        return (
            int(value)
            if value == value.to_integral_value() and "." not in str(value)
            else float(value)
        )
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value


def normalise_sku(value: Any, mode: str) -> str:
    if not isinstance(value, str | int) or isinstance(value, bool):
        raise Rejected(
            "sku is missing" if value is None else f"sku must be text, got {shown(value)}"
        )
    sku = str(value)
    if mode != "none":
        sku = sku.strip()
    if mode == "upper":
        sku = sku.upper()
    elif mode == "lower":
        sku = sku.lower()
    if not sku:
        raise Rejected("sku is empty")
    return sku


def check_value(definition: dict[str, Any], value: Any) -> Any:
    """The value to write for a non-media attribute, or Rejected naming the label."""
    label, kind = definition["label"], definition["type_class"]
    options = definition.get("options") or []
    where = f"attributes.{label}"
    if value is None:
        return None
    if kind in READ_ONLY_TYPES:
        raise Rejected(f"{where} is computed by Plytix and cannot be written")
    if kind in (MEDIA_SINGLE, MEDIA_GALLERY):
        raise Rejected(f"{where} is a media attribute: write it with a product_media record")
    if kind in TEXT_TYPES:
        if not isinstance(value, str):
            raise Rejected(f"{where} expects text, got {shown(value)}")
    elif kind == "IntAttribute":
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if isinstance(value, bool) or not isinstance(value, int) or not -INT64 <= value < INT64:
            raise Rejected(f"{where} expects a whole number (64-bit), got {shown(value)}")
    elif kind == "DecimalAttribute":
        if (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or not math.isfinite(value)
            or abs(value) >= FLOAT_LIMIT
        ):
            raise Rejected(f"{where} expects a finite number, got {shown(value)}")
    elif kind == "BooleanAttribute":
        if not isinstance(value, bool):
            raise Rejected(f"{where} expects true or false, got {shown(value)}")
    elif kind == "DateAttribute":
        try:
            value = (
                date.fromisoformat(str(value)[:10]).isoformat() if isinstance(value, str) else None
            )
        except ValueError:
            value = None
        if value is None:
            raise Rejected(f"{where} expects a date YYYY-MM-DD")
    elif kind == "DropdownAttribute":
        if not isinstance(value, str) or (options and value not in options):
            raise Rejected(f"{where}: {shown(value)} is not one of its options")
    elif kind == "MultiSelectAttribute":
        if not isinstance(value, list) or any(not isinstance(v, str) for v in value):
            raise Rejected(f"{where} expects a list of options, got {shown(value)}")
        bad = [v for v in value if options and v not in options]
        if bad:
            raise Rejected(f"{where}: {', '.join(map(repr, bad))} not among its options")
        value = list(dict.fromkeys(value))
    return value


def check_required(record: dict[str, Any], kind: str) -> None:
    for name in REQUIRED[kind]:
        if record.get(name) is None:
            raise Rejected(f"{name} is missing")


def check_products(record: dict[str, Any], definitions: dict[str, dict[str, Any]]) -> None:
    check_required(record, PRODUCTS)
    if "label" in record and record["label"] is not None and not isinstance(record["label"], str):
        raise Rejected(f"label must be text, got {record['label']!r}")
    if record.get("status") is not None and record["status"] not in STATUSES:
        raise Rejected(f"status must be one of {', '.join(STATUSES)}, got {record['status']!r}")
    attributes = record.get("attributes")
    if attributes is None:
        attributes = {}
    if not isinstance(attributes, dict):
        raise Rejected("attributes must be an object {label: value}")
    for label, value in attributes.items():
        definition = definitions.get(label)
        if definition is None:
            raise Rejected(f"unknown attribute label {label!r}")
        attributes[label] = check_value(definition, value)
    categories = record.get("categories")
    if categories is not None and (
        not isinstance(categories, list) or not all(isinstance(c, str) for c in categories)
    ):
        raise Rejected("categories must be a list of category ids or paths")


def check_media(
    record: dict[str, Any], definitions: dict[str, dict[str, Any]], urls: AssetUrlPolicy
) -> None:
    check_required(record, PRODUCT_MEDIA)
    label = record.get("attribute_label")
    if not isinstance(label, str) or not label:
        raise Rejected("attribute_label is missing")
    if label != THUMBNAIL:
        definition = definitions.get(label)
        if definition is None:
            raise Rejected(f"unknown attribute label {label!r}")
        if definition["type_class"] not in (MEDIA_SINGLE, MEDIA_GALLERY):
            raise Rejected(
                f"attribute {label!r} is a {definition['type_class']}, not a media attribute"
            )
    assets = record.get("assets")
    if not isinstance(assets, list):
        raise Rejected("assets must be a list of {source_id, url, filename, checksum?}")
    single = label == THUMBNAIL or definitions[label]["type_class"] == MEDIA_SINGLE
    if single and len(assets) > 1:
        raise Rejected(f"{label} holds one asset, the record gives {len(assets)}")
    seen: set[str] = set()
    for n, asset in enumerate(assets):
        check_asset(asset, n, urls)
        if asset["source_id"] in seen:
            raise Rejected(f"assets[{n}]: source_id {asset['source_id']!r} appears twice")
        seen.add(asset["source_id"])


def check_asset(asset: Any, n: int, urls: AssetUrlPolicy) -> None:
    where = f"assets[{n}]"
    if not isinstance(asset, dict):
        raise Rejected(f"{where} must be an object {{source_id, url, filename, checksum?}}")
    source_id = asset.get("source_id")
    if not isinstance(source_id, str) or not source_id.strip():
        raise Rejected(f"{where}.source_id is missing")
    if NAME_SEPARATOR in source_id or "/" in source_id:
        raise Rejected(f"{where}.source_id {source_id!r} may not contain '__' or '/'")
    if problem := urls.problem(asset.get("url"), f"{where}.url"):
        raise Rejected(problem)
    filename = asset.get("filename")
    if not isinstance(filename, str) or not filename.strip():
        raise Rejected(f"{where}.filename is missing")
    checksum = asset.get("checksum")
    if checksum is not None and not isinstance(checksum, str):
        raise Rejected(f"{where}.checksum must be text, got {checksum!r}")
