"""One-line errors for everything that can go wrong talking to Plytix.

Every message passes through the redactor when the error is built, so a secret that came
back in a server message (or in a URL) never reaches a log or a traceback.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

from tap_plytix.api.redaction import redact

_TLS_REASON = re.compile(r"certificate verify failed: ([^()'\"]+)")


class PlytixError(Exception):
    """Base class: `str(error)` is one line that names what is wrong."""

    def __init__(self, message: str) -> None:
        super().__init__(redact(" ".join(message.split())))


class ConfigError(PlytixError):
    """A setting is missing or wrong; the message names the setting."""


class AuthError(PlytixError):
    """Plytix refused the credentials or the token."""


class ApiError(PlytixError):
    """Plytix answered with an error status that a retry cannot fix (4xx)."""

    def __init__(self, status: int, method: str, path: str, detail: str,
                 field_errors: list[dict[str, Any]] | None = None) -> None:
        self.status = status
        self.method = method
        self.path = path
        self.detail = detail
        self.field_errors = field_errors or []
        fields = "; ".join(
            f"{e.get('field')}: {e.get('msg')}" for e in self.field_errors
            if isinstance(e, dict) and e.get("field") and e.get("msg") not in detail
        )
        suffix = f" ({fields})" if fields else ""
        super().__init__(f"Plytix {status} on {method} {path}: {detail}{suffix}")


class TooManyMatches(ApiError):
    """428: a search with an order matched more than 10,000 rows; narrow the window."""


class RetriesExhausted(PlytixError):
    """The request still failed (429, 5xx, reset, timeout) after every retry."""

    def __init__(self, message: str, status: int | None = None) -> None:
        self.status = status
        super().__init__(message)


class TlsError(PlytixError):
    """The server's certificate did not verify; a retry cannot fix that."""

    def __init__(self, url: str, error: Exception, fix: str) -> None:
        found = _TLS_REASON.search(str(error))
        reason = found.group(1).strip() if found else type(error).__name__
        super().__init__(f"TLS verification failed for {urlsplit(url).netloc} ({reason}): "
                         f"{fix}; certificates are always verified")


class AmbiguousWrite(RetriesExhausted):
    """A non-idempotent request got no usable answer: it may or may not have happened."""


def error_detail(payload: Any, fallback: str) -> tuple[str, list[dict[str, Any]]]:
    """The `msg` and `errors` of a Plytix error envelope, or the fallback text."""
    if isinstance(payload, dict):
        error = payload.get("error")
        if isinstance(error, dict):
            errors = error.get("errors")
            return str(error.get("msg") or fallback), errors if isinstance(errors, list) else []
        if isinstance(error, str):
            return error, []
    return fallback, []
