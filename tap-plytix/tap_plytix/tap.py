"""tap-plytix: products, assets and their definitions from the Plytix PIM API."""

from __future__ import annotations

from functools import cached_property
from typing import Any

from pim_dam_core import cli
from pim_dam_core.settings_check import check_settings, config_error
from plytix_api import ClientSettings, ConfigError, PlytixClient
from plytix_api.client import MAX_PAGE_SIZE
from plytix_api.settings_schema import CONNECTION_SETTINGS
from singer_sdk import Stream, Tap
from singer_sdk import typing as th
from singer_sdk.exceptions import ConfigValidationError

from tap_plytix.account_stream import PlytixSourceAccountStream
from tap_plytix.product_streams import ProductAssetsStream, ProductsStream
from tap_plytix.streams import (
    AssetCategoriesStream,
    AssetsStream,
    ProductAttributesStream,
    ProductCategoriesStream,
    ProductFamiliesStream,
)

TAP_SETTINGS = th.PropertiesList(
    *CONNECTION_SETTINGS.wrapped.values(),
    th.Property(
        "start_date",
        th.DateTimeType,
        description="Extract products and assets modified at or after this time on "
        "the first run (later runs continue from the bookmark).",
    ),
    th.Property(
        "page_size",
        th.IntegerType(minimum=1, maximum=MAX_PAGE_SIZE),
        default=MAX_PAGE_SIZE,
        description="Rows per search page (Plytix allows at most 100).",
    ),
    th.Property(
        "max_columns_per_search",
        th.IntegerType(minimum=1),
        description="Columns one search may ask for. Unset (the default): the API "
        "generation's cap, 50 on v2 and 20 on v1. More columns come in "
        "further column batches of the same page, merged by id.",
    ),
    th.Property(
        "attributes",
        th.ArrayType(th.StringType),
        description="Labels of the custom attributes to extract as typed columns "
        "(default: all). An unknown label stops the run naming it.",
    ),
)


class TapPlytix(Tap):
    """Singer tap for Plytix PIM."""

    name = "tap-plytix"
    package_name = "pim-dam-sync-tap-plytix"  # the distribution, for --version and --about
    config_jsonschema = TAP_SETTINGS.to_dict()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        """Every setting is checked up front, also for `--discover`: one line naming the
        setting, before any request (schema ranges and patterns in `config_jsonschema`)."""
        try:
            super().__init__(*args, **kwargs)
        except ConfigValidationError as refused:
            raise config_error(self.config, self.config_jsonschema, refused.errors) from None
        assert self.settings

    @cached_property
    def settings(self) -> ClientSettings:
        """The settings checked against the schema, then as a Plytix connection (the
        first stream or discovery to need the client checks them when the SDK did not)."""
        check_settings(self.config, self.config_jsonschema)
        return ClientSettings.from_config(self.config)

    @cached_property
    def client(self) -> PlytixClient:
        """One client, hence one token and one pacer, shared by every stream (secrets are
        redacted in the logs from here on)."""
        cli.install_log_filters()
        return PlytixClient(self.settings)

    def attribute_definitions(self) -> list[dict[str, Any]]:
        """The custom attributes to extract, in Plytix's order, as the setting selects."""
        found = list(
            self.client.search_all(
                "/attributes/product/search", attributes=["label", "name", "type_class"]
            )
        )
        wanted = self.config.get("attributes")
        if not wanted:
            return found
        known = {d["label"]: d for d in found}
        unknown = [label for label in wanted if label not in known]
        if unknown:
            raise ConfigError(
                f"setting attributes names unknown attribute(s) "
                f"{', '.join(map(repr, unknown))}; known: {', '.join(known)}"
            )
        return [known[label] for label in wanted]

    def discover_streams(self) -> list[Stream]:
        return [
            ProductsStream(self, self.attribute_definitions()),
            ProductAssetsStream(self),
            AssetsStream(self),
            ProductAttributesStream(self),
            ProductFamiliesStream(self),
            ProductCategoriesStream(self),
            AssetCategoriesStream(self),
            PlytixSourceAccountStream(self),
        ]


def main() -> None:
    """The `tap-plytix` command: SDK CLI, with every failure as one line and exit code 1."""
    cli.run(TapPlytix, "tap-plytix")


if __name__ == "__main__":
    main()
