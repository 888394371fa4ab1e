"""A real singer-sdk tap run through `pim_dam_core.cli`, failing as its config says."""

from __future__ import annotations

from typing import Any

from pim_dam_core import cli
from pim_dam_core.errors import ConnectorError
from pim_dam_core.redaction import register_secret
from pim_dam_core.settings_check import check_settings
from singer_sdk import Stream, Tap
from singer_sdk import typing as th


class TinyTap(Tap):
    name = "tap-tiny"
    config_jsonschema = th.PropertiesList(
        th.Property("api_key", th.StringType, secret=True),
        th.Property("page_size", th.IntegerType(minimum=1, maximum=10)),
        th.Property("fail", th.StringType),
    ).to_dict()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **{**kwargs, "validate_config": False})
        check_settings(self.config, self.config_jsonschema)
        register_secret(self.config.get("api_key"))
        cli.install_log_filters()

    def discover_streams(self) -> list[Stream]:
        failure = self.config.get("fail")
        if failure == "connector":
            raise ConnectorError(f"cannot reach the host with\n{self.config['api_key']}")
        if failure == "unexpected":
            self.logger.info("about to fail with %s", self.config["api_key"])
            raise KeyError(f"odd {self.config['api_key']}")
        return []


if __name__ == "__main__":
    cli.run(TinyTap, "tap-tiny")
