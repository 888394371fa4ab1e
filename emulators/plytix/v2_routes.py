"""`/api/v2/products`: the v2 product API, on the same store as v1 (docs/apis/plytix.md, section 6).

Both generations share one account, so a change through one is seen through the other. The
v2 rules that equal v1's (validation, `patch_mode`, the asset cap, link rules, variant
bookkeeping) are not written twice: the v2 handler shapes the request (media attributes as
asset id lists), hands it to the v1 handler, and answers in the v2 shape (writes answer only
ids, timestamps and audits). Relationships differ in kind (no content answers, unknown ids
ignored) and have their own handlers here.

Generation switches (`/_emulator/settings`): `v1_products` `deprecated` (default: the v1
product endpoints answer with an `X-Plytix-Deprecation` header) or `gone` (410, as a removed
API answers); `v2_enabled` `true` (default) or `false` (404 on `/api/v2`, as an account
without v2 answers), so connectors can test their fallback either way. Assets, definitions,
families and categories stay v1 only.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from emulators.core import HTTPError, Request, Response
from emulators.plytix import resources, v2_serialize
from emulators.plytix.errors import error_body, fail, invalid
from emulators.plytix.responses import data, no_content
from emulators.plytix.search import V2, Resource
from emulators.plytix.store import relationship_link
from emulators.plytix.timefmt import iso

if TYPE_CHECKING:
    from emulators.plytix.app import PlytixEmulator

V1_API = "/api/v1"
V2_API = "/api/v2"
V1_PRODUCTS = f"{V1_API}/products"
DEPRECATION_HEADER = "X-Plytix-Deprecation"
DEPRECATION = "The v1 product endpoints are deprecated and will be removed; use /api/v2/products"
SINGLE_MEDIA = "MediaAttribute"
GALLERY = "MediaGalleryAttribute"
RELATIONSHIP_COLUMN = "relationships."

Handler = Callable[[Request], Response]


def register(emu: PlytixEmulator) -> None:
    """Add the v2 routes, then put the generation switches around every product route.

    Must run after the v1 routes are registered: v2 hands most writes to their handlers.
    """
    v1 = {route.key: route.handler for route in emu.routes}
    routes = V2Routes(emu, v1)
    add = routes.add

    def as_v1(method: str, path: str) -> None:
        add(method, path, routes.on_v1(method, path))

    add("POST", "/products/search", routes.search)
    add("POST", "/products", routes.create)
    add("GET", "/products/{product_id}", routes.get)
    add("PATCH", "/products/{product_id}", routes.patch)
    add("DELETE", "/products/{product_id}", routes.delete)
    as_v1("GET", "/products/{product_id}/assets")
    add("POST", "/products/{product_id}/assets", routes.link_asset)
    as_v1("DELETE", "/products/{product_id}/assets/{asset_id}")
    as_v1("GET", "/products/{product_id}/categories")
    as_v1("POST", "/products/{product_id}/categories")
    as_v1("DELETE", "/products/{product_id}/categories/{category_id}")
    add("GET", "/products/{product_id}/variants", routes.variants)
    add("POST", "/products/{product_id}/variants", routes.add_variant)
    add("POST", "/products/{product_id}/variants/resync", routes.resync)
    add("POST", "/products/{product_id}/variant/{variant_id}", routes.link_variant)
    add("DELETE", "/products/{product_id}/variant/{variant_id}", routes.unlink_variant)
    add("POST", "/products/{product_id}/family", routes.set_family)
    add("POST", "/products/{product_id}/relationships/{relationship_id}", routes.relate)
    add("PATCH", "/products/{product_id}/relationships/{relationship_id}", routes.requantify)
    add("DELETE", "/products/{product_id}/relationships/{relationship_id}", routes.unrelate)
    for route in emu.routes:
        if route.template.startswith(V1_PRODUCTS):
            route.handler = _v1_product_switch(emu, route.handler)
        elif route.template.startswith(f"{V2_API}/"):
            route.handler = _v2_switch(emu, route.handler)
        if route.template.startswith(("/api/v1/", "/api/v2/")):
            route.handler = _seed_noted(emu, route.handler)


# --- generation switches ----------------------------------------------------------------------
def _v1_product_switch(emu: PlytixEmulator, handler: Handler) -> Handler:
    """Every v1 product answer (errors too) carries the deprecation header; `gone`: 410."""

    def run(request: Request) -> Response:
        headers = {DEPRECATION_HEADER: DEPRECATION}
        if emu.settings["v1_products"] == "gone":
            raise fail(
                410,
                f"Gone: {request.method} {request.path} was removed; use {V2_API}/products",
                headers=headers,
            )
        try:
            response = handler(request)
        except HTTPError as error:
            error.response.headers.update(headers)
            raise
        response.headers.update(headers)
        return response

    return run


def _v2_switch(emu: PlytixEmulator, handler: Handler) -> Handler:
    """`v2_enabled: false`: the account has no v2, every `/api/v2` path is unknown (404)."""

    def run(request: Request) -> Response:
        if not emu.settings["v2_enabled"]:
            raise HTTPError(404, error_body(f"No route for {request.path}"))
        return handler(request)

    return run


def _seed_noted(emu: PlytixEmulator, handler: Handler) -> Handler:
    """Before the first request to a store changes it, note where its seed ends (audits)."""

    def run(request: Request) -> Response:
        with emu.lock:
            v2_serialize.remember_seed(emu.store)
        return handler(request)

    return run


# --- the routes -------------------------------------------------------------------------------
def not_found() -> HTTPError:
    """The 404 a v2 product call answers for an unknown product (as recorded, `None` and all)."""
    return fail(404, "No results found for None", errors=[{"field": "id", "msg": "does not exist"}])


class V2Routes:
    def __init__(self, emu: PlytixEmulator, v1: dict[str, Handler]) -> None:
        self.emu = emu
        self.v1 = v1
        """The v1 handlers by route key (`"PATCH /api/v1/products/{product_id}"`)."""

    @property
    def store(self) -> Any:
        return self.emu.store

    def add(self, method: str, path: str, handler: Handler) -> None:
        self.emu.add(method, V2_API + path, self.emu.locked(handler))

    def _v1(
        self, method: str, path: str, request: Request, body: dict[str, Any] | None = None
    ) -> Response:
        """Run the v1 handler of `path` on this request (with `body` instead, when given)."""
        if body is not None:
            request = dataclasses.replace(request, body=json.dumps(body).encode())
        return self.v1[f"{method} {V1_API}{path}"](request)

    def on_v1(self, method: str, path: str) -> Handler:
        """A v2 route that answers as its v1 twin once the product is known (v2's 404 before)."""

        def run(request: Request) -> Response:
            self._product(request.params["product_id"])
            return self._v1(method, path, request)

        return run

    def _product(self, product_id: str) -> dict[str, Any]:
        found = self.store.products.get(product_id)
        if found is None:
            raise not_found()
        return found

    def _written(
        self, product_id: str, status: int = 200, headers: dict[str, str] | None = None
    ) -> Response:
        product = self.store.products[product_id]
        return data([v2_serialize.write_answer(self.store, product)], status, headers)

    # --- products -----------------------------------------------------------------------------
    def search(self, request: Request) -> Response:
        body = self.emu.search_body(request)
        candidates = self.emu.product_candidates(body)
        return self.emu.search_response(
            products_resource(self.store),
            candidates,
            body,
            lambda product, columns: v2_serialize.product_row(
                self.store, product, columns, self.shape
            ),
            generation=V2,
        )

    @property
    def shape(self) -> str:
        """How references and dates are written (`v2_reference_shape`)."""
        return str(self.emu.settings["v2_reference_shape"])

    def get(self, request: Request) -> Response:
        product = self._product(request.params["product_id"])
        everything = (request.arg("all_attributes") or "").lower() == "true"
        return data(
            [v2_serialize.product(self.store, product, all_attributes=everything, shape=self.shape)]
        )

    def create(self, request: Request) -> Response:
        body = self._product_body(self.emu.body(request))
        answer = self._v1("POST", "/products", request, body)
        product_id = answer.body["data"][0]["id"]
        return self._written(product_id, 201, {"Location": f"{V2_API}/products/{product_id}"})

    def patch(self, request: Request) -> Response:
        product = self._product(request.params["product_id"])
        body = self._product_body(self.emu.body(request))
        self._v1("PATCH", "/products/{product_id}", request, body)
        return self._written(product["id"])

    def delete(self, request: Request) -> Response:
        self._product(request.params["product_id"])
        return self._v1("DELETE", "/products/{product_id}", request)

    def _product_body(self, body: dict[str, Any]) -> dict[str, Any]:
        """The v2 body in v1 terms: media attributes from asset id lists to references.

        v2 takes a media attribute as a list of asset id strings (one id for a single media
        attribute, `[]` or null to clear); anything else there is a 422 naming it.
        """
        attributes = body.get("attributes")
        if not isinstance(attributes, dict):
            return body
        labels = self.store.labels()
        converted = dict(attributes)
        for label, value in attributes.items():
            attribute = labels.get(label)
            if (
                attribute is None
                or attribute["type_class"] not in (SINGLE_MEDIA, GALLERY)
                or value is None
            ):
                continue
            field = f"attributes.{label}"
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise invalid(field, f"expected a list of asset ids, got {value!r}")
            if attribute["type_class"] == GALLERY:
                converted[label] = [{"id": asset_id} for asset_id in value]
            elif len(value) > 1:
                raise invalid(
                    field, f"a single media attribute takes one asset id, got {len(value)}"
                )
            else:
                converted[label] = {"id": value[0]} if value else None
        return {**body, "attributes": converted}

    # --- product assets and categories (the v1 rules, v2 answers) -----------------------------
    def link_asset(self, request: Request) -> Response:
        """`{"id", "attribute_label"}` -> `{"data": [{"id"}]}`; `Location` names the asset,
        which lives on v1."""
        self._product(request.params["product_id"])
        answer = self._v1("POST", "/products/{product_id}/assets", request)
        location = answer.headers.get("Location")
        return data(
            [{"id": self.emu.body(request)["id"]}],
            answer.status,
            {"Location": location} if location else {},
        )

    # --- variants and family ------------------------------------------------------------------
    def variants(self, request: Request) -> Response:
        parent = self._product(request.params["product_id"])
        return data(
            [
                v2_serialize.product(self.store, variant, shape=self.shape)
                for variant in self.store.variants(parent["id"])
            ]
        )

    def add_variant(self, request: Request) -> Response:
        """The body is the variant itself (v1 nested it under `variant`: ignored here)."""
        self._product(request.params["product_id"])
        body = self._product_body(self.emu.body(request))
        body.pop("variant", None)
        if "sku" not in body:
            raise invalid("sku", "is required")
        answer = self._v1("POST", "/products/{product_id}/variants", request, body)
        variant_id = answer.body["data"][0]["id"]
        return self._written(variant_id, 201, {"Location": f"{V2_API}/products/{variant_id}"})

    def link_variant(self, request: Request) -> Response:
        """Both products must share a family (or both have none); answers the parent."""
        parent = self._product(request.params["product_id"])
        variant = self._product(request.params["variant_id"])
        if parent.get("product_family_id") != variant.get("product_family_id"):
            raise invalid(
                "product_family_id", "a variant must have its parent's family (or both none)"
            )
        self._v1("POST", "/products/{product_id}/variant/{variant_id}", request)
        return self._written(parent["id"])

    def unlink_variant(self, request: Request) -> Response:
        self._product(request.params["product_id"])
        self._product(request.params["variant_id"])
        return self._v1("DELETE", "/products/{product_id}/variant/{variant_id}", request)

    def resync(self, request: Request) -> Response:
        """`{"attribute_labels", "variant_ids"}`: those variants take the parent's values
        again for those attributes (no longer overwritten) -> 204."""
        parent = self._product(request.params["product_id"])
        body = self.emu.body(request)
        labels, variant_ids = body.get("attribute_labels"), body.get("variant_ids")
        for field, value in (("attribute_labels", labels), ("variant_ids", variant_ids)):
            if (
                not isinstance(value, list)
                or not value
                or not all(isinstance(v, str) for v in value)
            ):
                raise invalid(field, "must be a non-empty list of strings")
        known = self.store.labels()
        for label in labels:
            if label not in known:
                raise invalid("attribute_labels", f"unknown attribute label {label!r}")
        variants = []
        for variant_id in variant_ids:
            variant = self.store.products.get(variant_id)
            if variant is None or variant.get("_parent_id") != parent["id"]:
                raise invalid("variant_ids", f"{variant_id!r} is not a variant of {parent['id']}")
            variants.append(variant)
        for variant in variants:
            for label in labels:
                value = parent["attributes"].get(label)
                if value is None:
                    variant["attributes"].pop(label, None)
                else:
                    variant["attributes"][label] = v2_serialize.copy_value(value)
                for asset_ref in _asset_ids(value):
                    self.store.link(variant, asset_ref, 0)
            variant["overwritten_attributes"] = [
                label
                for label in variant.get("overwritten_attributes") or []
                if label not in labels
            ]
            self.emu.touch(variant)
        return no_content()

    def set_family(self, request: Request) -> Response:
        """`{"product_family_id": id}`; `""` or null unassigns; not on a variant."""
        product = self._product(request.params["product_id"])
        body = self.emu.body(request)
        if "product_family_id" not in body:
            raise invalid("product_family_id", 'is required ("" removes the family)')
        if product.get("_parent_id"):
            raise invalid("product_family_id", "a family cannot be assigned to a variant")
        family = body["product_family_id"] or None
        self._v1("POST", "/products/{product_id}/family", request, {"product_family_id": family})
        return self._written(product["id"])

    # --- relationships (v2: no content, unknown ids ignored) ----------------------------------
    def _relationship(self, relationship_id: str) -> dict[str, Any]:
        found = self.store.relationships.get(relationship_id)
        if found is None:
            raise fail(
                404,
                f"Relationship {relationship_id} not found",
                errors=[{"field": "relationship_id", "msg": "does not exist"}],
            )
        return found

    def _entries(self, request: Request) -> list[tuple[str, int]]:
        """`product_relationships: [{"product_id", "quantity"?}]` as (id, quantity) pairs."""
        entries = self.emu.body(request).get("product_relationships")
        if not isinstance(entries, list) or not all(
            isinstance(e, dict) and isinstance(e.get("product_id"), str) for e in entries
        ):
            raise invalid("product_relationships", "must be a list of {product_id, quantity}")
        pairs = []
        for entry in entries:
            quantity = entry.get("quantity", 1)
            if isinstance(quantity, bool) or not isinstance(quantity, int) or quantity < 1:
                raise invalid(
                    "product_relationships",
                    f"quantity must be a positive integer, got {quantity!r}",
                )
            pairs.append((entry["product_id"], quantity))
        return pairs

    @staticmethod
    def _found(product: dict[str, Any], relationship: dict[str, Any]) -> dict[str, Any]:
        """The product's link list for `relationship` (an empty one when there is none)."""
        for link in product["relationships"]:
            if link["relationship_id"] == relationship["id"]:
                return link
        return {"related_products": []}

    def _pairs(
        self, product: dict[str, Any], relationship: dict[str, Any], other_id: str
    ) -> list[tuple[dict[str, Any], str]]:
        """(product, related id) pairs a change touches: both ways when symmetric."""
        pairs = [(product, other_id)]
        if relationship.get("symmetric"):
            pairs.append((self.store.products[other_id], product["id"]))
        return pairs

    def relate(self, request: Request) -> Response:
        """Assign: unknown, self and already related products are skipped -> 204."""
        product = self._product(request.params["product_id"])
        relationship = self._relationship(request.params["relationship_id"])
        now = None
        for other_id, quantity in self._entries(request):
            if other_id not in self.store.products or other_id == product["id"]:
                continue
            for owner, related_id in self._pairs(product, relationship, other_id):
                link = relationship_link(owner, relationship)
                if related_id in [r["product_id"] for r in link["related_products"]]:
                    continue
                now = self.emu.touch(owner)
                link["related_products"].append(
                    {"product_id": related_id, "quantity": quantity, "last_modified": iso(now)}
                )
        return no_content()

    def requantify(self, request: Request) -> Response:
        """New quantities for products already related; others are skipped -> 204."""
        product = self._product(request.params["product_id"])
        relationship = self._relationship(request.params["relationship_id"])
        for other_id, quantity in self._entries(request):
            if other_id not in self.store.products:
                continue
            for owner, related_id in self._pairs(product, relationship, other_id):
                for related in self._found(owner, relationship)["related_products"]:
                    if related["product_id"] == related_id and related["quantity"] != quantity:
                        related["quantity"] = quantity
                        related["last_modified"] = iso(self.emu.touch(owner))
        return no_content()

    def unrelate(self, request: Request) -> Response:
        """`{"product_relationships": ["<product id>", ...]}`; unknown ids ignored -> 204."""
        product = self._product(request.params["product_id"])
        relationship = self._relationship(request.params["relationship_id"])
        others = self.emu.body(request).get("product_relationships")
        if not isinstance(others, list) or not all(isinstance(o, str) for o in others):
            raise invalid("product_relationships", "must be a list of product ids")
        for other_id in dict.fromkeys(others):
            if other_id not in self.store.products:
                continue
            for owner, related_id in self._pairs(product, relationship, other_id):
                link = self._found(owner, relationship)
                kept = [r for r in link["related_products"] if r["product_id"] != related_id]
                if len(kept) != len(link["related_products"]):
                    link["related_products"] = kept
                    self.emu.touch(owner)
        return no_content()


def products_resource(store: Any) -> Resource:
    """v1's product fields, plus what v2 adds for filters, columns and order: `parent_id`
    (v2's name for `_parent_id`, which stays valid: how v2 finds a parent's variants) and
    `relationships.<label>` (the ids of the products related under that relationship)."""
    base = resources.products(store)
    known = {relationship["label"] for relationship in store.relationships.values()}

    def named(field: str) -> str:
        return "_parent_id" if field == "parent_id" else field

    def relationship(field: str) -> str | None:
        label = field[len(RELATIONSHIP_COLUMN) :] if field.startswith(RELATIONSHIP_COLUMN) else None
        return label if label in known else None

    def kind(field: str) -> str | None:
        if relationship(field):
            return "list"
        return base.dynamic(field) if base.dynamic else None

    def read(product: dict[str, Any], field: str) -> Any:
        label = relationship(field)
        if label:
            return v2_serialize.related_ids(product, label)
        return base.get(product, named(field))

    def rules(field: str) -> tuple[str, ...] | None:
        if relationship(field):
            return resources.LISTED
        return base.rules(named(field)) if base.rules else None

    return dataclasses.replace(
        base,
        kinds={**base.kinds, "parent_id": base.kinds["_parent_id"]},
        get=read,
        dynamic=kind,
        rules=rules if base.rules else None,
    )


def _asset_ids(value: Any) -> list[str]:
    """Asset ids a stored media value refers to (none for other values)."""
    refs = value if isinstance(value, list) else [value]
    return [ref["id"] for ref in refs if isinstance(ref, dict) and isinstance(ref.get("id"), str)]
