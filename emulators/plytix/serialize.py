"""Records as the API shows them: search rows with references, single GETs expanded."""

from __future__ import annotations

from typing import Any

from emulators.plytix.store import Store
from emulators.plytix.timefmt import iso

DATED = ("created", "modified", "file_modified")


def _empty(value: Any) -> bool:
    return value is None or value == "" or value == []


def category_refs(categories: dict[str, dict[str, Any]], ids: list[str]) -> list[dict[str, Any]]:
    return [{"id": c, "name": categories[c]["name"], "path": list(categories[c]["path"])}
            for c in ids if c in categories]


def asset(store: Store, record: dict[str, Any], columns: list[str] | None = None) -> dict[str, Any]:
    """An asset; `checksum` (sha256 of the binary) is an emulator extra, not promised by Plytix."""
    linked = store.asset_links.get(record["id"], ())
    full = {**record, "n_products": len(linked), "assigned": bool(linked),
            "categories": category_refs(store.file_categories, record["categories"])}
    for key in DATED:
        full[key] = iso(full.get(key))
    if columns is None:
        return full
    return {column: full.get(column) for column in columns}


def _core(store: Store, product: dict[str, Any], column: str) -> Any:
    value = product.get(column)
    if column in DATED:
        return iso(value)
    if column == "thumbnail":
        return {"id": value["id"]} if value else None
    if column == "assets":
        return [{"id": asset_id} for asset_id in product["assets"]]
    if column == "categories":
        return category_refs(store.categories, product["categories"])
    if isinstance(value, list):
        return [dict(v) if isinstance(v, dict) else v for v in value]
    return value


def product_row(store: Store, product: dict[str, Any], columns: list[str] | None) -> dict[str, Any]:
    """A search row: `id`, `sku`, the columns asked for; media as `{"id"}` references."""
    row: dict[str, Any] = {"id": product["id"], "sku": product["sku"]}
    if product.get("_parent_id"):
        row["_parent_id"] = product["_parent_id"]
    attributes: dict[str, Any] = {}
    if columns is None:
        row["num_variations"] = product["num_variations"]
    else:
        for column in columns:
            if column.startswith("attributes."):
                label = column[len("attributes."):]
                value = product["attributes"].get(label)
                if not _empty(value):
                    attributes[label] = _copy(value)
            elif column not in row:
                row[column] = _core(store, product, column)
    row["attributes"] = attributes
    return row


def product(store: Store, record: dict[str, Any], all_attributes: bool = False) -> dict[str, Any]:
    """A single product: every core field, media references expanded to asset objects."""
    out: dict[str, Any] = {}
    for column in ("id", "sku", "label", "status", "created", "modified", "num_variations",
                   "product_level", "product_family_id", "product_family_model_id",
                   "product_type", "gtin", "categories", "relationships",
                   "overwritten_attributes"):
        out[column] = _core(store, record, column)
    if record.get("_parent_id"):
        out["_parent_id"] = record["_parent_id"]
    thumbnail = record.get("thumbnail")
    out["thumbnail"] = _expand(store, thumbnail["id"]) if thumbnail else None
    out["assets"] = [_expand(store, asset_id) for asset_id in record["assets"]]
    media = set(store.media_labels())
    attributes: dict[str, Any] = {}
    labels = [a["label"] for a in store.attributes.values()] if all_attributes else \
        list(record["attributes"])
    for label in labels:
        value = record["attributes"].get(label)
        if label in media and isinstance(value, list):
            value = [_expand(store, ref["id"]) for ref in value]
        elif label in media and isinstance(value, dict):
            value = _expand(store, value["id"])
        attributes[label] = _copy(value)
    out["attributes"] = attributes
    return out


def _expand(store: Store, asset_id: str) -> dict[str, Any]:
    record = store.assets.get(asset_id)
    return asset(store, record) if record else {"id": asset_id}


def _copy(value: Any) -> Any:
    if isinstance(value, list):
        return [dict(v) if isinstance(v, dict) else v for v in value]
    return dict(value) if isinstance(value, dict) else value


def definition(record: dict[str, Any], columns: list[str] | None = None) -> dict[str, Any]:
    """Attribute, group, family, category or relationship: plain fields, dates as ISO."""
    full = {k: _copy(v) for k, v in record.items() if k != "attributes"}
    for key in DATED:
        if key in full:
            full[key] = iso(full[key])
    if columns is None:
        return full
    return {column: full.get(column) for column in columns}

