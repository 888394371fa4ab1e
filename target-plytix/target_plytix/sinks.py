"""One sink per record contract; both hand their records to the shared ProductWriter.

The writer is shared so that a product touched by a `products` record and by
`product_media` records in the same batch still gets a single write. A drain of either sink
flushes everything pending; a failed write raises, so the SDK never emits state past it.
"""

from __future__ import annotations

from typing import Any

from singer_sdk.sinks import BatchSink

from target_plytix.contracts import FIELDS, plain
from target_plytix.writer import ProductWriter


class PlytixSink(BatchSink):
    kind = ""
    max_size = 500

    def get_validator(self) -> None:
        """Contracts are checked by the writer, which rejects a bad record with its reason."""
        return None

    def __init__(
        self, target: Any, stream_name: str, schema: dict[str, Any], key_properties: Any = None
    ) -> None:
        """Key properties are not enforced by the SDK: a record without `sku` is rejected
        by the writer with its reason instead of failing the run."""
        self.writer: ProductWriter = target.writer
        super().__init__(target, stream_name, schema, [])
        columns = set(self.schema.get("properties") or {})
        extra = sorted(c for c in columns - FIELDS[self.kind] if not c.startswith("_sdc"))
        if extra:
            self.logger.warning(
                "stream %s: ignoring columns not in the %s contract: %s",
                self.stream_name,
                self.kind,
                ", ".join(extra),
            )

    def process_record(self, record: dict[str, Any], context: dict[str, Any]) -> None:
        self.writer.add(
            self.stream_name,
            self.kind,
            {k: plain(v) for k, v in record.items() if k in FIELDS[self.kind]},
        )

    def process_batch(self, context: dict[str, Any]) -> None:
        self.writer.flush()


class ProductsSink(PlytixSink):
    kind = "products"


class ProductMediaSink(PlytixSink):
    kind = "product_media"


class ConnectionCheckSink(BatchSink):
    """Meltano's `config test` stream (`meltano_test_stream`): its record is not a product,
    so nothing is written; the drain asks Plytix once with the configured credentials, so
    the test passes only when the target could really write."""

    def __init__(
        self, target: Any, stream_name: str, schema: dict[str, Any], key_properties: Any = None
    ) -> None:
        self.plugin = target
        super().__init__(target, stream_name, schema, key_properties)

    def get_validator(self) -> None:
        """Meltano's sample record is not validated: it is dropped."""
        return None

    def process_record(self, record: dict[str, Any], context: dict[str, Any]) -> None:
        """Meltano's sample record is dropped: it is not in either contract."""

    def process_batch(self, context: dict[str, Any]) -> None:
        self.plugin.check_connection(self.stream_name)
