"""The emulator's knobs: the numbers the real service does not publish, the behaviours public
evidence leaves open (each a setting, its default the stricter reading), and test switches.
"""

from __future__ import annotations

from typing import Any

MODES = ("honoured", "ignored", "refused")
"""How the server treats an unconfirmed `GET /media` parameter: `honoured` applies it,
`ignored` answers as if it were absent, `refused` answers 400 naming it."""

PARAMETER_MODES: dict[str, tuple[str, ...]] = {
    "media_modify_window": ("modify_start", "modify_end"),
    "media_trans_ref": ("trans_ref",),
    "media_keywords": ("keywords",),
    "media_custom_metadata": ("custom_metadata",),
    "media_sort_by": ("sort_by",),  # only its values `date` and `upload_time`
    "media_list_include": ("include",),  # on `GET /media` only
}
"""Setting name -> the query parameters it governs. Default `ignored` for all: nothing public
shows the real server honouring them, and answering everything as if the filter were absent
is the most dangerous silent behaviour for an incremental reader (a refusal is loud)."""

WRITE_SWITCHES: dict[str, tuple[str, str]] = {
    "write_patch_media_iptc": ("PATCH", "/media/{media_id}/iptc"),
    "write_patch_media_metadata": ("PATCH", "/media/{media_id}/metadata"),
    "write_patch_media": ("PATCH", "/media/{media_id}"),
    "write_patch_media_batch": ("PATCH", "/media/batch"),
    "write_post_metadata_values": ("POST", "/metadata/values"),
    "write_patch_media_custom_metadata": ("PATCH", "/media/{media_id}/custom-metadata"),
    "write_post_gallery_parents": ("POST", "/galleries/{gallery_id}/parents"),
    "write_patch_gallery_media": ("PATCH", "/galleries/{gallery_id}/media"),
    "write_post_gallery_children": ("POST", "/galleries/{gallery_id}/children"),
    "write_delete_gallery_child": ("DELETE", "/galleries/{gallery_id}/children/{child_id}"),
}
"""Setting name -> the candidate write route it switches on or off (off: the route answers as
an unknown one, 404, or 405 where the path exists for another method)."""

WRITES_ON = {
    "write_patch_media_iptc",
    "write_patch_media_custom_metadata",
    "write_patch_gallery_media",
    "write_delete_gallery_child",
}
"""On by default: per write, the candidate `docs/apis/photoshelter.md` names first."""

CHOICES: dict[str, tuple[str, ...]] = {
    **dict.fromkeys(PARAMETER_MODES, MODES),
    "include_shape": ("wrapped", "bare"),
}

DEFAULTS: dict[str, Any] = {
    "public_base_url": "http://127.0.0.1",
    "session_idle_seconds": 7200.0,
    "max_sessions": 10,
    "rate_limit": 600,
    "rate_window_seconds": 60.0,
    "default_per_page": 50,
    "max_per_page": 1000,
    "rate_limit_in_lists": False,
    "rate_limit_in_objects": True,
    **dict.fromkeys(PARAMETER_MODES, "ignored"),
    "include_shape": "wrapped",
    "write_galleries_parent": True,
    **{name: name in WRITES_ON for name in WRITE_SWITCHES},
}
"""Built-in defaults. `rate_limit` 0 means unlimited; `max_sessions` 0 means unlimited.
`rate_limit_in_lists` also reports `meta.rate_limit` in list responses (the contract only
documents it for single objects); `rate_limit_in_objects` false reports it nowhere (no public
code shows it at all, so a client must pace itself without it). `include_shape` `wrapped`
puts each included resource in its own document (`includes.<name>.data`), `bare` as the
resource itself.
`write_galleries_parent` false: `POST /galleries` ignores `parent` (the `is_public` shape,
where the parent is set by `POST /galleries/{id}/parents`)."""


def coerce(name: str, value: Any) -> Any:
    """The value of setting `name` in the type of its default; KeyError/TypeError/ValueError."""
    if name not in DEFAULTS:
        raise KeyError(f"unknown setting {name!r}; known: {', '.join(sorted(DEFAULTS))}")
    default = DEFAULTS[name]
    if name in CHOICES:
        if value not in CHOICES[name]:
            raise ValueError(f"{name} must be one of {', '.join(CHOICES[name])}, got {value!r}")
        return value
    if isinstance(default, bool):
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.lower() in ("true", "false"):
            return value.lower() == "true"
        raise TypeError(f"{name} must be true or false, got {value!r}")
    if isinstance(default, str):
        if not isinstance(value, str):
            raise TypeError(f"{name} must be a string, got {value!r}")
        return value.rstrip("/")
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise TypeError(f"{name} must be a number, got {value!r}")
    number = type(default)(value)
    if number < 0:
        raise ValueError(f"{name} must not be negative, got {value!r}")
    if name == "max_per_page" and number < 1:
        raise ValueError("max_per_page must be at least 1")
    return number
