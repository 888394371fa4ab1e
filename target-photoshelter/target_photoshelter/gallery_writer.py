"""Ensure a gallery: find it by name under its collection path, create what is missing,
set the description, add media that are not in it yet. Never removes, never duplicates.

A create that may have happened (5xx or a lost connection after the request went out) is
followed by a lookup before any second attempt, so a crash or a retry cannot make a second
gallery or collection of the same name.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from typing import Any

from photoshelter_api import (
    AmbiguousWriteError,
    ApiError,
    NotFoundError,
    PhotoShelterClient,
    paths,
)
from photoshelter_api.client import attributes
from pim_dam_core.errors import RecordRejectedError

from target_photoshelter.media_writer import missing_path

LOGGER = logging.getLogger("target_photoshelter")
COLLECTION_ID = re.compile(r"^C0000[A-Za-z0-9._]{11}$")


@dataclass
class GalleryRequest:
    name: str
    parent: str | None
    description: str | None
    media_ids: list[str] = field(default_factory=list)


def parse_gallery_record(record: dict[str, Any]) -> GalleryRequest:
    name = record.get("name")
    if not isinstance(name, str) or not name.strip():
        raise RecordRejectedError("missing name")
    parent = record.get("parent")
    if parent is not None and (not isinstance(parent, str) or not parent.strip("/ ")):
        raise RecordRejectedError("parent must be a collection id or a path like Launches/SS27")
    description = record.get("description")
    if description is not None and not isinstance(description, str):
        raise RecordRejectedError("description must be a string")
    media_ids = record.get("media_ids") or []
    if not isinstance(media_ids, list) or not all(isinstance(m, str) and m for m in media_ids):
        raise RecordRejectedError("media_ids must be a list of media ids")
    unique = list(dict.fromkeys(m.strip() for m in media_ids))
    return GalleryRequest(
        name.strip(), parent.strip().strip("/") if parent else None, description, unique
    )


@dataclass
class Ensured:
    outcome: str  # created | updated | unchanged
    gallery_id: str | None
    changes: list[str] = field(default_factory=list)


class GalleryWriter:
    def __init__(
        self,
        api: PhotoShelterClient,
        dry_run: bool,
        per_page: int = 1000,
        write_paths: dict[str, str] | None = None,
    ) -> None:
        self.api = api
        self.write_paths = {**paths.DEFAULT_WRITE_PATHS, **(write_paths or {})}
        self.dry_run = dry_run
        self.per_page = per_page
        self._collections: dict[tuple[str | None, str], str] = {}
        self._media_checked = True
        self._pending_media: list[str] = []

    def ensure(self, wanted: GalleryRequest) -> Ensured:
        """Find or create, then add media, then set the description.

        Nothing is written for a record that is then rejected: before anything is created
        its media are checked to exist (the add itself is all-or-nothing), and the
        description is set only after the media were added.
        """
        changes: list[str] = []
        self._media_checked = not wanted.media_ids
        self._pending_media = wanted.media_ids
        parent_id = self._collection(wanted.parent, changes) if wanted.parent else None
        gallery = (
            None
            if parent_id and parent_id.startswith("(new")
            else self._find_gallery(wanted.name, parent_id)
        )
        created = gallery is None
        if gallery is None:
            changes.append("gallery created")
            gallery = self._create_gallery(wanted, parent_id)
        missing = list(wanted.media_ids)
        if not created:
            present = set(self._members(gallery["id"]))
            missing = [m for m in missing if m not in present]
        if missing:
            changes.append(f"added {len(missing)} media")
            if not self.dry_run:
                self._add_media(gallery["id"], missing)
            elif not created:
                self._check_media_exist(missing)
        if (
            not created
            and wanted.description is not None
            and (gallery.get("description") or "") != wanted.description
        ):
            changes.append("description")
            if not self.dry_run:
                self.api.request(
                    "PATCH",
                    paths.gallery_update(gallery["id"]),
                    json=paths.gallery_update_body(wanted.description),
                )
        outcome = "created" if created else ("updated" if changes else "unchanged")
        return Ensured(outcome, gallery.get("id"), changes)

    def _add_media(self, gallery_id: str, media_ids: list[str]) -> None:
        """Append media (all or nothing); a path the server lacks names its setting."""
        choice = self.write_paths["gallery_add_media_path"]
        call = paths.gallery_add_media(choice, gallery_id, media_ids)
        try:
            self.api.write(call)
        except NotFoundError as error:
            self._check_media_exist(media_ids)  # a missing media rejects the record
            raise missing_path("gallery_add_media_path", choice, call, error) from None
        except ApiError as error:
            if error.status == 405:
                raise missing_path("gallery_add_media_path", choice, call, error) from None
            raise

    def _before_create(self) -> None:
        """The record's first create: its media must exist, or nothing is written at all."""
        if not self._media_checked:
            self._media_checked = True
            self._check_media_exist(self._pending_media)

    def _check_media_exist(self, media_ids: list[str]) -> None:
        for media_id in media_ids:
            try:
                self.api.get(paths.media_item(media_id))
            except NotFoundError:
                raise RecordRejectedError(f"media_ids: no media {media_id!r}") from None

    # --- collections ----------------------------------------------------------------------
    def _collection(self, parent: str, changes: list[str]) -> str:
        """The id of a collection given by id or by path, creating the path when missing."""
        if COLLECTION_ID.match(parent):
            try:
                self.api.get(paths.collection_children(parent), {"per_page": 1})
            except NotFoundError:
                raise RecordRejectedError(f"parent: no collection {parent!r}") from None
            return parent
        parent_id: str | None = None
        for name in [p.strip() for p in parent.split("/") if p.strip()]:
            key = (parent_id, name.lower())
            if key not in self._collections:
                found = (
                    None
                    if parent_id and parent_id.startswith("(new")
                    else self._find_collection(name, parent_id)
                )
                if found is None:
                    changes.append(f"collection {name!r} created")
                    found = self._create_collection(name, parent_id)
                self._collections[key] = found
            parent_id = self._collections[key]
        assert parent_id is not None
        return parent_id

    def _find_collection(self, name: str, parent_id: str | None) -> str | None:
        params: dict[str, Any] = {"name": name}
        if parent_id:
            params["parent"] = parent_id
        for item in self.api.paged(paths.COLLECTIONS, params, per_page=self.per_page):
            row = attributes(item)
            if (
                str(row.get("name") or "").strip().lower() == name.lower()
                and (row.get("parent_id") or None) == parent_id
            ):
                return str(row["id"])
        return None

    def _create_collection(self, name: str, parent_id: str | None) -> str:
        self._before_create()
        if self.dry_run:
            return f"(new collection {name})"
        for attempt in (1, 2):
            try:
                body = self.api.request(
                    "POST",
                    paths.COLLECTION_CREATE,
                    json=paths.collection_create_body(name, parent_id),
                )
                return str(attributes(body.get("data") or {})["id"])
            except AmbiguousWriteError:
                found = self._find_collection(name, parent_id)
                if found is not None:
                    return found
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    # --- galleries ------------------------------------------------------------------------
    def _find_gallery(self, name: str, parent_id: str | None) -> dict[str, Any] | None:
        params: dict[str, Any] = {"name": name}
        if parent_id:
            params["parent"] = parent_id
        matches = []
        for item in self.api.paged(paths.GALLERIES, params, per_page=self.per_page):
            row = attributes(item)
            parents = [str(p) for p in row.get("parent_ids") or []]
            in_place = parent_id in parents if parent_id else not parents
            if str(row.get("name") or "").strip().lower() == name.lower() and in_place:
                matches.append(row)
        if len(matches) > 1:
            LOGGER.warning(
                "%d galleries named %r under %s; using %s",
                len(matches),
                name,
                parent_id or "the root",
                matches[0]["id"],
            )
        return matches[0] if matches else None

    def _create_gallery(self, wanted: GalleryRequest, parent_id: str | None) -> dict[str, Any]:
        """Create the gallery in its collection, by the `gallery_create_path` candidate.

        With `galleries_then_parents` (or when the server ignored `parent`, seen from the
        answer's `parent_ids`) the collection is set by a second call; a gallery left at the
        root by a run that stopped in between is found and adopted by the next run.
        """
        self._before_create()
        if self.dry_run:
            return {"id": None, "name": wanted.name}
        choice = self.write_paths["gallery_create_path"]
        orphan = (
            self._find_gallery(wanted.name, None)
            if parent_id and choice == "galleries_then_parents"
            else None
        )
        if orphan is not None:
            LOGGER.info(
                "Gallery %r found at the library root; putting it in %s", wanted.name, parent_id
            )
            return self._put_in_parent(orphan, parent_id)
        call = paths.gallery_create(choice, wanted.name, wanted.description, parent_id)
        for attempt in (1, 2):
            try:
                body = self.api.write(call)
                created = attributes(body.get("data") or {})
                break
            except AmbiguousWriteError:
                found = self._find_gallery(wanted.name, parent_id) or (
                    self._find_gallery(wanted.name, None) if parent_id else None
                )
                if found is not None:
                    LOGGER.info("Gallery %r was created despite the error; using it", wanted.name)
                    return self._put_in_parent(found, parent_id)
                if attempt == 2:
                    raise
            except ApiError as error:
                if error.status in (400, 404, 409):
                    raise RecordRejectedError(
                        f"PhotoShelter refused the gallery: {error}"
                    ) from None
                raise
        return self._put_in_parent(created, parent_id)

    def _put_in_parent(self, gallery: dict[str, Any], parent_id: str | None) -> dict[str, Any]:
        """Make sure the gallery sits in its collection (a second call when it does not)."""
        parents = [str(p) for p in gallery.get("parent_ids") or []]
        if not parent_id or parent_id in parents:
            return gallery
        call = paths.gallery_parent_write(str(gallery["id"]), parent_id)
        try:
            self.api.write(call)
        except ApiError as error:
            if error.status in (404, 405):
                raise missing_path(
                    "gallery_create_path", self.write_paths["gallery_create_path"], call, error
                ) from None
            raise
        return {**gallery, "parent_ids": [*parents, parent_id]}

    def _members(self, gallery_id: str) -> list[str]:
        return [
            str(item["id"])
            for item in self.api.paged(paths.gallery_children(gallery_id), per_page=self.per_page)
        ]
