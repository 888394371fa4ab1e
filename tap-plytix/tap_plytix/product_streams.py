"""Products (typed custom attributes, fetched in column batches) and their media links."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import requests
from singer_sdk import Stream

from tap_plytix.records import PRODUCT_CORE_COLUMNS, product_asset_rows, product_record
from tap_plytix.schemas import MEDIA_TYPES, PRODUCT_ASSETS_SCHEMA, products_schema
from tap_plytix.search_streams import IncrementalSearchStream

if TYPE_CHECKING:
    from singer_sdk import Tap
    from singer_sdk.helpers.types import Context


class ProductsStream(IncrementalSearchStream):
    """Products with every selected custom attribute as a typed column.

    Through the API generation of the run (v2 by default, v1 when the account does not
    serve v2, or as `api_version` says). One search per page for the first column batch
    (ordered by `modified`); each further batch repeats that search with the next columns
    and is merged by id. Only the columns `meltano select` keeps are asked for. Never one GET
    per product.
    """

    name = "products"
    primary_keys = ("id",)
    search_path = "/products/search"
    filter_resource = "product"

    def __init__(self, tap: Tap, definitions: list[dict[str, Any]]) -> None:
        self.types = {d["label"]: d["type_class"] for d in definitions}
        super().__init__(tap=tap, schema=products_schema(definitions))
        self.link_batches: dict[int, list[dict[str, Any]]] = {}
        self.link_batch_count = 0
        self.links_pending: list[dict[str, Any]] = []
        self.page_ends: set[str] = set()
        self.family_of: dict[str, str] | None = None
        """v1 only: product id -> family id, from one search per family (see `families`)."""
        self.family_searches = 0
        self.run_start: str | None = None

    @property
    def path(self) -> str:  # type: ignore[override]
        return self.client.product_path("/search", probe=False)

    def column_cap(self) -> int:
        return self.client.column_cap(probe=False)

    def send_search(self, url: str, body: dict[str, Any]) -> requests.Response:
        """Through the client's product search: with `api_version: auto` the run's first
        search finds the generation (a v1 account gets it again, planned for v1's cap)."""
        return self.client.product_search(body, replan=lambda g: self.replan(body, g))

    def replan(self, body: dict[str, Any], generation: str) -> dict[str, Any]:
        """The first search again for `generation`: its column cap may differ."""
        self.batches = None
        self.logger.info(
            "products: %d column(s) in %d batch(es) of at most %d on %s",
            len(self.wanted()),
            len(self.column_plan()),
            self.column_cap(),
            generation,
        )
        return {**body, "attributes": self.first_columns()}

    def wanted(self) -> list[str]:
        """The selected columns (`meltano select` shrinks the search, not only the records);
        the thumbnail and media attributes stay while `product_assets` is selected."""
        links = any(c.selected for c in self.child_streams)
        core = [
            c
            for c in PRODUCT_CORE_COLUMNS
            if c == "modified" or self.mask[("properties", c)] or (links and c == "thumbnail")
        ]
        if self.client.generation(probe=False) == "v1":
            core = [c for c in core if c != "product_family_id"]  # null in v1 rows
            if self.mask[("properties", "num_variations")]:
                core.append("num_variations")  # v2 rows carry it unasked; v1 only if asked
        custom = [
            f"attributes.{label}"
            for label, type_class in self.types.items()
            if self.mask[("properties", "attributes", "properties", label)]
            or (links and type_class in MEDIA_TYPES)
        ]
        return core + custom

    def rows_by_lookup(
        self, rows: list[dict[str, Any]], columns: list[str]
    ) -> list[dict[str, Any]]:
        """Rows a repeated page did not return, found again by SKU (`sku in` when the plan
        allows it, else OR groups of `sku eq`): product `id` is not filterable on v1."""
        skus = [row["sku"] for row in rows if isinstance(row.get("sku"), str)]
        found: list[dict[str, Any]] = []
        for filters in self.filter_plan().sku_lookups(skus):
            found += self.client.search_all(self.path, filters=filters, attributes=columns)
        return found

    def families(self) -> dict[str, str]:
        """v1 answers `product_family_id` as null in a search (GET has it), but filters on
        it: one search per family (ids only), limited to the run's window, maps each
        product modified since the bookmark to its family. Built once per run: a product
        given a family while the run is under way gets it on its next change."""
        if self.family_of is not None:
            return self.family_of
        self.family_of = {}
        plan = self.filter_plan()
        operator = plan.first_allowed("product_family_id", "eq", "in")
        if operator is None:
            self.logger.warning(
                "products: v1 searches answer product_family_id as null and "
                "the account allows no filter on it: it stays null"
            )
            return self.family_of
        since, _ = plan.window(self.run_start, None)
        since_conditions = since[0] if since else []
        families = list(self.client.search_all("/api/v1/product_families/search"))
        for family in families:
            family_id = family.get("id") if isinstance(family, dict) else None
            if not isinstance(family_id, str):
                continue
            value: Any = family_id if operator == "eq" else [family_id]
            condition = {"field": "product_family_id", "operator": operator, "value": value}
            before = self.client.stats["requests"]
            for row in self.client.search_all(
                "/api/v1/products/search",
                filters=[[condition, *since_conditions]],
                attributes=["modified"],
            ):
                if isinstance(row, dict) and isinstance(row.get("id"), str):
                    self.family_of[row["id"]] = family_id
            self.family_searches += self.client.stats["requests"] - before
        self.logger.info(
            "products: families of %d products read with %d product searches "
            "(v1 search rows carry no product_family_id)",
            len(self.family_of),
            self.family_searches,
        )
        return self.family_of

    def request_records(self, context: Context | None) -> Iterable[dict[str, Any]]:
        start = self.get_starting_replication_key_value(context)
        self.run_start = str(start) if start else None
        yield from super().request_records(context)

    def parse_response(self, response: requests.Response) -> Iterable[dict[str, Any]]:
        rows = self.page_rows(response)
        if (
            rows
            and self.client.generation() == "v1"
            and self.mask[("properties", "product_family_id")]
        ):
            family_of = self.families()
            for row in rows:
                row["product_family_id"] = family_of.get(row["id"])
        records = list(self.checked(rows, lambda row: product_record(row, self.types)))
        if records:
            self.page_ends.add(records[-1]["id"])
        yield from records

    def generate_child_contexts(
        self, record: dict[str, Any], context: Context | None
    ) -> Iterable[Context | None]:
        """One child context per page of products: the page's media links, in order."""
        if not any(c.selected or c.has_selected_descendents for c in self.child_streams):
            return
        self.links_pending.extend(product_asset_rows(record, self.types))
        if record["id"] in self.page_ends:
            self.page_ends.discard(record["id"])
            self.link_batch_count += 1
            number = self.link_batch_count
            self.link_batches[number] = self.links_pending
            self.links_pending = []
            yield {"products_page": number}

    def take_links(self, number: int) -> list[dict[str, Any]]:
        return self.link_batches.pop(number, [])


class ProductAssetsStream(Stream):
    """One row per (product, media attribute, asset) with the asset's position.

    Read from the products rows themselves, so it costs no request of its own.
    """

    name = "product_assets"
    primary_keys = ("product_id", "attribute_label", "asset_id")
    parent_stream_type = ProductsStream
    state_partitioning_keys: list[str] = []
    schema = PRODUCT_ASSETS_SCHEMA

    def get_records(self, context: Context | None) -> Iterable[dict[str, Any]]:
        if not context:
            return
        parent = self._tap.streams["products"]
        assert isinstance(parent, ProductsStream)
        yield from parent.take_links(int(context["products_page"]))
