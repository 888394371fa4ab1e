"""API key, token sessions with idle expiry and organisation binding, and the rate limit.

A session is what `POST /authenticate` (mode=token) opens: it expires after
`session_idle_seconds` without a call (by the emulator clock), a user holds at most
`max_sessions` (the least recently used one is closed), and org-scoped calls need an
organisation bound to it with `POST /organization/authenticate`.
"""

from __future__ import annotations

import math
import secrets
from collections import OrderedDict, deque
from dataclasses import dataclass

from emulators.core import Request, window_limit
from emulators.photoshelter.errors import ps_error

API_KEY = "DEMOapikey1"
EMAIL = "demo@example.com"
PASSWORD = "demo-password"  # noqa: S105 - the emulator's published demo credential


@dataclass
class Session:
    token: str
    user_id: str
    last_seen: float
    org_id: str | None = None


def api_key_of(request: Request) -> str | None:
    return request.header("X-PS-Api-Key") or request.arg("api_key")


def token_of(request: Request) -> str | None:
    """`X-PS-Auth-Token`, `Authorization: Bearer`, or the `token` query parameter."""
    token = request.header("X-PS-Auth-Token")
    if token:
        return token
    authorization = request.header("Authorization") or ""
    scheme, _, value = authorization.partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return value.strip()
    return request.arg("token")


def check_api_key(request: Request) -> str:
    key = api_key_of(request)
    if key != API_KEY:
        reason = "missing" if not key else "not valid"
        raise ps_error(403, f"API key {reason}: send X-PS-Api-Key", "ApiKeyInvalidException")
    return key


class Sessions:
    """Open sessions by token, least recently used first."""

    def __init__(self) -> None:
        self.by_token: OrderedDict[str, Session] = OrderedDict()

    def open(self, user_id: str, now: float, max_sessions: int) -> Session:
        session = Session(secrets.token_urlsafe(24), user_id, now)
        self.by_token[session.token] = session
        while max_sessions and len(self.by_token) > max_sessions:
            self.by_token.popitem(last=False)
        return session

    def resume(self, token: str | None, now: float, idle_seconds: float) -> Session:
        """The live session for `token`, touched; 401 when missing, unknown or idle too long."""
        if not token:
            raise ps_error(401, "authentication required: send X-PS-Auth-Token")
        session = self.by_token.get(token)
        if session is None:
            raise ps_error(401, "session token is not valid or was logged out")
        if idle_seconds and now - session.last_seen > idle_seconds:
            del self.by_token[token]
            raise ps_error(401, "session expired after inactivity; authenticate again")
        session.last_seen = now
        self.by_token.move_to_end(token)
        return session

    def close(self, token: str) -> None:
        self.by_token.pop(token, None)


class RateLimiter:
    """`limit` requests per sliding `window` seconds for each caller key."""

    def __init__(self) -> None:
        self.hits: dict[str, deque[float]] = {}

    def hit(self, caller: str, now: float, limit: int, window: float) -> dict[str, int]:
        """Count one request; the `meta.rate_limit` report, or 429 when over the limit."""
        hits = self.hits.setdefault(caller, deque())
        wait = window_limit(hits, now, window, limit)
        if wait is not None:
            retry = max(1, math.ceil(wait))
            raise ps_error(
                429,
                f"rate limit of {limit} requests per {window:g}s exceeded; retry in {retry}s",
                headers={"Retry-After": str(retry)},
            )
        expires = math.ceil(hits[0] + window - now) if hits else 0
        return {"limit": limit, "current": len(hits), "expires": max(0, expires)}
