"""Streams of definitions and assets: attributes, families, categories, assets."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import requests
from pim_dam_core.errors import BadRowError
from plytix_api import PlytixApiError

from tap_plytix.records import ASSET_COLUMNS, asset_record
from tap_plytix.schemas import (
    ASSETS_SCHEMA,
    CATEGORIES_SCHEMA,
    PRODUCT_ATTRIBUTES_SCHEMA,
    PRODUCT_FAMILIES_SCHEMA,
)
from tap_plytix.search_streams import IncrementalSearchStream, PlytixStream


class AssetsStream(IncrementalSearchStream):
    """Every asset (file) of the account, incremental on `modified`."""

    name = "assets"
    primary_keys = ("id",)
    search_path = "/assets/search"
    wanted_columns = ["modified", *(c for c in ASSET_COLUMNS if c != "modified")]
    schema = ASSETS_SCHEMA

    def parse_response(self, response: requests.Response) -> Iterable[dict[str, Any]]:
        yield from self.checked(self.page_rows(response), asset_record)


class ProductAttributesStream(PlytixStream):
    """Custom attribute definitions, with their type and options."""

    name = "product_attributes"
    primary_keys = ("id",)
    search_path = "/attributes/product/search"
    columns = ["label", "name", "type_class", "groups", "options"]
    schema = PRODUCT_ATTRIBUTES_SCHEMA


class ProductFamiliesStream(IncrementalSearchStream):
    """Families and their attributes with each one's `attribute_level` (`parent_level`,
    `variant_level`, `no_level`; Plytix has no "required" flag), incremental on `modified`.

    There is no bulk read of family attributes (one `GET /product_families/{id}/attributes`
    per family), so only families modified since the bookmark are read: a run with no
    change costs one search. Linking or unlinking attributes moves a family's `modified`.
    """

    name = "product_families"
    primary_keys = ("id",)
    search_path = "/product_families/search"
    wanted_columns = ["modified", "name", "created"]
    schema = PRODUCT_FAMILIES_SCHEMA
    filter_resource = None

    def parse_response(self, response: requests.Response) -> Iterable[dict[str, Any]]:
        yield from self.checked(self.page_rows(response), self.with_attributes)

    def with_attributes(self, row: dict[str, Any]) -> dict[str, Any]:
        try:
            linked = self.client.data("GET", f"/api/v1/product_families/{row['id']}/attributes")
        except PlytixApiError as error:
            if error.status != 404:
                raise
            raise BadRowError("the family was deleted while it was being read") from None
        return {
            "id": row["id"],
            "name": row.get("name"),
            "created": row.get("created"),
            "modified": row.get("modified"),
            "attributes": [
                {
                    "id": a.get("id"),
                    "label": a.get("label"),
                    "attribute_level": a.get("attribute_level"),
                }
                for a in linked
                if isinstance(a, dict)
            ],
        }


class ProductCategoriesStream(PlytixStream):
    name = "product_categories"
    primary_keys = ("id",)
    search_path = "/categories/product/search"
    columns = ["name", "slug", "path", "parents_ids", "n_children", "order"]
    schema = CATEGORIES_SCHEMA


class AssetCategoriesStream(ProductCategoriesStream):
    name = "asset_categories"
    search_path = "/categories/file/search"
