"""Product routes: CRUD, search, variants, categories, family and relationships."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from emulators.core import Request, Response
from emulators.plytix import resources, serialize
from emulators.plytix.errors import fail, invalid, not_found
from emulators.plytix.product_writes import write
from emulators.plytix.responses import created, data, no_content
from emulators.plytix.store import relationship_link
from emulators.plytix.timefmt import iso

if TYPE_CHECKING:
    from emulators.plytix.app import PlytixEmulator


def register(emu: PlytixEmulator) -> None:
    routes = ProductRoutes(emu)
    emu.api("POST", "/products", routes.create)
    emu.api("POST", "/products/search", routes.search)
    emu.api("GET", "/products/{product_id}", routes.get)
    emu.api("PATCH", "/products/{product_id}", routes.patch)
    emu.api("DELETE", "/products/{product_id}", routes.delete)
    emu.api("GET", "/products/{product_id}/variants", routes.variants)
    emu.api("POST", "/products/{product_id}/variants", routes.add_variant)
    emu.api("POST", "/products/{product_id}/variant/{variant_id}", routes.link_variant)
    emu.api("DELETE", "/products/{product_id}/variant/{variant_id}", routes.unlink_variant)
    emu.api("GET", "/products/{product_id}/categories", routes.categories)
    emu.api("POST", "/products/{product_id}/categories", routes.add_category)
    emu.api("DELETE", "/products/{product_id}/categories/{category_id}", routes.remove_category)
    emu.api("POST", "/products/{product_id}/family", routes.set_family)
    emu.api("POST", "/products/{product_id}/relationships/{relationship_id}", routes.relate)
    emu.api(
        "PATCH",
        "/products/{product_id}/relationships/{relationship_id}/product/{related_product_id}",
        routes.set_quantity,
    )
    emu.api(
        "POST", "/products/{product_id}/relationships/{relationship_id}/unlink", routes.unrelate
    )


class ProductRoutes:
    def __init__(self, emu: PlytixEmulator) -> None:
        self.emu = emu

    @property
    def store(self) -> Any:
        return self.emu.store

    def _shown(self, product: dict[str, Any]) -> dict[str, Any]:
        return serialize.product(self.store, product, loose=self.emu.loose)

    # --- CRUD -----------------------------------------------------------------------------
    def create(self, request: Request) -> Response:
        body = self.emu.body(request)
        if "sku" not in body:
            raise invalid("sku", "is required")
        product = self._new_product(body)
        return created(self._shown(product), f"/products/{product['id']}")

    def _new_product(
        self, body: dict[str, Any], parent: dict[str, Any] | None = None
    ) -> dict[str, Any]:
        store = self.store
        product: dict[str, Any] = {
            "id": None,
            "sku": None,
            "label": None,
            "status": "Draft",
            "created": None,
            "modified": None,
            "num_variations": 0,
            "thumbnail": None,
            "assets": [],
            "attributes": {},
            "categories": [],
            "product_family_id": None,
            "product_family_model_id": None,
            "product_level": 0,
            "relationships": [],
            "overwritten_attributes": [],
            "gtin": None,
            "static_lists": [],
        }
        if parent is not None:
            product["attributes"] = {
                k: v for k, v in parent["attributes"].items() if k not in store.media_labels()
            }
            product["categories"] = list(parent["categories"])
            product["product_family_id"] = parent["product_family_id"]
        product["id"] = store.new_id("product")
        write(
            store,
            product,
            body,
            mode="merge",
            cap=int(self.emu.settings["max_assets_per_product"]),
            unknown_keys=self.emu.settings["unknown_write_keys"],
        )
        product["created"] = product["modified"] = self.emu.stamp()
        store.products[product["id"]] = product
        store.skus[product["sku"]] = product["id"]
        if parent is not None:
            self._attach(parent, product)
        return product

    def search(self, request: Request) -> Response:
        body = self.emu.search_body(request)
        candidates = self.emu.product_candidates(body)
        loose = self.emu.loose
        return self.emu.search_response(
            resources.products(self.store),
            candidates,
            body,
            lambda p, columns: serialize.product_row(self.store, p, columns, loose),
        )

    def get(self, request: Request) -> Response:
        product = self.emu.product(request.params["product_id"])
        everything = (request.arg("all_attributes") or "").lower() == "true"
        return data(
            [
                serialize.product(
                    self.store, product, all_attributes=everything, loose=self.emu.loose
                )
            ]
        )

    def patch(self, request: Request) -> Response:
        product = self.emu.product(request.params["product_id"])
        body = self.emu.body(request)
        old_sku = product["sku"]
        write(
            self.store,
            product,
            body,
            mode=self.emu.settings["patch_mode"],
            cap=int(self.emu.settings["max_assets_per_product"]),
            unknown_keys=self.emu.settings["unknown_write_keys"],
        )
        if product["sku"] != old_sku:
            del self.store.skus[old_sku]
            self.store.skus[product["sku"]] = product["id"]
        self.emu.touch(product)
        return data([self._shown(product)])

    def delete(self, request: Request) -> Response:
        self.emu.product(request.params["product_id"])
        self.store.delete_product(request.params["product_id"])
        return no_content()

    # --- variants -------------------------------------------------------------------------
    def variants(self, request: Request) -> Response:
        product = self.emu.product(request.params["product_id"])
        return data([self._shown(v) for v in self.store.variants(product["id"])])

    def add_variant(self, request: Request) -> Response:
        parent = self.emu.product(request.params["product_id"])
        body = self.emu.body(request)
        spec = body.get("variant", body)
        if not isinstance(spec, dict) or "sku" not in spec:
            raise invalid("sku", "the variant needs a sku")
        if parent.get("_parent_id"):
            raise invalid("product_id", "a variant cannot have variants of its own")
        variant = self._new_product(spec, parent)
        return created(self._shown(variant), f"/products/{variant['id']}")

    def _attach(self, parent: dict[str, Any], variant: dict[str, Any]) -> None:
        variant["_parent_id"] = parent["id"]
        variant["product_level"] = 2
        parent["product_level"] = 1
        parent["num_variations"] += 1
        self.emu.touch(parent)
        self.emu.touch(variant)

    def link_variant(self, request: Request) -> Response:
        """Make an existing product a variant; answers 200 with the **parent**."""
        parent = self.emu.product(request.params["product_id"])
        variant = self.emu.product(request.params["variant_id"])
        if variant["id"] == parent["id"] or parent.get("_parent_id"):
            raise invalid("variant_id", "a product cannot be a variant of itself or of a variant")
        if variant.get("_parent_id"):
            raise fail(409, f"Product {variant['sku']} is already a variant", "variant_id")
        if variant["num_variations"]:
            raise invalid("variant_id", f"product {variant['sku']} has variants of its own")
        self._attach(parent, variant)
        return data([self._shown(parent)])

    def unlink_variant(self, request: Request) -> Response:
        parent = self.emu.product(request.params["product_id"])
        variant = self.emu.product(request.params["variant_id"])
        if variant.get("_parent_id") != parent["id"]:
            raise not_found("Variant", variant["id"])
        del variant["_parent_id"]
        variant["product_level"] = 0
        parent["num_variations"] -= 1
        if parent["num_variations"] == 0:
            parent["product_level"] = 0
        self.emu.touch(parent)
        self.emu.touch(variant)
        return no_content()

    # --- categories and family ------------------------------------------------------------
    def categories(self, request: Request) -> Response:
        product = self.emu.product(request.params["product_id"])
        return data(
            [
                serialize.definition(self.store.categories[c])
                for c in product["categories"]
                if c in self.store.categories
            ]
        )

    def add_category(self, request: Request) -> Response:
        product = self.emu.product(request.params["product_id"])
        category_id = self.emu.body(request).get("id")
        if category_id not in self.store.categories:
            raise fail(
                422,
                f"Unknown category {category_id}",
                errors=[{"field": "category.id", "msg": "does not exist"}],
            )
        if category_id in product["categories"]:
            raise fail(
                409,
                f"Category id {category_id} is already linked to product",
                errors=[{"field": "category.id", "msg": "already linked"}],
            )
        product["categories"].append(category_id)
        self.emu.touch(product)
        return data([serialize.definition(self.store.categories[category_id])], 201)

    def remove_category(self, request: Request) -> Response:
        product = self.emu.product(request.params["product_id"])
        category_id = request.params["category_id"]
        if category_id not in product["categories"]:
            message = f"category_id {category_id} is not related to product id {product['id']}"
            raise fail(404, message, errors=[{"field": "asset.id", "msg": message}])
        product["categories"].remove(category_id)
        self.emu.touch(product)
        return no_content()

    def set_family(self, request: Request) -> Response:
        product = self.emu.product(request.params["product_id"])
        body = self.emu.body(request)
        if "product_family_id" not in body:
            raise invalid("product_family_id", "is required (null removes the family)")
        write(
            self.store,
            product,
            {"product_family_id": body["product_family_id"]},
            mode="merge",
            cap=0,
        )
        self.emu.touch(product)
        return data([self._shown(product)])

    # --- relationships --------------------------------------------------------------------
    def _relationship(self, relationship_id: str) -> dict[str, Any]:
        found = self.store.relationships.get(relationship_id)
        if found is None:
            raise not_found("Relationship", relationship_id)
        return found

    def _relate_one(
        self, product: dict[str, Any], relationship: dict[str, Any], other_id: str, quantity: int
    ) -> None:
        link = relationship_link(product, relationship)
        now = self.emu.touch(product)
        for related in link["related_products"]:
            if related["product_id"] == other_id:
                related["quantity"], related["last_modified"] = quantity, iso(now)
                break
        else:
            link["related_products"].append(
                {"product_id": other_id, "quantity": quantity, "last_modified": iso(now)}
            )

    def relate(self, request: Request) -> Response:
        product = self.emu.product(request.params["product_id"])
        relationship = self._relationship(request.params["relationship_id"])
        entries = self.emu.body(request).get("product_relationships")
        if not isinstance(entries, list) or not entries:
            raise invalid("product_relationships", "must be a list of {product_id, quantity}")
        pairs = []
        for entry in entries:
            other = entry.get("product_id") if isinstance(entry, dict) else None
            quantity = entry.get("quantity", 1) if isinstance(entry, dict) else None
            if other not in self.store.products:
                raise fail(
                    409,
                    "relationship data validation failed",
                    "product_relationships",
                    errors=[
                        {
                            "field": "product_relationships",
                            "msg": f"product {other!r} does not exist",
                        }
                    ],
                )
            if other == product["id"]:
                raise invalid("product_relationships", "a product cannot relate to itself")
            if isinstance(quantity, bool) or not isinstance(quantity, int) or quantity < 1:
                raise invalid(
                    "product_relationships",
                    f"quantity must be a positive integer, got {quantity!r}",
                )
            pairs.append((other, quantity))
        for other, quantity in pairs:
            self._relate_one(product, relationship, other, quantity)
            if relationship.get("symmetric"):
                self._relate_one(self.store.products[other], relationship, product["id"], quantity)
        return data([dict(relationship_link(product, relationship))], 201)

    def set_quantity(self, request: Request) -> Response:
        product = self.emu.product(request.params["product_id"])
        relationship = self._relationship(request.params["relationship_id"])
        other = request.params["related_product_id"]
        quantity = self.emu.body(request).get("quantity")
        if isinstance(quantity, bool) or not isinstance(quantity, int) or quantity < 1:
            raise invalid("quantity", f"must be a positive integer, got {quantity!r}")
        link = relationship_link(product, relationship)
        if other not in [r["product_id"] for r in link["related_products"]]:
            raise not_found("Related product", other)
        self._relate_one(product, relationship, other, quantity)
        return data([dict(link)])

    def unrelate(self, request: Request) -> Response:
        """`{"product_relationships": [{"product_id"}]}` -> 204 (symmetric ones both ways)."""
        product = self.emu.product(request.params["product_id"])
        relationship = self._relationship(request.params["relationship_id"])
        entries = self.emu.body(request).get("product_relationships")
        if not isinstance(entries, list) or not all(
            isinstance(e, dict) and isinstance(e.get("product_id"), str) for e in entries
        ):
            raise invalid("product_relationships", "must be a list of {product_id}")
        others = [entry["product_id"] for entry in entries]
        targets = [product]
        if relationship.get("symmetric"):
            targets += [self.store.products[o] for o in others if o in self.store.products]
        for target in targets:
            link = relationship_link(target, relationship)
            gone = set(others) | {product["id"]} if target is not product else set(others)
            link["related_products"] = [
                r for r in link["related_products"] if r["product_id"] not in gone
            ]
            self.emu.touch(target)
        return no_content()
