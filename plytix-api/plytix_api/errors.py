"""Plytix's own errors on top of the core classes (`pim_dam_core.errors`).

The core classes (ConfigError, AuthError, RetriesExhaustedError, AmbiguousWriteError,
UnreachableError, TlsError) are raised as they are; only an error status carries Plytix's
envelope (`msg` and per-field `errors`) and a search that matched too much has its own class.
"""

from __future__ import annotations

from typing import Any

from pim_dam_core.errors import ApiError


class PlytixApiError(ApiError):
    """Plytix answered with an error status that a retry cannot fix (4xx)."""

    def __init__(
        self,
        status: int,
        method: str,
        path: str,
        detail: str,
        field_errors: list[dict[str, Any]] | None = None,
    ) -> None:
        self.method = method
        self.path = path
        self.detail = detail
        self.field_errors = field_errors or []
        fields = "; ".join(
            f"{e.get('field')}: {e.get('msg')}"
            for e in self.field_errors
            if isinstance(e, dict) and e.get("field") and str(e.get("msg")) not in detail
        )
        suffix = f" ({fields})" if fields else ""
        super().__init__(f"Plytix {status} on {method} {path}: {detail}{suffix}", status)


class TooManyMatchesError(PlytixApiError):
    """428: a search with an order matched more than 10,000 rows; narrow the window."""


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
