"""The tap's streams: name, keys, replication key and schema side by side."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from tap_photoshelter import schemas
from tap_photoshelter.api import paths
from tap_photoshelter.api.formats import api_timestamp, column_name, includes_of, utc_iso
from tap_photoshelter.client import PhotoShelterStream
from tap_photoshelter.directory import with_paths
from tap_photoshelter.records import (
    Unparseable,
    container_row,
    describe_id,
    item_id,
    media_row,
    row_digest,
)

if TYPE_CHECKING:
    from singer_sdk.helpers.types import Context

LOGGER = logging.getLogger("tap_photoshelter")


class MetadataFieldsStream(PhotoShelterStream):
    """The organisation's custom pick-list fields and their tags (read once at discovery)."""

    name = "metadata_fields"
    path = paths.METADATA_FIELDS
    primary_keys = ("id",)
    replication_key = None
    schema = schemas.METADATA_FIELDS

    def get_records(self, context: Context | None) -> Iterable[dict[str, Any]]:
        for field in self.directory.fields():
            yield {**field, "column_name": column_name(field["name"])}


class CollectionsStream(PhotoShelterStream):
    """Collections with their slash-separated path from the root ("Launches/SS26")."""

    name = "collections"
    path = paths.COLLECTIONS
    primary_keys = ("id",)
    replication_key = None
    schema = schemas.COLLECTIONS

    def get_records(self, context: Context | None) -> Iterable[dict[str, Any]]:
        rows = list(readable(self.request_records(context), container_row, self.name))
        rows = with_paths(rows)
        self.directory.remember_collections(rows)
        scope = _scope(self.config.get("collections"))
        for row in rows:
            if scope is None or _in_scope(row["path"], row["id"], scope, rows):
                yield row


class GalleriesStream(PhotoShelterStream):
    """Galleries with the ids and paths of the collections that hold them.

    A full read each run (one page for a few hundred galleries); their membership is read
    by the child stream only for galleries that changed since the last run. Each row says
    when it was read (`read_at`, one value per run) and which read of its membership is
    current (`membership_version`, the fingerprint), so a warehouse that only upserts can
    still tell a deleted gallery and a removed image from current ones.
    """

    name = "galleries"
    path = paths.GALLERIES
    primary_keys = ("id",)
    replication_key = None
    schema = schemas.GALLERIES

    def get_records(self, context: Context | None) -> Iterable[dict[str, Any]]:
        gallery_scope = _scope(self.config.get("galleries"))
        collection_scope = _scope(self.config.get("collections"))
        collections = self.directory.collections()
        self.directory.start_galleries()
        read_at = datetime.now(UTC).isoformat()
        for row in readable(self.request_records(context), container_row, self.name):
            parent_ids = [str(p) for p in row.get("parent_ids") or []
                          if isinstance(p, str | int)]
            row["parent_ids"] = parent_ids
            row["paths"] = [collections[p]["path"] for p in parent_ids if p in collections]
            self.directory.remember_gallery(row)
            if gallery_scope is not None and row["id"] not in gallery_scope \
                    and row.get("name") not in gallery_scope:
                continue
            if collection_scope is not None and not any(
                    _in_scope(collections[p]["path"], p, collection_scope,
                              list(collections.values()))
                    for p in parent_ids if p in collections):
                continue
            row["read_at"] = read_at
            row["membership_version"] = gallery_fingerprint(row) or f"read {read_at}"
            yield row
        for child in self.child_streams:
            if isinstance(child, GalleryMediaStream):
                child.forget_missing(self.directory.gallery_ids())

    def get_child_context(self, record: dict[str, Any],
                          context: Context | None) -> dict[str, Any]:
        return {"gallery_id": record["id"], "fingerprint": gallery_fingerprint(record),
                "membership_version": record["membership_version"]}


class GalleryMediaStream(PhotoShelterStream):
    """Which media each gallery holds, in gallery order (child of `galleries`).

    Each row carries the `membership_version` of the gallery row it was read for; rows of an
    earlier version are what the gallery held before (see `GalleriesStream`).

    Incremental per gallery: the state keeps each gallery's fingerprint (`modified_at` and
    `media_count`) as it was when its membership was read; a gallery whose fingerprint is
    unchanged is not read again. Adding media to a gallery moves both.
    """

    name = "gallery_media"
    path = "/galleries/{gallery_id}/children"
    primary_keys = ("gallery_id", "media_id")
    replication_key = None
    parent_stream_type = GalleriesStream
    state_partitioning_keys: list[str] = []
    schema = schemas.GALLERY_MEDIA

    def get_records(self, context: Context | None) -> Iterable[dict[str, Any]]:
        assert context is not None
        gallery_id, fingerprint = context["gallery_id"], context["fingerprint"]
        read = self.read_fingerprints()
        if fingerprint is not None and read.get(gallery_id) == fingerprint:
            self.directory.unchanged_galleries += 1
            return
        media_ids = []
        for item in self.request_records(context):
            try:
                media_ids.append(item_id(item))
            except Unparseable as error:
                LOGGER.warning("gallery_media: gallery %s: left out an item: %s", gallery_id,
                               error)
        self.directory.remember_members(gallery_id, media_ids)
        for position, media_id in enumerate(media_ids):
            yield {"gallery_id": gallery_id, "media_id": media_id, "position": position,
                   "membership_version": context["membership_version"]}
        if fingerprint is not None:
            read[gallery_id] = fingerprint

    def read_fingerprints(self) -> dict[str, str]:
        """`{gallery id: fingerprint}` of the galleries whose membership was emitted."""
        state = self.stream_state
        if not isinstance(state.get("gallery_fingerprints"), dict):
            state["gallery_fingerprints"] = {}
        return state["gallery_fingerprints"]

    def forget_missing(self, gallery_ids: set[str]) -> None:
        """Drop deleted galleries from the state, so it does not grow forever."""
        read = self.read_fingerprints()
        for gallery_id in [g for g in read if g not in gallery_ids]:
            del read[gallery_id]


class MediaStream(PhotoShelterStream):
    """One row per image: core fields, IPTC, keywords, custom metadata, link, galleries.

    Incremental on `modified_at` through `modify_start`, sorted ascending, so an
    interrupted run resumes from its last bookmark. `modify_start` is inclusive and has
    whole seconds, so the images already emitted at the bookmark second come back on the
    next run: the state keeps a digest of each (`bookmark_digests`) and an image is emitted
    again only when its content differs (it was edited again within that second).
    Metadata comes embedded with `include=`; when the server ignores it, each image is
    completed with per-media calls, counted and logged once per run.
    """

    name = "media"
    path = paths.MEDIA
    primary_keys = ("id",)
    replication_key = "modified_at"
    is_sorted = True

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fallback_calls = 0
        self.unparseable = 0

    @property
    def image_size(self) -> str:
        return str(self.config.get("image_link_size") or "2000x2000")

    def get_url_params(self, context: Context | None, next_page_token: Any) -> dict[str, Any]:
        params: dict[str, Any] = {
            **super().get_url_params(context, next_page_token),
            "org_id": self.api.org_id,
            "sort_by": "date",
            "sort_dir": "asc",
            "include": ",".join(paths.MEDIA_INCLUDES),
            **paths.link_params(self.image_size),
        }
        start = self.get_starting_replication_key_value(context)
        if start:
            params["modify_start"] = api_timestamp(str(start))
        for setting in ("galleries", "collections"):
            scope = _scope(self.config.get(setting))
            if scope:
                params[setting] = ",".join(sorted(scope))
        return params

    def get_records(self, context: Context | None) -> Iterable[dict[str, Any]]:
        start = self.get_starting_replication_key_value(context)
        start_iso = utc_iso(start) if start else None
        state = self.get_context_state(context)
        at_start = previous_digests(state) if start_iso else {}
        state.pop("bookmark_ids", None)
        mark, at_mark = start_iso, dict(at_start)
        for record in super().get_records(context):
            modified = record["modified_at"]
            digest = row_digest(record)
            if start_iso:
                if modified < start_iso:
                    continue
                if modified == start_iso and at_start.get(record["id"]) == digest:
                    continue  # emitted, unchanged, by the run that set the bookmark
            if modified != mark:
                mark, at_mark = modified, {}
            at_mark[record["id"]] = digest
            state["bookmark_digests"] = dict(at_mark)
            record["gallery_ids"] = self.directory.galleries_of(record["id"])
            yield record
        if self.fallback_calls:
            LOGGER.warning("The server ignored include=%s on media lists: made %d per-media "
                           "calls instead", ",".join(paths.MEDIA_INCLUDES), self.fallback_calls)
        if self.unparseable:
            LOGGER.warning("media: %d item(s) could not be read and were left out (see the "
                           "warnings above)", self.unparseable)

    def parse_items(self, items: list[dict[str, Any]],
                    context: Context | None) -> Iterable[dict[str, Any]]:
        for item in items:
            try:
                yield self.media_row(item)
            except Unparseable as error:
                self.unparseable += 1
                LOGGER.warning("media %s left out: %s", describe_id(item), error)

    def media_row(self, item: dict[str, Any]) -> dict[str, Any]:
        """The row without `gallery_ids` (added only to rows that are emitted)."""
        media_id = item_id(item)
        embedded = includes_of(item)
        iptc_raw = embedded["iptc"] if "iptc" in embedded else self._fetch(
            paths.media_iptc(media_id))
        custom_raw = embedded["custom-metadata"] if "custom-metadata" in embedded else \
            self._fetch(paths.media_custom_metadata(media_id))
        link_raw = embedded["link"] if "link" in embedded else self._fetch(
            paths.media_link(media_id), paths.link_params(self.image_size))
        return media_row(item, iptc_raw, custom_raw, link_raw, self.directory.fields())

    def _fetch(self, path: str, params: dict[str, Any] | None = None) -> Any:
        self.fallback_calls += 1
        body = self.api.get(path, params)
        return body.get("data", body)


def previous_digests(state: dict[str, Any]) -> dict[str, str | None]:
    """Digests of the images emitted at the bookmark second; ids from an older state (a
    plain list, no digest) match nothing, so those images are emitted once more."""
    digests = state.get("bookmark_digests")
    if isinstance(digests, dict):
        return {str(k): (str(v) if v is not None else None) for k, v in digests.items()}
    return {str(i): None for i in state.get("bookmark_ids") or []}


def gallery_fingerprint(row: dict[str, Any]) -> str | None:
    """What changes when a gallery's membership does; None when it cannot be told."""
    if row.get("modified_at") is None:
        return None
    return f"{row['modified_at']}|{row.get('media_count')}"


def readable(items: Iterable[dict[str, Any]], parse: Callable[[dict[str, Any]], dict[str, Any]],
             stream: str) -> Iterator[dict[str, Any]]:
    """Parsed items; one that cannot be read is logged with its id and left out."""
    for item in items:
        try:
            yield parse(item)
        except Unparseable as error:
            LOGGER.warning("%s %s left out: %s", stream, describe_id(item), error)


def _scope(value: Any) -> set[str] | None:
    """A scope setting (list or comma-separated) as a set; None when unset."""
    if not value:
        return None
    items = value if isinstance(value, list) else str(value).split(",")
    return {str(v).strip().strip("/") for v in items if str(v).strip()}


def _in_scope(path: str, collection_id: str, scope: set[str],
              rows: list[dict[str, Any]]) -> bool:
    """A collection is in scope when it, or an ancestor, is named by id or path."""
    if collection_id in scope:
        return True
    by_id = {r["id"]: r for r in rows}
    row = by_id.get(collection_id)
    seen: set[str] = set()
    while row is not None and row["id"] not in seen:
        seen.add(row["id"])
        if row["id"] in scope:
            return True
        row = by_id.get(row.get("parent_id") or "")
    return any(path == s or path.startswith(s + "/") for s in scope)
