"""The account's own rate limits, where Plytix states them: token claims or response headers.

The token (a JWT) carries the account's limits among its claims (seen: 20 per 10 s and
15,000 per hour), but the claim names are not documented, so any numeric claim whose name
speaks of a rate limit and of a window is read (`rate_limit_per_10s`, `limits.per_hour`,
`requests_per_hour`, ...). Headers: `X-RateLimit-Limit-Second|Minute|Hour|Day` and the IETF
`RateLimit-Policy: 20;w=10`. A value that cannot be read is ignored, never fatal.
"""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Mapping
from typing import Any

WINDOW_WORDS: list[tuple[re.Pattern[str], float]] = [
    (re.compile(r"(^|[^0-9])10_?s(ec(ond)?s?)?($|[^a-z])|ten_?sec"), 10.0),
    (re.compile(r"hour|3600|hourly|_1h($|_)|per_h($|_)"), 3600.0),
    (re.compile(r"minute|_60s?($|_)|per_m($|_)"), 60.0),
    (re.compile(r"(^|_)day|daily|86400"), 86400.0),
    (re.compile(r"second|_1s($|_)|per_s($|_)"), 1.0),
]
LIMIT_WORDS = re.compile(r"limit|rate|quota|requests")
HEADER_WINDOWS = {"second": 1.0, "minute": 60.0, "hour": 3600.0, "day": 86400.0}
POLICY = re.compile(r"(\d+)\s*;\s*w\s*=\s*(\d+)")


def jwt_claims(token: str) -> dict[str, Any]:
    """The claims of a JWT (unverified: only read for limits and expiry), {} if unreadable."""
    try:
        payload = token.split(".")[1]
        claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    except (IndexError, ValueError):
        return {}
    return claims if isinstance(claims, dict) else {}


def limits_from_claims(claims: Mapping[str, Any]) -> dict[float, int]:
    """{window seconds: requests} found among the claims (nested objects too)."""
    found: dict[float, int] = {}

    def visit(value: Any, name: str) -> None:
        if isinstance(value, Mapping):
            for key, inner in value.items():
                visit(inner, f"{name}_{key}".strip("_").casefold())
            return
        number = _whole(value)
        if number is None or not LIMIT_WORDS.search(name):
            return
        for pattern, seconds in WINDOW_WORDS:
            if pattern.search(name):
                found[seconds] = min(found.get(seconds, number), number)
                return

    visit(claims, "")
    return found


def limits_from_headers(headers: Mapping[str, str]) -> dict[float, int]:
    """{window seconds: requests} from rate-limit headers, {} when there are none."""
    found: dict[float, int] = {}
    for key, value in headers.items():
        name = key.casefold()
        if name.startswith("x-ratelimit-limit-"):
            seconds = HEADER_WINDOWS.get(name.removeprefix("x-ratelimit-limit-"))
            number = _whole(value)
            if seconds and number:
                found[seconds] = min(found.get(seconds, number), number)
        elif name == "ratelimit-policy":
            for limit, window in POLICY.findall(str(value)):
                if int(limit) and int(window):
                    seconds = float(window)
                    found[seconds] = min(found.get(seconds, int(limit)), int(limit))
    return found


def _whole(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if value > 0 else None
    if isinstance(value, float) and value.is_integer() and value > 0:
        return int(value)
    if isinstance(value, str) and value.strip().isdigit() and int(value) > 0:
        return int(value)
    return None
