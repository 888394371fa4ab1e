"""The Plytix account in memory: products, assets, definitions, and the links between them.

Loaded from a seeded `Catalog` without touching it (records are copied as they are read), so
one catalogue can seed both emulators. Internally timestamps are epoch seconds and product
media are bare ids; `serialize` shapes them for the wire.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterator
from typing import Any

from emulators.catalog import EPOCH, Catalog, plytix_id
from emulators.plytix.errors import invalid
from emulators.plytix.timefmt import iso, parse_instant

MEDIA_TYPES = ("MediaAttribute", "MediaGalleryAttribute")
LEVELS = {"parent": "parent_level", "variant": "variant_level"}
"""The catalogue's family attribute levels, as the API names them (`no_level` otherwise)."""
SEEDED_AT = EPOCH - 86400 * 30
"""`created`/`modified` of seeded categories (the catalogue does not date them)."""


def owner_audit(seed: int) -> dict[str, Any]:
    """`*_user_audit` of what the seed holds: the account owner (as v2 shows products)."""
    return {
        "type": "USER",
        "user_email": "owner@demo-brand.example",
        "user_id": plytix_id(seed, "user", 0),
        "user_name": "Demo Owner",
    }


def api_audit(seed: int) -> dict[str, Any]:
    """`*_user_audit` of what was written through the API."""
    return {
        "type": "API",
        "user_email": "api",
        "user_id": plytix_id(seed, "api", 0),
        "user_name": "api",
    }


def product_type(product: dict[str, Any]) -> str:
    """`PARENT`, `VARIANT` or `SINGLE`, from the product's level."""
    return {1: "PARENT", 2: "VARIANT"}.get(product.get("product_level") or 0, "SINGLE")


def relationship_link(product: dict[str, Any], relationship: dict[str, Any]) -> dict[str, Any]:
    """The product's entry for `relationship`, added empty when there is none yet (v1 and v2
    relationship writes keep the same stored shape)."""
    for link in product["relationships"]:
        if link["relationship_id"] == relationship["id"]:
            return link
    link = {
        "relationship_id": relationship["id"],
        "relationship_label": relationship["label"],
        "related_products": [],
    }
    product["relationships"].append(link)
    return link


def _copy_value(value: Any) -> Any:
    if isinstance(value, list):
        return [dict(v) if isinstance(v, dict) else v for v in value]
    return dict(value) if isinstance(value, dict) else value


class Store:
    """Every record of the emulated account, with the indexes the API needs."""

    def __init__(self, catalog: Catalog) -> None:
        self.seed = catalog.seed
        self.counter = 0
        self.products: dict[str, dict[str, Any]] = {}
        self.skus: dict[str, str] = {}
        self.assets: dict[str, dict[str, Any]] = {}
        self.asset_links: dict[str, set[str]] = {}
        """asset id -> ids of the products that link it."""
        self.attributes: dict[str, dict[str, Any]] = {}
        self.groups: dict[str, dict[str, Any]] = {}
        self.families: dict[str, dict[str, Any]] = {}
        self.categories: dict[str, dict[str, Any]] = {}
        self.file_categories: dict[str, dict[str, Any]] = {}
        self.relationships: dict[str, dict[str, Any]] = {}
        self.asset_urls: dict[str, str] = {}
        """source URL -> id of the asset downloaded from it (the 409 on a second upload)."""
        self.last_stamp = 0.0
        self.timeline: tuple[list[float], list[dict[str, Any]]] | None = None
        """Products and their `modified`, oldest first (built on demand after a write)."""
        self._load(catalog)

    def _load(self, catalog: Catalog) -> None:
        for attribute in catalog.attributes:
            self.attributes[attribute["id"]] = {
                **attribute,
                "groups": list(attribute["groups"]),
                "options": list(attribute["options"]),
            }
        for group in catalog.attribute_groups:
            self.groups[group["id"]] = {
                **group,
                "attribute_labels": list(group["attribute_labels"]),
            }
        for family in catalog.families:
            self.families[family["id"]] = {
                **family,
                "attributes": [
                    {
                        "id": a["id"],
                        "label": a["label"],
                        "attribute_level": LEVELS.get(a["level"], "no_level"),
                    }
                    for a in family["attributes"]
                ],
            }
        for tree, seeded in (
            (self.categories, catalog.categories),
            (self.file_categories, catalog.asset_categories),
        ):
            for category in seeded:
                tree[category["id"]] = {
                    **category,
                    "path": list(category["path"]),
                    "parents_ids": list(category["parents_ids"]),
                    "order": str(category["order"]),
                    "created": SEEDED_AT,
                    "modified": SEEDED_AT,
                }
        for source in catalog.assets:
            asset = {
                k: _copy_value(v) for k, v in source.items() if k not in ("n_products", "assigned")
            }
            asset.update(
                status="ACTIVE",
                has_custom_thumb=False,
                n_catalogs=0,
                created_user_audit=owner_audit(self.seed),
                modified_user_audit=owner_audit(self.seed),
            )
            self.assets[asset["id"]] = asset
            self.asset_urls[asset["url"]] = asset["id"]
            self.asset_links[asset["id"]] = set()
            self.last_stamp = max(self.last_stamp, asset["modified"])
        for source in sorted(catalog.products, key=lambda p: p["modified"]):
            product = {k: _copy_value(v) for k, v in source.items()}
            product["attributes"] = {k: _copy_value(v) for k, v in source["attributes"].items()}
            product.setdefault("gtin", None)
            product.setdefault("static_lists", [])
            self.products[product["id"]] = product
            self.skus[product["sku"]] = product["id"]
            for asset_id in product["assets"]:
                self.asset_links[asset_id].add(product["id"])
            self.last_stamp = max(self.last_stamp, product["modified"])

    # --- identity and time ----------------------------------------------------------------
    def new_id(self, kind: str) -> str:
        """24 hex characters, deterministic for the seed and the order of creation."""
        self.counter += 1
        return plytix_id(self.seed, f"created-{kind}", self.counter)

    def stamp(self, now: float) -> float:
        """A write's time: never earlier than the last one, exact at microsecond precision.

        Strictly increasing, so `modified gt <bookmark>` never loses a write that shares a
        bookmark's microsecond.
        """
        moment = parse_instant(iso(max(now, self.last_stamp + 1e-6)))
        if moment <= self.last_stamp:
            moment = parse_instant(iso(self.last_stamp + 2e-6))
        self.last_stamp = moment
        self.timeline = None
        return moment

    def touch(self, product: dict[str, Any], now: float) -> float:
        """Mark a product written: a new `modified`, and it moves to the end of the store.

        Stamps only grow, so the store's order stays the order of `modified`, which lets a
        `modified` range be cut out of it by bisection (`modified_between`).
        """
        product["modified"] = self.stamp(now)
        self.products[product["id"]] = self.products.pop(product["id"])
        return product["modified"]

    def modified_between(self, low: float, high: float) -> list[dict[str, Any]]:
        """The products whose `modified` lies in [low, high], in store order."""
        if self.timeline is None:
            items = list(self.products.values())
            self.timeline = ([p["modified"] for p in items], items)
        stamps, items = self.timeline
        return items[bisect.bisect_left(stamps, low) : bisect.bisect_right(stamps, high)]

    # --- definitions ----------------------------------------------------------------------
    def attribute_by_label(self, label: str) -> dict[str, Any] | None:
        for attribute in self.attributes.values():
            if attribute["label"] == label:
                return attribute
        return None

    def labels(self) -> dict[str, dict[str, Any]]:
        return {a["label"]: a for a in self.attributes.values()}

    def media_labels(self) -> list[str]:
        return [a["label"] for a in self.attributes.values() if a["type_class"] in MEDIA_TYPES]

    # --- product media --------------------------------------------------------------------
    def link(self, product: dict[str, Any], asset_id: str, cap: int) -> bool:
        """Add an asset to a product's links; False when it was linked already."""
        if asset_id in product["assets"]:
            return False
        if cap and len(product["assets"]) >= cap:
            raise invalid(
                "assets", f"a product holds at most {cap} assets; product {product['sku']} is full"
            )
        product["assets"].append(asset_id)
        self.asset_links.setdefault(asset_id, set()).add(product["id"])
        return True

    def unlink(self, product: dict[str, Any], asset_id: str) -> None:
        """Drop an asset from a product: its links, its thumbnail and its media attributes."""
        if asset_id in product["assets"]:
            product["assets"].remove(asset_id)
        self.asset_links.get(asset_id, set()).discard(product["id"])
        if (product.get("thumbnail") or {}).get("id") == asset_id:
            product["thumbnail"] = None
        for label in self.media_labels():
            value = product["attributes"].get(label)
            if isinstance(value, dict) and value.get("id") == asset_id:
                del product["attributes"][label]
            elif isinstance(value, list):
                kept = [ref for ref in value if ref.get("id") != asset_id]
                if len(kept) != len(value):
                    product["attributes"][label] = kept
                    if not kept:
                        del product["attributes"][label]

    def delete_product(self, product_id: str) -> None:
        self.timeline = None
        product = self.products.pop(product_id)
        self.skus.pop(product["sku"], None)
        for asset_id in product["assets"]:
            self.asset_links.get(asset_id, set()).discard(product_id)
        for other in self.products.values():
            if other["relationships"]:
                for link in other["relationships"]:
                    link["related_products"] = [
                        r for r in link["related_products"] if r["product_id"] != product_id
                    ]
        parent = self.products.get(product.get("_parent_id") or "")
        if parent is not None:
            parent["num_variations"] = max(0, parent["num_variations"] - 1)
            if parent["num_variations"] == 0:
                parent["product_level"] = 0
        for variant_id in [p["id"] for p in self.variants(product_id)]:
            self.delete_product(variant_id)

    def variants(self, product_id: str) -> Iterator[dict[str, Any]]:
        return (p for p in self.products.values() if p.get("_parent_id") == product_id)

    def delete_asset(self, asset_id: str) -> None:
        for product_id in sorted(self.asset_links.get(asset_id, set())):
            self.unlink(self.products[product_id], asset_id)
        self.asset_links.pop(asset_id, None)
        self.asset_urls = {u: a for u, a in self.asset_urls.items() if a != asset_id}
        del self.assets[asset_id]

    # --- state ----------------------------------------------------------------------------
    def dump(self) -> dict[str, Any]:
        """The whole account as plain JSON, ids sorted, so two states compare with ==."""

        def ordered(records: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
            return [_dated(records[key]) for key in sorted(records)]

        assets = []
        for key in sorted(self.assets):
            asset = _dated(self.assets[key])
            asset["n_products"] = len(self.asset_links.get(key, ()))
            asset["assigned"] = asset["n_products"] > 0
            assets.append(asset)
        return {
            "products": ordered(self.products),
            "assets": assets,
            "attributes": ordered(self.attributes),
            "attribute_groups": ordered(self.groups),
            "product_families": ordered(self.families),
            "product_categories": ordered(self.categories),
            "file_categories": ordered(self.file_categories),
            "relationships": ordered(self.relationships),
        }


def _dated(record: dict[str, Any]) -> dict[str, Any]:
    out = {key: record[key] for key in sorted(record)}
    for key in ("created", "modified", "file_modified"):
        if isinstance(out.get(key), float | int):
            out[key] = iso(out[key])
    return out
