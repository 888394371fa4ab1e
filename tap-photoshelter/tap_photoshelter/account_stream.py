"""The `source_account` stream: which Meltano environment and PhotoShelter organisation a
landing is from.

One record a run, upserted on (environment, api_host, account), so a warehouse keeps one row
per organisation and environment it ever landed from. The plan (dbt model `landing_accounts`)
refuses a landing that holds rows of another environment or of more than one organisation,
so a prod plan never writes what was extracted from a dev account. The organisation is the
one the session is bound to (the login answers it): no request of its own.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from singer_sdk import Stream
from singer_sdk import typing as th

if TYPE_CHECKING:
    from singer_sdk.helpers.types import Context

SOURCE_ACCOUNT_SCHEMA = th.PropertiesList(
    th.Property("environment", th.StringType, required=True,
                description="The Meltano environment of the run (MELTANO_ENVIRONMENT, which "
                            "Meltano sets for every plugin; empty outside Meltano)."),
    th.Property("api_host", th.StringType, required=True,
                description="Host (and port) of api_url."),
    th.Property("account", th.StringType, required=True,
                description="The organisation id the session is bound to."),
    th.Property("account_from", th.StringType, description="Where `account` comes from."),
    th.Property("landed_at", th.DateTimeType, description="When this run read the account."),
).to_dict()


class SourceAccountStream(Stream):
    """The environment and PhotoShelter organisation of this run (one record)."""

    name = "source_account"
    primary_keys = ("environment", "api_host", "account")
    schema = SOURCE_ACCOUNT_SCHEMA

    def get_records(self, context: Context | None) -> Iterable[dict[str, Any]]:
        api = self._tap.api  # type: ignore[attr-defined]
        yield {"environment": os.environ.get("MELTANO_ENVIRONMENT", ""),
               "api_host": urlsplit(api.settings.api_url).netloc, "account": api.org_id,
               "account_from": "organisation the session is bound to",
               "landed_at": datetime.now(UTC).isoformat()}
