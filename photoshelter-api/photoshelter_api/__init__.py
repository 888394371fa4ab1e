"""The PhotoShelter v4.0 API client shared by tap-photoshelter, target-photoshelter and
pim-dam-check (plain Python: requests, no singer-sdk types)."""

from photoshelter_api.client import PhotoShelterClient
from photoshelter_api.connection_settings import ClientSettings
from photoshelter_api.errors import (
    AmbiguousWriteError,
    ApiError,
    AuthError,
    ConfigError,
    ConnectorError,
    NotFoundError,
    UnreachableError,
)

__all__ = [
    "AmbiguousWriteError",
    "ApiError",
    "AuthError",
    "ClientSettings",
    "ConfigError",
    "ConnectorError",
    "NotFoundError",
    "PhotoShelterClient",
    "UnreachableError",
]
