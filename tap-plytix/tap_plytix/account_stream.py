"""The Plytix `source_account` record (see pim_dam_core.source_account for why it exists).

The account: the token's `account_id` claim when Plytix puts one there (claim names are
unconfirmed, see docs/apis/plytix.md), else a fingerprint of the API host and api_key (the
first 16 hex digits of a SHA-256: it tells two keys apart but cannot give the key back).
Neither costs a request: the token is the one the other streams use.
"""

from __future__ import annotations

import hashlib
from typing import Any
from urllib.parse import urlsplit

from pim_dam_core.source_account import SourceAccountStream, source_account_schema
from plytix_api.limits import jwt_claims

ACCOUNT_CLAIM = "account_id"


def fingerprint(*parts: str) -> str:
    """16 hex digits of a SHA-256 of `parts`: equal inputs, equal output; not reversible."""
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:16]


def account_identity(claims: dict[str, Any], api_host: str, api_key: str | None) -> tuple[str, str]:
    """(account, where it comes from), from the token's claims or the key's fingerprint."""
    claimed = claims.get(ACCOUNT_CLAIM)
    if isinstance(claimed, str | int) and str(claimed).strip():
        return str(claimed).strip(), f"token claim {ACCOUNT_CLAIM}"
    if api_key:
        return f"key-{fingerprint(api_host, api_key)}", "fingerprint of api_url and api_key"
    return (f"host-{fingerprint(api_host)}", "api_url only (access_token without an account claim)")


class PlytixSourceAccountStream(SourceAccountStream):
    """The environment and Plytix account of this run (one record)."""

    schema = source_account_schema(
        "The Plytix account: the token's account claim, or a fingerprint of the API host "
        "and api_key."
    )

    def identity(self) -> tuple[str, str, str]:
        client = self._tap.client  # type: ignore[attr-defined]
        api_url = client.settings.api_url
        account, source = account_identity(
            jwt_claims(client.tokens.token()), urlsplit(api_url).netloc, self.config.get("api_key")
        )
        return api_url, account, source
