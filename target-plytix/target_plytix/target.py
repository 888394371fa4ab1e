"""target-plytix: products, images and rights into Plytix, idempotently and within limits."""

from __future__ import annotations

from functools import cached_property

from singer_sdk import Sink, Target
from singer_sdk import typing as th
from tap_plytix import cli
from tap_plytix.api import DEFAULT_SKU_EQ_PER_SEARCH, ClientSettings, ConfigError, PlytixClient
from tap_plytix.config_check import check_config
from tap_plytix.settings_schema import CONNECTION_SETTINGS

from target_plytix.asset_urls import DEFAULT_ASSET_HOSTS, AssetUrlPolicy
from target_plytix.contracts import KINDS, PRODUCTS, SKU_NORMALISATIONS, kind_of
from target_plytix.outcomes import OutcomeLog
from target_plytix.remote import Remote
from target_plytix.sinks import ConnectionCheckSink, ProductMediaSink, ProductsSink
from target_plytix.writer import ProductWriter, WriterSettings

MELTANO_TEST_STREAM = "meltano_test_stream"
"""What `meltano config test` sends a loader: accepted, checked against Plytix, not written."""

TARGET_SETTINGS = th.PropertiesList(
    *CONNECTION_SETTINGS.wrapped.values(),
    th.Property("sku_normalization", th.StringType, default="trim",
                allowed_values=list(SKU_NORMALISATIONS),
                description="How SKUs of records and of Plytix are compared: none, trim "
                            "(default), upper or lower (both also trim)."),
    th.Property("create_missing_products", th.BooleanType, default=False,
                description="Create a product for a `products` record whose SKU is not in "
                            "Plytix (default: reject the record)."),
    th.Property("media_write_mode", th.StringType, default="patch",
                allowed_values=["patch", "link"],
                description="patch: thumbnail, single and gallery media attributes are set "
                            "with the product's single PATCH (fewest calls). link: one "
                            "link/unlink call per asset, for accounts that may not PATCH media."),
    th.Property("patch_semantics", th.StringType, default="replace",
                allowed_values=["replace", "merge"],
                description="What PATCH does to the attribute map. replace (safe default): "
                            "the whole map is read and written back, so nothing is lost "
                            "whichever semantics the account has. merge: only changed keys "
                            "are sent; use only where PATCH is known to merge."),
    th.Property("max_columns_per_search", th.IntegerType,
                description="Columns one product search may ask for when reading current "
                            "values. Unset (default): the generation's cap, 20 on v1 and 50 "
                            "on v2."),
    th.Property("sku_eq_per_search", th.IntegerType, default=DEFAULT_SKU_EQ_PER_SEARCH,
                description="SKUs looked up by one product search where the account has no "
                            "`sku in` filter (v1): that many OR groups of `sku eq` a search. "
                            "Plytix documents no maximum; raise it to save searches where "
                            "the account takes more."),
    th.Property("verify_writes", th.BooleanType, default=True,
                description="Read every written product back and reject a record whose field "
                            "Plytix did not keep (it ignores keys it does not know, and v2 "
                            "answers a write with ids only). Costs one search per group of "
                            "written products, no write."),
    th.Property("dry_run", th.BooleanType, default=False,
                description="Read what is needed and report what would change; write nothing."),
    th.Property("outcomes_path", th.StringType,
                description="Write one JSON line per record (stream, sku, outcome, reason) "
                            "to this file."),
    th.Property("allowed_asset_hosts", th.ArrayType(th.StringType),
                default=list(DEFAULT_ASSET_HOSTS),
                description="Hosts Plytix may download asset URLs from (`*.example.com` "
                            "matches subdomains). URLs must be https; others, and URLs on "
                            "other hosts, are rejected, so a record cannot make Plytix fetch "
                            "an internal address. Default: PhotoShelter's link hosts. "
                            "Loopback hosts count only when listed or when api_url is itself "
                            "loopback (a local emulator)."),
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

    @cached_property
    def client(self) -> PlytixClient:
        return cli.plugin_client(self.config)

    def _validate_config(self, *, raise_errors: bool = True) -> list[str]:
        """Every setting checked up front: one line naming the setting.

        (Overrides the SDK hook, whose errors are several log lines.)
        """
        check_config(self.config, self.config_jsonschema)
        settings = ClientSettings.from_config(self.config)
        self.asset_urls = AssetUrlPolicy.from_settings(self.config.get("allowed_asset_hosts"),
                                                       settings.api_url)
        eq_per_search = self.config.get("sku_eq_per_search", DEFAULT_SKU_EQ_PER_SEARCH)
        if isinstance(eq_per_search, bool) or not isinstance(eq_per_search, int) \
                or eq_per_search < 1:
            raise ConfigError("setting sku_eq_per_search must be a whole number >= 1, "
                              f"got {eq_per_search!r}")
        return super()._validate_config(raise_errors=raise_errors)

    @cached_property
    def outcomes(self) -> OutcomeLog:
        return OutcomeLog(self.config.get("outcomes_path"),
                          dry_run=bool(self.config.get("dry_run")))

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
        remote = Remote(self.client, int(self.config.get("sku_eq_per_search")
                                         or DEFAULT_SKU_EQ_PER_SEARCH))
        return ProductWriter(self.client, remote, settings, self.outcomes)

    @property
    def max_parallelism(self) -> int:
        """Both sinks share one writer (one write per product), so draining is serial."""
        return 1

    @max_parallelism.setter
    def max_parallelism(self, value: int) -> None:
        """The SDK sets it from config; the writer is serial regardless."""

    def get_sink_class(self, stream_name: str) -> type[Sink]:
        if stream_name == MELTANO_TEST_STREAM:
            self.only_test_stream = not self._data_streams
            return ConnectionCheckSink
        self._data_streams = True
        self.only_test_stream = False
        kind = kind_of(stream_name)
        if kind is None:
            raise ConfigError(f"stream {stream_name!r} is not one of {', '.join(KINDS)} "
                              "(a prefix such as outbox_products is allowed)")
        return ProductsSink if kind == PRODUCTS else ProductMediaSink

    def check_connection(self, stream_name: str) -> None:
        """One read with the configured credentials (a token and a one-row search)."""
        self.client.search_page("/attributes/product/search",
                                {"pagination": {"page": 1, "page_size": 1}})
        self.logger.info("%s: Plytix accepted the credentials; the record was not written "
                         "(it is not a product)", stream_name)

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
                self.client.generation() if writer.remote.lookups else "not asked",
                self.client.stats["requests"], writer.writes, writer.remote.lookups,
                writer.verified, writer.not_kept, writer.adopted, writer.replaced_by_new,
                ", dry run" if writer.settings.dry_run else "", self.outcomes.summary())
            self.outcomes.close()


def main() -> None:
    """The `target-plytix` command: SDK CLI, with every failure as one line and exit code 1."""
    cli.run(TargetPlytix, "target-plytix")


if __name__ == "__main__":
    main()
