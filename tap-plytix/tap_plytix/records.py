"""Search rows -> Singer records: references reduced to ids, attributes typed."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from tap_plytix.schemas import MEDIA_GALLERY, MEDIA_SINGLE

PRODUCT_CORE_COLUMNS = ["modified", "label", "status", "created", "num_variations",
                        "product_level", "_parent_id", "product_family_id",
                        "product_family_model_id", "product_type", "gtin", "categories",
                        "thumbnail", "assets"]
"""Core product columns asked for in the first column batch (`modified` leads: it orders)."""

ASSET_COLUMNS = ["filename", "url", "thumbnail", "file_type", "file_size", "content_type",
                 "extension", "created", "modified", "file_modified", "assigned", "categories",
                 "n_products", "public", "status"]


def ref_id(value: Any) -> str | None:
    """`{"id": x}`, `[{"id": x}]`, an expanded asset or a bare id -> `x`."""
    if isinstance(value, list):
        return ref_id(value[0]) if value else None
    if isinstance(value, dict):
        found = value.get("id")
        return str(found) if found is not None else None
    return None if value in (None, "") else str(value)


def ref_ids(value: Any) -> list[str]:
    """A list of references (or one reference) -> the list of their ids, in order."""
    if value is None or value == "":
        return []
    items = value if isinstance(value, list) else [value]
    return [found for item in items if (found := ref_id(item)) is not None]


def typed_value(type_class: str, value: Any) -> Any:
    """An attribute value in the shape its column's schema says."""
    if value is None or value == "" or value == []:
        return [] if type_class == MEDIA_GALLERY else None
    if type_class == MEDIA_GALLERY:
        return ref_ids(value)
    if type_class == MEDIA_SINGLE:
        return ref_id(value)
    if type_class == "MultiSelectAttribute":
        return list(value) if isinstance(value, list) else [value]
    if type_class == "DateAttribute" and isinstance(value, str):
        return value[:10]
    return value


def product_record(row: dict[str, Any], types: dict[str, str]) -> dict[str, Any]:
    """One product row (all column batches merged) as a record of the `products` stream."""
    record = {"id": row["id"], "sku": row.get("sku")}
    for column in PRODUCT_CORE_COLUMNS:
        record[column] = row.get(column)
    record["categories"] = ref_ids(row.get("categories"))
    record["thumbnail"] = ref_id(row.get("thumbnail"))
    record["assets"] = ref_ids(row.get("assets"))
    values = row.get("attributes") or {}
    record["attributes"] = {label: typed_value(type_class, values.get(label))
                            for label, type_class in types.items()}
    return record


def asset_record(row: dict[str, Any]) -> dict[str, Any]:
    record = {"id": row["id"], **{column: row.get(column) for column in ASSET_COLUMNS}}
    record["categories"] = ref_ids(row.get("categories"))
    return record


def product_asset_rows(record: dict[str, Any], types: dict[str, str]) -> Iterator[dict[str, Any]]:
    """The thumbnail and every media attribute of a product record, one row per asset."""
    media: list[tuple[str, list[str]]] = []
    if record.get("thumbnail"):
        media.append(("thumbnail", [record["thumbnail"]]))
    for label, type_class in types.items():
        value = record["attributes"].get(label)
        if type_class == MEDIA_GALLERY:
            media.append((label, value or []))
        elif type_class == MEDIA_SINGLE and value:
            media.append((label, [value]))
    for label, asset_ids in media:
        for position, asset_id in enumerate(asset_ids):
            yield {"product_id": record["id"], "sku": record.get("sku"),
                   "attribute_label": label, "asset_id": asset_id, "position": position,
                   "product_modified": record.get("modified")}


def merge_rows(into: dict[str, dict[str, Any]], rows: list[dict[str, Any]]) -> None:
    """Merge the rows of a later column batch into the first batch's rows, by id."""
    for row in rows:
        row_id = row.get("id") if isinstance(row, dict) else None
        target = into.get(row_id) if isinstance(row_id, str) else None
        if target is None:
            continue
        attributes = row.get("attributes") if isinstance(row.get("attributes"), dict) else {}
        for key, value in row.items():
            if key != "attributes":
                target.setdefault(key, value)
        if isinstance(target.setdefault("attributes", {}), dict):
            target["attributes"].update(attributes)
