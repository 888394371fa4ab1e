"""Products as the v2 API shows them (docs/apis/plytix.md, section 6).

Recorded v2 answers differ from v1 in ways a reader trips over: media attributes are lists
of asset id strings (a single media attribute too, as a one-element list), `assets` and
`categories` are `[{"id"}]` (bare id strings under `v2_reference_shape: ids`, as the
collection's own example has them), timestamps carry no zone (`2024-11-13T11:20:30.578000`), dates
read `YYYY-MM-DDT00:00:00`, numbers keep their type, and every product says who last changed
it (`modified_user_audit`). Writes answer only `{id, created, modified, *_user_audit}`.

The store holds one account for both generations; this module only shapes it.
"""

from __future__ import annotations

import weakref
from typing import Any

from emulators.catalog import plytix_id
from emulators.plytix.store import MEDIA_TYPES, Store, product_type
from emulators.plytix.timefmt import naive_iso, parse_instant

OBJECTS, IDS = "objects", "ids"
"""`v2_reference_shape`: `objects` as recorded answers have them ([S10]: `thumbnail {"id"}`,
`assets`/`categories` `[{"id"}]`, dates `YYYY-MM-DDT00:00:00`), or `ids` as the collection's
own v2 example writes them ([S21]: bare id strings, dates `YYYY-MM-DD`)."""

SHORT_AUDIT = ("type", "user_email", "user_name")
"""A search row's `modified_user_audit` has only these keys; a single GET adds `user_id`."""

_SEEDED_UNTIL: weakref.WeakKeyDictionary[Store, float] = weakref.WeakKeyDictionary()


def remember_seed(store: Store) -> None:
    """Note the newest stamp of a store nothing has written to yet (see `seeded_until`).

    Called before every API request runs, so the first request to a fresh (or reset) store
    records where the seed ends; every write stamps later than that.
    """
    if store not in _SEEDED_UNTIL:
        _SEEDED_UNTIL[store] = store.last_stamp


def seeded_until(store: Store) -> float:
    """The newest seeded stamp: a later `created`/`modified` was written through the API."""
    return _SEEDED_UNTIL.get(store, store.last_stamp)


def account_id(store: Store) -> str:
    """The one account the emulator holds (stable for the seed, like every other id)."""
    return plytix_id(store.seed, "account", 0)


def _audit(store: Store, stamp: float | None) -> dict[str, Any]:
    """Who wrote at `stamp`: the account owner for the seed, the API user for any later write."""
    if stamp is not None and stamp > seeded_until(store):
        return {
            "type": "API",
            "user_email": "api",
            "user_id": plytix_id(store.seed, "api", 0),
            "user_name": "api",
        }
    return {
        "type": "USER",
        "user_email": "owner@demo-brand.example",
        "user_id": plytix_id(store.seed, "user", 0),
        "user_name": "Demo Owner",
    }


def _short(audit: dict[str, Any]) -> dict[str, Any]:
    return {key: audit[key] for key in SHORT_AUDIT}


def write_answer(store: Store, product: dict[str, Any]) -> dict[str, Any]:
    """What create, PATCH and the other v2 writes answer: ids, timestamps and audits only."""
    return {
        "id": product["id"],
        "created": naive_iso(product["created"]),
        "modified": naive_iso(product["modified"]),
        "created_user_audit": _audit(store, product["created"]),
        "modified_user_audit": _audit(store, product["modified"]),
    }


# --- values ---------------------------------------------------------------------------------
def attribute_value(attribute: dict[str, Any] | None, value: Any, shape: str = OBJECTS) -> Any:
    """A stored custom attribute value as v2 serves it (None stays None); dates end in
    `T00:00:00` as recorded, or stay `YYYY-MM-DD` under the collection's shape (`ids`)."""
    if value is None or attribute is None:
        return copy_value(value)
    type_class = attribute["type_class"]
    if type_class in MEDIA_TYPES:
        refs = value if isinstance(value, list) else [value]
        return [ref["id"] if isinstance(ref, dict) else str(ref) for ref in refs]
    if type_class == "DateAttribute" and isinstance(value, str) and len(value) == 10:
        return value if shape == IDS else f"{value}T00:00:00"
    if type_class == "CompletenessAttribute" and not isinstance(value, bool):
        try:
            return float(value)
        except (TypeError, ValueError):
            return value
    return copy_value(value)


def _empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}


def copy_value(value: Any) -> Any:
    if isinstance(value, list):
        return [dict(v) if isinstance(v, dict) else v for v in value]
    return dict(value) if isinstance(value, dict) else value


def _ref(value: Any, shape: str = OBJECTS) -> dict[str, str] | str | None:
    if not (isinstance(value, dict) and value.get("id")):
        return None
    return value["id"] if shape == IDS else {"id": value["id"]}


def _refs(ids: list[str], shape: str) -> list[dict[str, str]] | list[str]:
    return list(ids) if shape == IDS else [{"id": i} for i in ids]


def _relationships(product: dict[str, Any]) -> list[dict[str, Any]]:
    """Relationship links with each `last_modified` without a zone, as v2 writes them."""
    out = []
    for link in product.get("relationships") or []:
        related = []
        for entry in link["related_products"]:
            moment = entry.get("last_modified")
            try:
                shown = naive_iso(parse_instant(moment)) if moment is not None else None
            except ValueError:
                shown = moment
            related.append({**entry, "last_modified": shown})
        out.append(
            {
                "relationship_id": link["relationship_id"],
                "relationship_label": link["relationship_label"],
                "related_products": related,
            }
        )
    return out


def related_ids(product: dict[str, Any], label: str) -> list[str]:
    """Ids of the products related to `product` under the relationship `label`."""
    return [
        entry["product_id"]
        for link in product.get("relationships") or []
        if link["relationship_label"] == label
        for entry in link["related_products"]
    ]


def _core(store: Store, product: dict[str, Any], column: str, shape: str = OBJECTS) -> Any:
    """A core column as v2 shows it; references in `shape`."""
    if column in ("created", "modified"):
        return naive_iso(product.get(column))
    if column == "thumbnail":
        return _ref(product.get("thumbnail"), shape)
    if column == "assets":
        return _refs(product["assets"], shape)
    if column == "categories":
        return _refs(product["categories"], shape)
    if column == "relationships":
        return _relationships(product)
    if column == "product_type":
        return product_type(product)
    if column in ("_parent_id", "parent_id"):
        return product.get("_parent_id")
    return copy_value(product.get(column))


# --- rows and products ----------------------------------------------------------------------
def product_row(
    store: Store, product: dict[str, Any], columns: list[str] | None, shape: str = OBJECTS
) -> dict[str, Any]:
    """A v2 search row: `id, sku, num_variations, modified_user_audit` (+ `parent_id` on a
    variant) and the columns asked for; custom ones under `attributes`, empty ones left out;
    `relationships.<label>` columns add that relationship's links to `relationships`."""
    row: dict[str, Any] = {
        "id": product["id"],
        "sku": product["sku"],
        "num_variations": product["num_variations"],
        "modified_user_audit": _short(_audit(store, product["modified"])),
    }
    if product.get("_parent_id"):
        row["parent_id"] = product["_parent_id"]
    labels = store.labels()
    attributes: dict[str, Any] | None = None
    for column in columns or []:
        if column.startswith("attributes."):
            label = column[len("attributes.") :]
            attributes = {} if attributes is None else attributes
            value = product["attributes"].get(label)
            if not _empty(value):
                attributes[label] = attribute_value(labels.get(label), value, shape)
        elif column in ("_parent_id", "parent_id"):
            row["parent_id"] = product.get("_parent_id")
        elif column.startswith("relationships.") and "relationships" not in columns:
            label = column[len("relationships.") :]
            row.setdefault("relationships", []).extend(
                link for link in _relationships(product) if link["relationship_label"] == label
            )
        elif column not in row:
            row[column] = _core(store, product, column, shape)
    if attributes is not None:
        row["attributes"] = attributes
    return row


def product(
    store: Store, record: dict[str, Any], all_attributes: bool = False, shape: str = OBJECTS
) -> dict[str, Any]:
    """`GET /api/v2/products/{id}`: references as ids, nothing expanded."""
    out: dict[str, Any] = {
        "id": record["id"],
        "account_id": account_id(store),
        "sku": record["sku"],
        "label": record.get("label"),
        "status": record.get("status"),
        "created": naive_iso(record["created"]),
        "modified": naive_iso(record["modified"]),
        "created_user_audit": _audit(store, record["created"]),
        "modified_user_audit": _audit(store, record["modified"]),
        "mark_as_deleted": False,
        "num_variations": record["num_variations"],
        "product_level": record.get("product_level", 0),
        "product_type": product_type(record),
        "thumbnail": _ref(record.get("thumbnail"), shape),
        "assets": _core(store, record, "assets", shape),
        "categories": _core(store, record, "categories", shape),
        "relationships": _relationships(record),
        "overwritten_attributes": list(record.get("overwritten_attributes") or []),
        "static_list_ids": list(record.get("static_lists") or []),
    }
    if record.get("_parent_id"):
        out["parent_id"] = record["_parent_id"]
    for optional in ("product_family_id", "product_family_model_id", "gtin"):
        if record.get(optional):
            out[optional] = record[optional]
    labels = store.labels()
    names = list(labels) if all_attributes else list(record["attributes"])
    out["attributes"] = {
        label: attribute_value(labels.get(label), record["attributes"].get(label), shape)
        for label in names
    }
    return out
