"""tap-photoshelter: media, metadata, rights and galleries from PhotoShelter, incrementally."""

from __future__ import annotations

import copy
from typing import Any

from photoshelter_api import PhotoShelterClient
from photoshelter_api.connection_settings import CONNECTION_SETTINGS
from pim_dam_core.cli import install_log_filters
from pim_dam_core.settings_check import check_settings
from singer_sdk import Stream, Tap
from singer_sdk import typing as th

from tap_photoshelter import schemas, streams
from tap_photoshelter.account_stream import PhotoShelterSourceAccountStream
from tap_photoshelter.library_cache import LibraryCache

SCOPE_ENTRY = th.StringType(min_length=1, pattern=r"\S")
"""A gallery or collection id or path: not empty, not only spaces."""

TAP_SETTINGS = th.PropertiesList(
    th.Property(
        "start_date",
        th.DateTimeType,
        description="Only media modified at or after this time on the first run.",
    ),
    th.Property(
        "per_page",
        th.IntegerType(minimum=1, maximum=1000),
        default=500,
        description="Items per page of list calls (PhotoShelter allows up to 1000).",
    ),
    th.Property(
        "galleries",
        th.ArrayType(SCOPE_ENTRY),
        description="Optional scope: only these gallery ids (media and galleries).",
    ),
    th.Property(
        "collections",
        th.ArrayType(SCOPE_ENTRY),
        description="Optional scope: only these collection ids or paths "
        "(e.g. Launches/SS26) and what they contain.",
    ),
    th.Property(
        "image_link_size",
        th.StringType(pattern=r"^[1-9]\d{0,4}x[1-9]\d{0,4}$"),
        default="2000x2000",
        description="Derivative size WxH of the public link in `link_url`.",
    ),
)


class TapPhotoShelter(Tap):
    """Singer tap for the PhotoShelter (Brands) API v4.0."""

    name = "tap-photoshelter"
    package_name = "pim-dam-sync-tap-photoshelter"  # the distribution, for --version and --about
    config_jsonschema = th.PropertiesList(
        *CONNECTION_SETTINGS.wrapped.values(), *TAP_SETTINGS.wrapped.values()
    ).to_dict()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self._api: PhotoShelterClient | None = None
        self._cache: LibraryCache | None = None
        # The settings are checked, in every mode (discovery too), when the client is built
        # before the first request: one line naming the setting (`pim_dam_core.settings_check`)
        # instead of the SDK's several log lines, which would also echo secret values.
        super().__init__(*args, **{**kwargs, "validate_config": False})

    @property
    def api(self) -> PhotoShelterClient:
        """The shared client, built from the checked settings on first use."""
        if self._api is None:
            schema = copy.deepcopy(self.config_jsonschema)
            self.append_builtin_config(schema)
            check_settings(self.config, schema)
            self._api = PhotoShelterClient.from_config(self.config)
            install_log_filters()
        return self._api

    @property
    def cache(self) -> LibraryCache:
        """What several streams share within the run."""
        if self._cache is None:
            self._cache = LibraryCache(self.api, int(self.config.get("per_page") or 500))
        return self._cache

    def discover_streams(self) -> list[Stream]:
        """The streams, with `media.custom_metadata` built from the organisation's fields."""
        fields = self.cache.fields()
        return [
            streams.MetadataFieldsStream(self),
            streams.CollectionsStream(self),
            streams.GalleriesStream(self),
            streams.GalleryMediaStream(self),
            streams.MediaStream(self, schema=schemas.media_schema(fields)),
            PhotoShelterSourceAccountStream(self),
        ]

    # singer-sdk 0.54.9 marks Tap.sync_all final and has no hook that runs once after the
    # last stream: the session this run opened must be logged out there (also when the sync
    # fails; a user holds few sessions). test_the_session_is_logged_out_at_the_end fails if
    # an SDK upgrade stops calling this.
    def sync_all(self) -> None:  # type: ignore[misc]
        """The SDK's sync, then the session is logged out (also when the sync fails)."""
        try:
            super().sync_all()
        finally:
            self.api.close()
        skipped = self.cache.skipped_members
        if skipped:
            self.logger.info(
                "gallery_media: %d non-image member(s) skipped (%s)",
                sum(skipped.values()),
                ", ".join(f"{k} {n}" for k, n in sorted(skipped.items())),
            )
        self.logger.info(
            "PhotoShelter requests: %s",
            ", ".join(f"{k}={v}" for k, v in sorted(self.api.stats.items())),
        )


if __name__ == "__main__":
    TapPhotoShelter.cli()
