"""tap-warehouse: settings and the list of outbox streams."""

from __future__ import annotations

from singer_sdk import Tap
from singer_sdk import typing as th

from tap_warehouse.reader import reader_for
from tap_warehouse.streams import STREAM_ORDER, OutboxStream


class TapWarehouse(Tap):
    """Streams the dbt outbox models (and nothing else) from a DuckDB file or Postgres."""

    name = "tap-warehouse"
    package_name = "pim-dam-sync-tap-warehouse"  # the distribution, for --version and --about
    config_jsonschema = th.PropertiesList(
        th.Property(
            "database",
            th.StringType,
            required=True,
            description="Path of the DuckDB warehouse file, or a postgresql:// URL "
            "of the Postgres warehouse.",
        ),
        th.Property(
            "schema",
            th.StringType,
            default="outbox",
            description="Schema holding the outbox models.",
        ),
        th.Property(
            "batch_size",
            th.IntegerType,
            default=1000,
            description="Rows fetched from the warehouse at a time.",
        ),
    ).to_dict()

    def discover_streams(self) -> list[OutboxStream]:
        reader = reader_for(self.config["database"], int(self.config.get("batch_size") or 1000))
        return [OutboxStream(self, reader, stream) for stream in STREAM_ORDER]


if __name__ == "__main__":
    TapWarehouse.cli()
