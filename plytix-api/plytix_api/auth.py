"""The token lifecycle: fetch on first use, renew before expiry and when Plytix says 401.

Two sources behind one interface: `PasswordTokens` (api_key + api_password, renewable, one
token shared by every thread) and `StaticToken` (a pre-issued bearer that cannot be renewed,
so a refusal is reported as such).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any, Protocol

import requests
from pim_dam_core.backoff import RETRYABLE_STATUSES, Again, retry_after_seconds, retry_loop
from pim_dam_core.errors import AuthError, RetriesExhaustedError, TlsError
from pim_dam_core.network import failure_kind
from pim_dam_core.pacing import Pacer
from pim_dam_core.redaction import register_secret

from plytix_api.errors import error_detail
from plytix_api.limits import jwt_claims, limits_from_headers
from plytix_api.settings import ClientSettings
from plytix_api.transport import give_up_at_once, unreachable

TOKEN_PATH = "/auth/api/get-token"  # noqa: S105 - a URL path, not a secret
DEFAULT_LIFETIME_SECONDS = 900.0


class TokenSource(Protocol):
    renewable: bool

    def token(self) -> str: ...

    def refused(self, token: str) -> None:
        """The API answered 401 to `token`: renew it, or raise when that is impossible."""


class StaticToken:
    """A pre-issued access_token: used as is; a 401 means it expired or is wrong."""

    renewable = False

    def __init__(self, token: str) -> None:
        register_secret(token)
        self._token = token

    def token(self) -> str:
        return self._token

    def refused(self, token: str) -> None:
        raise AuthError(
            "Plytix refused the access_token (expired or invalid); a pre-issued token cannot "
            "be renewed: supply a fresh access_token, or set api_key and api_password instead"
        )


def token_lifetime(token: str) -> float:
    """Seconds the JWT is valid for (exp - iat), or Plytix's documented 15 minutes."""
    claims = jwt_claims(token)
    try:
        return max(1.0, float(claims["exp"]) - float(claims["iat"]))
    except (KeyError, TypeError, ValueError):
        return DEFAULT_LIFETIME_SECONDS


class PasswordTokens:
    """Tokens from api_key + api_password, renewed a little before they expire."""

    renewable = True

    def __init__(
        self,
        settings: ClientSettings,
        session: Callable[[], requests.Session],
        auth_pacer: Pacer,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.settings = settings
        self.session = session
        self.auth_pacer = auth_pacer
        self.clock = clock
        self.fetches = 0
        self.rate_limited = 0
        """Auth 429s met (each waited out on the auth host's own pacer)."""
        self._token: str | None = None
        self._renew_at = 0.0
        self._lock = threading.Lock()

    def token(self) -> str:
        with self._lock:
            if self._token is None or self.clock() >= self._renew_at:
                self._fetch()
            assert self._token is not None
            return self._token

    def refused(self, token: str) -> None:
        with self._lock:
            if self._token == token:  # another thread may have renewed it already
                self._token = None

    def _fetch(self) -> None:
        url = f"{self.settings.auth_url}{TOKEN_PATH}"
        body = {"api_key": self.settings.api_key, "api_password": self.settings.api_password}

        def attempt_once(attempt: int) -> requests.Response | Again:
            self.auth_pacer.acquire()
            try:
                response = self.session().post(
                    url, json=body, timeout=self.settings.request_timeout
                )
            except requests.exceptions.SSLError as error:
                raise TlsError(url, error, "check the auth_url setting") from None
            except (requests.ConnectionError, requests.Timeout) as error:
                kind = failure_kind(error)
                if give_up_at_once(url, kind, attempt, self.fetches > 0):
                    raise unreachable(url, kind, "auth_url", attempt + 1) from None
                return Again(kind)
            self._learn_limits(response)
            status = response.status_code
            if status == 429:
                self.rate_limited += 1
            if status in RETRYABLE_STATUSES:
                return Again(f"HTTP {status}", status, response)
            if status in (400, 401, 403):
                detail, _ = error_detail(_json_or_none(response), response.reason or "refused")
                raise AuthError(
                    f"Plytix refused the credentials ({status}: {detail}): "
                    "check the api_key and api_password settings"
                )
            return response

        def wait(again: Again, attempt: int) -> None:
            """A 429 pauses the auth host's own pacer; other failures wait here."""
            asked = None if again.response is None else retry_after_seconds(again.response.headers)
            if again.status == 429:
                self.auth_pacer.pause(
                    self.settings.auth_rate_limit_fallback_seconds if asked is None else asked
                )
            else:
                self.settings.backoff.sleep(asked or self.settings.backoff.delay(attempt))

        def give_up(again: Again, attempts: int) -> Exception:
            if again.status:
                return RetriesExhaustedError(
                    f"Plytix auth at {url} failed after {attempts} attempts ({again.problem})"
                )
            return unreachable(url, again.problem, "auth_url", attempts)

        self._accept(retry_loop(attempt_once, self.settings.backoff, wait, give_up))

    def _learn_limits(self, response: requests.Response) -> None:
        """The auth host's own limit (`x-ratelimit-limit-second: 8`) paces token requests."""
        for seconds, limit in limits_from_headers(response.headers).items():
            self.auth_pacer.tighten(seconds, limit)

    def _accept(self, response: requests.Response) -> None:
        try:
            token = response.json()["data"][0]["access_token"]
        except (ValueError, KeyError, IndexError, TypeError) as error:
            raise AuthError(
                f"Plytix auth answered {response.status_code} without an "
                f"access_token ({type(error).__name__}): check the auth_url "
                "setting"
            ) from None
        register_secret(token)
        lifetime = token_lifetime(token)
        self._token = token
        self._renew_at = self.clock() + lifetime - min(60.0, lifetime * 0.1)
        self.fetches += 1


def _json_or_none(response: requests.Response) -> Any:
    try:
        return response.json()
    except ValueError:
        return None
