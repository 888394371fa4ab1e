"""Apply one `media_metadata` record: read the image, diff, write only what changes."""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field
from typing import Any

from photoshelter_api import ApiError, ConfigError, NotFoundError, PhotoShelterClient, paths
from photoshelter_api.client import attributes
from photoshelter_api.client import path_template as paths_template
from photoshelter_api.formats import custom_metadata_entries, join_keywords, split_keywords
from pim_dam_core.errors import RecordRejectedError

from target_photoshelter.metadata import (
    Desired,
    FieldCatalog,
    iptc_changes,
    merged_keywords,
)

LOGGER = logging.getLogger("target_photoshelter")


@dataclass
class Applied:
    outcome: str  # updated | unchanged
    changes: list[str] = field(default_factory=list)


class MetadataWriter:
    """Reads and writes IPTC and custom metadata through the shared client."""

    def __init__(
        self,
        api: PhotoShelterClient,
        prefixes: tuple[str, ...],
        create_missing_tags: bool,
        dry_run: bool,
        write_paths: dict[str, str] | None = None,
    ) -> None:
        self.api = api
        self.write_paths = {**paths.DEFAULT_WRITE_PATHS, **(write_paths or {})}
        self.prefixes = prefixes
        self.create_missing_tags = create_missing_tags
        self.dry_run = dry_run
        self._catalog: FieldCatalog | None = None
        self._lock = threading.Lock()

    @property
    def catalog(self) -> FieldCatalog:
        """`/metadata/fields`, read once per run."""
        with self._lock:
            if self._catalog is None:
                rows = [attributes(i) for i in self.api.paged(paths.METADATA_FIELDS, per_page=1000)]
                self._catalog = FieldCatalog(
                    [
                        {
                            "id": str(r["id"]),
                            "name": str(r.get("name") or ""),
                            "tags": [
                                {"id": str(t["id"]), "name": str(t.get("name") or "")}
                                for t in r.get("tags") or []
                            ],
                        }
                        for r in rows
                    ]
                )
            return self._catalog

    def apply(self, desired: Desired) -> Applied:
        tag_ids = self._resolve(desired.custom_metadata) if desired.custom_metadata else {}
        media_id = desired.media_id
        iptc_update: dict[str, str] = {}
        current_iptc: dict[str, Any] = {}
        changes: list[str] = []
        if desired.iptc or desired.keywords is not None:
            current = self._read(paths.media_iptc(media_id), media_id)
            current_iptc = attributes(current) if isinstance(current, dict) else {}
            iptc_update = iptc_changes(current_iptc, desired.iptc)
            changes += [f"iptc.{name}" for name in sorted(iptc_update)]
            if desired.keywords is not None:
                new = merged_keywords(
                    split_keywords(current_iptc.get("keywords")), desired.keywords, self.prefixes
                )
                if new is not None:
                    iptc_update["keywords"] = join_keywords(new)
                    changes.append("keywords")
        custom_update: dict[str, str | None] = {}
        if tag_ids:
            current_custom = {
                e["field_id"]: e["tag_id"]
                for e in custom_metadata_entries(
                    self._read(paths.media_custom_metadata(media_id), media_id)
                )
            }
            custom_update = {f: t for f, t in tag_ids.items() if current_custom.get(f) != t}
            names = {f["id"]: f["name"] for f in self.catalog.fields}
            changes += [f"custom_metadata.{names[f]}" for f in sorted(custom_update)]
        if not changes:
            if not (desired.iptc or desired.keywords is not None or tag_ids):
                self._read(paths.media_item(media_id), media_id)  # nothing asked: must exist
            return Applied("unchanged")
        if (
            not self.dry_run
            and iptc_update
            and custom_update
            and self.write_paths["metadata_write_path"]
            == "media_metadata"
            == self.write_paths["custom_metadata_write_path"]
        ):
            self._write(
                paths.combined_metadata_writes(media_id, iptc_update, custom_update),
                media_id,
                "metadata_write_path",
            )
        elif not self.dry_run:
            if iptc_update:
                self._write(
                    paths.iptc_writes(
                        self.write_paths["metadata_write_path"], media_id, iptc_update
                    ),
                    media_id,
                    "metadata_write_path",
                )
            if custom_update:
                try:
                    self._write(
                        paths.custom_metadata_writes(
                            self.write_paths["custom_metadata_write_path"], media_id, custom_update
                        ),
                        media_id,
                        "custom_metadata_write_path",
                    )
                except RecordRejectedError as rejected:
                    if not iptc_update:
                        raise
                    self._roll_back_iptc(media_id, current_iptc, iptc_update)
                    raise RecordRejectedError(
                        f"{rejected} (its IPTC change was rolled back, so "
                        "nothing of this record was written)"
                    ) from None
        return Applied("updated", changes)

    def _roll_back_iptc(
        self, media_id: str, before: dict[str, Any], written: dict[str, str]
    ) -> None:
        """Put back the IPTC values a record wrote before its second write was refused, so
        a rejected record leaves the image as it was (a failure here fails the run)."""
        previous = {name: str(before.get(name) or "") for name in written}
        for call in paths.iptc_writes(self.write_paths["metadata_write_path"], media_id, previous):
            self.api.write(call)
        LOGGER.info("media %s: rolled back %s", media_id, ", ".join(sorted(previous)))

    def _resolve(self, wanted: dict[str, str | None]) -> dict[str, str | None]:
        """Field and tag names to ids; a missing tag is created only when allowed."""
        resolved: dict[str, str | None] = {}
        for field_name, tag_name in wanted.items():
            field_row = self.catalog.field(field_name)
            if field_row is None:
                raise RecordRejectedError(f"custom_metadata: unknown field {field_name!r}")
            if tag_name is None:
                resolved[field_row["id"]] = None
                continue
            tag = FieldCatalog.tag(field_row, tag_name)
            if tag is None:
                if not self.create_missing_tags:
                    raise RecordRejectedError(
                        f"custom_metadata.{field_row['name']}: no tag {tag_name!r} "
                        "(turn on create_missing_tags to create it)"
                    )
                tag = self._create_tag(field_row, tag_name)
            resolved[field_row["id"]] = tag["id"]
        return resolved

    def _create_tag(self, field_row: dict[str, Any], name: str) -> dict[str, Any]:
        if self.dry_run:
            return {"id": f"(new tag {name})", "name": name}
        body = self.api.request(
            "POST", paths.metadata_field_tags(field_row["id"]), json=paths.tag_create_body(name)
        )
        tag = attributes(body.get("data") or {})
        created = {"id": str(tag["id"]), "name": str(tag.get("name") or name)}
        field_row["tags"].append(created)
        LOGGER.info("Created tag %r in field %r", name, field_row["name"])
        return created

    def _read(self, path: str, media_id: str) -> Any:
        try:
            body = self.api.get(path)
        except NotFoundError:
            raise RecordRejectedError(f"media_id {media_id!r}: no such media") from None
        return body.get("data", body)

    def _write(self, calls: list[paths.WriteCall], media_id: str, setting: str) -> None:
        """The write calls of one change; a path the server does not have (405, or 404 on
        a media that exists) stops the run naming the setting that chose it."""
        for call in calls:
            try:
                self.api.write(call)
            except NotFoundError as error:
                if not self._exists(media_id):
                    raise RecordRejectedError(f"media_id {media_id!r}: no such media") from None
                raise missing_path(setting, self.write_paths[setting], call, error) from None
            except ApiError as error:
                if error.status == 405:
                    raise missing_path(setting, self.write_paths[setting], call, error) from None
                if error.status in (400, 409, 415, 422):
                    raise RecordRejectedError(f"PhotoShelter refused the write: {error}") from None
                raise

    def _exists(self, media_id: str) -> bool:
        try:
            self.api.get(paths.media_item(media_id))
        except NotFoundError:
            return False
        return True


def missing_path(setting: str, choice: str, call: paths.WriteCall, error: ApiError) -> ConfigError:
    """The server has no such write path: a setting to change, not a bad record."""
    others = [c for c in paths.WRITE_SETTINGS[setting] if c != choice]
    return ConfigError(
        f"setting {setting}: {call.method} {paths_template(call.path)} "
        f"({choice}) is not answered by this PhotoShelter (HTTP {error.status});"
        f" try {' or '.join(others)}, or run target-photoshelter "
        "--probe-writes to see which paths answer"
    )
