"""The Plytix API client shared by tap-plytix and target-plytix (no singer-sdk inside)."""

from tap_plytix.api.client import MAX_PAGE_SIZE, PlytixClient, has_more
from tap_plytix.api.errors import (
    AmbiguousWrite,
    ApiError,
    AuthError,
    ConfigError,
    PlytixError,
    RetriesExhausted,
    TlsError,
    TooManyMatches,
)
from tap_plytix.api.redaction import install_log_filter, redact, register_secret
from tap_plytix.api.settings import ClientSettings

__all__ = [
    "MAX_PAGE_SIZE",
    "AmbiguousWrite",
    "ApiError",
    "AuthError",
    "ClientSettings",
    "ConfigError",
    "PlytixClient",
    "PlytixError",
    "RetriesExhausted",
    "TlsError",
    "TooManyMatches",
    "has_more",
    "install_log_filter",
    "redact",
    "register_secret",
]
