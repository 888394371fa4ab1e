"""One-line errors that name the setting or record at fault, with secrets redacted."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

REDACTED = "***"


class PhotoShelterError(Exception):
    """Base: a one-line message a user can act on."""


class ConfigError(PhotoShelterError):
    """A setting is missing or wrong (the message names it)."""


class AuthError(PhotoShelterError):
    """Credentials were refused (the message names the setting to check)."""


class ApiError(PhotoShelterError):
    """The API answered with an error that retries did not cure."""

    def __init__(self, message: str, status: int | None = None,
                 error_id: str | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.error_id = error_id


class UnexpectedResponseError(ApiError):
    """A success status with a body that is not what the endpoint returns (an HTML page, a
    list where an object belongs): never read as "no data", always an error."""


class UnreachableError(ApiError):
    """No answer at all: connection refused, a host name that does not resolve, or a
    timeout after the retries (the message names the URL setting)."""


class NotFoundError(ApiError):
    """404: the media, gallery or collection does not exist (or is not visible)."""


class AmbiguousWriteError(ApiError):
    """A non-idempotent write may or may not have happened (5xx or lost connection).

    The caller looks the object up before trying again, so nothing is created twice.
    """


class Redactor:
    """Replaces every known secret in a text with `***`."""

    def __init__(self, secrets: Iterable[str | None] = ()) -> None:
        self._secrets: set[str] = set()
        for secret in secrets:
            self.add(secret)

    def add(self, secret: str | None) -> None:
        if secret and len(secret) >= 3:
            self._secrets.add(secret)

    def __call__(self, text: str) -> str:
        for secret in sorted(self._secrets, key=len, reverse=True):
            text = text.replace(secret, REDACTED)
        return _TOKEN_FIELDS.sub(r"\1" + REDACTED, text)


_TOKEN_FIELDS = re.compile(
    r"((?:token|password|api_key|X-PS-Auth-Token|X-PS-Api-Key|Authorization)"
    r"[\"']?\s*[:=]\s*[\"']?(?:Bearer\s+)?)[^\s\"',&}]+",
    re.IGNORECASE,
)


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
