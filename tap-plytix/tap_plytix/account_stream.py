"""The `source_account` stream: which Meltano environment and Plytix account a landing is from.

One record a run, upserted on (environment, api_host, account), so a warehouse keeps one row
per account and environment it ever landed from. The plan (dbt model `landing_accounts`)
refuses a landing that holds rows of another environment or of more than one account, so a
prod plan never writes what was extracted from a dev account.

The account: the token's `account_id` claim when Plytix puts one there (claim names are
unconfirmed, see docs/apis/plytix.md), else a fingerprint of the API host and api_key (the
first 16 hex digits of a SHA-256: it tells two keys apart but cannot give the key back).
Neither costs a request: the token is the one the other streams use.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from plytix_api.limits import jwt_claims
from singer_sdk import Stream
from singer_sdk import typing as th

if TYPE_CHECKING:
    from singer_sdk.helpers.types import Context

ACCOUNT_CLAIM = "account_id"

SOURCE_ACCOUNT_SCHEMA = th.PropertiesList(
    th.Property("environment", th.StringType, required=True,
                description="The Meltano environment of the run (MELTANO_ENVIRONMENT, which "
                            "Meltano sets for every plugin; empty outside Meltano)."),
    th.Property("api_host", th.StringType, required=True,
                description="Host (and port) of api_url."),
    th.Property("account", th.StringType, required=True,
                description="The Plytix account: the token's account claim, or a fingerprint "
                            "of the API host and api_key."),
    th.Property("account_from", th.StringType, description="Where `account` comes from."),
    th.Property("landed_at", th.DateTimeType, description="When this run read the account."),
).to_dict()


def fingerprint(*parts: str) -> str:
    """16 hex digits of a SHA-256 of `parts`: equal inputs, equal output; not reversible."""
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:16]


def account_identity(claims: dict[str, Any], api_host: str,
                     api_key: str | None) -> tuple[str, str]:
    """(account, where it comes from), from the token's claims or the key's fingerprint."""
    claimed = claims.get(ACCOUNT_CLAIM)
    if isinstance(claimed, str | int) and str(claimed).strip():
        return str(claimed).strip(), f"token claim {ACCOUNT_CLAIM}"
    if api_key:
        return f"key-{fingerprint(api_host, api_key)}", "fingerprint of api_url and api_key"
    return (f"host-{fingerprint(api_host)}",
            "api_url only (access_token without an account claim)")


class SourceAccountStream(Stream):
    """The environment and Plytix account of this run (one record)."""

    name = "source_account"
    primary_keys = ("environment", "api_host", "account")
    schema = SOURCE_ACCOUNT_SCHEMA

    def get_records(self, context: Context | None) -> Iterable[dict[str, Any]]:
        client = self._tap.client  # type: ignore[attr-defined]
        api_host = urlsplit(client.settings.api_url).netloc
        account, source = account_identity(jwt_claims(client.tokens.token()), api_host,
                                           self.config.get("api_key"))
        yield {"environment": os.environ.get("MELTANO_ENVIRONMENT", ""), "api_host": api_host,
               "account": account, "account_from": source,
               "landed_at": datetime.now(UTC).isoformat()}
