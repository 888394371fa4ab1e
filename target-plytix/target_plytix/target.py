"""target-plytix: products, images and rights into Plytix, idempotently and within limits."""

from __future__ import annotations

from functools import cached_property
from typing import Any

from pim_dam_core import cli
from pim_dam_core.outcomes import OutcomeLog
from pim_dam_core.settings_check import check_settings, config_error
from plytix_api import DEFAULT_SKU_EQ_PER_SEARCH, ClientSettings, ConfigError, PlytixClient
from plytix_api.settings_schema import CONNECTION_SETTINGS
from singer_sdk import Sink, Target
from singer_sdk import typing as th
from singer_sdk.exceptions import ConfigValidationError

from target_plytix.asset_urls import DEFAULT_ASSET_HOSTS, AssetUrlPolicy
from target_plytix.contracts import KINDS, PRODUCTS, SKU_NORMALISATIONS, kind_of
from target_plytix.plytix_cache import PlytixCache
from target_plytix.sinks import ConnectionCheckSink, ProductMediaSink, ProductsSink
from target_plytix.writer import ProductWriter, WriterSettings

MELTANO_TEST_STREAM = "meltano_test_stream"
"""What `meltano config test` sends a loader: accepted, checked against Plytix, not written."""

TARGET_SETTINGS = th.PropertiesList(
    *CONNECTION_SETTINGS.wrapped.values(),
    th.Property(
        "sku_normalization",
        th.StringType,
        default="trim",
        allowed_values=list(SKU_NORMALISATIONS),
        description="How SKUs of records and of Plytix are compared: none, trim "
        "(default), upper or lower (both also trim).",
    ),
    th.Property(
        "create_missing_products",
        th.BooleanType,
        default=False,
        description="Create a product for a `products` record whose SKU is not in "
        "Plytix (default: reject the record).",
    ),
    th.Property(
        "media_write_mode",
        th.StringType,
        default="patch",
        allowed_values=["patch", "link"],
        description="patch: thumbnail, single and gallery media attributes are set "
        "with the product's single PATCH (fewest calls). link: one "
        "link/unlink call per asset, for accounts that may not PATCH media.",
    ),
    th.Property(
        "patch_semantics",
        th.StringType,
        default="replace",
        allowed_values=["replace", "merge"],
        description="What PATCH does to the attribute map. replace (safe default): "
        "the whole map is read and written back, so nothing is lost "
        "whichever semantics the account has. merge: only changed keys "
        "are sent; use only where PATCH is known to merge.",
    ),
    th.Property(
        "max_columns_per_search",
        th.IntegerType(minimum=1),
        description="Columns one product search may ask for when reading current "
        "values. Unset (default): the generation's cap, 20 on v1 and 50 "
        "on v2.",
    ),
    th.Property(
        "sku_eq_per_search",
        th.IntegerType(minimum=1),
        default=DEFAULT_SKU_EQ_PER_SEARCH,
        description="SKUs looked up by one product search where the account has no "
        "`sku in` filter (v1): that many OR groups of `sku eq` a search. "
        "Plytix documents no maximum; raise it to save searches where "
        "the account takes more.",
    ),
    th.Property(
        "verify_writes",
        th.BooleanType,
        default=True,
        description="Read every written product back and reject a record whose field "
        "Plytix did not keep (it ignores keys it does not know, and v2 "
        "answers a write with ids only). Costs one search per group of "
        "written products, no write.",
    ),
    th.Property(
        "dry_run",
        th.BooleanType,
        default=False,
        description="Read what is needed and report what would change; write nothing.",
    ),
    th.Property(
        "outcomes_path",
        th.StringType,
        description="JSON lines file that every run appends one line per record "
        "outcome to (created, updated, unchanged, rejected), each with "
        "the run's run_id; {run_id} in the path gives one file per run.",
    ),
    th.Property(
        "allowed_asset_hosts",
        th.ArrayType(th.StringType),
        default=list(DEFAULT_ASSET_HOSTS),
        description="Hosts Plytix may download asset URLs from (`*.example.com` "
        "matches subdomains). URLs must be https; others, and URLs on "
        "other hosts, are rejected, so a record cannot make Plytix fetch "
        "an internal address. Default: PhotoShelter's link hosts. "
        "Loopback hosts count only when listed or when api_url is itself "
        "loopback (a local emulator).",
    ),
)


class TargetPlytix(Target):
    """Singer target for Plytix PIM (`products`, `product_media`)."""

    name = "target-plytix"
    package_name = "pim-dam-sync-target-plytix"  # the distribution, for --version and --about
    config_jsonschema = TARGET_SETTINGS.to_dict()
    default_sink_class = ProductsSink
    only_test_stream = False
    """Only Meltano's test stream came: no summary, and the last sync's outcomes stay."""
    _data_streams = False

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        """Every setting is checked up front: one line naming the setting, before any
        request (schema ranges and patterns in `config_jsonschema`). Both sinks share one
        writer (one write per product), so sinks are drained one at a time."""
        try:
            super().__init__(*args, **kwargs)
        except ConfigValidationError as refused:
            raise config_error(self.config, self.config_jsonschema, refused.errors) from None
        assert self.settings and self.asset_urls
        self.max_parallelism = 1

    @cached_property
    def settings(self) -> ClientSettings:
        """The settings checked against the schema, then as a Plytix connection."""
        check_settings(self.config, self.config_jsonschema)
        return ClientSettings.from_config(self.config)

    @cached_property
    def asset_urls(self) -> AssetUrlPolicy:
        """Which hosts Plytix may fetch images from (`allowed_asset_hosts`)."""
        return AssetUrlPolicy.from_settings(
            self.config.get("allowed_asset_hosts"), self.settings.api_url
        )

    @cached_property
    def client(self) -> PlytixClient:
        """One client, one token and one pacer for both sinks (secrets are redacted in the
        logs from here on)."""
        cli.install_log_filters()
        return PlytixClient(self.settings)

    @cached_property
    def outcomes(self) -> OutcomeLog:
        return OutcomeLog(
            self.config.get("outcomes_path"),
            title="target-plytix outcomes",
            dry_run=bool(self.config.get("dry_run")),
            flush_each=False,
        )

    @cached_property
    def writer(self) -> ProductWriter:
        settings = WriterSettings(
            sku_normalization=self.config.get("sku_normalization", "trim"),
            create_missing_products=bool(self.config.get("create_missing_products")),
            media_write_mode=self.config.get("media_write_mode", "patch"),
            patch_semantics=self.config.get("patch_semantics", "replace"),
            dry_run=bool(self.config.get("dry_run")),
            verify_writes=self.config.get("verify_writes", True) is not False,
            asset_urls=self.asset_urls,
        )
        cache = PlytixCache(
            self.client, int(self.config.get("sku_eq_per_search") or DEFAULT_SKU_EQ_PER_SEARCH)
        )
        return ProductWriter(self.client, cache, settings, self.outcomes)

    def get_sink_class(self, stream_name: str) -> type[Sink]:
        if stream_name == MELTANO_TEST_STREAM:
            self.only_test_stream = not self._data_streams
            return ConnectionCheckSink
        self._data_streams = True
        self.only_test_stream = False
        kind = kind_of(stream_name)
        if kind is None:
            raise ConfigError(
                f"stream {stream_name!r} is not one of {', '.join(KINDS)} "
                "(a prefix such as outbox_products is allowed)"
            )
        return ProductsSink if kind == PRODUCTS else ProductMediaSink

    def check_connection(self, stream_name: str) -> None:
        """One read with the configured credentials (a token and a one-row search)."""
        self.client.search_page(
            "/attributes/product/search", {"pagination": {"page": 1, "page_size": 1}}
        )
        self.logger.info(
            "%s: Plytix accepted the credentials; the record was not written (it is not a product)",
            stream_name,
        )

    def process_endofpipe(self) -> None:
        if self.only_test_stream:
            super().process_endofpipe()
            return
        try:
            super().process_endofpipe()
        finally:
            self.outcomes.flush()
            writer = self.writer
            self.logger.info(
                "target-plytix summary (API %s for products; %s requests, %s writes, "
                "%s SKU searches, %s products verified by reading back, %s records whose "
                "field Plytix did not keep, %s assets adopted, %s new for a format "
                "change%s):\n%s",
                self.client.generation() if writer.cache.lookups else "not asked",
                self.client.stats["requests"],
                writer.writes,
                writer.cache.lookups,
                writer.verified,
                writer.not_kept,
                writer.adopted,
                writer.replaced_by_new,
                ", dry run" if writer.settings.dry_run else "",
                self.outcomes.summary(),
            )
            self.outcomes.close()


def main() -> None:
    """The `target-plytix` command: SDK CLI, with every failure as one line and exit code 1."""
    cli.run(TargetPlytix, "target-plytix")


if __name__ == "__main__":
    main()
