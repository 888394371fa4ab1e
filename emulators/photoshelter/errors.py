"""PhotoShelter's JSON:API error objects, and the exception names clients branch on."""

from __future__ import annotations

from typing import Any

from emulators.core import HTTPError

EXCEPTION_BY_STATUS = {
    400: "BadRequestException",
    401: "AcsPermissionException",
    403: "AcsPermissionException",
    404: "ResourceNotFoundException",
    405: "MethodNotAllowedException",
    409: "ResourceConflictException",
    415: "UnsupportedMediaTypeException",
    429: "TooManyRequestsException",
}
TITLES = {
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    405: "Method Not Allowed",
    409: "Conflict",
    415: "Unsupported Media Type",
    429: "Too Many Requests",
}


def error_body(status: int, detail: str, exception: str | None = None) -> dict[str, Any]:
    """`{"errors": [{id, status, title, detail}]}`, the v4.0 error envelope."""
    return {
        "errors": [
            {
                "id": exception or EXCEPTION_BY_STATUS.get(status, "ServerException"),
                "status": str(status),
                "title": TITLES.get(status, "Internal Server Error"),
                "detail": detail,
            }
        ]
    }


def ps_error(
    status: int, detail: str, exception: str | None = None, headers: dict[str, str] | None = None
) -> HTTPError:
    """An HTTPError carrying a PhotoShelter error object; `raise ps_error(...)`."""
    return HTTPError(status, error_body(status, detail, exception), headers)


def not_found(kind: str, object_id: str) -> HTTPError:
    return ps_error(404, f"{kind} {object_id} not found")


def bad_request(detail: str) -> HTTPError:
    return ps_error(400, detail)
