"""Records as the v1 API shows them: search rows with references, single GETs expanded thinly.

Custom attribute values come back loosely typed by default (`value_types: loose`), as the
real API serves them: dates `YYYY-MM-DDT00:00:00`, some integers and decimals as strings,
empty values as `""`. Which numbers turn into strings is decided by a hash of (seed, product,
attribute), so the same product always reads the same way and tests can repeat.
"""

from __future__ import annotations

import hashlib
from typing import Any
from urllib.parse import urlsplit

from emulators.plytix.store import Store, product_type
from emulators.plytix.timefmt import iso, naive_iso

DATED = ("created", "modified", "file_modified")
NUMBER_TYPES = ("IntAttribute", "DecimalAttribute")
ASSET_ONLY_COLUMNS = ("id",)
"""An asset or definition search row without columns is only `{id}`."""


def _empty(value: Any) -> bool:
    return value is None or value == "" or value == []


def category_refs(categories: dict[str, dict[str, Any]], ids: list[str]) -> list[dict[str, Any]]:
    return [
        {"id": c, "name": categories[c]["name"], "path": list(categories[c]["path"])}
        for c in ids
        if c in categories
    ]


# --- custom attribute values -------------------------------------------------------------
def as_string(seed: int, product_id: str, label: str) -> bool:
    """Whether loose typing serves this product's number as a string (stable per seed)."""
    digest = hashlib.blake2b(f"{seed}:{product_id}:{label}".encode(), digest_size=1).digest()
    return digest[0] % 2 == 0


def shaped(store: Store, product: dict[str, Any], label: str, value: Any, loose: bool) -> Any:
    """A stored attribute value as the API serves it (media are shaped by the caller)."""
    attribute = store.labels().get(label)
    if value is None:
        return "" if loose else None
    if not loose or attribute is None:
        return _copy(value)
    type_class = attribute["type_class"]
    if type_class == "DateAttribute" and isinstance(value, str) and len(value) == 10:
        return f"{value}T00:00:00"
    if (
        type_class in NUMBER_TYPES
        and not isinstance(value, bool)
        and as_string(store.seed, product["id"], label)
    ):
        return str(value)
    return _copy(value)


# --- assets ------------------------------------------------------------------------------
def asset(store: Store, record: dict[str, Any], columns: list[str] | None = None) -> dict[str, Any]:
    """An asset; `checksum` (sha256 of the binary) is an emulator extra, not promised by Plytix."""
    linked = store.asset_links.get(record["id"], ())
    full = {
        **record,
        "n_products": len(linked),
        "assigned": bool(linked),
        "categories": category_refs(store.file_categories, record["categories"]),
    }
    full["created"], full["modified"] = iso(full.get("created")), iso(full.get("modified"))
    full["file_modified"] = naive_iso(full.get("file_modified"))
    if columns is None:
        return full
    return {column: full.get(column) for column in columns}


def asset_row(store: Store, record: dict[str, Any], columns: list[str] | None) -> dict[str, Any]:
    """A search row: only `{id}` without columns."""
    return asset(store, record, columns or list(ASSET_ONLY_COLUMNS))


# --- products ----------------------------------------------------------------------------
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
    if column == "product_type":
        return product_type(product)
    if isinstance(value, list):
        return [dict(v) if isinstance(v, dict) else v for v in value]
    return value


SEARCH_BLANK = ("product_family_id",)
"""Columns a v1 product search accepts but answers as null even when the product has a value
(a client's field notes: "search_products() does NOT return product_family_id even though the
family is assigned"; read it from `GET /products/{id}`)."""


def product_row(
    store: Store, product: dict[str, Any], columns: list[str] | None, loose: bool = True
) -> dict[str, Any]:
    """A search row: `id`, `sku`, the columns asked for; media as `{"id"}` references.

    Without columns: `{id, sku, num_variations, attributes: {}}` (+ `_parent_id` on variants).
    """
    row: dict[str, Any] = {"id": product["id"], "sku": product["sku"]}
    if product.get("_parent_id"):
        row["_parent_id"] = product["_parent_id"]
    attributes: dict[str, Any] = {}
    if columns is None:
        row["num_variations"] = product["num_variations"]
    else:
        for column in columns:
            if column.startswith("attributes."):
                label = column[len("attributes.") :]
                value = product["attributes"].get(label)
                if not _empty(value):
                    attributes[label] = shaped(store, product, label, value, loose)
            elif column in SEARCH_BLANK:
                row[column] = None
            elif column not in row:
                row[column] = _core(store, product, column)
    row["attributes"] = attributes
    return row


CORE = (
    "id",
    "sku",
    "label",
    "status",
    "created",
    "modified",
    "num_variations",
    "product_level",
    "product_family_id",
    "product_family_model_id",
    "product_type",
    "gtin",
    "categories",
    "relationships",
    "overwritten_attributes",
    "static_lists",
)


def product(
    store: Store, record: dict[str, Any], all_attributes: bool = False, loose: bool = True
) -> dict[str, Any]:
    """A single product: every core field, media expanded thinly (as v1 `GET` does)."""
    out: dict[str, Any] = {column: _core(store, record, column) for column in CORE}
    out["_parent_id"] = record.get("_parent_id") or None
    thumbnail = record.get("thumbnail")
    out["thumbnail"] = (
        _thin(store, thumbnail["id"], ("filename", "id", "thumbnail", "url")) if thumbnail else None
    )
    out["assets"] = [
        _thin(store, asset_id, ("filename", "id", "thumbnail", "url"))
        for asset_id in record["assets"]
    ]
    media = {
        a["label"]: a["type_class"]
        for a in store.attributes.values()
        if a["type_class"] in ("MediaAttribute", "MediaGalleryAttribute")
    }
    attributes: dict[str, Any] = {}
    labels = (
        [a["label"] for a in store.attributes.values()]
        if all_attributes
        else list(record["attributes"])
    )
    for label in labels:
        value = record["attributes"].get(label)
        if label in media and isinstance(value, list):
            attributes[label] = [
                _thin(store, ref["id"], ("filename", "id", "thumb", "url")) for ref in value
            ]
        elif label in media and isinstance(value, dict):
            attributes[label] = _thin(store, value["id"], ("filename", "id", "path", "thumb"))
        else:
            attributes[label] = shaped(store, record, label, value, loose)
    out["attributes"] = attributes
    return out


def linked_asset(store: Store, asset_id: str) -> dict[str, Any]:
    """An item of `GET /products/{id}/assets[/{asset}]`: the saved answers show only these."""
    return _thin(store, asset_id, ("filename", "id", "thumbnail", "url"))


def _thin(store: Store, asset_id: str, keys: tuple[str, ...]) -> dict[str, Any]:
    """The few asset fields a product GET carries for one media reference."""
    record = store.assets.get(asset_id)
    if record is None:
        return {"id": asset_id}
    facts = {
        "id": asset_id,
        "filename": record["filename"],
        "url": record["url"],
        "thumbnail": record["thumbnail"],
        "thumb": record["thumbnail"],
        "path": urlsplit(record["url"]).path,
    }
    return {key: facts[key] for key in keys}


def _copy(value: Any) -> Any:
    if isinstance(value, list):
        return [dict(v) if isinstance(v, dict) else v for v in value]
    return dict(value) if isinstance(value, dict) else value


# --- definitions -------------------------------------------------------------------------
def definition(record: dict[str, Any], columns: list[str] | None = None) -> dict[str, Any]:
    """Attribute, group, family, category or relationship: plain fields, dates as ISO."""
    full = {k: _copy(v) for k, v in record.items() if k != "attributes"}
    for key in DATED:
        if key in full:
            full[key] = iso(full[key])
    if columns is None:
        return full
    return {column: full.get(column) for column in columns}


def definition_row(record: dict[str, Any], columns: list[str] | None) -> dict[str, Any]:
    """A search row: only `{id}` without columns."""
    return definition(record, columns or list(ASSET_ONLY_COLUMNS))
