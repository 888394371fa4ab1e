"""The organisation's library: media, galleries, collections and pick-list fields.

Built from a `Catalog` without copying its nested dicts: a media's `iptc` and
`custom_metadata` are replaced on write, never mutated in place, so the catalogue (shared
with the Plytix emulator) stays untouched and the large catalogue costs little memory.
Media are also kept in `by_modified`, sorted by (modified_at, id), which is what makes the
incremental `modify_start` search a bisect instead of a scan, in `by_id` (the server's
own order when a search names none) and in `by_created` (the library-wide `/search`).
"""

from __future__ import annotations

from bisect import bisect_left, insort
from dataclasses import asdict, dataclass, field
from typing import Any

from emulators.catalog import Catalog, ps_id

IPTC_FIELDS = (
    "title",
    "headline",
    "caption",
    "keywords",
    "author",
    "credit",
    "source",
    "copyright",
    "rights",
    "instructions",
    "trans_ref",
    "category",
    "edit_status",
    "city",
    "state",
    "country",
    "country_iso",
)


@dataclass(slots=True)
class Media:
    id: str
    file_name: str
    file_size: int
    width: int
    height: int
    rating: int
    flagged: bool
    model_released: bool
    property_released: bool
    focal_point_x: float
    focal_point_y: float
    organization_id: str
    photographer_id: str
    created_at: int
    modified_at: int
    license_expiration: str | None
    iptc: dict[str, str]
    custom_metadata: dict[str, str]
    version: int = 0
    kind: str = "image"
    """image, video, audio or document: the JSON:API `type` (the seed holds images only)."""

    def keywords(self) -> list[str]:
        """The IPTC keywords, split on commas and trimmed."""
        return [k.strip() for k in self.iptc.get("keywords", "").split(",") if k.strip()]


@dataclass
class Gallery:
    id: str
    name: str
    description: str
    parent_ids: list[str]
    media_ids: list[str]
    created_at: int
    modified_at: int
    is_public: bool = False


@dataclass
class Collection:
    id: str
    name: str
    description: str
    parent_id: str | None
    created_at: int
    modified_at: int


@dataclass
class MetadataField:
    id: str
    name: str
    tags: list[dict[str, str]] = field(default_factory=list)

    def tag(self, tag_id: str) -> dict[str, str] | None:
        return next((t for t in self.tags if t["id"] == tag_id), None)

    def tag_named(self, name: str) -> dict[str, str] | None:
        wanted = name.strip().lower()
        return next((t for t in self.tags if t["name"].lower() == wanted), None)


class Store:
    """Everything one organisation holds, with the indexes the API needs."""

    def __init__(self, catalog: Catalog) -> None:
        self.seed = catalog.seed
        self.organization = dict(catalog.organization)
        self.user = dict(catalog.user)
        self.fields = {
            f["id"]: MetadataField(f["id"], f["name"], [dict(t) for t in f["tags"]])
            for f in catalog.metadata_fields
        }
        self.collections = {
            c["id"]: Collection(
                c["id"],
                c["name"],
                c.get("description", ""),
                c["parent_id"],
                int(c["created_at"]),
                int(c["modified_at"]),
            )
            for c in catalog.collections
        }
        self.galleries = {
            g["id"]: Gallery(
                g["id"],
                g["name"],
                g.get("description", ""),
                list(g["parent_ids"]),
                list(g["media_ids"]),
                int(g["created_at"]),
                int(g["modified_at"]),
            )
            for g in catalog.galleries
        }
        self.media: dict[str, Media] = {}
        for m in catalog.media:
            self.media[m["id"]] = Media(
                id=m["id"],
                file_name=m["file_name"],
                file_size=m["file_size"],
                width=m["width"],
                height=m["height"],
                rating=m["rating"],
                flagged=m["flagged"],
                model_released=m["model_released"],
                property_released=m["property_released"],
                focal_point_x=m["focal_point_x"],
                focal_point_y=m["focal_point_y"],
                organization_id=m["organization_id"],
                photographer_id=m["photographer_id"],
                created_at=int(m["created_at"]),
                modified_at=int(m["modified_at"]),
                license_expiration=m["license_expiration"],
                iptc=m["iptc"],
                custom_metadata=m["custom_metadata"],
            )
        self.by_modified = sorted((m.modified_at, m.id) for m in self.media.values())
        self.by_id = sorted(self.media)
        self.by_created = sorted((m.created_at, m.id) for m in self.media.values())
        self.high_water = max(
            [0]
            + [m.modified_at for m in self.media.values()]
            + [g.modified_at for g in self.galleries.values()]
            + [c.modified_at for c in self.collections.values()]
        )
        self.created = 0

    # --- ids and stamps --------------------------------------------------------------------
    def new_id(self, prefix: str) -> str:
        """A fresh id of the kind `prefix` (I, G, C, T), deterministic for the seed."""
        self.created += 1
        return ps_id(prefix, self.seed, f"created-{self.created}")

    def stamp(self, now: float) -> int:
        """A modified_at for a write now: whole seconds, never before anything already stored.

        The large catalogue is seeded into the future; writes then share the newest second
        instead of travelling back in time, so a `modify_start` bookmark never misses them.
        """
        self.high_water = max(int(now), self.high_water)
        return self.high_water

    # --- media -----------------------------------------------------------------------------
    def touch_media(self, media: Media, now: float) -> None:
        """Move a media to a new modified_at, keeping `by_modified` sorted."""
        old = (media.modified_at, media.id)
        index = bisect_left(self.by_modified, old)
        if index < len(self.by_modified) and self.by_modified[index] == old:
            del self.by_modified[index]
        media.modified_at = self.stamp(now)
        insort(self.by_modified, (media.modified_at, media.id))

    def add_media(self, media: Media) -> None:
        self.media[media.id] = media
        insort(self.by_modified, (media.modified_at, media.id))
        insort(self.by_id, media.id)
        insort(self.by_created, (media.created_at, media.id))

    def galleries_of(self, media_id: str) -> list[Gallery]:
        return [g for g in self.galleries.values() if media_id in g.media_ids]

    def field_named(self, name: str) -> MetadataField | None:
        wanted = name.strip().lower()
        return next((f for f in self.fields.values() if f.name.lower() == wanted), None)

    def collection_descendants(self, collection_id: str) -> set[str]:
        """The collection and every collection below it."""
        found = {collection_id}
        grew = True
        while grew:
            below = {c.id for c in self.collections.values() if c.parent_id in found}
            grew = not below <= found
            found |= below
        return found

    # --- state dump ------------------------------------------------------------------------
    def dump(self) -> dict[str, Any]:
        """The whole store as plain JSON, every list in id order."""
        return {
            "organization": self.organization,
            "user": self.user,
            "metadata_fields": [asdict(self.fields[k]) for k in sorted(self.fields)],
            "collections": [asdict(self.collections[k]) for k in sorted(self.collections)],
            "galleries": [asdict(self.galleries[k]) for k in sorted(self.galleries)],
            "media": [asdict(self.media[k]) for k in sorted(self.media)],
        }
