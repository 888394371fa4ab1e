"""Every PhotoShelter v4.0 endpoint path and request-body shape the connectors use.

The write paths are not confirmed by public working code (docs/apis/photoshelter.md marks them
"uncertain"), so each lives here once: a correction is a one-line change in this file.
Paths are relative to the `api_url` setting (`.../psapi/v4.0`).
"""

from __future__ import annotations

from dataclasses import dataclass
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
SEARCH_LIBRARY = {
    "mode": "library",
    "media_type": "image",
    "sort_by": "creation_time",
    "sort_direction": "ascending",
}
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
# No public working code performs a v4 write, so each uncertain write has candidate paths,
# chosen by one setting per write (`WRITE_SETTINGS`; defaults: the candidate the contract
# names first). Every path and body of every candidate is here and nowhere else.


@dataclass(frozen=True)
class WriteCall:
    """One HTTP write: method, path, JSON body, and whether repeating it is harmless."""

    method: str
    path: str
    body: Any
    idempotent: bool


WRITE_SETTINGS: dict[str, tuple[str, ...]] = {
    "metadata_write_path": ("media_iptc", "media_metadata", "media", "media_batch"),
    "custom_metadata_write_path": ("media_custom_metadata", "media_metadata", "metadata_values"),
    "gallery_create_path": ("galleries_parent", "galleries_then_parents"),
    "gallery_add_media_path": ("gallery_media", "gallery_children"),
}
"""Setting -> its candidates, the default first:
- `metadata_write_path` (IPTC and keywords): `PATCH /media/{id}/iptc` | `PATCH
  /media/{id}/metadata` | `PATCH /media/{id}` | `PATCH /media/batch` `{data: [{id, attributes}]}`;
- `custom_metadata_write_path`: `PATCH /media/{id}/custom-metadata {field_id: tag_id}` |
  `PATCH /media/{id}/metadata {custom_metadata: {...}}` | `POST /metadata/values
  {media_id, field_id, value}` (one per field);
- `gallery_create_path`: `POST /galleries {name, description, parent}` | `POST /galleries
  {name, description, is_public}` then `POST /galleries/{id}/parents {parent_id}`;
- `gallery_add_media_path`: `PATCH /galleries/{id}/media {media_ids}` | `POST
  /galleries/{id}/children {media_ids}`."""

DEFAULT_WRITE_PATHS = {setting: choices[0] for setting, choices in WRITE_SETTINGS.items()}


def iptc_writes(choice: str, media_id: str, fields: dict[str, str]) -> list[WriteCall]:
    """Set IPTC fields (`keywords` as PhotoShelter stores them: one comma-separated text)."""
    body = dict(fields)
    if choice == "media_iptc":
        return [WriteCall("PATCH", f"/media/{media_id}/iptc", body, True)]
    if choice == "media_metadata":
        return [WriteCall("PATCH", f"/media/{media_id}/metadata", body, True)]
    if choice == "media":
        return [WriteCall("PATCH", f"/media/{media_id}", body, True)]
    if choice == "media_batch":
        return [
            WriteCall(
                "PATCH",
                "/media/batch",
                {"data": [{"id": media_id, "type": "image", "attributes": body}]},
                True,
            )
        ]
    raise ValueError(choice)


def custom_metadata_writes(
    choice: str, media_id: str, tags_by_field: dict[str, str | None]
) -> list[WriteCall]:
    """Set pick-list fields `{field_id: tag_id}`; None clears the field."""
    pairs = dict(tags_by_field)
    if choice == "media_custom_metadata":
        return [WriteCall("PATCH", f"/media/{media_id}/custom-metadata", pairs, True)]
    if choice == "media_metadata":
        return [WriteCall("PATCH", f"/media/{media_id}/metadata", {"custom_metadata": pairs}, True)]
    if choice == "metadata_values":
        return [
            WriteCall(
                "POST",
                "/metadata/values",
                {"media_id": media_id, "field_id": field_id, "value": tag_id},
                True,
            )
            for field_id, tag_id in pairs.items()
        ]
    raise ValueError(choice)


def combined_metadata_writes(
    media_id: str, fields: dict[str, str], tags_by_field: dict[str, str | None]
) -> list[WriteCall]:
    """IPTC and pick-list fields in one `PATCH /media/{id}/metadata`, when both settings
    choose `media_metadata` (one write instead of two, and never half of a record)."""
    return [
        WriteCall(
            "PATCH",
            f"/media/{media_id}/metadata",
            {**fields, "custom_metadata": dict(tags_by_field)},
            True,
        )
    ]


def gallery_create(
    choice: str, name: str, description: str | None, parent_id: str | None
) -> WriteCall:
    """Create a gallery; with `galleries_then_parents` the parent is set by
    `gallery_parent_write` afterwards (not idempotent: a lost answer is looked up)."""
    body: dict[str, Any] = {"name": name}
    if description is not None:
        body["description"] = description
    if choice == "galleries_parent":
        if parent_id:
            body["parent"] = parent_id
    elif choice == "galleries_then_parents":
        body["is_public"] = False
    else:
        raise ValueError(choice)
    return WriteCall("POST", "/galleries", body, False)


def gallery_parent_write(gallery_id: str, parent_id: str) -> WriteCall:
    """Put a gallery in a collection (already there: no change)."""
    return WriteCall("POST", f"/galleries/{gallery_id}/parents", {"parent_id": parent_id}, True)


def gallery_add_media(choice: str, gallery_id: str, media_ids: list[str]) -> WriteCall:
    """Append media to a gallery (ids already in it are left as they are)."""
    body = {"media_ids": list(media_ids)}
    if choice == "gallery_media":
        return WriteCall("PATCH", f"/galleries/{gallery_id}/media", body, True)
    if choice == "gallery_children":
        return WriteCall("POST", f"/galleries/{gallery_id}/children", body, True)
    raise ValueError(choice)


WRITE_PROBES: dict[str, dict[str, tuple[tuple[str, str], ...]]] = {
    "metadata_write_path": {
        "media_iptc": (("PATCH", "/media/{media_id}/iptc"),),
        "media_metadata": (("PATCH", "/media/{media_id}/metadata"),),
        "media": (("PATCH", "/media/{media_id}"),),
        "media_batch": (("PATCH", "/media/batch"),),
    },
    "custom_metadata_write_path": {
        "media_custom_metadata": (("PATCH", "/media/{media_id}/custom-metadata"),),
        "media_metadata": (("PATCH", "/media/{media_id}/metadata"),),
        "metadata_values": (("POST", "/metadata/values"),),
    },
    "gallery_create_path": {
        "galleries_parent": (("POST", "/galleries"),),
        "galleries_then_parents": (
            ("POST", "/galleries"),
            ("POST", "/galleries/{gallery_id}/parents"),
        ),
    },
    "gallery_add_media_path": {
        "gallery_media": (("PATCH", "/galleries/{gallery_id}/media"),),
        "gallery_children": (("POST", "/galleries/{gallery_id}/children"),),
    },
}
"""The requests each candidate needs, for the read-only probe (`write_probe.py`)."""

PROBE_BODY: list[Any] = []
"""What the probe sends: a JSON array where every write wants an object, so a path that
exists answers 400 (or 415/422) and changes nothing, and one that does not answers 404/405."""


def gallery_update(gallery_id: str) -> str:
    return f"/galleries/{gallery_id}"


def gallery_update_body(description: str) -> dict[str, Any]:
    return {"description": description}


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
