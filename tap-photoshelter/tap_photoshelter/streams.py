"""The tap's streams: name, keys, replication key and schema side by side."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from photoshelter_api import PhotoShelterClient, paths
from photoshelter_api.client import attributes
from photoshelter_api.formats import column_name, includes_of, utc_iso
from pim_dam_core.errors import BadRowError
from singer_sdk.streams import Stream

from tap_photoshelter import schemas
from tap_photoshelter.library_cache import LibraryCache, with_paths
from tap_photoshelter.listing import (
    HONOURED,
    IGNORED,
    IMAGE_KINDS,
    UNTESTED,
    MediaListing,
    media_kind,
    modified_of,
)
from tap_photoshelter.records import (
    container_row,
    describe_id,
    item_id,
    media_row,
    row_digest,
)

if TYPE_CHECKING:
    from singer_sdk.helpers.types import Context

LOGGER = logging.getLogger("tap_photoshelter")


class PhotoShelterStream(Stream):
    """A list endpoint of the v4.0 API, paged by the tap's shared client (its `paged` is the
    one pagination loop: page numbers from 1 while `meta.paging.next` is present)."""

    path = ""
    """The list endpoint; `{name}` parts are filled from the stream context."""

    @property
    def api(self) -> PhotoShelterClient:
        return self._tap.api  # type: ignore[attr-defined]

    @property
    def cache(self) -> LibraryCache:
        return self._tap.cache  # type: ignore[attr-defined]

    @property
    def per_page(self) -> int:
        return int(self.config.get("per_page") or 500)

    def request_records(self, context: Context | None) -> Iterable[dict[str, Any]]:
        """Every item of the list, flattened by `parse_item`."""
        path = self.path.format(**(context or {}))
        for item in self.api.paged(path, per_page=self.per_page):
            yield self.parse_item(item)

    def parse_item(self, item: dict[str, Any]) -> dict[str, Any]:
        """A JSON:API object as `{id, **attributes}`."""
        return attributes(item)


class MetadataFieldsStream(PhotoShelterStream):
    """The organisation's custom pick-list fields and their tags (read once at discovery)."""

    name = "metadata_fields"
    path = paths.METADATA_FIELDS
    primary_keys = ("id",)
    replication_key = None
    schema = schemas.METADATA_FIELDS

    def get_records(self, context: Context | None) -> Iterable[dict[str, Any]]:
        for field in self.cache.fields():
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
        self.cache.remember_collections(rows)
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
        collections = self.cache.collections()
        self.cache.start_galleries()
        read_at = datetime.now(UTC).isoformat()
        for row in readable(self.request_records(context), container_row, self.name):
            parent_ids = [str(p) for p in row.get("parent_ids") or [] if isinstance(p, str | int)]
            row["parent_ids"] = parent_ids
            row["paths"] = [collections[p]["path"] for p in parent_ids if p in collections]
            self.cache.remember_gallery(row)
            if (
                gallery_scope is not None
                and row["id"] not in gallery_scope
                and row.get("name") not in gallery_scope
            ):
                continue
            if collection_scope is not None and not any(
                _in_scope(collections[p]["path"], p, collection_scope, list(collections.values()))
                for p in parent_ids
                if p in collections
            ):
                continue
            row["read_at"] = read_at
            row["membership_version"] = gallery_fingerprint(row) or f"read {read_at}"
            yield row
        for child in self.child_streams:
            if isinstance(child, GalleryMediaStream):
                child.forget_missing(self.cache.gallery_ids())

    def get_child_context(self, record: dict[str, Any], context: Context | None) -> dict[str, Any]:
        return {
            "gallery_id": record["id"],
            "fingerprint": gallery_fingerprint(record),
            "membership_version": record["membership_version"],
        }


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
            return
        media_ids = []
        for item in self.request_records(context):
            if media_kind(item) not in IMAGE_KINDS:
                self.cache.skipped_members[media_kind(item)] += 1
                continue
            try:
                media_ids.append(item_id(item))
            except BadRowError as error:
                LOGGER.warning("gallery_media: gallery %s: left out an item: %s", gallery_id, error)
        self.cache.remember_members(gallery_id, media_ids)
        for position, media_id in enumerate(media_ids):
            yield {
                "gallery_id": gallery_id,
                "media_id": media_id,
                "position": position,
                "membership_version": context["membership_version"],
            }
        if fingerprint is not None:
            read[gallery_id] = fingerprint

    def parse_item(self, item: dict[str, Any]) -> dict[str, Any]:
        """The raw item: its JSON:API `type` tells an image from a video or document."""
        return item

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

    Incremental on `modified_at`. The listing is planned at the start of each run from what
    the server does with `modify_start`, `sort_by` and `include` (`listing.py`); every plan
    is filtered here by the same rule, so the records are the same whichever the server
    allows: an image is emitted when it changed after the bookmark, or at the bookmark
    second with a content digest other than the one the last run kept (`bookmark_digests`;
    `modify_start` is inclusive and has whole seconds). The server's order is not relied
    upon: the bookmark is committed when the listing ends. Media of another kind (video,
    audio, document) are skipped with a count. Metadata the list answer does not embed is
    read per media, at the fewest calls the server allows.
    """

    name = "media"
    path = paths.MEDIA
    primary_keys = ("id",)
    replication_key = "modified_at"
    is_sorted = False

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fallback_calls = 0
        self.unparseable = 0
        self.item_include = UNTESTED
        """Whether `GET /media/{id}?include=` embeds what a list answer left out."""

    @property
    def image_size(self) -> str:
        return str(self.config.get("image_link_size") or "2000x2000")

    def get_replication_key_signpost(self, context: Context | None = None) -> None:
        """No cap from this machine's clock: the bookmark is the server's own time."""
        return None

    def get_records(self, context: Context | None) -> Iterable[dict[str, Any]]:
        start = self.get_starting_replication_key_value(context)
        start_iso = utc_iso(start) if start else None
        state = self.get_context_state(context)
        at_start = previous_digests(state) if start_iso else {}
        scope = {
            setting: ",".join(sorted(values))
            for setting in ("galleries", "collections")
            if (values := _scope(self.config.get(setting)))
        }
        listing = MediaListing(
            self.api,
            per_page=self.per_page,
            image_size=self.image_size,
            start_iso=start_iso,
            scope=scope,
        )
        mark, at_mark = start_iso, dict(at_start)
        emitted = 0
        for item in listing.items():
            modified_raw = modified_of(item)
            if start_iso and modified_raw and modified_raw < start_iso:
                continue  # unchanged since the bookmark (a plan that lists everything)
            try:
                record = self.media_row(item)
            except BadRowError as error:
                self.unparseable += 1
                LOGGER.warning("media %s left out: %s", describe_id(item), error)
                continue
            modified = record["modified_at"]
            digest = row_digest(record)
            if start_iso:
                if modified < start_iso:
                    continue
                if modified == start_iso and at_start.get(record["id"]) == digest:
                    continue  # emitted, unchanged, by the run that set the bookmark
            if mark is None or modified > mark:
                mark, at_mark = modified, {}
            if modified == mark:
                at_mark[record["id"]] = digest
            record["gallery_ids"] = self.cache.galleries_of(record["id"])
            emitted += 1
            yield record
        state["bookmark_digests"] = dict(at_mark)
        state["server"] = {
            **listing.report.as_state(),
            "media_include": self.item_include,
            "per_media_calls": self.fallback_calls,
        }
        LOGGER.info(listing.summary(self.fallback_calls, emitted))
        if self.fallback_calls:
            LOGGER.warning(
                "The server did not embed include=%s in the media list: made %d "
                "per-media calls instead",
                ",".join(paths.MEDIA_INCLUDES),
                self.fallback_calls,
            )
        if self.unparseable:
            LOGGER.warning(
                "media: %d item(s) could not be read and were left out (see the warnings above)",
                self.unparseable,
            )

    def media_row(self, item: dict[str, Any]) -> dict[str, Any]:
        """The row without `gallery_ids` (added only to rows that are emitted)."""
        media_id = item_id(item)
        embedded = includes_of(item)
        missing = [name for name in paths.MEDIA_INCLUDES if name not in embedded]
        if missing and self.item_include != IGNORED:
            embedded.update(self._item_includes(media_id, missing))
        iptc_raw = (
            embedded["iptc"] if "iptc" in embedded else self._fetch(paths.media_iptc(media_id))
        )
        custom_raw = (
            embedded["custom-metadata"]
            if "custom-metadata" in embedded
            else self._fetch(paths.media_custom_metadata(media_id))
        )
        link_raw = (
            embedded["link"]
            if "link" in embedded
            else self._fetch(paths.media_link(media_id), paths.link_params(self.image_size))
        )
        row = media_row(item, iptc_raw, custom_raw, link_raw, self.cache.fields())
        row["media_type"] = media_kind(item)
        return row

    def _item_includes(self, media_id: str, names: list[str]) -> dict[str, Any]:
        """One `GET /media/{id}?include=` instead of a call per resource; when its answer
        embeds none of them, the server ignores it and the tap stops asking this run."""
        self.fallback_calls += 1
        body = self.api.get(
            paths.media_item(media_id),
            {"include": ",".join(names), **paths.link_params(self.image_size)},
        )
        data = body.get("data")
        found = includes_of(data) if isinstance(data, dict) else {}
        found = {k: v for k, v in found.items() if k in names}
        if self.item_include == UNTESTED:
            self.item_include = HONOURED if found else IGNORED
        return found

    def _fetch(self, path: str, params: dict[str, Any] | None = None) -> Any:
        self.fallback_calls += 1
        body = self.api.get(path, params)
        return body.get("data", body)


def previous_digests(state: dict[str, Any]) -> dict[str, str | None]:
    """Digests of the images emitted at the bookmark second."""
    digests = state.get("bookmark_digests")
    if isinstance(digests, dict):
        return {str(k): (str(v) if v is not None else None) for k, v in digests.items()}
    return {}


def gallery_fingerprint(row: dict[str, Any]) -> str | None:
    """What changes when a gallery's membership does; None when it cannot be told."""
    if row.get("modified_at") is None:
        return None
    return f"{row['modified_at']}|{row.get('media_count')}"


def readable(
    items: Iterable[dict[str, Any]], parse: Callable[[dict[str, Any]], dict[str, Any]], stream: str
) -> Iterator[dict[str, Any]]:
    """Parsed items; one that cannot be read is logged with its id and left out."""
    for item in items:
        try:
            yield parse(item)
        except BadRowError as error:
            LOGGER.warning("%s %s left out: %s", stream, describe_id(item), error)


def _scope(value: Any) -> set[str] | None:
    """A scope setting (list or comma-separated) as a set; None when unset."""
    if not value:
        return None
    items = value if isinstance(value, list) else str(value).split(",")
    return {str(v).strip().strip("/") for v in items if str(v).strip()}


def _in_scope(path: str, collection_id: str, scope: set[str], rows: list[dict[str, Any]]) -> bool:
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
