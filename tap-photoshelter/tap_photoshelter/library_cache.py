"""A per-run cache of what several streams share: fields, collections, galleries, membership.

Streams that read these lists record them here as they go, so a later stream reuses them
instead of asking the API again; a stream that runs without its feeder (deselected) makes
the cache fetch the list itself, once.
"""

from __future__ import annotations

import logging
from collections import Counter
from typing import Any

from photoshelter_api import PhotoShelterClient, paths
from photoshelter_api.client import attributes
from pim_dam_core.errors import BadRowError

from tap_photoshelter.records import container_row, describe_id, item_id

LOGGER = logging.getLogger("tap_photoshelter")


class LibraryCache:
    """The organisation's structure, read at most once per run."""

    def __init__(self, api: PhotoShelterClient, per_page: int) -> None:
        self.api = api
        self.per_page = per_page
        self._fields: list[dict[str, Any]] | None = None
        self._collections: dict[str, dict[str, Any]] | None = None
        self._galleries: list[dict[str, Any]] | None = None
        self.members: dict[str, list[str]] = {}
        self.members_complete = False
        self.lookups = 0
        self.skipped_members: Counter[str] = Counter()
        """Gallery members that are not images (video, audio, document), by kind."""
        self._index: dict[str, list[str]] | None = None

    # --- metadata fields ------------------------------------------------------------------
    def fields(self) -> list[dict[str, Any]]:
        """`[{id, name, tags: [{id, name}]}]` of the organisation's custom fields."""
        if self._fields is None:
            self._fields = []
            for item in self.api.paged(paths.METADATA_FIELDS, per_page=self.per_page):
                try:
                    self._fields.append(_field(attributes(item)))
                except BadRowError as error:
                    LOGGER.warning("metadata_fields %s left out: %s", describe_id(item), error)
        return self._fields

    # --- collections ----------------------------------------------------------------------
    def remember_collections(self, rows: list[dict[str, Any]]) -> None:
        self._collections = {row["id"]: row for row in rows}

    def collections(self) -> dict[str, dict[str, Any]]:
        if self._collections is None:
            rows = []
            for item in self.api.paged(paths.COLLECTIONS, per_page=self.per_page):
                try:
                    rows.append(container_row(item))
                except BadRowError as error:
                    LOGGER.warning("collections %s left out: %s", describe_id(item), error)
            self._collections = {row["id"]: row for row in with_paths(rows)}
        return self._collections

    def collection_path(self, collection_id: str) -> str | None:
        row = self.collections().get(collection_id)
        return None if row is None else row.get("path")

    # --- galleries and membership ---------------------------------------------------------
    def start_galleries(self) -> None:
        """The galleries stream is about to list every gallery: remember them afresh."""
        self._galleries = []

    def remember_gallery(self, row: dict[str, Any]) -> None:
        if self._galleries is None:
            self._galleries = []
        self._galleries.append(row)

    def remember_members(self, gallery_id: str, media_ids: list[str]) -> None:
        self.members[gallery_id] = media_ids

    def galleries(self) -> list[dict[str, Any]]:
        """Every gallery (from the galleries stream, or listed here when it did not run)."""
        if self._galleries is None:
            self._galleries = []
            for item in self.api.paged(paths.GALLERIES, per_page=self.per_page):
                try:
                    self._galleries.append(container_row(item))
                except BadRowError as error:
                    LOGGER.warning("galleries %s left out: %s", describe_id(item), error)
        return self._galleries

    def gallery_ids(self) -> set[str]:
        return {g["id"] for g in self.galleries()}

    def galleries_of(self, media_id: str) -> list[str]:
        """Ids of the galleries holding a media, at the lowest request cost.

        Membership of galleries that changed was read by `gallery_media`; for the rest, ask
        per media (`GET /media/{id}/galleries`) until those asks have cost as much as
        reading every remaining gallery would, then read them all once (never more than
        twice the cheaper of the two, whatever the number of changed media).
        """
        if not self.members_complete:
            unread = [g for g in self.galleries() if g["id"] not in self.members]
            cost = sum(_pages(g.get("media_count"), self.per_page) for g in unread)
            if self.lookups < cost:
                self.lookups += 1
                return sorted(
                    str(item["id"])
                    for item in self.api.paged(
                        paths.media_galleries(media_id), per_page=self.per_page
                    )
                    if isinstance(item.get("id"), str)
                )
            for gallery in unread:
                children = self.api.paged(
                    paths.gallery_children(gallery["id"]), per_page=self.per_page
                )
                self.members[gallery["id"]] = [
                    str(c["id"]) for c in children if isinstance(c.get("id"), str)
                ]
            self.members_complete = True
            if unread:
                LOGGER.info(
                    "Read the membership of %d galleries for media.gallery_ids", len(unread)
                )
        if self._index is None:
            self._index = {}
            for gallery_id in sorted(self.members):
                for member in self.members[gallery_id]:
                    self._index.setdefault(member, []).append(gallery_id)
        return self._index.get(media_id, [])


def _pages(media_count: Any, per_page: int) -> int:
    """Requests to list a gallery's media (one when its count is unknown or zero)."""
    count = media_count if isinstance(media_count, int) and media_count > 0 else 0
    return max(1, -(-count // per_page))


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
    raw_tags = row["tags"] if isinstance(row.get("tags"), list) else []
    tags = [
        attributes(t) if isinstance(t, dict) else {"id": str(t), "name": str(t)} for t in raw_tags
    ]
    return {
        "id": item_id(row),
        "name": str(row.get("name") or ""),
        "tags": [
            {"id": str(t["id"]), "name": str(t.get("name") or "")}
            for t in tags
            if t.get("id") is not None
        ],
    }
