"""Plytix error bodies: `{"error": {"msg": ..., "errors": [{"field", "msg"}]}}`."""

from __future__ import annotations

from typing import Any

from emulators.core import HTTPError


def error_body(message: str, errors: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {"msg": message}
    if errors:
        body["errors"] = errors
    return {"error": body}


def fail(
    status: int,
    message: str,
    field: str | None = None,
    headers: dict[str, str] | None = None,
    errors: list[dict[str, Any]] | None = None,
) -> HTTPError:
    """An HTTPError with the Plytix body; `field` adds one entry to `errors`."""
    if field and errors is None:
        errors = [{"field": field, "msg": message}]
    return HTTPError(status, error_body(message, errors), headers)


def invalid(field: str, message: str) -> HTTPError:
    """422 naming the field that is wrong."""
    return fail(422, f"{field}: {message}", field)


def not_found(kind: str, key: str) -> HTTPError:
    return fail(404, f"{kind} {key} not found")
