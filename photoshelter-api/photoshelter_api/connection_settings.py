"""The connection settings tap-photoshelter and target-photoshelter share: one definition,
for both plugins' `config_jsonschema` and for the client (`ClientSettings.from_config`).

A plain `http://` api_url would send the API key and the session token in clear text, so it
is refused unless the host is loopback (the emulators, a local proxy) or `allow_insecure` is
set (`pim_dam_core.urls`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pim_dam_core.settings_check import check_settings
from pim_dam_core.urls import base_url_problem
from singer_sdk import typing as th

from photoshelter_api.errors import ConfigError
from photoshelter_api.login_session import Credentials

DEFAULT_API_URL = "https://www.photoshelter.com/psapi/v4.0"
API_KEY_SHAPE = re.compile(r"^[A-Za-z0-9._]{11}$")

CONNECTION_SETTINGS = th.PropertiesList(
    th.Property(
        "api_key",
        th.StringType,
        required=True,
        secret=True,
        description="PhotoShelter API key (11 characters), sent as X-PS-Api-Key.",
    ),
    th.Property(
        "email",
        th.StringType,
        description="Login email of the PhotoShelter user (with `password`).",
    ),
    th.Property(
        "password",
        th.StringType,
        secret=True,
        description="Password of the PhotoShelter user; the session is renewed "
        "automatically when it expires.",
    ),
    th.Property(
        "access_token",
        th.StringType,
        secret=True,
        description="OAuth bearer token, instead of email and password "
        "(cannot be renewed automatically).",
    ),
    th.Property(
        "org_id",
        th.StringType,
        description="Organisation to bind (O0000...). When absent and the user has "
        "exactly one organisation, that one is used.",
    ),
    th.Property(
        "api_url",
        th.StringType,
        default=DEFAULT_API_URL,
        description="Base URL of the PhotoShelter API v4.0 (https; plain http only "
        "for a loopback host or with `allow_insecure`).",
    ),
    th.Property(
        "allow_insecure",
        th.BooleanType,
        default=False,
        description="Allow a plain http:// `api_url` on a host that is not loopback "
        "(sends the API key and session token unencrypted: only for a "
        "trusted network). TLS certificates are always verified.",
    ),
    th.Property(
        "requests_per_window",
        th.IntegerType(minimum=0),
        default=0,
        description="Client-side request budget per `window_seconds` (0: pace only "
        "to the limit the server reports).",
    ),
    th.Property(
        "window_seconds",
        th.NumberType(exclusive_minimum=0),
        default=60,
        description="Length of the pacing window in seconds.",
    ),
    th.Property(
        "max_retries",
        th.IntegerType(minimum=0),
        default=5,
        description="Retries of a request after a 5xx or network error.",
    ),
    th.Property(
        "backoff_seconds",
        th.NumberType(minimum=0),
        default=1.0,
        description="First backoff delay; doubles per retry, with jitter.",
    ),
    th.Property(
        "request_timeout",
        th.NumberType(exclusive_minimum=0),
        default=60,
        description="Seconds to wait for one HTTP response.",
    ),
)
"""What `ClientSettings.from_config` reads."""
CONNECTION_SCHEMA = CONNECTION_SETTINGS.to_dict()


@dataclass(frozen=True)
class ClientSettings:
    """The connection settings both plugins share (see `from_config`)."""

    api_url: str
    credentials: Credentials
    requests_per_window: int = 0
    window_seconds: float = 60.0
    max_retries: int = 5
    backoff_seconds: float = 1.0
    max_backoff_seconds: float = 60.0
    timeout_seconds: float = 60.0
    user_agent: str = "pim-dam-sync"

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> ClientSettings:
        """Checked settings; ConfigError naming the first bad setting (types and ranges by
        the schema above, then what a schema cannot say)."""
        check_settings(config, CONNECTION_SCHEMA)
        api_key = str(config["api_key"])
        if not API_KEY_SHAPE.match(api_key):
            raise ConfigError(
                "setting api_key must be a PhotoShelter API key: 11 characters "
                "of letters, digits, '.' or '_'"
            )
        token = config.get("access_token") or None
        email, password = config.get("email") or None, config.get("password") or None
        if not token and not (email and password):
            missing = "password" if email else "email"
            raise ConfigError(
                f"setting {missing} is required (or set access_token instead of email and password)"
            )
        allow_insecure = bool(config.get("allow_insecure") or False)
        api_url = checked_api_url(config.get("api_url") or DEFAULT_API_URL, allow_insecure)
        return cls(
            api_url=api_url,
            credentials=Credentials(
                api_key=api_key,
                email=email,
                password=password,
                access_token=token,
                org_id=config.get("org_id") or None,
            ),
            requests_per_window=int(_given(config, "requests_per_window", 0)),
            window_seconds=float(_given(config, "window_seconds", 60.0)),
            max_retries=int(_given(config, "max_retries", 5)),
            backoff_seconds=float(_given(config, "backoff_seconds", 1.0)),
            timeout_seconds=float(_given(config, "request_timeout", 60.0)),
            user_agent=str(config.get("user_agent") or "pim-dam-sync"),
        )


def checked_api_url(raw: Any, allow_insecure: bool) -> str:
    """The URL without a trailing slash; ConfigError naming `api_url` when it is unusable."""
    url = raw.strip().rstrip("/") if isinstance(raw, str) else raw
    if problem := base_url_problem(url, allow_insecure=allow_insecure):
        raise ConfigError(f"setting api_url {problem}")
    return str(url)


def _given(config: Mapping[str, Any], name: str, default: float) -> Any:
    """A setting's value, or its default when it is absent or null."""
    value = config.get(name)
    return default if value is None else value
