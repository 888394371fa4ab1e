"""JSON:API shapes of v4.0: resources, single-object and paged list envelopes, includes."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from emulators.core import Request
from emulators.photoshelter.store import Collection, Gallery, Media, MetadataField, Store
from emulators.photoshelter.timefmt import container_time, media_time

LEFT_OUT_OF_LINKS = ("api_key", "token", "password", "page", "per_page")
"""Secrets are never echoed into paging links; page and per_page are appended last."""


def resource(kind: str, object_id: str, attributes: dict[str, Any]) -> dict[str, Any]:
    return {"id": object_id, "type": kind, "attributes": attributes}


def media_resource(media: Media) -> dict[str, Any]:
    """A media item: its JSON:API `type` is its kind (image, video, audio, document)."""
    return resource(
        media.kind,
        media.id,
        {
            "file_name": media.file_name,
            "file_size": media.file_size,
            "width": media.width,
            "height": media.height,
            "rating": media.rating,
            "flagged": media.flagged,
            "model_released": media.model_released,
            "property_released": media.property_released,
            "focal_point_x": media.focal_point_x,
            "focal_point_y": media.focal_point_y,
            "organization_id": media.organization_id,
            "photographer_id": media.photographer_id,
            "created_at": media_time(media.created_at),
            "modified_at": media_time(media.modified_at),
            "license_expiration": media.license_expiration,
        },
    )


def iptc_resource(media: Media) -> dict[str, Any]:
    return resource("iptc", media.id, dict(media.iptc))


def custom_metadata_items(media: Media, store: Store) -> list[dict[str, Any]]:
    """One item per field that holds a tag on this media, in field order."""
    items = []
    for field_id in sorted(media.custom_metadata):
        field = store.fields.get(field_id)
        tag_id = media.custom_metadata[field_id]
        tag = field.tag(tag_id) if field else None
        items.append(
            resource(
                "custom-metadata",
                f"{media.id}:{field_id}",
                {
                    "field_id": field_id,
                    "field_name": field.name if field else None,
                    "tag_id": tag_id,
                    "tag_name": tag["name"] if tag else None,
                },
            )
        )
    return items


def link_resource(media: Media, base_url: str, image_size: str, image_mode: str) -> dict[str, Any]:
    url = f"{base_url}/img-get2/{media.id}/{image_mode}={image_size}"
    return resource(
        "link",
        media.id,
        {
            "link": url,
            "image_size": image_size,
            "image_mode": image_mode,
        },
    )


def gallery_resource(gallery: Gallery) -> dict[str, Any]:
    return resource(
        "gallery",
        gallery.id,
        {
            "name": gallery.name,
            "description": gallery.description,
            "parent_ids": list(gallery.parent_ids),
            "media_count": len(gallery.media_ids),
            "is_public": gallery.is_public,
            "created_at": container_time(gallery.created_at),
            "modified_at": container_time(gallery.modified_at),
        },
    )


def collection_resource(collection: Collection) -> dict[str, Any]:
    return resource(
        "collection",
        collection.id,
        {
            "name": collection.name,
            "description": collection.description,
            "parent_id": collection.parent_id,
            "created_at": container_time(collection.created_at),
            "modified_at": container_time(collection.modified_at),
        },
    )


def field_resource(field: MetadataField) -> dict[str, Any]:
    return resource(
        "metadata-field",
        field.id,
        {
            "name": field.name,
            "field_type": "picklist",
            "tags": [dict(t) for t in field.tags],
        },
    )


def tag_resource(field: MetadataField, tag: dict[str, str]) -> dict[str, Any]:
    return resource("metadata-tag", tag["id"], {"name": tag["name"], "field_id": field.id})


def included(value: Any, shape: str) -> Any:
    """One included resource (or list): its own document `{"data": ...}` when `wrapped`
    (the shape seen from the real service), the resource itself when `bare`."""
    return {"data": value} if shape == "wrapped" else value


def path_item(container: Gallery | Collection) -> dict[str, Any]:
    """One step of a `/path` answer: id, type and name."""
    kind = "gallery" if isinstance(container, Gallery) else "collection"
    return resource(kind, container.id, {"name": container.name})


def single(data: dict[str, Any] | None, **extra: Any) -> dict[str, Any]:
    """A one-object envelope; the app adds `meta.rate_limit`."""
    return {"data": data, "meta": {}, **extra}


def paged(
    request: Request,
    base_url: str,
    items: list[dict[str, Any]],
    total: int,
    page: int,
    per_page: int,
) -> dict[str, Any]:
    """A list envelope with `meta.paging`; `next` only when a later page exists."""
    last = max(1, -(-total // per_page))

    def link(number: int) -> str:
        query = {k: v[-1] for k, v in request.query.items() if k not in LEFT_OUT_OF_LINKS}
        query.update(page=str(number), per_page=str(per_page))
        return f"{base_url}{request.path}?{urlencode(query)}"

    paging: dict[str, Any] = {
        "total": total,
        "page": page,
        "per_page": per_page,
        "first": link(1),
        "last": link(last),
    }
    if page < last:
        paging["next"] = link(page + 1)
    if page > 1:
        paging["prev"] = link(min(page - 1, last))
    return {"data": items, "meta": {"paging": paging}}
