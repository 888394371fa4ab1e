"""The `source_account` stream both taps emit: which Meltano environment and account a
landing is from.

One record a run, upserted on (environment, api_host, account), so a warehouse keeps one row
per account and environment it ever landed from. The plan (dbt model `landing_accounts`)
refuses a landing that holds rows of another environment or of more than one account on a
side, so a prod plan never writes what was extracted from a dev account. Each tap says only
how it knows its account (`identity`); the record and its schema are the same for both.
"""

from __future__ import annotations

import os
from abc import abstractmethod
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from singer_sdk import Stream
from singer_sdk import typing as th

if TYPE_CHECKING:
    from singer_sdk.helpers.types import Context


def source_account_schema(account_description: str) -> dict[str, Any]:
    """The stream's schema; `account` is described in the vendor's terms."""
    return th.PropertiesList(
        th.Property(
            "environment",
            th.StringType,
            required=True,
            description="The Meltano environment of the run (MELTANO_ENVIRONMENT, "
            "which Meltano sets for every plugin; empty outside Meltano).",
        ),
        th.Property(
            "api_host", th.StringType, required=True, description="Host (and port) of api_url."
        ),
        th.Property("account", th.StringType, required=True, description=account_description),
        th.Property("account_from", th.StringType, description="Where `account` comes from."),
        th.Property("landed_at", th.DateTimeType, description="When this run read the account."),
    ).to_dict()


class SourceAccountStream(Stream):
    """One record: the run's environment, API host and account (no request of its own)."""

    name = "source_account"
    primary_keys = ("environment", "api_host", "account")

    @abstractmethod
    def identity(self) -> tuple[str, str, str]:
        """(api_url, account, where the account comes from), from what the tap already holds."""

    def get_records(self, context: Context | None) -> Iterable[dict[str, Any]]:
        api_url, account, account_from = self.identity()
        yield {
            "environment": os.environ.get("MELTANO_ENVIRONMENT", ""),
            "api_host": urlsplit(api_url).netloc,
            "account": account,
            "account_from": account_from,
            "landed_at": datetime.now(UTC).isoformat(),
        }
