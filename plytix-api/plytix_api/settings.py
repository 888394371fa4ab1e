"""The connection settings shared by tap-plytix and target-plytix, read from a config dict."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from pim_dam_core.backoff import Backoff
from pim_dam_core.errors import ConfigError
from pim_dam_core.redaction import register_secret
from pim_dam_core.urls import base_url_problem

DEFAULT_API_URL = "https://pim.plytix.com"
DEFAULT_AUTH_URL = "https://auth.plytix.com"
CREDENTIALS = ("api_key", "api_password", "access_token")
WHOLE_NUMBERS = ("requests_per_10s", "requests_per_hour", "auth_requests_per_second", "max_retries")
SECONDS = (
    "request_timeout",
    "backoff_base_seconds",
    "backoff_max_seconds",
    "rate_limit_fallback_seconds",
    "auth_rate_limit_fallback_seconds",
)
API_VERSIONS = ("auto", "v2", "v1")
GENERATION_SUFFIXES = ("/api/v1", "/api/v2")


def api_root(url: str) -> str:
    """The host (or proxy prefix) under which `/api/v1` and `/api/v2` live.

    `api_url` may be given either way: `https://pim.plytix.com` or the older
    `https://pim.plytix.com/api/v1` (or `/api/v2`); both name the same account.
    """
    url = url.rstrip("/")
    for suffix in GENERATION_SUFFIXES:
        if url.endswith(suffix):
            return url[: -len(suffix)]
    return url


@dataclass(frozen=True)
class ClientSettings:
    """Credentials, hosts, the account's rate limits and the retry policy."""

    api_url: str = DEFAULT_API_URL
    """The v1 base (`<root>/api/v1`): relative paths of `PlytixClient.request` go here."""
    auth_url: str = DEFAULT_AUTH_URL
    api_key: str | None = None
    api_password: str | None = None
    access_token: str | None = None
    allow_insecure: bool = False
    requests_per_10s: int = 20
    requests_per_hour: int = 2000
    auth_requests_per_second: int = 8
    max_retries: int = 8
    request_timeout: float = 60.0
    backoff_base_seconds: float = 0.5
    backoff_max_seconds: float = 30.0
    api_version: str = "auto"
    max_columns_per_search: int | None = None
    """None: the generation's cap (20 on v1, 50 on v2); only an explicit setting overrides."""
    rate_limit_fallback_seconds: float = 10.0
    """Wait after an API 429 that has no Retry-After (one 10-second window)."""
    auth_rate_limit_fallback_seconds: float = 60.0
    """Wait after an auth-host 429 that has no Retry-After (real clients wait minutes)."""

    @property
    def backoff(self) -> Backoff:
        """The retry policy of every request (API, auth host, public downloads)."""
        return Backoff(self.max_retries, self.backoff_base_seconds, self.backoff_max_seconds)

    @property
    def api_root(self) -> str:
        return api_root(self.api_url)

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> ClientSettings:
        """Validate and build; a problem raises ConfigError naming the setting."""
        for name in CREDENTIALS:
            value = config.get(name)
            if isinstance(value, str):
                register_secret(value)
            elif value is not None:
                raise ConfigError(f"setting {name} must be text")
        has_password = bool(config.get("api_key")) and bool(config.get("api_password"))
        if not has_password and not config.get("access_token"):
            if config.get("api_key") or config.get("api_password"):
                missing, given = (
                    ("api_password", "api_key")
                    if config.get("api_key")
                    else ("api_key", "api_password")
                )
                raise ConfigError(f"setting {missing} is required with {given}")
            raise ConfigError("set api_key and api_password, or access_token")
        values: dict[str, Any] = {}
        for name, default in cls.__dataclass_fields__.items():
            if config.get(name) is not None:
                values[name] = config[name]
            elif name not in CREDENTIALS:
                values[name] = default.default
        if not isinstance(values["allow_insecure"], bool):
            raise ConfigError(
                f"setting allow_insecure must be true or false, got {values['allow_insecure']!r}"
            )
        for name in ("api_url", "auth_url"):
            problem = base_url_problem(values[name], allow_insecure=values["allow_insecure"])
            if problem:
                raise ConfigError(f"setting {name} {problem}")
            values[name] = str(values[name]).rstrip("/")
        values["api_url"] = api_root(values["api_url"]) + "/api/v1"
        if values["api_version"] not in API_VERSIONS:
            raise ConfigError(
                f"setting api_version must be one of {', '.join(API_VERSIONS)}, "
                f"got {values['api_version']!r}"
            )
        cap = values["max_columns_per_search"]
        if cap is not None and (not isinstance(cap, int) or isinstance(cap, bool) or cap < 1):
            raise ConfigError(
                f"setting max_columns_per_search must be a whole number >= 1 "
                f"(or unset: the API generation's cap), got {cap!r}"
            )
        for name in WHOLE_NUMBERS:
            if (
                not isinstance(values[name], int)
                or isinstance(values[name], bool)
                or values[name] < 0
            ):
                raise ConfigError(
                    f"setting {name} must be a whole number >= 0 "
                    f"(0 = no limit), got {values[name]!r}"
                )
        for name in SECONDS:
            value, least = values[name], ("> 0" if name == "request_timeout" else ">= 0")
            number = isinstance(value, int | float | Decimal) and not isinstance(value, bool)
            if not number or value < 0 or (least == "> 0" and value == 0):
                raise ConfigError(
                    f"setting {name} must be a number of seconds {least}, got {value!r}"
                )
            values[name] = float(value)
        if not has_password:
            values.pop("api_key", None)
            values.pop("api_password", None)
        return cls(**values)
