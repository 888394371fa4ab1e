"""The four outbox streams, in the record shapes of the targets' contracts.

Stream names are the contract names (`products`, `product_media`, `media_metadata`,
`galleries`); each reads the dbt outbox model of the same meaning.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any, ClassVar

from singer_sdk import Stream
from singer_sdk import typing as th

from tap_warehouse.reader import WarehouseError, WarehouseReader

ANY_OBJECT = th.ObjectType(additional_properties=True)


class OutboxStream(Stream):
    """One outbox table: every row is one record; JSON columns become objects and arrays."""

    table: ClassVar[str]
    json_columns: ClassVar[tuple[str, ...]] = ()

    def __init__(self, tap: Any, reader: WarehouseReader) -> None:
        self.reader = reader
        super().__init__(tap)

    def get_records(self, context: dict | None) -> Iterable[dict[str, Any]]:
        schema_name = self.config.get("schema") or "outbox"
        wanted = list(self.schema["properties"])
        present = self.reader.columns(schema_name, self.table)
        missing = [c for c in wanted if c not in present and c in self.primary_keys]
        if missing:
            raise WarehouseError(
                f"table {schema_name}.{self.table} lacks key column(s) {', '.join(missing)}"
            )
        columns = [c for c in wanted if c in present]
        for row in self.reader.rows(schema_name, self.table, columns, list(self.primary_keys)):
            yield {key: self.decoded(key, value) for key, value in row.items()}

    def decoded(self, column: str, value: Any) -> Any:
        """JSON text (DuckDB `json` columns arrive as str) to Python objects."""
        if column in self.json_columns and isinstance(value, str):
            try:
                return json.loads(value)
            except ValueError:
                raise WarehouseError(
                    f"table {self.table}: column {column} is not valid JSON: {value[:80]!r}"
                ) from None
        return value


class ProductsStream(OutboxStream):
    """target-plytix `products`: attributes to set on one product."""

    name = "products"
    table = "plytix_products"
    primary_keys: ClassVar[list[str]] = ["sku"]
    json_columns = ("attributes", "categories")
    schema = th.PropertiesList(
        th.Property("sku", th.StringType, required=True),
        th.Property("label", th.StringType),
        th.Property("status", th.StringType),
        th.Property("attributes", ANY_OBJECT),
        th.Property("categories", th.ArrayType(th.StringType)),
    ).to_dict()


class ProductMediaStream(OutboxStream):
    """target-plytix `product_media`: the ordered assets of one media attribute."""

    name = "product_media"
    table = "plytix_product_media"
    primary_keys: ClassVar[list[str]] = ["sku", "attribute_label"]
    json_columns = ("assets",)
    schema = th.PropertiesList(
        th.Property("sku", th.StringType, required=True),
        th.Property("attribute_label", th.StringType, required=True),
        th.Property("assets", th.ArrayType(th.ObjectType(
            th.Property("source_id", th.StringType, required=True),
            th.Property("url", th.StringType),
            th.Property("filename", th.StringType),
            th.Property("checksum", th.StringType),
        ))),
    ).to_dict()


class MediaMetadataStream(OutboxStream):
    """target-photoshelter `media_metadata`: product data onto one image."""

    name = "media_metadata"
    table = "photoshelter_media_metadata"
    primary_keys: ClassVar[list[str]] = ["media_id"]
    json_columns = ("iptc", "keywords", "custom_metadata")
    schema = th.PropertiesList(
        th.Property("media_id", th.StringType, required=True),
        th.Property("iptc", ANY_OBJECT),
        th.Property("keywords", th.ArrayType(th.StringType)),
        th.Property("custom_metadata", ANY_OBJECT),
    ).to_dict()


class GalleriesStream(OutboxStream):
    """target-photoshelter `galleries`: a creative hand-off gallery and its media."""

    name = "galleries"
    table = "photoshelter_galleries"
    primary_keys: ClassVar[list[str]] = ["parent", "name"]
    json_columns = ("media_ids",)
    schema = th.PropertiesList(
        th.Property("name", th.StringType, required=True),
        th.Property("parent", th.StringType, required=True),
        th.Property("description", th.StringType),
        th.Property("media_ids", th.ArrayType(th.StringType)),
    ).to_dict()


STREAM_TYPES: tuple[type[OutboxStream], ...] = (
    ProductsStream, ProductMediaStream, MediaMetadataStream, GalleriesStream,
)
