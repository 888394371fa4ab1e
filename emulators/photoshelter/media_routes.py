"""Media: search, one media and its IPTC, custom metadata, link, bytes and galleries."""

from __future__ import annotations

import io
import re
from typing import TYPE_CHECKING, Any

from PIL import Image

from emulators.core import Request, Response
from emulators.images import content_type, render
from emulators.photoshelter import edits, search
from emulators.photoshelter.errors import bad_request, not_found
from emulators.photoshelter.params import body_fields, page_params, page_slice
from emulators.photoshelter.serializers import (
    custom_metadata_items,
    gallery_resource,
    included,
    iptc_resource,
    link_resource,
    media_resource,
    paged,
    resource,
    single,
)
from emulators.photoshelter.store import Media

if TYPE_CHECKING:
    from emulators.photoshelter.app import PhotoShelterEmulator

INCLUDES = ("iptc", "custom-metadata", "link")
IMAGE_SIZE = re.compile(r"^\d{1,5}x\d{1,5}$")
IMAGE_SPEC = re.compile(r"^(fit|fill)=(\d{1,5})x(\d{1,5})$")


def register(emu: PhotoShelterEmulator) -> None:
    def media_of(request: Request) -> Media:
        media = emu.store.media.get(request.params["media_id"])
        if media is None:
            raise not_found("media", request.params["media_id"])
        return media

    def link_params(request: Request, media: Media) -> tuple[str, str]:
        size = request.arg("image_size") or f"{media.width}x{media.height}"
        mode = request.arg("image_mode") or "fit"
        if not IMAGE_SIZE.match(size):
            raise bad_request(f"image_size must look like 800x600, got {size!r}")
        if mode not in ("fit", "fill"):
            raise bad_request(f"image_mode must be fit or fill, got {mode!r}")
        return size, mode

    def with_includes(request: Request, media: Media, honoured: bool = True) -> dict[str, Any]:
        """The media resource, plus `includes` when asked for and `honoured`."""
        item = media_resource(media)
        wanted = [i.strip() for i in (request.arg("include") or "").split(",") if i.strip()]
        if not wanted or not honoured:
            return item
        shape = emu.settings["include_shape"]
        includes: dict[str, Any] = {}
        if "iptc" in wanted:
            includes["iptc"] = included(iptc_resource(media), shape)
        if "custom-metadata" in wanted:
            includes["custom-metadata"] = included(custom_metadata_items(media, emu.store), shape)
        if "link" in wanted:
            size, mode = link_params(request, media)
            includes["link"] = included(link_resource(media, emu.base_url, size, mode), shape)
        item["includes"] = includes
        return item

    def list_media(request: Request) -> Response:
        query = search.parse(request, emu.store, emu.settings)
        honoured = (
            search.governed(request, emu.settings, "media_list_include", "include") is not None
        )
        page, per_page = page_params(request, emu.settings)
        found, total = search.run(emu.store, query, page, per_page)
        items = [with_includes(request, m, honoured) for m in found]
        return Response(200, paged(request, emu.base_url, items, total, page, per_page))

    def library_search(request: Request) -> Response:
        page, per_page = page_params(request, emu.settings)
        found, total = search.library_page(request, emu.store, page, per_page)
        items = [media_resource(m) for m in found]
        return Response(200, paged(request, emu.base_url, items, total, page, per_page))

    def get_media(request: Request) -> Response:
        return Response(200, single(with_includes(request, media_of(request))))

    def get_iptc(request: Request) -> Response:
        return Response(200, single(iptc_resource(media_of(request))))

    def patch_iptc(request: Request) -> Response:
        media = media_of(request)
        edits.set_iptc(emu.store, media, body_fields(request), emu.clock.now())
        return Response(200, single(iptc_resource(media)))

    def metadata_resource(media: Media) -> dict[str, Any]:
        """IPTC and custom metadata in one resource (an emulator choice: the real shape of
        `/media/{id}/metadata` is not public)."""
        attributes: dict[str, Any] = dict(media.iptc)
        attributes["custom_metadata"] = [
            item["attributes"] for item in custom_metadata_items(media, emu.store)
        ]
        return resource("metadata", media.id, attributes)

    def get_metadata(request: Request) -> Response:
        return Response(200, single(metadata_resource(media_of(request))))

    def patch_metadata(request: Request) -> Response:
        """Candidate write: IPTC fields, and `custom_metadata` pairs, in one call."""
        media = media_of(request)
        fields = body_fields(request)
        custom = fields.pop("custom_metadata", None)
        if custom is not None and not isinstance(custom, dict | list):
            raise bad_request("custom_metadata must map field ids to tag ids")
        iptc = edits.iptc_changes(fields)
        resolved = (
            edits.custom_metadata_by_id(
                emu.store, custom_metadata_pairs({"custom_metadata": custom})
            )
            if custom
            else {}
        )
        now = emu.clock.now()
        edits.set_iptc(emu.store, media, iptc, now)
        edits.set_custom_metadata(emu.store, media, resolved, now)
        return Response(200, single(metadata_resource(media)))

    def patch_media(request: Request) -> Response:
        """Candidate write: IPTC fields and rating, flagged, license_expiration."""
        media = media_of(request)
        iptc, own = edits.media_patch(body_fields(request))
        edits.apply_media_patch(emu.store, media, iptc, own, emu.clock.now())
        return Response(200, single(media_resource(media)))

    def patch_media_batch(request: Request) -> Response:
        """Candidate write: `{"data": [{"id", "attributes"}]}`, all checked before any change
        (an unknown media is 404 naming it)."""
        items = body_fields(request).get("data")
        if not isinstance(items, list) or not items:
            raise bad_request('body must be {"data": [{"id": ..., "attributes": {...}}]}')
        planned = []
        for item in items:
            if (
                not isinstance(item, dict)
                or not isinstance(item.get("id"), str)
                or not isinstance(item.get("attributes"), dict)
            ):
                raise bad_request("each data item needs an id and attributes")
            media = emu.store.media.get(item["id"])
            if media is None:
                raise not_found("media", item["id"])
            planned.append((media, *edits.media_patch(item["attributes"])))
        now = emu.clock.now()
        for media, iptc, own in planned:
            edits.apply_media_patch(emu.store, media, iptc, own, now)
        return Response(200, {"data": [media_resource(m) for m, _, _ in planned], "meta": {}})

    def post_metadata_value(request: Request) -> Response:
        """Candidate write: `{media_id, field_id, value}`; value is a tag id or tag name of
        that field, null clears it."""
        fields = body_fields(request)
        for name in ("media_id", "field_id"):
            if not isinstance(fields.get(name), str):
                raise bad_request(f"{name} is required")
        if "value" not in fields:
            raise bad_request("value is required (a tag id or name, or null to clear)")
        media = emu.store.media.get(fields["media_id"])
        if media is None:
            raise not_found("media", fields["media_id"])
        field = emu.store.fields.get(fields["field_id"])
        value = fields["value"]
        if field is not None and isinstance(value, str) and field.tag(value) is None:
            named = field.tag_named(value)
            value = named["id"] if named else value
        resolved = edits.custom_metadata_by_id(emu.store, {fields["field_id"]: value})
        edits.set_custom_metadata(emu.store, media, resolved, emu.clock.now())
        return Response(200, {"data": custom_metadata_items(media, emu.store), "meta": {}})

    def get_custom_metadata(request: Request) -> Response:
        media = media_of(request)
        return Response(200, {"data": custom_metadata_items(media, emu.store), "meta": {}})

    def patch_custom_metadata(request: Request) -> Response:
        media = media_of(request)
        pairs = custom_metadata_pairs(body_fields(request))
        resolved = edits.custom_metadata_by_id(emu.store, pairs)
        edits.set_custom_metadata(emu.store, media, resolved, emu.clock.now())
        return Response(200, {"data": custom_metadata_items(media, emu.store), "meta": {}})

    def get_link(request: Request) -> Response:
        media = media_of(request)
        size, mode = link_params(request, media)
        return Response(200, single(link_resource(media, emu.base_url, size, mode)))

    def download(request: Request) -> Response:
        """The file: the original, or a JPEG rendition (`download_quality` 1-100 sets its
        JPEG quality; the original's bytes never change)."""
        media = media_of(request)
        filetype = request.arg("download_filetype") or "original"
        if filetype not in ("original", "jpeg"):
            raise bad_request(f"download_filetype must be original or jpeg, got {filetype!r}")
        quality = download_quality(request.arg("download_quality"))
        if filetype == "original":
            data, kind, name = (
                edits.original_bytes(media),
                edits.original_content_type(media),
                media.file_name,
            )
        else:
            data, kind = render(media.id, media.version, "JPEG"), content_type("JPEG")
            name = re.sub(r"\.\w+$", "", media.file_name) + ".jpg"
            if quality is not None:
                data = reencoded(data, quality)
        return Response(200, data, {"Content-Disposition": f'attachment; filename="{name}"'}, kind)

    def media_galleries(request: Request) -> Response:
        media = media_of(request)
        page, per_page = page_params(request, emu.settings)
        galleries = sorted(emu.store.galleries_of(media.id), key=lambda g: g.id)
        items = [gallery_resource(g) for g in galleries[page_slice(len(galleries), page, per_page)]]
        return Response(200, paged(request, emu.base_url, items, len(galleries), page, per_page))

    def image(request: Request) -> Response:
        """The public derivative URL (`img-get2`): no key, no session, like a CDN (and so
        HEAD too: the headers of the GET, no body)."""
        media = emu.store.media.get(request.params["media_id"])
        if media is None or not IMAGE_SPEC.match(request.params["spec"]):
            raise not_found("image", request.path)
        return Response(
            200,
            render(media.id, media.version),
            {"Cache-Control": "max-age=300"},
            content_type("JPEG"),
        )

    emu.api("GET", "/media", list_media)
    emu.api("GET", "/search", library_search)
    emu.api("PATCH", "/media/batch", patch_media_batch)
    emu.api("GET", "/media/{media_id}", get_media)
    emu.api("PATCH", "/media/{media_id}", patch_media)
    emu.api("GET", "/media/{media_id}/iptc", get_iptc)
    emu.api("PATCH", "/media/{media_id}/iptc", patch_iptc)
    emu.api("PATCH", "/media/{media_id}/metadata", patch_metadata)
    emu.api("POST", "/metadata/values", post_metadata_value)
    emu.api("GET", "/media/{media_id}/custom-metadata", get_custom_metadata)
    emu.api("PATCH", "/media/{media_id}/custom-metadata", patch_custom_metadata)
    emu.api("GET", "/media/{media_id}/link", get_link)
    emu.api("GET", "/media/{media_id}/download", download)
    emu.api("GET", "/media/{media_id}/metadata", get_metadata)
    emu.api("GET", "/media/{media_id}/galleries", media_galleries)
    emu.api("GET", "/img-get2/{media_id}/{spec}", image, access="public", prefix="")
    emu.api("HEAD", "/img-get2/{media_id}/{spec}", image, access="public", prefix="")


def download_quality(raw: str | None) -> int | None:
    if raw is None or raw == "":
        return None
    if not raw.isdigit() or not 1 <= int(raw) <= 100:
        raise bad_request(f"download_quality must be a whole number from 1 to 100, got {raw!r}")
    return int(raw)


def reencoded(jpeg: bytes, quality: int) -> bytes:
    """The same picture saved again at JPEG `quality`."""
    with Image.open(io.BytesIO(jpeg)) as picture:
        buffer = io.BytesIO()
        picture.convert("RGB").save(buffer, format="JPEG", quality=quality)
    return buffer.getvalue()


def custom_metadata_pairs(body: dict[str, Any]) -> dict[str, Any]:
    """`{field_id: tag_id}`; also a list of `{field_id, tag_id}` under `custom_metadata`."""
    listed = body.get("custom_metadata", body.get("data"))
    if isinstance(listed, list):
        pairs: dict[str, Any] = {}
        for entry in listed:
            if not isinstance(entry, dict) or "field_id" not in entry:
                raise bad_request("each custom_metadata entry needs field_id and tag_id")
            pairs[str(entry["field_id"])] = entry.get("tag_id")
        return pairs
    if isinstance(listed, dict):
        return listed
    if not body:
        raise bad_request('body must map field ids to tag ids, e.g. {"F0001": "T01001"}')
    return body
