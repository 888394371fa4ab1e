"""Validating and applying a product write (create, PATCH, new variant) all or nothing.

Every field is checked before anything changes, so a 422 leaves the product as it was.
Media set through `thumbnail` or media attributes also link the asset to the product, as
Plytix does; in `replace` patch mode the `attributes` map sent replaces the stored one.
Keys that are not writable (`id`, `created`, `product_type`, anything unknown) are ignored.
"""

from __future__ import annotations

from typing import Any

from emulators.plytix.errors import fail, invalid
from emulators.plytix.store import Store
from emulators.plytix.values import check_value

STATUSES = ("Draft", "Completed", "Archived")
WRITABLE = (
    "sku",
    "label",
    "status",
    "gtin",
    "product_family_id",
    "categories",
    "assets",
    "thumbnail",
    "attributes",
)


def _ids(field: str, value: Any, known: dict[str, Any], kind: str) -> list[str]:
    """A list of ids or `{"id"}` references, each of an existing record."""
    if not isinstance(value, list):
        raise invalid(field, f"expected a list of {kind} ids, got {value!r}")
    ids = []
    for item in value:
        ref = item.get("id") if isinstance(item, dict) else item
        if not isinstance(ref, str) or ref not in known:
            raise invalid(field, f"{kind} {ref!r} does not exist")
        if ref not in ids:
            ids.append(ref)
    return ids


def write(
    store: Store,
    product: dict[str, Any],
    body: dict[str, Any],
    *,
    mode: str,
    cap: int,
    unknown_keys: str = "ignore",
) -> None:
    """Check every field of `body`, then apply them to `product` (not its `modified`).

    Read-only and unknown keys are skipped, as Plytix does (`unknown_write_keys: ignore`);
    `refuse` answers 422 naming the first one instead.
    """
    extra = [key for key in body if key not in WRITABLE]
    if extra and unknown_keys == "refuse":
        raise invalid(extra[0], f"is not a writable product field; writable: {', '.join(WRITABLE)}")
    body = {key: value for key, value in body.items() if key in WRITABLE}
    simple: dict[str, Any] = {}
    if "sku" in body:
        sku = body["sku"]
        if not isinstance(sku, str) or not sku.strip():
            raise invalid("sku", "must be a non-empty string")
        owner = store.skus.get(sku)
        if owner is not None and owner != product.get("id"):
            raise fail(409, f"A product with sku {sku!r} already exists", "sku")
        simple["sku"] = sku
    for key in ("label", "gtin"):
        if key in body:
            if body[key] is not None and not isinstance(body[key], str):
                raise invalid(key, f"must be a string, got {body[key]!r}")
            simple[key] = body[key]
    if "status" in body:
        if body["status"] not in STATUSES:
            raise invalid("status", f"must be one of {', '.join(STATUSES)}, got {body['status']!r}")
        simple["status"] = body["status"]
    if "product_family_id" in body:
        family = body["product_family_id"]
        if family is not None and family not in store.families:
            raise invalid("product_family_id", f"product family {family!r} does not exist")
        simple["product_family_id"] = family
    if "categories" in body:
        simple["categories"] = _ids("categories", body["categories"], store.categories, "category")
    assets = _ids("assets", body["assets"], store.assets, "asset") if "assets" in body else None
    thumbnail = _thumbnail(store, body) if "thumbnail" in body else None
    given = _attributes(store, body["attributes"]) if "attributes" in body else None

    refs = [thumbnail["id"]] if thumbnail else []
    media = set(store.media_labels())
    for label, value in (given or {}).items():
        if label in media and value is not None:
            refs += [value["id"]] if isinstance(value, dict) else [v["id"] for v in value]
    base = assets if assets is not None else list(product["assets"])
    final = base + [r for r in dict.fromkeys(refs) if r not in base]
    if cap and len(final) > cap and len(final) > len(product["assets"]):
        raise invalid(
            "assets", f"a product holds at most {cap} assets; this write would link {len(final)}"
        )

    product.update(simple)
    if assets is not None:
        for asset_id in [a for a in product["assets"] if a not in assets]:
            store.unlink(product, asset_id)
        for asset_id in assets:
            store.link(product, asset_id, 0)
        product["assets"] = assets + [a for a in product["assets"] if a not in assets]
    if given is not None:
        if mode == "replace":
            product["attributes"] = {k: v for k, v in given.items() if v is not None}
        else:
            for label, value in given.items():
                if value is None:
                    product["attributes"].pop(label, None)
                else:
                    product["attributes"][label] = value
    if "thumbnail" in body:
        product["thumbnail"] = thumbnail
    for asset_id in dict.fromkeys(refs):
        store.link(product, asset_id, 0)


def _thumbnail(store: Store, body: dict[str, Any]) -> dict[str, str] | None:
    value = body["thumbnail"]
    if value is None:
        return None
    ref = value.get("id") if isinstance(value, dict) else None
    if not isinstance(ref, str) or ref not in store.assets:
        raise invalid("thumbnail", f"expected a reference to an existing asset, got {value!r}")
    return {"id": ref}


def _attributes(store: Store, values: Any) -> dict[str, Any]:
    if not isinstance(values, dict):
        raise invalid("attributes", "must be an object {label: value}")
    labels = store.labels()
    checked: dict[str, Any] = {}
    for label, value in values.items():
        attribute = labels.get(label)
        if attribute is None:
            raise invalid(f"attributes.{label}", "unknown attribute label")
        checked[label] = None if value is None else check_value(attribute, value, store.assets)
    return checked
