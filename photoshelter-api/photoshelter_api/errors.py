"""PhotoShelter's errors: the core's one-line error classes, plus what only this API has
(its error ids, 404, a success status with a body that is not the endpoint's)."""

from __future__ import annotations

import re
from typing import Any

from pim_dam_core import errors as core
from pim_dam_core.errors import (
    AmbiguousWriteError,
    AuthError,
    ConfigError,
    ConnectorError,
    UnreachableError,
)

__all__ = [
    "AmbiguousWriteError",
    "ApiError",
    "AuthError",
    "ConfigError",
    "ConnectorError",
    "NotFoundError",
    "UnexpectedResponseError",
    "UnreachableError",
    "describe_error_body",
]


class ApiError(core.ApiError):
    """The API answered with an error that retries did not cure; `error_id` is PhotoShelter's
    name for it (`ApiKeyInvalidException`, ...) when the body gave one."""

    def __init__(
        self, message: str, status: int | None = None, error_id: str | None = None
    ) -> None:
        super().__init__(message, status)
        self.error_id = error_id


class UnexpectedResponseError(ApiError):
    """A success status with a body that is not what the endpoint returns (an HTML page, a
    list where an object belongs): never read as "no data", always an error."""


class NotFoundError(ApiError):
    """404: the media, gallery or collection does not exist (or is not visible)."""


def describe_error_body(body: Any) -> tuple[str | None, str]:
    """(error id, short reason) from a JSON:API error body, or from any other body."""
    if isinstance(body, dict):
        errors = body.get("errors")
        if isinstance(errors, list) and errors and isinstance(errors[0], dict):
            first = errors[0]
            reason = first.get("detail") or first.get("title") or ""
            return first.get("id"), str(reason)
        if "error" in body:
            return None, str(body["error"])
    text = str(body or "").strip()
    title = re.search(r"<title>(.*?)</title>", text, re.IGNORECASE | re.DOTALL)
    if title or "<html" in text[:500].lower():
        name = " ".join(title.group(1).split())[:80] if title else ""
        return None, f"an HTML page{f' ({name!r})' if name else ''}"
    return None, " ".join(text.split())[:200]
