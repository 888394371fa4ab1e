"""Search rows -> Singer records: references reduced to ids, attributes typed."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from plytix_api.values import MEDIA_GALLERY, MEDIA_SINGLE, ref_id, ref_ids

PRODUCT_CORE_COLUMNS = [
    "modified",
    "label",
    "status",
    "created",
    "product_level",
    "product_family_id",
    "product_family_model_id",
    "product_type",
    "gtin",
    "categories",
    "thumbnail",
    "assets",
]
"""Core product columns a search asks for (`modified` leads: it orders). `id`, `sku` and the
parent id (`_parent_id` v1, `parent_id` v2) come in every row."""
ROW_FIELDS = ["num_variations"]
"""Core fields v2 rows carry without being asked (v1 rows only when asked)."""

ASSET_COLUMNS = [
    "filename",
    "url",
    "thumbnail",
    "file_type",
    "file_size",
    "content_type",
    "extension",
    "created",
    "modified",
    "file_modified",
    "assigned",
    "categories",
    "n_products",
    "public",
    "status",
]


def shaped_value(type_class: str, value: Any) -> Any:
    """An attribute value in its column's shape: media as asset ids (v1 objects, v2 id
    strings), a multi-select as a list, empty as null. Scalar types are coerced later
    against the schema (`conformance.conform`), where the coercions are counted."""
    if value is None or value == "" or value == []:
        return [] if type_class == MEDIA_GALLERY else None
    if type_class == MEDIA_GALLERY:
        return ref_ids(value)
    if type_class == MEDIA_SINGLE:
        return ref_id(value)
    if type_class == "MultiSelectAttribute":
        return list(value) if isinstance(value, list) else [value]
    return value


def product_record(row: dict[str, Any], types: dict[str, str]) -> dict[str, Any]:
    """One product row (all column batches merged) as a record of the `products` stream."""
    record = {"id": row["id"], "sku": row.get("sku")}
    for column in PRODUCT_CORE_COLUMNS + ROW_FIELDS:
        record[column] = row.get(column)
    record["_parent_id"] = row.get("_parent_id") or row.get("parent_id")
    record["categories"] = ref_ids(row.get("categories"))
    record["thumbnail"] = ref_id(row.get("thumbnail"))
    record["assets"] = ref_ids(row.get("assets"))
    values = row.get("attributes") or {}
    record["attributes"] = {
        label: shaped_value(type_class, values.get(label)) for label, type_class in types.items()
    }
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
            yield {
                "product_id": record["id"],
                "sku": record.get("sku"),
                "attribute_label": label,
                "asset_id": asset_id,
                "position": position,
                "product_modified": record.get("modified"),
            }


def merge_rows(into: dict[str, dict[str, Any]], rows: list[dict[str, Any]]) -> set[str]:
    """Merge the rows of a later column batch into the first batch's rows, by id; return
    the ids merged."""
    merged: set[str] = set()
    for row in rows:
        row_id = row.get("id") if isinstance(row, dict) else None
        target = into.get(row_id) if isinstance(row_id, str) else None
        if target is None:
            continue
        merged.add(row_id)  # type: ignore[arg-type]
        attributes = row.get("attributes") if isinstance(row.get("attributes"), dict) else {}
        for key, value in row.items():
            if key != "attributes":
                target.setdefault(key, value)
        if isinstance(target.setdefault("attributes", {}), dict):
            target["attributes"].update(attributes)
    return merged
