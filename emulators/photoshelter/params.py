"""Reading what a client sent: form or JSON bodies, paging parameters, id lists."""

from __future__ import annotations

from typing import Any

from emulators.core import Request
from emulators.photoshelter.errors import bad_request, ps_error

BODY_TYPES = ("application/json", "application/x-www-form-urlencoded")


def body_fields(request: Request) -> dict[str, Any]:
    """The body as a dict: JSON (also JSON:API `{"data": {"attributes": ...}}`) or a form.

    Any other content type is 415, as the real API answers.
    """
    if not request.body:
        return {}
    content_type = (request.header("Content-Type") or "").split(";")[0].strip().lower()
    if content_type not in BODY_TYPES:
        raise ps_error(
            415,
            f"Content-Type {content_type or '(none)'} not supported; "
            "send application/json or application/x-www-form-urlencoded",
        )
    if content_type == "application/x-www-form-urlencoded":
        return dict(request.form())
    try:
        body = request.json()
    except ValueError:
        raise bad_request("request body is not valid JSON") from None
    if not isinstance(body, dict):
        raise bad_request("request body must be a JSON object")
    data = body.get("data")
    if isinstance(data, dict) and isinstance(data.get("attributes"), dict):
        return dict(data["attributes"])
    return body


def positive_int(request: Request, name: str, default: int, maximum: int | None = None) -> int:
    raw = request.arg(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise bad_request(f"{name} must be a whole number, got {raw!r}") from None
    if value < 1 or (maximum is not None and value > maximum):
        upper = f" and {maximum}" if maximum is not None else ""
        raise bad_request(f"{name} must be between 1{upper}, got {value}")
    return value


def page_params(request: Request, settings: dict[str, Any]) -> tuple[int, int]:
    """(page, per_page): 1-based page; per_page defaults and is capped by the settings."""
    maximum = int(settings["max_per_page"])
    per_page = positive_int(
        request, "per_page", min(int(settings["default_per_page"]), maximum), maximum
    )
    return positive_int(request, "page", 1), per_page


def page_slice(total: int, page: int, per_page: int) -> slice:
    start = (page - 1) * per_page
    return slice(min(start, total), min(start + per_page, total))


def id_list(value: Any, name: str) -> list[str]:
    """A list of ids from a JSON list or a comma-separated string."""
    if isinstance(value, str):
        return [v.strip() for v in value.split(",") if v.strip()]
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return [v.strip() for v in value if v.strip()]
    raise bad_request(f"{name} must be a list of ids or a comma-separated string")
