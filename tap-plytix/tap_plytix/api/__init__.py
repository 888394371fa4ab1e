"""The Plytix API client shared by tap-plytix and target-plytix (no singer-sdk inside)."""

from tap_plytix.api.client import COLUMN_CAPS, MAX_PAGE_SIZE, PlytixClient, has_more
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
from tap_plytix.api.plan import DEFAULT_SKU_EQ_PER_SEARCH, FilterPlan, Filters
from tap_plytix.api.redaction import install_log_filter, redact, register_secret
from tap_plytix.api.settings import ClientSettings, api_root
from tap_plytix.api.transport import Unreachable
from tap_plytix.api.values import (
    Coercions,
    Unreadable,
    attribute_value,
    coerce,
    ref_id,
    ref_ids,
)

__all__ = [
    "COLUMN_CAPS",
    "DEFAULT_SKU_EQ_PER_SEARCH",
    "MAX_PAGE_SIZE",
    "AmbiguousWrite",
    "ApiError",
    "AuthError",
    "ClientSettings",
    "Coercions",
    "ConfigError",
    "FilterPlan",
    "Filters",
    "PlytixClient",
    "PlytixError",
    "RetriesExhausted",
    "TlsError",
    "TooManyMatches",
    "Unreachable",
    "Unreadable",
    "api_root",
    "attribute_value",
    "coerce",
    "has_more",
    "install_log_filter",
    "redact",
    "ref_id",
    "ref_ids",
    "register_secret",
]
