"""The tap's streams: name, keys, replication key and schema side by side."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from tap_photoshelter import schemas
from tap_photoshelter.api import paths
from tap_photoshelter.api.client import attributes
from tap_photoshelter.api.formats import (
    IPTC_FIELDS,
    api_timestamp,
    column_name,
    custom_metadata_entries,
    includes_of,
    link_url,
    split_keywords,
    utc_iso,
)
from tap_photoshelter.client import PhotoShelterStream
from tap_photoshelter.directory import with_paths

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
        rows = [_container(row) for row in self.request_records(context)]
        rows = with_paths(rows)
        self.directory.remember_collections(rows)
        scope = _scope(self.config.get("collections"))
        for row in rows:
            if scope is None or _in_scope(row["path"], row["id"], scope, rows):
                yield row


class GalleriesStream(PhotoShelterStream):
    """Galleries with the ids and paths of the collections that hold them."""

    name = "galleries"
    path = paths.GALLERIES
    primary_keys = ("id",)
    replication_key = None
    schema = schemas.GALLERIES

    def get_records(self, context: Context | None) -> Iterable[dict[str, Any]]:
        gallery_scope = _scope(self.config.get("galleries"))
        collection_scope = _scope(self.config.get("collections"))
        collections = self.directory.collections()
        for raw in self.request_records(context):
            row = _container(raw)
            parent_ids = [str(p) for p in row.get("parent_ids") or []]
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
            yield row
        if any(child.selected for child in self.child_streams):
            self.directory.members_complete = True  # gallery_media read every gallery

    def get_child_context(self, record: dict[str, Any],
                          context: Context | None) -> dict[str, Any]:
        return {"gallery_id": record["id"]}


class GalleryMediaStream(PhotoShelterStream):
    """Which media each gallery holds, in gallery order (child of `galleries`)."""

    name = "gallery_media"
    path = "/galleries/{gallery_id}/children"
    primary_keys = ("gallery_id", "media_id")
    replication_key = None
    parent_stream_type = GalleriesStream
    state_partitioning_keys: list[str] = []
    schema = schemas.GALLERY_MEDIA

    def get_records(self, context: Context | None) -> Iterable[dict[str, Any]]:
        assert context is not None
        gallery_id = context["gallery_id"]
        media_ids = [str(row["id"]) for row in self.request_records(context)]
        self.directory.remember_members(gallery_id, media_ids)
        for position, media_id in enumerate(media_ids):
            yield {"gallery_id": gallery_id, "media_id": media_id, "position": position}


class MediaStream(PhotoShelterStream):
    """One row per image: core fields, IPTC, keywords, custom metadata, link, galleries.

    Incremental on `modified_at` through `modify_start`, sorted ascending, so an
    interrupted run resumes from its last bookmark. Metadata comes embedded with
    `include=`; when the server ignores it, each image is completed with per-media calls,
    counted and logged once per run.
    """

    name = "media"
    path = paths.MEDIA
    primary_keys = ("id",)
    replication_key = "modified_at"
    is_sorted = True

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fallback_calls = 0
        self._galleries_by_media: dict[str, list[str]] | None = None

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
        seen_at_start = set(state.get("bookmark_ids") or []) if start_iso else set()
        mark, ids_at_mark = start_iso, sorted(seen_at_start)
        for record in super().get_records(context):
            modified = record["modified_at"]
            if start_iso and modified is not None:
                if modified < start_iso:
                    continue
                if modified == start_iso and record["id"] in seen_at_start:
                    continue  # emitted by the run that set the bookmark
            if modified != mark:
                mark, ids_at_mark = modified, []
            ids_at_mark.append(record["id"])
            state["bookmark_ids"] = list(ids_at_mark)
            yield record
        if self.fallback_calls:
            LOGGER.warning("The server ignored include=%s on media lists: made %d per-media "
                           "calls instead", ",".join(paths.MEDIA_INCLUDES), self.fallback_calls)

    def parse_items(self, items: list[dict[str, Any]],
                    context: Context | None) -> Iterable[dict[str, Any]]:
        for item in items:
            yield self.media_row(item)

    def media_row(self, item: dict[str, Any]) -> dict[str, Any]:
        row = attributes(item)
        media_id = str(row["id"])
        embedded = includes_of(item)
        iptc_raw = embedded["iptc"] if "iptc" in embedded else self._fetch(
            paths.media_iptc(media_id))
        custom_raw = embedded["custom-metadata"] if "custom-metadata" in embedded else \
            self._fetch(paths.media_custom_metadata(media_id))
        link_raw = embedded["link"] if "link" in embedded else self._fetch(
            paths.media_link(media_id), paths.link_params(self.image_size))
        iptc = _iptc(iptc_raw)
        custom_raw_rows = custom_metadata_entries(custom_raw)
        by_field = {e["field_id"]: e for e in custom_raw_rows}
        custom = {column_name(f["name"]): (by_field[f["id"]]["tag_name"]
                                            if f["id"] in by_field else None)
                  for f in self.directory.fields()}
        return {
            **{k: row.get(k) for k in ("file_name", "file_size", "width", "height", "rating",
                                       "flagged", "model_released", "property_released",
                                       "focal_point_x", "focal_point_y", "media_type",
                                       "organization_id", "photographer_id")},
            "id": media_id,
            "created_at": utc_iso(row.get("created_at")),
            "modified_at": utc_iso(row.get("modified_at")),
            "license_expiration": row.get("license_expiration") or None,
            "iptc": iptc,
            "keywords": split_keywords(iptc.get("keywords")),
            "custom_metadata": custom,
            "custom_metadata_raw": custom_raw_rows,
            "link_url": link_url(link_raw),
            "gallery_ids": self.galleries_of(media_id),
        }

    def galleries_of(self, media_id: str) -> list[str]:
        if self._galleries_by_media is None:
            self._galleries_by_media = self.directory.galleries_by_media()
        return self._galleries_by_media.get(media_id, [])

    def _fetch(self, path: str, params: dict[str, Any] | None = None) -> Any:
        self.fallback_calls += 1
        body = self.api.get(path, params)
        return body.get("data", body)


def _iptc(raw: Any) -> dict[str, Any]:
    flat = attributes(raw) if isinstance(raw, dict) else {}
    return {name: (None if flat.get(name) is None else str(flat.get(name)))
            for name in IPTC_FIELDS}


def _container(row: dict[str, Any]) -> dict[str, Any]:
    return {**row, "id": str(row["id"]), "created_at": utc_iso(row.get("created_at")),
            "modified_at": utc_iso(row.get("modified_at"))}


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
