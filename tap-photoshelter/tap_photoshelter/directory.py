"""What several streams share within one run: fields, collections, galleries, membership.

Streams that read these lists record them here as they go, so a later stream reuses them
instead of asking the API again; a stream that runs without its feeder (deselected) makes
the directory fetch the list itself, once.
"""

from __future__ import annotations

import logging
from typing import Any

from tap_photoshelter.api import PhotoShelterClient, paths
from tap_photoshelter.api.client import attributes

LOGGER = logging.getLogger("tap_photoshelter")


class Directory:
    """Per-run cache of the organisation's structure."""

    def __init__(self, api: PhotoShelterClient, per_page: int) -> None:
        self.api = api
        self.per_page = per_page
        self._fields: list[dict[str, Any]] | None = None
        self._collections: dict[str, dict[str, Any]] | None = None
        self._galleries: list[dict[str, Any]] | None = None
        self.members: dict[str, list[str]] = {}
        self.members_complete = False

    # --- metadata fields ------------------------------------------------------------------
    def fields(self) -> list[dict[str, Any]]:
        """`[{id, name, tags: [{id, name}]}]` of the organisation's custom fields."""
        if self._fields is None:
            items = self.api.paged(paths.METADATA_FIELDS, per_page=self.per_page)
            self._fields = [_field(attributes(item)) for item in items]
        return self._fields

    # --- collections ----------------------------------------------------------------------
    def remember_collections(self, rows: list[dict[str, Any]]) -> None:
        self._collections = {row["id"]: row for row in rows}

    def collections(self) -> dict[str, dict[str, Any]]:
        if self._collections is None:
            rows = [attributes(i) for i in self.api.paged(paths.COLLECTIONS,
                                                           per_page=self.per_page)]
            self._collections = {row["id"]: row for row in with_paths(rows)}
        return self._collections

    def collection_path(self, collection_id: str) -> str | None:
        row = self.collections().get(collection_id)
        return None if row is None else row.get("path")

    # --- galleries and membership ---------------------------------------------------------
    def remember_gallery(self, row: dict[str, Any]) -> None:
        if self._galleries is None:
            self._galleries = []
        self._galleries.append(row)

    def remember_members(self, gallery_id: str, media_ids: list[str]) -> None:
        self.members[gallery_id] = media_ids

    def galleries_by_media(self) -> dict[str, list[str]]:
        """media id -> ids of the galleries holding it (fetched once when not yet known)."""
        if not self.members_complete:
            galleries = [attributes(i) for i in self.api.paged(paths.GALLERIES,
                                                                per_page=self.per_page)]
            for gallery in galleries:
                if gallery["id"] not in self.members:
                    children = self.api.paged(paths.gallery_children(gallery["id"]),
                                              per_page=self.per_page)
                    self.members[gallery["id"]] = [str(c["id"]) for c in children]
            self.members_complete = True
        index: dict[str, list[str]] = {}
        for gallery_id in sorted(self.members):
            for media_id in self.members[gallery_id]:
                index.setdefault(media_id, []).append(gallery_id)
        return index


def with_paths(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Collections with `path` ("Launches/SS26") from their parent chain."""
    by_id = {row["id"]: row for row in rows}

    def path_of(row: dict[str, Any], seen: frozenset[str] = frozenset()) -> str:
        parent = by_id.get(row.get("parent_id") or "")
        if parent is None or parent["id"] in seen:
            return str(row.get("name") or "")
        return f"{path_of(parent, seen | {row['id']})}/{row.get('name') or ''}"

    return [{**row, "path": path_of(row)} for row in rows]


def _field(row: dict[str, Any]) -> dict[str, Any]:
    tags = [attributes(t) if isinstance(t, dict) else {"id": str(t), "name": str(t)}
            for t in row.get("tags") or []]
    return {"id": str(row["id"]), "name": str(row.get("name") or ""),
            "tags": [{"id": str(t["id"]), "name": str(t.get("name") or "")} for t in tags]}
