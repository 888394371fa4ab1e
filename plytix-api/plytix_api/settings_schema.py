"""The settings of the Plytix connection, shared by tap-plytix and target-plytix."""

from __future__ import annotations

from singer_sdk import typing as th

from plytix_api.settings import DEFAULT_API_URL, DEFAULT_AUTH_URL

CONNECTION_SETTINGS = th.PropertiesList(
    th.Property(
        "api_key",
        th.StringType,
        secret=True,
        description="Plytix API key (Settings > API). With api_password, tokens are "
        "fetched and renewed automatically.",
    ),
    th.Property(
        "api_password",
        th.StringType,
        secret=True,
        description="Plytix API password that goes with api_key.",
    ),
    th.Property(
        "access_token",
        th.StringType,
        secret=True,
        description="A pre-issued bearer token, instead of api_key/api_password. It "
        "cannot be renewed: the run stops with a clear error when it "
        "expires (Plytix tokens live 15 minutes).",
    ),
    th.Property(
        "api_url",
        th.StringType,
        default=DEFAULT_API_URL,
        description="Base URL of the Plytix PIM API: the host (https://pim.plytix.com)"
        "; a URL ending in /api/v1 or /api/v2 names the same host. v1 "
        "and v2 paths are built under it.",
    ),
    th.Property(
        "api_version",
        th.StringType,
        default="auto",
        allowed_values=["auto", "v2", "v1"],
        description="API generation for products: auto (ask v2 once per run, fall "
        "back to v1 when the account does not serve it), v2 or v1. "
        "Assets, definitions, families and categories are always v1.",
    ),
    th.Property(
        "auth_url",
        th.StringType,
        default=DEFAULT_AUTH_URL,
        description="Base URL of the Plytix auth host (POST /auth/api/get-token).",
    ),
    th.Property(
        "allow_insecure",
        th.BooleanType,
        default=False,
        description="Allow plain http:// api_url / auth_url on a host that is not "
        "loopback (the token then crosses the network unencrypted). "
        "Off by default; TLS certificates are always verified.",
    ),
    th.Property(
        "requests_per_10s",
        th.IntegerType,
        default=20,
        description="The account's request budget per 10 seconds (plan dependent: "
        "free 20, paid 50). The client paces itself to the smaller of "
        "this and the limit the token's claims or the rate-limit headers "
        "give; 0 = no limit of its own.",
    ),
    th.Property(
        "requests_per_hour",
        th.IntegerType,
        default=2000,
        description="The account's request budget per hour (free 2,000, paid 5,000 "
        "or more). The client paces itself to the smaller of this and "
        "the account's own limit when Plytix states it; 0 = no limit of "
        "its own.",
    ),
    th.Property(
        "auth_requests_per_second",
        th.IntegerType,
        default=8,
        description="Pace of token requests to the auth host (its own limit).",
    ),
    th.Property(
        "rate_limit_fallback_seconds",
        th.NumberType,
        default=10,
        description="Wait after a 429 from the API that carries no Retry-After "
        "(every thread pauses).",
    ),
    th.Property(
        "auth_rate_limit_fallback_seconds",
        th.NumberType,
        default=60,
        description="Wait after a 429 from the auth host that carries no "
        "Retry-After (paced apart from the API).",
    ),
    th.Property(
        "max_retries",
        th.IntegerType,
        default=8,
        description="Retries of one request on 429, 5xx, resets and timeouts, with "
        "exponential backoff and jitter (Retry-After is honoured).",
    ),
    th.Property(
        "backoff_base_seconds",
        th.NumberType,
        default=0.5,
        description="First backoff wait; it doubles per retry (with jitter).",
    ),
    th.Property(
        "backoff_max_seconds",
        th.NumberType,
        default=30,
        description="Longest backoff wait between two retries.",
    ),
    th.Property(
        "request_timeout",
        th.NumberType,
        default=60,
        description="Seconds to wait for one HTTP answer before retrying.",
    ),
)
"""Credentials, hosts, the account's rate limits and the retry policy."""
