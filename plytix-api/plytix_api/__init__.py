"""The Plytix API client shared by tap-plytix and target-plytix (no singer-sdk types in the
client; `settings_schema` describes the connection settings for both plugins).

Pacing, backoff, redaction and the error classes come from `pim_dam_core`; this package holds
what is Plytix's own: auth and tokens, the request loop, the API generation, filter plans,
rate limits as Plytix states them, value coercion and the connection settings.
"""

from pim_dam_core.errors import (
    AmbiguousWriteError,
    AuthError,
    ConfigError,
    ConnectorError,
    RetriesExhaustedError,
    TlsError,
    UnreachableError,
)

from plytix_api.client import COLUMN_CAPS, MAX_PAGE_SIZE, PlytixClient, has_more
from plytix_api.errors import PlytixApiError, TooManyMatchesError
from plytix_api.plan import DEFAULT_SKU_EQ_PER_SEARCH, FilterPlan, Filters
from plytix_api.settings import ClientSettings, api_root
from plytix_api.values import (
    Coercions,
    UnreadableError,
    attribute_value,
    coerce,
    ref_id,
    ref_ids,
)

__all__ = [
    "COLUMN_CAPS",
    "DEFAULT_SKU_EQ_PER_SEARCH",
    "MAX_PAGE_SIZE",
    "AmbiguousWriteError",
    "AuthError",
    "ClientSettings",
    "Coercions",
    "ConfigError",
    "ConnectorError",
    "FilterPlan",
    "Filters",
    "PlytixApiError",
    "PlytixClient",
    "RetriesExhaustedError",
    "TlsError",
    "TooManyMatchesError",
    "UnreachableError",
    "UnreadableError",
    "api_root",
    "attribute_value",
    "coerce",
    "has_more",
    "ref_id",
    "ref_ids",
]
