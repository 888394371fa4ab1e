"""target-photoshelter: product data onto images, and creative hand-off galleries."""

from __future__ import annotations

from typing import Any

from singer_sdk import Target
from singer_sdk import typing as th
from singer_sdk.sinks import Sink
from tap_photoshelter.api import ClientSettings, ConfigError, PhotoShelterClient
from tap_photoshelter.settings_check import check_against_schema
from tap_photoshelter.tap import CONNECTION_SETTINGS

from target_photoshelter.gallery_writer import GalleryWriter
from target_photoshelter.media_writer import MetadataWriter
from target_photoshelter.outcomes import OutcomeLog
from target_photoshelter.sinks import GallerySink, MediaMetadataSink

DEFAULT_PREFIXES = ["sku:", "style:", "color:", "size:", "category:", "season:", "launch:"]
SINKS: dict[str, type[Sink]] = {"media_metadata": MediaMetadataSink, "galleries": GallerySink}

TARGET_SETTINGS = th.PropertiesList(
    th.Property("managed_keyword_prefixes", th.ArrayType(th.StringType),
                default=DEFAULT_PREFIXES,
                description="Keyword prefixes this target owns; keywords outside them are "
                            "never touched."),
    th.Property("create_missing_tags", th.BooleanType, default=False,
                description="Create a custom-metadata tag that does not exist yet instead of "
                            "rejecting the record."),
    th.Property("dry_run", th.BooleanType, default=False,
                description="Read what is needed, write nothing, report what would change."),
    th.Property("outcomes_path", th.StringType,
                description="JSON lines file that every run appends one line per record "
                            "outcome to, each with the run's `run_id`; `{run_id}` in the path "
                            "gives one file per run."),
)


class TargetPhotoShelter(Target):
    """Singer target writing `media_metadata` and `galleries` records into PhotoShelter."""

    name = "target-photoshelter"
    config_jsonschema = th.PropertiesList(
        *CONNECTION_SETTINGS.wrapped.values(), *TARGET_SETTINGS.wrapped.values()).to_dict()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.max_parallelism = 1  # records are applied in order, one at a time
        self.api = PhotoShelterClient.from_config(self.config)
        self.managed_prefixes = self._prefixes()
        dry_run = bool(self.config.get("dry_run", False))
        self.outcomes = OutcomeLog(self.config.get("outcomes_path"), dry_run, self.logger,
                                   self.api.redact)
        self.metadata_writer = MetadataWriter(
            self.api, self.managed_prefixes, bool(self.config.get("create_missing_tags")),
            dry_run)
        self.gallery_writer = GalleryWriter(self.api, dry_run)
        self._summary_logged = False

    def _validate_config(self, *, raise_errors: bool = True) -> list[str]:
        """Stop on a bad setting with one line naming it (the CLI prints it)."""
        schema = self.config_jsonschema
        self.append_builtin_config(schema)
        check_against_schema(self.config, schema)
        ClientSettings.from_config(self.config)
        return []

    def _prefixes(self) -> tuple[str, ...]:
        prefixes = self.config.get("managed_keyword_prefixes")
        if prefixes is None:
            return tuple(DEFAULT_PREFIXES)
        if isinstance(prefixes, str):
            prefixes = prefixes.split()
        cleaned = tuple(str(p).strip() for p in prefixes if str(p).strip())
        if any(" " in p or "," in p for p in cleaned):
            raise ConfigError("setting managed_keyword_prefixes: a prefix must not contain "
                              "spaces or commas")
        if not cleaned:
            raise ConfigError("setting managed_keyword_prefixes: give at least one prefix")
        return cleaned

    def get_sink_class(self, stream_name: str) -> type[Sink]:
        """By contract name; a prefix or alias may precede it (`outbox_galleries`)."""
        for contract, sink_class in SINKS.items():
            if stream_name == contract or stream_name.endswith(("_" + contract,
                                                                "-" + contract,
                                                                "." + contract)):
                return sink_class
        raise ConfigError(f"stream {stream_name!r}: not a target-photoshelter contract "
                          f"(expected a name ending in {' or '.join(SINKS)})")

    def fail_run(self) -> None:
        """A write failed after retries: outcomes are already flushed; log the summary."""
        self._log_summary()
        self.outcomes.close()

    def process_endofpipe(self) -> None:
        super().process_endofpipe()
        self._log_summary()
        self.outcomes.close()

    def _log_summary(self) -> None:
        if self._summary_logged:
            return
        self._summary_logged = True
        for line in self.outcomes.summary().splitlines():
            self.logger.info(line)
        stats = self.api.stats
        self.logger.info("PhotoShelter requests: %s",
                         ", ".join(f"{k}={v}" for k, v in sorted(stats.items())) or "none")


if __name__ == "__main__":
    TargetPhotoShelter.cli()
