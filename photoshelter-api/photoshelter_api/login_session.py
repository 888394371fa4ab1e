"""The login session: API key, user token (or OAuth bearer), and the bound organisation.

PhotoShelter sessions expire after idle time; a 401 means "log in again, bind the
organisation again, then replay". The renewal is serialised and counted by generation, so
several threads that meet the same 401 renew once.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pim_dam_core.redaction import register_secret

from photoshelter_api import paths
from photoshelter_api.errors import ApiError, AuthError, ConfigError

LOGGER = logging.getLogger("photoshelter_api")

LOGIN_ATTEMPTS = 3
"""Logins tried when the new session is refused before it could be bound."""


class SessionExpiredError(Exception):
    """The session just made expired before the organisation was bound."""


Send = Callable[..., dict[str, Any]]
"""`send(method, path, *, params=None, json=None, headers=None, idempotent=None) -> body`:
the client's paced, retried transport without session renewal (the client adds the API key)."""


@dataclass(frozen=True)
class Credentials:
    api_key: str
    email: str | None = None
    password: str | None = None
    access_token: str | None = None
    org_id: str | None = None

    def __repr__(self) -> str:
        return f"Credentials(email={self.email!r}, org_id={self.org_id!r}, secrets=***)"


class LoginSession:
    """Holds the token and the organisation; logs in lazily and again after a 401."""

    def __init__(self, credentials: Credentials, send: Send) -> None:
        self.credentials = credentials
        self._send = send
        self._lock = threading.Lock()
        self.token: str | None = None
        self.org_id: str | None = None
        self.generation = 0

    @property
    def renewable(self) -> bool:
        return self.credentials.access_token is None

    def headers(self) -> tuple[dict[str, str], int]:
        """Auth headers for one request and the session generation they belong to."""
        with self._lock:
            if self.token is None:
                self._start()
            return self._token_headers(), self.generation

    def renew(self, seen_generation: int) -> None:
        """After a 401: log in and bind again, unless another thread already did."""
        if not self.renewable:
            raise AuthError(
                "access_token was refused (401): it is invalid or expired; "
                "set a new access_token, or email and password for automatic renewal"
            )
        with self._lock:
            if self.generation != seen_generation:
                return
            LOGGER.info("PhotoShelter session expired; logging in again")
            self._start()

    def take_login(self) -> dict[str, str] | None:
        """The headers of the session this run logged in with, forgotten here (the caller
        logs it out); None for an OAuth token, which is not ours to end."""
        with self._lock:
            if self.token is None or not self.renewable:
                return None
            headers = self._token_headers()
            self.token = None
            self.generation += 1
            return headers

    def _token_headers(self) -> dict[str, str]:
        if self.credentials.access_token:
            return {"Authorization": f"Bearer {self.token}"}
        return {paths.AUTH_TOKEN_HEADER: str(self.token)}

    def _start(self) -> None:
        for attempt in range(1, LOGIN_ATTEMPTS + 1):
            self.token = self._login()
            try:
                self.org_id = self._bind()
            except SessionExpiredError:
                if attempt == LOGIN_ATTEMPTS:
                    raise AuthError(
                        "PhotoShelter refused each new session right after the "
                        f"login ({LOGIN_ATTEMPTS} attempts)"
                    ) from None
                LOGGER.info("PhotoShelter session expired while binding; logging in again")
                continue
            self.generation += 1
            return

    def _login(self) -> str:
        creds = self.credentials
        if creds.access_token:
            return creds.access_token
        try:
            body = self._send(
                "POST",
                paths.AUTHENTICATE,
                idempotent=True,
                json=paths.login_body(str(creds.email), str(creds.password)),
            )
        except ApiError as error:
            if error.status in (401, 400):
                raise AuthError(
                    "PhotoShelter refused the login: check the email and password "
                    f"settings ({error.error_id or error.status})"
                ) from None
            raise
        token = body.get("token") or (body.get("data") or {}).get("token")
        if not token:
            raise AuthError(
                "PhotoShelter login answered without a token; check the api_url "
                "setting points at .../psapi/v4.0"
            )
        register_secret(str(token))
        return str(token)

    def _bind(self) -> str:
        try:
            org_id = self.credentials.org_id or self._only_organization()
        except ApiError as error:
            if error.status == 401 and self.renewable:
                raise SessionExpiredError from None
            raise
        try:
            self._send(
                "POST",
                paths.BIND_ORGANIZATION,
                json=paths.bind_body(org_id),
                headers=self._token_headers(),
                idempotent=True,
            )
        except ApiError as error:
            if error.status == 401 and self.renewable:
                raise SessionExpiredError from None
            if error.status in (400, 403, 404):
                names = ", ".join(f"{o['id']} ({o['name']})" for o in self.organizations())
                raise ConfigError(
                    f"setting org_id: {org_id!r} is not an organisation of this "
                    f"user (available: {names or 'none'})"
                ) from None
            raise
        return org_id

    def _only_organization(self) -> str:
        orgs = self.organizations()
        if len(orgs) == 1:
            return orgs[0]["id"]
        if not orgs:
            raise ConfigError("setting org_id: this user belongs to no PhotoShelter organisation")
        names = ", ".join(f"{o['id']} ({o['name']})" for o in orgs)
        raise ConfigError(
            f"setting org_id is required: this user belongs to several organisations: {names}"
        )

    def organizations(self) -> list[dict[str, str]]:
        """The user's organisations as `{id, name}` (needs a token, not a binding)."""
        body = self._send(
            "GET",
            paths.USER_SESSION,
            params=paths.USER_SESSION_PARAMS,
            headers=self._token_headers(),
        )
        found: dict[str, str] = {}
        _collect_organizations(body, found)
        return [{"id": k, "name": v} for k, v in found.items()]


def _collect_organizations(node: Any, found: dict[str, str]) -> None:
    """Organisation objects anywhere in the session body (`includes`, `included`, lists)."""
    if isinstance(node, list):
        for item in node:
            _collect_organizations(item, found)
        return
    if not isinstance(node, dict):
        return
    node_id = node.get("id")
    kind = str(node.get("type") or "").lower()
    if isinstance(node_id, str) and (
        "organization" in kind
        or "organisation" in kind
        or (node_id.startswith("O0000") and len(node_id) == 16)
    ):
        attributes = node["attributes"] if isinstance(node.get("attributes"), dict) else node
        name = str(attributes.get("name") or "")
        if name or node_id not in found:
            found[node_id] = name
    for value in node.values():
        if isinstance(value, dict | list):
            _collect_organizations(value, found)
