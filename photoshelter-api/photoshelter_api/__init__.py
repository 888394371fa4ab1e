"""The shared PhotoShelter API client (plain Python; reused by target-photoshelter)."""

from tap_photoshelter.api.client import ClientSettings, PhotoShelterClient
from tap_photoshelter.api.errors import (
    AmbiguousWriteError,
    ApiError,
    AuthError,
    ConfigError,
    NotFoundError,
    PhotoShelterError,
)

__all__ = [
    "AmbiguousWriteError",
    "ApiError",
    "AuthError",
    "ClientSettings",
    "ConfigError",
    "NotFoundError",
    "PhotoShelterClient",
    "PhotoShelterError",
]
