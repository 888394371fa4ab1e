"""Admin endpoints that arrange what a photographer does in the PhotoShelter UI.

Under `/_emulator/` (no key, no session): upload a media, edit it, replace its file; take
media out of a gallery or delete a gallery (the API documents neither, the UI does both).
Custom metadata is given by field and tag *names* here, the way the UI shows them.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import TYPE_CHECKING, Any, NoReturn

from emulators.core import HTTPError, Request, Response
from emulators.photoshelter import edits
from emulators.photoshelter.params import id_list
from emulators.photoshelter.store import IPTC_FIELDS, Gallery, Media, MetadataField

if TYPE_CHECKING:
    from emulators.photoshelter.app import PhotoShelterEmulator

MEDIA_FIELDS = tuple(edits.MEDIA_FIELD_TYPES)


def handle(emu: PhotoShelterEmulator, request: Request, what: str, payload: Any) -> Response | None:
    """Answer one of ours, or None to let the core say 404."""
    parts = what.split("/")
    if parts[0] == "sessions" and len(parts) == 1 and request.method == "GET":
        sessions = list(emu.sessions.by_token.values())
        return Response(
            200, {"active": len(sessions), "bound": sum(1 for s in sessions if s.org_id)}
        )
    if parts[0] == "galleries" and request.method == "DELETE" and len(parts) in (2, 4):
        with emu.lock:
            return gallery_admin(emu, parts[1:])
    if parts[0] == "fields" and len(parts) <= 2:
        with emu.lock:
            return field_admin(emu, request.method, parts[1:], payload)
    if parts[0] != "media" or len(parts) > 3:
        return None
    if not isinstance(payload, dict):
        return Response(400, {"error": "admin body must be a JSON object"})
    try:
        with emu.lock:
            return media_admin(emu, request.method, parts[1:], payload)
    except HTTPError as error:
        return error.response


def media_admin(
    emu: PhotoShelterEmulator, method: str, parts: list[str], payload: dict[str, Any]
) -> Response | None:
    store, now = emu.store, emu.clock.now()
    if not parts and method == "POST":
        return Response(201, asdict(create_media(emu, payload)))
    if not parts:
        return None
    media = store.media.get(parts[0])
    if media is None:
        return Response(404, {"error": f"media {parts[0]} not found"})
    if len(parts) == 1 and method == "GET":
        return Response(200, asdict(media))
    if len(parts) == 1 and method == "PATCH":
        edit_media(emu, media, payload)
        return Response(200, asdict(media))
    if parts[1:] == ["file"] and method == "POST":
        edits.replace_file(store, media, now)
        return Response(200, asdict(media))
    return None


def gallery_admin(emu: PhotoShelterEmulator, parts: list[str]) -> Response | None:
    """`DELETE galleries/{id}` or `DELETE galleries/{id}/media/{media_id}`."""
    gallery = emu.store.galleries.get(parts[0])
    if gallery is None:
        return Response(404, {"error": f"gallery {parts[0]} not found"})
    if len(parts) == 1:
        del emu.store.galleries[gallery.id]
        return Response(200, asdict(gallery))
    if parts[1] != "media":
        return None
    if parts[2] not in gallery.media_ids:
        return Response(404, {"error": f"media {parts[2]} is not in gallery {gallery.id}"})
    edits.remove_from_gallery(emu.store, gallery, parts[2], emu.clock.now())
    return Response(200, asdict(gallery))


def field_admin(
    emu: PhotoShelterEmulator, method: str, parts: list[str], payload: Any
) -> Response | None:
    """What an administrator does in the UI (the API cannot): `POST fields {name, tags}`
    adds a pick-list field, `PATCH fields/{id} {name}` renames it, `DELETE fields/{id}`
    removes it and its values from every media."""
    store = emu.store
    body = payload if isinstance(payload, dict) else {}
    if not parts and method == "POST":
        name = str(body.get("name") or "").strip()
        if not name or store.field_named(name) is not None:
            return Response(400, {"error": f"field name {name!r} is empty or taken"})
        number = max((int(f[1:]) for f in store.fields), default=0) + 1
        field_id = f"F{number:04d}"
        tags = [
            {"id": f"T{number:02d}{m + 1:03d}", "name": str(t)}
            for m, t in enumerate(body.get("tags") or [])
        ]
        store.fields[field_id] = MetadataField(field_id, name, tags)
        return Response(201, asdict(store.fields[field_id]))
    field = store.fields.get(parts[0]) if parts else None
    if field is None:
        return None if not parts else Response(404, {"error": f"field {parts[0]} not found"})
    if method == "PATCH" and str(body.get("name") or "").strip():
        field.name = str(body["name"]).strip()
        return Response(200, asdict(field))
    if method == "DELETE":
        del store.fields[field.id]
        for media in store.media.values():
            media.custom_metadata.pop(field.id, None)
        return Response(200, asdict(field))
    return None


def create_media(emu: PhotoShelterEmulator, payload: dict[str, Any]) -> Media:
    """A new upload: `file_name` required; iptc, keywords, custom_metadata, gallery_ids,
    media_type (image by default; video, audio, document: the seed holds images only)."""
    store, now = emu.store, emu.clock.now()
    file_name = payload.get("file_name")
    if not isinstance(file_name, str) or not file_name.strip():
        _raise("file_name is required")
    unknown = set(payload) - {
        *MEDIA_FIELDS,
        "iptc",
        "keywords",
        "custom_metadata",
        "gallery_ids",
        "media_type",
    }
    if unknown:
        _raise(f"unknown media field {sorted(unknown)[0]!r}")
    kind = payload.get("media_type", "image")
    if kind not in edits.KINDS:
        _raise(f"media_type must be one of {', '.join(edits.KINDS)}, got {kind!r}")
    own = {k: payload[k] for k in MEDIA_FIELDS if k in payload and k != "file_name"}
    edits.check_media_fields(own)
    iptc = dict.fromkeys(IPTC_FIELDS, "") | edits.iptc_changes(_iptc_of(payload))
    custom = edits.custom_metadata_by_name(store, payload.get("custom_metadata") or {})
    galleries = [_gallery(emu, g) for g in id_list(payload.get("gallery_ids") or [], "gallery_ids")]
    stamp = store.stamp(now)
    media_id = store.new_id("I")
    media = Media(
        id=media_id,
        file_name=file_name.strip(),
        file_size=0,
        width=own.get("width", 2400),
        height=own.get("height", 3000),
        rating=own.get("rating", 0),
        flagged=own.get("flagged", False),
        model_released=True,
        property_released=False,
        focal_point_x=0.5,
        focal_point_y=0.5,
        organization_id=store.organization["id"],
        photographer_id=store.user["id"],
        created_at=stamp,
        modified_at=stamp,
        license_expiration=own.get("license_expiration"),
        iptc=iptc,
        custom_metadata={k: v for k, v in custom.items() if v is not None},
        kind=kind,
    )
    media.file_size = len(edits.original_bytes(media))
    store.add_media(media)
    for gallery in galleries:
        edits.add_to_gallery(store, gallery, [media.id], now)
    return media


def edit_media(emu: PhotoShelterEmulator, media: Media, payload: dict[str, Any]) -> None:
    """Set any of the media fields, IPTC (merged), keywords (replaced), custom metadata."""
    store, now = emu.store, emu.clock.now()
    unknown = set(payload) - {*MEDIA_FIELDS, "iptc", "keywords", "custom_metadata"}
    if unknown:
        _raise(f"unknown media field {sorted(unknown)[0]!r}")
    iptc = edits.iptc_changes(_iptc_of(payload))
    custom = edits.custom_metadata_by_name(store, payload.get("custom_metadata") or {})
    edits.set_media_fields(store, media, {k: payload[k] for k in MEDIA_FIELDS if k in payload}, now)
    edits.set_iptc(store, media, iptc, now)
    edits.set_custom_metadata(store, media, custom, now)


def _iptc_of(payload: dict[str, Any]) -> dict[str, Any]:
    iptc = payload.get("iptc") or {}
    if not isinstance(iptc, dict):
        _raise("iptc must be an object of IPTC fields")
    if "keywords" in payload:
        iptc = {**iptc, "keywords": payload["keywords"]}
    return iptc


def _gallery(emu: PhotoShelterEmulator, gallery_id: str) -> Gallery:
    gallery = emu.store.galleries.get(gallery_id)
    if gallery is None:
        _raise(f"gallery {gallery_id} not found")
    return gallery


def _raise(message: str) -> NoReturn:
    raise HTTPError(400, {"error": message})
