"""Success envelopes: every answer with a body is `{"data": [...]}`."""

from __future__ import annotations

from typing import Any

from emulators.core import Response

API = "/api/v1"


def data(
    records: list[dict[str, Any]], status: int = 200, headers: dict[str, str] | None = None
) -> Response:
    """The `{"data": [...]}` envelope every success uses."""
    return Response(status, {"data": records}, headers or {})


def created(record: dict[str, Any], location: str) -> Response:
    return data([record], 201, {"Location": API + location})


def no_content() -> Response:
    return Response(204)
