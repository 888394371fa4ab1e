"""The outbox streams, one per record contract of pim_dam_contracts.

Stream names are the contract names (`products`, `product_media`, `media_metadata`,
`galleries`); each reads the dbt outbox model its contract names (`x-outbox-model`), and its
schema and key are the contract's.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

from pim_dam_contracts import Contract, contract
from singer_sdk import Stream

from tap_warehouse.reader import WarehouseError, WarehouseReader

STREAM_ORDER = ("products", "product_media", "media_metadata", "galleries")
"""The order the streams are emitted in: Plytix first, a product's fields before its media."""
JSON_TYPES = frozenset({"object", "array"})


def stream_schema(record_contract: Contract) -> dict[str, Any]:
    """The contract's record schema with its key columns required and not null: an outbox
    row always has its key, whatever a loader accepts."""
    schema = record_contract.record_schema()
    for key in record_contract.key_properties:
        spec = schema["properties"][key]
        spec["type"] = [t for t in types_of(spec) if t != "null"]
    required = [*schema["required"]]
    required += [k for k in record_contract.key_properties if k not in required]
    schema["required"] = required
    return schema


def types_of(spec: dict[str, Any]) -> list[str]:
    types = spec.get("type", [])
    return [types] if isinstance(types, str) else list(types)


class OutboxStream(Stream):
    """One outbox table: every row is one record; JSON columns become objects and arrays."""

    def __init__(self, tap: Any, reader: WarehouseReader, stream: str) -> None:
        self.reader = reader
        self.contract = contract(stream)
        self.table = self.contract.outbox_model
        super().__init__(tap, schema=stream_schema(self.contract), name=stream)
        self.primary_keys = list(self.contract.key_properties)
        self.json_columns = tuple(
            name
            for name, spec in self.schema["properties"].items()
            if JSON_TYPES & set(types_of(spec))
        )

    def get_records(self, context: Mapping[str, Any] | None) -> Iterable[dict[str, Any]]:
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
