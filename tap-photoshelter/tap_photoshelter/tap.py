"""tap-photoshelter: media, metadata, rights and galleries from PhotoShelter, incrementally."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from singer_sdk import Stream, Tap
from singer_sdk import typing as th

from tap_photoshelter import schemas, streams
from tap_photoshelter.api import ClientSettings, ConfigError, PhotoShelterClient
from tap_photoshelter.api.client import DEFAULT_API_URL
from tap_photoshelter.api.formats import utc_iso
from tap_photoshelter.directory import Directory
from tap_photoshelter.settings_check import check_against_schema, whole_number_in

CONNECTION_SETTINGS = th.PropertiesList(
    th.Property("api_key", th.StringType, required=True, secret=True,
                description="PhotoShelter API key (11 characters), sent as X-PS-Api-Key."),
    th.Property("email", th.StringType,
                description="Login email of the PhotoShelter user (with `password`)."),
    th.Property("password", th.StringType, secret=True,
                description="Password of the PhotoShelter user; the session is renewed "
                            "automatically when it expires."),
    th.Property("access_token", th.StringType, secret=True,
                description="OAuth bearer token, instead of email and password "
                            "(cannot be renewed automatically)."),
    th.Property("org_id", th.StringType,
                description="Organisation to bind (O0000...). When absent and the user has "
                            "exactly one organisation, that one is used."),
    th.Property("api_url", th.StringType, default=DEFAULT_API_URL,
                description="Base URL of the PhotoShelter API v4.0 (https; plain http only "
                            "for a loopback host or with `allow_insecure`)."),
    th.Property("allow_insecure", th.BooleanType, default=False,
                description="Allow a plain http:// `api_url` on a host that is not loopback "
                            "(sends the API key and session token unencrypted: only for a "
                            "trusted network). TLS certificates are always verified."),
    th.Property("requests_per_window", th.IntegerType, default=0,
                description="Client-side request budget per `window_seconds` (0: pace only "
                            "to the limit the server reports)."),
    th.Property("window_seconds", th.NumberType, default=60,
                description="Length of the pacing window in seconds."),
    th.Property("max_retries", th.IntegerType, default=5,
                description="Retries of a request after a 5xx or network error."),
    th.Property("backoff_seconds", th.NumberType, default=1.0,
                description="First backoff delay; doubles per retry, with jitter."),
    th.Property("request_timeout", th.NumberType, default=60,
                description="Seconds to wait for one HTTP response."),
)
"""Settings target-photoshelter shares with the tap."""

TAP_SETTINGS = th.PropertiesList(
    th.Property("start_date", th.DateTimeType,
                description="Only media modified at or after this time on the first run."),
    th.Property("per_page", th.IntegerType, default=500,
                description="Items per page of list calls (PhotoShelter allows up to 1000)."),
    th.Property("galleries", th.ArrayType(th.StringType),
                description="Optional scope: only these gallery ids (media and galleries)."),
    th.Property("collections", th.ArrayType(th.StringType),
                description="Optional scope: only these collection ids or paths "
                            "(e.g. Launches/SS26) and what they contain."),
    th.Property("image_link_size", th.StringType, default="2000x2000",
                description="Derivative size WxH of the public link in `link_url`."),
)


IMAGE_SIZE = re.compile(r"^[1-9]\d{0,4}x[1-9]\d{0,4}$")


def check_tap_settings(config: Mapping[str, Any]) -> None:
    """The tap's own settings beyond their JSON types."""
    whole_number_in(config, "per_page", 1, 1000)
    start = config.get("start_date")
    if start:
        try:
            utc_iso(start)
        except ValueError:
            raise ConfigError(f"setting start_date: {start!r} is not a date or ISO 8601 "
                              "date-time") from None
    size = config.get("image_link_size")
    if size is not None and not IMAGE_SIZE.match(str(size)):
        raise ConfigError(f"setting image_link_size: {size!r} is not WIDTHxHEIGHT "
                          "(e.g. 2000x2000)")
    for name in ("galleries", "collections"):
        value = config.get(name)
        if value is not None and not all(isinstance(v, str) and v.strip() for v in value):
            raise ConfigError(f"setting {name}: every entry must be a non-empty id or path")


class TapPhotoShelter(Tap):
    """Singer tap for the PhotoShelter (Brands) API v4.0."""

    name = "tap-photoshelter"
    package_name = "pim-dam-sync-tap-photoshelter"  # the distribution, for --version and --about
    config_jsonschema = th.PropertiesList(
        *CONNECTION_SETTINGS.wrapped.values(), *TAP_SETTINGS.wrapped.values()).to_dict()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self._api: PhotoShelterClient | None = None
        self._directory: Directory | None = None
        super().__init__(*args, **kwargs)

    def _validate_config(self, *, raise_errors: bool = True) -> list[str]:
        """Every mode (discovery too) stops on a bad setting, with one line naming it."""
        schema = self.config_jsonschema
        self.append_builtin_config(schema)
        check_against_schema(self.config, schema)
        ClientSettings.from_config(self.config)
        check_tap_settings(self.config)
        return []

    @property
    def api(self) -> PhotoShelterClient:
        """The shared client, built from the settings on first use."""
        if self._api is None:
            self._api = PhotoShelterClient.from_config(self.config)
        return self._api

    @property
    def directory(self) -> Directory:
        if self._directory is None:
            self._directory = Directory(self.api, int(self.config.get("per_page") or 500))
        return self._directory

    def discover_streams(self) -> list[Stream]:
        """The streams, with `media.custom_metadata` built from the organisation's fields."""
        fields = self.directory.fields()
        return [
            streams.MetadataFieldsStream(self),
            streams.CollectionsStream(self),
            streams.GalleriesStream(self),
            streams.GalleryMediaStream(self),
            streams.MediaStream(self, schema=schemas.media_schema(fields)),
        ]

    def sync_all(self) -> None:
        """The SDK's sync, then the session is logged out (also when the sync fails)."""
        try:
            super().sync_all()
        finally:
            self.api.close()
        skipped = self.directory.skipped_members
        if skipped:
            self.logger.info("gallery_media: %d non-image member(s) skipped (%s)",
                             sum(skipped.values()),
                             ", ".join(f"{k} {n}" for k, n in sorted(skipped.items())))
        self.logger.info("PhotoShelter requests: %s",
                         ", ".join(f"{k}={v}" for k, v in sorted(self.api.stats.items())))


if __name__ == "__main__":
    TapPhotoShelter.cli()
