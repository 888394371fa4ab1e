"""The connection settings shared by tap-plytix and target-plytix, read from a config dict."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from tap_plytix.api.errors import ConfigError
from tap_plytix.api.redaction import register_secret

DEFAULT_API_URL = "https://pim.plytix.com/api/v1"
DEFAULT_AUTH_URL = "https://auth.plytix.com"


@dataclass(frozen=True)
class ClientSettings:
    """Credentials, hosts, the account's rate limits and the retry policy."""

    api_url: str = DEFAULT_API_URL
    auth_url: str = DEFAULT_AUTH_URL
    api_key: str | None = None
    api_password: str | None = None
    access_token: str | None = None
    requests_per_10s: int = 20
    requests_per_hour: int = 2000
    auth_requests_per_second: int = 8
    max_retries: int = 8
    request_timeout: float = 60.0
    backoff_base_seconds: float = 0.5
    backoff_max_seconds: float = 30.0

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> ClientSettings:
        """Validate and build; a problem raises ConfigError naming the setting."""
        for name in ("api_key", "api_password", "access_token"):
            register_secret(config.get(name))
        has_password = bool(config.get("api_key")) and bool(config.get("api_password"))
        if not has_password and not config.get("access_token"):
            if config.get("api_key") or config.get("api_password"):
                missing = "api_password" if config.get("api_key") else "api_key"
                raise ConfigError(f"setting {missing} is required with "
                                  f"{'api_key' if missing == 'api_password' else 'api_password'}")
            raise ConfigError("set api_key and api_password, or access_token")
        values: dict[str, Any] = {}
        for name, default in cls.__dataclass_fields__.items():
            if config.get(name) is not None:
                values[name] = config[name]
            elif name not in ("api_key", "api_password", "access_token"):
                values[name] = default.default
        for name in ("api_url", "auth_url"):
            parts = urlsplit(str(values[name]))
            if parts.scheme not in ("http", "https") or not parts.netloc:
                raise ConfigError(f"setting {name} must be an http(s) URL, got {values[name]!r}")
            values[name] = str(values[name]).rstrip("/")
        for name in ("requests_per_10s", "requests_per_hour", "auth_requests_per_second",
                     "max_retries"):
            if not isinstance(values[name], int) or isinstance(values[name], bool) \
                    or values[name] < 0:
                raise ConfigError(f"setting {name} must be a whole number >= 0 "
                                  f"(0 = no limit), got {values[name]!r}")
        for name in ("request_timeout", "backoff_base_seconds", "backoff_max_seconds"):
            try:
                values[name] = float(values[name])
            except (TypeError, ValueError):
                raise ConfigError(f"setting {name} must be a number of seconds, "
                                  f"got {values[name]!r}") from None
        if not has_password:
            values.pop("api_key", None)
            values.pop("api_password", None)
        return cls(**values)
