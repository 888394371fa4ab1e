"""target-photoshelter: product data onto images, and creative hand-off galleries."""

from __future__ import annotations

import copy
from typing import Any

import click
from photoshelter_api import ConfigError, PhotoShelterClient, paths
from photoshelter_api.connection_settings import CONNECTION_SETTINGS
from photoshelter_api.write_probe import probe_write_paths, render
from pim_dam_contracts import MANAGED_KEYWORD_PREFIXES
from pim_dam_core.cli import install_log_filters
from pim_dam_core.outcomes import OutcomeLog
from pim_dam_core.settings_check import check_settings
from singer_sdk import Target
from singer_sdk import typing as th
from singer_sdk.sinks import Sink

from target_photoshelter.gallery_writer import GalleryWriter
from target_photoshelter.media_writer import MetadataWriter
from target_photoshelter.sinks import ConnectionCheckSink, GallerySink, MediaMetadataSink

DEFAULT_PREFIXES = list(MANAGED_KEYWORD_PREFIXES)
PREFIX_PATTERN = r"^\s*[^\s,]*\s*$"
"""A keyword prefix holds no space or comma (blank entries are left out)."""
SINKS: dict[str, type[Sink]] = {"media_metadata": MediaMetadataSink, "galleries": GallerySink}

MELTANO_TEST_STREAM = "meltano_test_stream"
"""What `meltano config test` sends a loader: accepted, checked by a login, never written."""

WRITE_PATH_HELP = {
    "metadata_write_path": "How IPTC and keywords are written (unconfirmed by public code): "
    "media_iptc = PATCH /media/{id}/iptc, media_metadata = PATCH "
    "/media/{id}/metadata, media = PATCH /media/{id}, media_batch = "
    "PATCH /media/batch.",
    "custom_metadata_write_path": "How custom metadata is written: media_custom_metadata = "
    "PATCH /media/{id}/custom-metadata, media_metadata = PATCH "
    "/media/{id}/metadata, metadata_values = POST "
    "/metadata/values (one per field).",
    "gallery_create_path": "How a gallery is created in its collection: galleries_parent = "
    "POST /galleries with parent, galleries_then_parents = POST "
    "/galleries then POST /galleries/{id}/parents.",
    "gallery_add_media_path": "How media are added to a gallery: gallery_media = PATCH "
    "/galleries/{id}/media, gallery_children = POST "
    "/galleries/{id}/children.",
}

TARGET_SETTINGS = th.PropertiesList(
    th.Property(
        "managed_keyword_prefixes",
        th.ArrayType(th.StringType(pattern=PREFIX_PATTERN)),
        default=DEFAULT_PREFIXES,
        description="Keyword prefixes this target owns; keywords outside them are never touched.",
    ),
    th.Property(
        "create_missing_tags",
        th.BooleanType,
        default=False,
        description="Create a custom-metadata tag that does not exist yet instead of "
        "rejecting the record.",
    ),
    th.Property(
        "dry_run",
        th.BooleanType,
        default=False,
        description="Read what is needed, write nothing, report what would change.",
    ),
    *(
        th.Property(
            setting,
            th.StringType,
            default=choices[0],
            allowed_values=list(choices),
            description=WRITE_PATH_HELP[setting],
        )
        for setting, choices in paths.WRITE_SETTINGS.items()
    ),
    th.Property(
        "outcomes_path",
        th.StringType,
        description="JSON lines file that every run appends one line per record "
        "outcome to, each with the run's `run_id`; `{run_id}` in the path "
        "gives one file per run.",
    ),
)


class TargetPhotoShelter(Target):
    """Singer target writing `media_metadata` and `galleries` records into PhotoShelter."""

    name = "target-photoshelter"
    package_name = "pim-dam-sync-target-photoshelter"  # the distribution, for --version and --about
    config_jsonschema = th.PropertiesList(
        *CONNECTION_SETTINGS.wrapped.values(), *TARGET_SETTINGS.wrapped.values()
    ).to_dict()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # The settings are checked here, before anything is read or written: one line
        # naming the setting (`pim_dam_core.settings_check`) instead of the SDK's several
        # log lines, which would also echo secret values.
        super().__init__(*args, **{**kwargs, "validate_config": False})
        schema = copy.deepcopy(self.config_jsonschema)
        self.append_builtin_config(schema)
        check_settings(self.config, schema)
        self.max_parallelism = 1  # records are applied in order, one at a time
        self.api = PhotoShelterClient.from_config(self.config)
        install_log_filters()
        self.managed_prefixes = self._prefixes()
        dry_run = bool(self.config.get("dry_run", False))
        self.outcomes = OutcomeLog(
            self.config.get("outcomes_path"),
            dry_run=dry_run,
            title="target-photoshelter outcomes",
            logger=self.logger,
        )
        self.write_paths = {
            setting: str(self.config.get(setting) or default)
            for setting, default in paths.DEFAULT_WRITE_PATHS.items()
        }
        self.metadata_writer = MetadataWriter(
            self.api,
            self.managed_prefixes,
            bool(self.config.get("create_missing_tags")),
            dry_run,
            self.write_paths,
        )
        self.gallery_writer = GalleryWriter(self.api, dry_run, write_paths=self.write_paths)
        self._summary_logged = False

    def _prefixes(self) -> tuple[str, ...]:
        prefixes = self.config.get("managed_keyword_prefixes")
        if prefixes is None:
            return tuple(DEFAULT_PREFIXES)
        cleaned = tuple(p.strip() for p in prefixes if p.strip())
        if not cleaned:
            raise ConfigError("setting managed_keyword_prefixes must hold at least one prefix")
        return cleaned

    def get_sink_class(self, stream_name: str) -> type[Sink]:
        """By contract name; a prefix or alias may precede it (`outbox_galleries`)."""
        if stream_name == MELTANO_TEST_STREAM:
            return ConnectionCheckSink
        for contract, sink_class in SINKS.items():
            if stream_name == contract or stream_name.endswith(
                ("_" + contract, "-" + contract, "." + contract)
            ):
                return sink_class
        raise ConfigError(
            f"stream {stream_name!r}: not a target-photoshelter contract "
            f"(expected a name ending in {' or '.join(SINKS)})"
        )

    def check_connection(self) -> None:
        """Log in and bind the organisation (what every write needs), writing nothing."""
        org_id = self.api.org_id
        self.logger.info(
            "PhotoShelter login and organisation %s: OK (%s is not a contract "
            "stream, so nothing was written)",
            org_id,
            MELTANO_TEST_STREAM,
        )

    def fail_run(self) -> None:
        """A write failed after retries: outcomes are already flushed; log the summary."""
        self.api.close()
        self._log_summary()
        self.outcomes.close()

    def process_endofpipe(self) -> None:
        super().process_endofpipe()
        self.api.close()
        self._log_summary()
        self.outcomes.close()

    @classmethod
    def get_singer_command(cls) -> click.Command:
        """The SDK's command plus `--probe-writes` (read-only; prints which write paths the
        account answers)."""
        command = super().get_singer_command()
        command.params.append(
            click.Option(
                ["--probe-writes"],
                is_flag=True,
                default=False,
                help="Report which candidate write paths PhotoShelter answers, changing nothing.",
            )
        )
        return command

    @classmethod
    def invoke(cls, *, probe_writes: bool = False, **kwargs: Any) -> None:
        """`--probe-writes`: log in, probe, print the table, exit non-zero when a chosen
        path does not answer; otherwise the SDK's target run."""
        if not probe_writes:
            super().invoke(**kwargs)
            return
        config = kwargs.get("config")
        target = cls(
            config=config.config if config else {},
            validate_config=True,
            parse_env_config=bool(config and config.parse_env),
        )
        try:
            probes, verdicts = probe_write_paths(target.api, target.write_paths)
        finally:
            target.api.close()
            target.outcomes.close()
        click.echo(render(probes, verdicts))
        if not all(v.ok for v in verdicts):
            raise click.exceptions.Exit(2)

    def _log_summary(self) -> None:
        if self._summary_logged:
            return
        self._summary_logged = True
        for line in self.outcomes.summary().splitlines():
            self.logger.info(line)
        stats = self.api.stats
        self.logger.info(
            "PhotoShelter requests: %s",
            ", ".join(f"{k}={v}" for k, v in sorted(stats.items())) or "none",
        )


if __name__ == "__main__":
    TargetPhotoShelter.cli()
