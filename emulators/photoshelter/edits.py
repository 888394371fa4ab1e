"""Changes to the library, shared by the API writes and the admin endpoints.

Each one validates everything before changing anything (an error leaves the store as it
was), replaces nested dicts instead of mutating them (see `store`), and moves modified_at
of what it changed; a write that changes nothing leaves modified_at alone.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from emulators.images import render
from emulators.photoshelter.errors import bad_request, not_found, ps_error
from emulators.photoshelter.store import IPTC_FIELDS, Collection, Gallery, Media, Store


def iptc_changes(fields: dict[str, Any]) -> dict[str, str]:
    """Validated IPTC values: known names, strings (keywords may be a list)."""
    changes: dict[str, str] = {}
    for name, value in fields.items():
        if name not in IPTC_FIELDS:
            raise bad_request(f"unknown IPTC field {name!r}; known: {', '.join(IPTC_FIELDS)}")
        if name == "keywords" and isinstance(value, list):
            value = ", ".join(str(k).strip() for k in value if str(k).strip())
        if value is None:
            value = ""
        if not isinstance(value, str):
            raise bad_request(f"IPTC field {name!r} must be a string, got {value!r}")
        changes[name] = value
    return changes


def set_iptc(store: Store, media: Media, fields: dict[str, Any], now: float) -> bool:
    changes = iptc_changes(fields)
    merged = {**media.iptc, **changes}
    if merged == media.iptc:
        return False
    media.iptc = merged
    store.touch_media(media, now)
    return True


def custom_metadata_by_id(store: Store, pairs: dict[str, Any]) -> dict[str, str | None]:
    """`{field_id: tag_id | None}`, validated against the organisation's fields."""
    resolved: dict[str, str | None] = {}
    for field_id, tag_id in pairs.items():
        field = store.fields.get(field_id)
        if field is None:
            raise bad_request(f"unknown metadata field {field_id!r}")
        if tag_id is not None and (not isinstance(tag_id, str) or field.tag(tag_id) is None):
            raise bad_request(f"tag {tag_id!r} is not a tag of field {field_id!r} ({field.name})")
        resolved[field_id] = tag_id
    return resolved


def custom_metadata_by_name(store: Store, pairs: dict[str, Any]) -> dict[str, str | None]:
    """`{field name: tag name | None}` to ids, as a photographer picks them in the UI."""
    resolved: dict[str, str | None] = {}
    for field_name, tag_name in pairs.items():
        field = store.field_named(field_name)
        if field is None:
            raise bad_request(f"unknown metadata field {field_name!r}")
        if tag_name is None:
            resolved[field.id] = None
            continue
        tag = field.tag_named(str(tag_name))
        if tag is None:
            raise bad_request(f"field {field.name!r} has no tag {tag_name!r}")
        resolved[field.id] = tag["id"]
    return resolved


def set_custom_metadata(
    store: Store, media: Media, pairs: dict[str, str | None], now: float
) -> bool:
    updated = dict(media.custom_metadata)
    for field_id, tag_id in pairs.items():
        if tag_id is None:
            updated.pop(field_id, None)
        else:
            updated[field_id] = tag_id
    if updated == media.custom_metadata:
        return False
    media.custom_metadata = updated
    store.touch_media(media, now)
    return True


def replace_file(store: Store, media: Media, now: float) -> None:
    """The photographer uploaded a new version: new pixels, new size, new modified_at."""
    media.version += 1
    media.file_size = len(original_bytes(media))
    store.touch_media(media, now)


def original_format(media: Media) -> str:
    return "PNG" if media.file_name.lower().endswith(".png") else "JPEG"


KINDS = ("image", "video", "audio", "document")
NON_IMAGE_FILES = {
    "video": (b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom", "video/mp4"),
    "audio": (b"ID3\x04\x00\x00\x00\x00\x00\x00", "audio/mpeg"),
    "document": (b"%PDF-1.4\n%", "application/pdf"),
}
"""Kinds other than images: a real file signature and its content type. The bytes differ per
media and version; the emulator serves no playable video or readable PDF."""


def original_bytes(media: Media) -> bytes:
    """The original file: a real image for images, a signed placeholder for other kinds."""
    if media.kind == "image":
        return render(media.id, media.version, original_format(media))
    magic, _ = NON_IMAGE_FILES[media.kind]
    return magic + f" {media.id} version {media.version}\n".encode()


def original_content_type(media: Media) -> str:
    if media.kind == "image":
        return "image/png" if original_format(media) == "PNG" else "image/jpeg"
    return NON_IMAGE_FILES[media.kind][1]


MEDIA_FIELD_TYPES: dict[str, Any] = {
    "file_name": str,
    "license_expiration": (str, type(None)),
    "rating": int,
    "flagged": bool,
    "width": int,
    "height": int,
}


def check_media_fields(fields: dict[str, Any]) -> None:
    """Only the editable media attributes, each of its type."""
    for name, value in fields.items():
        if name not in MEDIA_FIELD_TYPES:
            raise bad_request(
                f"media field {name!r} cannot be set; editable: {', '.join(MEDIA_FIELD_TYPES)}"
            )
        if not isinstance(value, MEDIA_FIELD_TYPES[name]):
            raise bad_request(f"media field {name!r} has the wrong type: {value!r}")


def set_media_fields(store: Store, media: Media, fields: dict[str, Any], now: float) -> bool:
    """Admin edits of the media's own attributes (file_name, license_expiration, rating...)."""
    check_media_fields(fields)
    changed = False
    for name, value in fields.items():
        if getattr(media, name) != value:
            setattr(media, name, value)
            changed = True
    if changed:
        store.touch_media(media, now)
    return changed


API_MEDIA_FIELDS: dict[str, Any] = {
    "rating": int,
    "flagged": bool,
    "license_expiration": (str, type(None)),
}
"""Media attributes the candidate `PATCH /media/{id}` and `PATCH /media/batch` set besides
IPTC fields (an emulator choice: no public code shows which the real API accepts)."""


def media_patch(fields: dict[str, Any]) -> tuple[dict[str, str], dict[str, Any]]:
    """(IPTC changes, media attribute changes) of a media PATCH body, validated; 400 naming
    an unknown field or a value of the wrong type."""
    own = {k: v for k, v in fields.items() if k in API_MEDIA_FIELDS}
    for name, value in own.items():
        expected = API_MEDIA_FIELDS[name]
        fits = (
            isinstance(value, bool)
            if expected is bool
            else (isinstance(value, expected) and not isinstance(value, bool))
        )
        if not fits:
            raise bad_request(f"media field {name!r} has the wrong type: {value!r}")
    if "rating" in own and not 0 <= own["rating"] <= 5:
        raise bad_request(f"media field 'rating' must be 0 to 5, got {own['rating']!r}")
    if own.get("license_expiration") is not None:
        try:
            date.fromisoformat(own["license_expiration"])
        except ValueError:
            raise bad_request(
                "media field 'license_expiration' must be a date like "
                f"2027-05-12, got {own['license_expiration']!r}"
            ) from None
    rest = {k: v for k, v in fields.items() if k not in API_MEDIA_FIELDS}
    unknown = sorted(set(rest) - set(IPTC_FIELDS))
    if unknown:
        raise bad_request(
            f"unknown field {unknown[0]!r}; known: {', '.join([*API_MEDIA_FIELDS, *IPTC_FIELDS])}"
        )
    return iptc_changes(rest), own


def apply_media_patch(
    store: Store, media: Media, iptc: dict[str, str], own: dict[str, Any], now: float
) -> bool:
    """Set validated IPTC and media attribute changes; modified_at moves once, if anything
    changed."""
    changed = set_iptc(store, media, iptc, now)
    own_changed = {k: v for k, v in own.items() if getattr(media, k) != v}
    for name, value in own_changed.items():
        setattr(media, name, value)
    if own_changed and not changed:
        store.touch_media(media, now)
    return changed or bool(own_changed)


def remove_from_gallery(store: Store, gallery: Gallery, media_id: str, now: float) -> None:
    """Take one media out of a gallery (404 when it is not in it)."""
    if media_id not in gallery.media_ids:
        raise ps_error(404, f"media {media_id} is not in gallery {gallery.id}")
    gallery.media_ids = [m for m in gallery.media_ids if m != media_id]
    gallery.modified_at = store.stamp(now)


def add_gallery_parent(store: Store, gallery: Gallery, parent: Any, now: float) -> bool:
    """Put a gallery in one more collection (no change when it is already there)."""
    collection = parent_collection(store, parent)
    if collection.id in gallery.parent_ids:
        return False
    gallery.parent_ids = [*gallery.parent_ids, collection.id]
    stamp = store.stamp(now)
    gallery.modified_at = collection.modified_at = stamp
    return True


def add_to_gallery(store: Store, gallery: Gallery, media_ids: list[str], now: float) -> list[str]:
    """Append media not yet in the gallery, in the order given; the ids actually added."""
    for media_id in media_ids:
        if media_id not in store.media:
            raise not_found("media", media_id)
    added = []
    for media_id in media_ids:
        if media_id not in gallery.media_ids and media_id not in added:
            added.append(media_id)
    if added:
        gallery.media_ids = [*gallery.media_ids, *added]
        gallery.modified_at = store.stamp(now)
    return added


def create_gallery(
    store: Store, name: Any, description: Any, parent: Any, now: float, is_public: Any = False
) -> Gallery:
    if not isinstance(name, str) or not name.strip():
        raise bad_request("gallery name is required")
    if description is not None and not isinstance(description, str):
        raise bad_request("gallery description must be a string")
    if is_public in ("true", "false"):  # a form sends text
        is_public = is_public == "true"
    if not isinstance(is_public, bool):
        raise bad_request(f"gallery is_public must be true or false, got {is_public!r}")
    parents: list[str] = []
    if parent:
        collection = parent_collection(store, parent)
        parents.append(collection.id)
        collection.modified_at = store.stamp(now)
    stamp = store.stamp(now)
    gallery = Gallery(
        store.new_id("G"), name.strip(), description or "", parents, [], stamp, stamp, is_public
    )
    store.galleries[gallery.id] = gallery
    return gallery


def create_collection(
    store: Store, name: Any, description: Any, parent: Any, now: float
) -> Collection:
    if not isinstance(name, str) or not name.strip():
        raise bad_request("collection name is required")
    parent_id = None
    if parent:
        collection = parent_collection(store, parent)
        parent_id = collection.id
        collection.modified_at = store.stamp(now)
    stamp = store.stamp(now)
    created = Collection(
        store.new_id("C"), name.strip(), str(description or ""), parent_id, stamp, stamp
    )
    store.collections[created.id] = created
    return created


def parent_collection(store: Store, parent: Any) -> Collection:
    if not isinstance(parent, str) or parent not in store.collections:
        raise ps_error(404, f"parent collection {parent!r} not found")
    return store.collections[parent]


def update_gallery(store: Store, gallery: Gallery, fields: dict[str, Any], now: float) -> bool:
    for name, value in fields.items():
        if name not in ("name", "description"):
            raise bad_request(f"gallery field {name!r} cannot be set; editable: name, description")
        if not isinstance(value, str) or (name == "name" and not value.strip()):
            raise bad_request(
                f"gallery {name} must be a non-empty string"
                if name == "name"
                else "gallery description must be a string"
            )
    changed = False
    for name, value in fields.items():
        if getattr(gallery, name) != value:
            setattr(gallery, name, value)
            changed = True
    if changed:
        gallery.modified_at = store.stamp(now)
    return changed


def create_tag(store: Store, field_id: str, name: Any) -> dict[str, str]:
    field = store.fields.get(field_id)
    if field is None:
        raise not_found("metadata field", field_id)
    if not isinstance(name, str) or not name.strip():
        raise bad_request("tag name is required")
    if field.tag_named(name) is not None:
        raise ps_error(409, f"field {field.name!r} already has a tag {name.strip()!r}")
    tag = {"id": f"T{int(field.id[1:]):02d}{len(field.tags) + 1:03d}", "name": name.strip()}
    while field.tag(tag["id"]) is not None:
        tag["id"] = store.new_id("T")
    field.tags = [*field.tags, tag]
    return tag
