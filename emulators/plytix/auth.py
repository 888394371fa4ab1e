"""Access tokens and the two rate-limit windows of the account, plus the auth host's own.

Tokens are real JWTs (HS256, a per-run secret): a client can decode the claims, which carry
the account's limits as the real tokens do. The claim names are not confirmed by any
recording, so these are plausible ones: `account_id`, `rate_limit_per_10s`,
`rate_limit_per_hour` (plus `sub`, `iat`, `exp`, `jti`). The emulator keeps each token's
expiry, read from its clock, so `POST /_emulator/clock` can expire them.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import math
import secrets
from collections import deque

from emulators.core import window_limit
from emulators.plytix.errors import fail


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


class Tokens:
    """Issued access tokens and when each expires; several stay valid at once."""

    def __init__(self) -> None:
        self.expiry: dict[str, float] = {}
        self.secret = secrets.token_bytes(16)

    def issue(
        self, account: str, now: float, lifetime: float, limits: tuple[int, int]
    ) -> tuple[str, str]:
        """A new (access token, refresh token); the refresh token is never accepted back.

        `limits` is (requests per 10 s, requests per hour), written into the claims.
        """
        header = _b64(json.dumps({"alg": "HS256", "typ": "JWT"}).encode())
        claims = _b64(
            json.dumps(
                {
                    "sub": account,
                    "account_id": account,
                    "iat": int(now),
                    "exp": int(now + lifetime),
                    "jti": secrets.token_hex(8),
                    "rate_limit_per_10s": limits[0],
                    "rate_limit_per_hour": limits[1],
                }
            ).encode()
        )
        signature = _b64(
            hmac.new(self.secret, f"{header}.{claims}".encode(), hashlib.sha256).digest()
        )
        token = f"{header}.{claims}.{signature}"
        self.expiry[token] = now + lifetime
        self._forget_expired(now)
        return token, secrets.token_hex(20)

    def check(self, authorization: str | None, now: float) -> None:
        """401 unless the header carries a token that is known and not expired."""
        if not authorization:
            raise fail(401, "Missing Authorization Header")
        if not authorization.startswith("Bearer "):
            raise fail(401, "Bad Authorization header. Expected value 'Bearer <JWT>'")
        expires = self.expiry.get(authorization[len("Bearer ") :].strip())
        if expires is None:
            raise fail(401, "Invalid token: the access token is not valid")
        if expires <= now:
            raise fail(401, "Token has expired")

    def _forget_expired(self, now: float) -> None:
        if len(self.expiry) > 1000:
            self.expiry = {t: e for t, e in self.expiry.items() if e > now - 3600}


class RateLimits:
    """Sliding windows: API calls per 10 s and per hour, auth calls per second."""

    def __init__(self) -> None:
        self.short: deque[float] = deque()
        self.hourly: deque[float] = deque()
        self.auth: deque[float] = deque()

    def api_call(self, now: float, per_10s: int, per_hour: int, retry_after: bool) -> None:
        """Count one API call; 429 when either window is full (`Retry-After` if asked)."""
        wait = window_limit(self.short, now, 10.0, per_10s)
        if wait is None:
            wait = window_limit(self.hourly, now, 3600.0, per_hour)
            if wait is not None and self.short:
                self.short.pop()
        if wait is not None:
            raise _too_many(
                wait, "Too many requests: the account's rate limit is exceeded", retry_after
            )

    def auth_call(self, now: float, per_second: int, retry_after: bool) -> None:
        wait = window_limit(self.auth, now, 1.0, per_second)
        if wait is not None:
            raise _too_many(wait, "Too many requests to the auth endpoint", retry_after)


def _too_many(wait: float, message: str, retry_after: bool) -> Exception:
    """A 429; the real service may leave out `Retry-After` (setting `retry_after_on_429`)."""
    if not retry_after:
        return fail(429, message)
    seconds = max(1, math.ceil(wait))
    return fail(429, f"{message}; retry after {seconds} s", headers={"Retry-After": str(seconds)})
