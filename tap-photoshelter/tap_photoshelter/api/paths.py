"""Every PhotoShelter v4.0 endpoint path and request-body shape the connectors use.

The write paths are not confirmed by public working code (docs/apis/photoshelter.md marks them
"uncertain"), so each lives here once: a correction is a one-line change in this file.
Paths are relative to the `api_url` setting (`.../psapi/v4.0`).
"""

from __future__ import annotations

from typing import Any

# --- auth ----------------------------------------------------------------------------------
AUTHENTICATE = "/authenticate"
BIND_ORGANIZATION = "/organization/authenticate"
USER_SESSION = "/user/session"
LOGOUT = "/authenticate/logout"

API_KEY_HEADER = "X-PS-Api-Key"
AUTH_TOKEN_HEADER = "X-PS-Auth-Token"  # noqa: S105 - a header name


def login_body(email: str, password: str) -> dict[str, str]:
    return {"email": email, "password": password, "mode": "token"}


def bind_body(org_id: str) -> dict[str, str]:
    return {"org_id": org_id}


USER_SESSION_PARAMS = {"include": "organizations"}

# --- reads ---------------------------------------------------------------------------------
MEDIA = "/media"
METADATA_FIELDS = "/metadata/fields"
GALLERIES = "/galleries"
COLLECTIONS = "/collections"

MEDIA_INCLUDES = ("iptc", "custom-metadata", "link")
"""`include=` on media lists (uncertain for media: the tap falls back per media)."""

MEDIA_SORT = {"sort_by": "date", "sort_dir": "asc"}
"""Oldest change first on `GET /media` (unconfirmed: the server may ignore or refuse it)."""

COMPANIONS = {"sort_by": ("sort_dir",), "include": ("image_size", "image_mode")}
"""Parameters that only mean something with another: dropped together."""

SEARCH = "/search"
SEARCH_LIBRARY = {"mode": "library", "media_type": "image", "sort_by": "creation_time",
                  "sort_direction": "ascending"}
"""The library-wide listing working code pages through at scale (`/search?mode=library`),
oldest upload first, so uploads made during the listing land after the pages already read."""


def media_item(media_id: str) -> str:
    return f"/media/{media_id}"


def media_iptc(media_id: str) -> str:
    return f"/media/{media_id}/iptc"


def media_custom_metadata(media_id: str) -> str:
    return f"/media/{media_id}/custom-metadata"


def media_link(media_id: str) -> str:
    return f"/media/{media_id}/link"


def media_galleries(media_id: str) -> str:
    return f"/media/{media_id}/galleries"


def gallery(gallery_id: str) -> str:
    return f"/galleries/{gallery_id}"


def gallery_children(gallery_id: str) -> str:
    return f"/galleries/{gallery_id}/children"


def collection_children(collection_id: str) -> str:
    return f"/collections/{collection_id}/children"


def link_params(image_size: str) -> dict[str, str]:
    return {"image_size": image_size, "image_mode": "fit"}


# --- writes (uncertain) ----------------------------------------------------------------------
def iptc_update(media_id: str) -> str:
    return f"/media/{media_id}/iptc"


def iptc_update_body(fields: dict[str, str]) -> dict[str, Any]:
    return dict(fields)


def custom_metadata_update(media_id: str) -> str:
    return f"/media/{media_id}/custom-metadata"


def custom_metadata_update_body(tags_by_field: dict[str, str | None]) -> dict[str, Any]:
    """`{field_id: tag_id}`; None clears the field."""
    return dict(tags_by_field)


IPTC_UPDATE_METHOD = "PATCH"
CUSTOM_METADATA_UPDATE_METHOD = "PATCH"

GALLERY_CREATE = "/galleries"


def gallery_create_body(name: str, description: str | None,
                        parent_id: str | None) -> dict[str, Any]:
    body: dict[str, Any] = {"name": name}
    if parent_id:
        body["parent"] = parent_id
    if description is not None:
        body["description"] = description
    return body


def gallery_update(gallery_id: str) -> str:
    return f"/galleries/{gallery_id}"


def gallery_update_body(description: str) -> dict[str, Any]:
    return {"description": description}


def gallery_add_media(gallery_id: str) -> str:
    return f"/galleries/{gallery_id}/media"


def gallery_add_media_body(media_ids: list[str]) -> dict[str, Any]:
    return {"media_ids": list(media_ids)}


COLLECTION_CREATE = "/collections"


def collection_create_body(name: str, parent_id: str | None) -> dict[str, Any]:
    body: dict[str, Any] = {"name": name}
    if parent_id:
        body["parent"] = parent_id
    return body


def metadata_field_tags(field_id: str) -> str:
    """Create a tag in a pick-list field (uncertain; only with `create_missing_tags`)."""
    return f"/metadata/fields/{field_id}/tags"


def tag_create_body(name: str) -> dict[str, Any]:
    return {"name": name}
