"""The PhotoShelter v4.0 client shared by tap-photoshelter and target-photoshelter.

One place for: the API key header, the login session (renewed on 401, organisation
re-bound, request replayed), pacing to the server's reported budget, 429 `Retry-After`,
backoff with jitter on 5xx and network errors, and mapping errors to one-line messages.
Pacing, backoff, `Retry-After`, redaction and the error classes are the core's
(`pim_dam_core`); what is PhotoShelter's is which calls may be repeated and how its answers
read. Plain Python: no singer-sdk types.
"""

from __future__ import annotations

import atexit
import logging
import re
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from typing import Any

import requests
from pim_dam_core.backoff import Backoff, retry_after_seconds
from pim_dam_core.pacing import Pacer
from pim_dam_core.redaction import register_secret

from photoshelter_api import paths
from photoshelter_api.connection_settings import ClientSettings
from photoshelter_api.errors import (
    AmbiguousWriteError,
    ApiError,
    AuthError,
    ConfigError,
    ConnectorError,
    NotFoundError,
    UnexpectedResponseError,
    UnreachableError,
    describe_error_body,
)
from photoshelter_api.login_session import LoginSession
from photoshelter_api.network import classify

LOGGER = logging.getLogger("photoshelter_api")

IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "PUT", "PATCH", "DELETE"})
MAX_RATE_LIMITED_RETRIES = 20


class PhotoShelterClient:
    """Paced, retried, self-renewing HTTP client for one organisation."""

    def __init__(
        self, settings: ClientSettings, sleep: Callable[[float], None] = time.sleep
    ) -> None:
        self.settings = settings
        creds = settings.credentials
        for secret in (creds.api_key, creds.password, creds.access_token):
            register_secret(secret)
        self.pacer = Pacer([(settings.window_seconds, settings.requests_per_window)], sleep=sleep)
        self.backoff = Backoff(
            settings.max_retries,
            settings.backoff_seconds,
            settings.max_backoff_seconds,
            sleep=sleep,
        )
        self._local = threading.local()
        self.session = LoginSession(creds, self._send_raw)
        self.stats: Counter[str] = Counter()
        self._stats_lock = threading.Lock()
        atexit.register(self.close, quiet=True)

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> PhotoShelterClient:
        return cls(ClientSettings.from_config(config))

    # --- public -----------------------------------------------------------------------------
    @property
    def org_id(self) -> str:
        """The bound organisation (logs in on first use)."""
        self.session.headers()
        return str(self.session.org_id)

    def get(self, path: str, params: Mapping[str, Any] | None = None) -> dict[str, Any]:
        return self.request("GET", path, params=params)

    def write(self, call: paths.WriteCall) -> dict[str, Any]:
        """One write of `paths` (its method, path, body and idempotence)."""
        return self.request(call.method, call.path, json=call.body, idempotent=call.idempotent)

    def request(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        json: Any = None,
        idempotent: bool | None = None,
    ) -> dict[str, Any]:
        """One authenticated call; on 401 log in again, bind again and replay once.
        `idempotent` marks a POST that is safe to repeat (retried like a GET)."""
        for renewed in (False, True):
            auth_headers, generation = self.session.headers()
            try:
                return self._send_raw(
                    method,
                    path,
                    params=params,
                    json=json,
                    headers=auth_headers,
                    idempotent=idempotent,
                )
            except ApiError as error:
                if error.status != 401 or renewed:
                    if error.status == 401:
                        raise AuthError(
                            f"{method} {path}: PhotoShelter refused the session "
                            "again right after logging in (401)"
                        ) from None
                    raise
                self._count("relogins")
                self.session.renew(generation)
        raise AssertionError("unreachable")

    def pages(
        self,
        path: str,
        params: Mapping[str, Any] | None = None,
        per_page: int = 100,
        first: dict[str, Any] | None = None,
    ) -> Iterator[tuple[int, dict[str, Any]]]:
        """`(page number, body)` of a list endpoint, page after page, until a page is empty
        or `meta.paging.next` ends; `first` is page 1 when the caller already holds it.
        The one pagination loop of the connectors."""
        page, body = 1, first
        while True:
            if body is None:
                body = self.get(path, {**(params or {}), "page": page, "per_page": per_page})
            yield page, body
            data = body.get("data")
            if not (
                isinstance(data, list) and any(isinstance(i, dict) for i in data)
            ) or not has_next_page(body):
                return  # the caller read the page with `data_list` (which raises on garbage)
            page, body = page + 1, None

    def paged(
        self, path: str, params: Mapping[str, Any] | None = None, per_page: int = 100
    ) -> Iterator[dict[str, Any]]:
        """Every item of a list endpoint (see `pages`)."""
        for _, body in self.pages(path, params, per_page):
            yield from data_list(body, path)

    def close(self, quiet: bool = False) -> None:
        """Log out the session this run opened (a user holds only a few at once).

        One attempt with a short timeout and no retry: a failed logout is logged, never
        fatal (the session then ends by itself when it idles out). Safe to call twice; at
        interpreter exit (after a failure, whose one-line error stays last) it logs at debug.
        """
        log = LOGGER.debug if quiet else LOGGER.info
        warn = LOGGER.debug if quiet else LOGGER.warning
        headers = self.session.take_login()
        if headers is None:
            return
        self.pacer.acquire()
        self._count(f"POST {paths.LOGOUT}")
        try:
            response = self._http.request(
                "POST",
                self.settings.api_url + paths.LOGOUT,
                headers={paths.API_KEY_HEADER: self.settings.credentials.api_key, **headers},
                timeout=min(10.0, self.settings.timeout_seconds),
            )
        except requests.RequestException as error:
            warn(
                "PhotoShelter logout failed (%s); the session ends when it idles out",
                type(error).__name__,
            )
            return
        if response.status_code < 300:
            log("Logged out of PhotoShelter")
        else:
            warn(
                "PhotoShelter logout answered HTTP %d; the session ends when it idles out",
                response.status_code,
            )

    # --- transport --------------------------------------------------------------------------
    @property
    def _http(self) -> requests.Session:
        http = getattr(self._local, "http", None)
        if http is None:
            http = requests.Session()
            http.headers["User-Agent"] = self.settings.user_agent
            self._local.http = http
        return http

    def _send_raw(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        json: Any = None,
        headers: Mapping[str, str] | None = None,
        idempotent: bool | None = None,
    ) -> dict[str, Any]:
        """Paced call with the API key; retries 429, 5xx and network errors; no renewal.

        `idempotent` overrides the method's default for calls that are safe to repeat
        although they are POSTs (logging in, binding the organisation).
        """
        if idempotent is None:
            idempotent = method in IDEMPOTENT_METHODS
        url = self.settings.api_url + path
        all_headers = {paths.API_KEY_HEADER: self.settings.credentials.api_key, **(headers or {})}
        failures = rate_limited = 0
        status: int | None
        while True:
            self.pacer.acquire()
            self._count(f"{method} {path_template(path)}")
            try:
                response = self._http.request(
                    method,
                    url,
                    params=params,
                    json=json,
                    headers=all_headers,
                    timeout=self.settings.timeout_seconds,
                )
                status = response.status_code
                body = _decode(response)
            except requests.exceptions.SSLError as error:
                raise ConfigError(
                    f"setting api_url: TLS verification of {url.split('?')[0]} failed "
                    f"({_first_line(error)})"
                ) from None
            except (requests.RequestException, ValueError) as error:
                reason = f"{type(error).__name__}"
                status, body = None, None
                failure = classify(error, url)
                if failure is not None:
                    reason = failure.kind
                    if not failure.sent:
                        idempotent = True  # never reached the server: safe to send again
                    if idempotent and (
                        not failure.retry_helps() or failures >= self.settings.max_retries
                    ):
                        raise UnreachableError(
                            failure.message(
                                "api_url",
                                self.settings.api_url,
                                self.settings.timeout_seconds,
                                failures or None,
                            )
                        ) from None
            else:
                code = response.status_code
                reason = f"HTTP {code}"
                if isinstance(body, dict):
                    self.pacer.observe(
                        (body.get("meta") or {}).get("rate_limit")
                        if isinstance(body.get("meta"), dict)
                        else None
                    )
                if 200 <= code < 300 and isinstance(body, dict):
                    return body
                if 200 <= code < 300 and body is None and method != "GET":
                    return {}
                if 200 <= code < 300:
                    reason = f"HTTP {code} with {_shape(body)} instead of a JSON object"
                elif code == 429:
                    rate_limited += 1
                    self._count("rate_limited")
                    if rate_limited > MAX_RATE_LIMITED_RETRIES:
                        raise ApiError(
                            f"{method} {path}: still rate limited (429) after "
                            f"{MAX_RATE_LIMITED_RETRIES} waits",
                            429,
                        )
                    wait = retry_after_seconds(response.headers)
                    if wait is None:
                        wait = max(self.settings.backoff_seconds, 1.0)
                    LOGGER.warning(
                        "PhotoShelter rate limit (429) on %s %s; waiting %.1fs", method, path, wait
                    )
                    self.pacer.pause(wait)
                    continue
                elif code < 500:
                    raise self._error(method, path, code, body)
            # 5xx, a dropped connection or a garbled body
            if not idempotent:
                raise AmbiguousWriteError(
                    f"{method} {path}: {reason}; the write may or may not have been applied", status
                )
            failures += 1
            self._count("retries")
            if failures > self.settings.max_retries:
                detail = (
                    f"{reason}"
                    if body is None or (status or 0) < 300
                    else f"{reason} {describe_error_body(body)[1]}".strip()
                )
                error_class = UnexpectedResponseError if status and status < 300 else ApiError
                raise error_class(
                    f"{method} {path}: failed after {self.settings.max_retries} retries ({detail})",
                    status,
                )
            delay = self.backoff.delay(failures - 1)
            LOGGER.warning(
                "PhotoShelter %s on %s %s; retry %d/%d in %.1fs",
                reason,
                method,
                path,
                failures,
                self.settings.max_retries,
                delay,
            )
            self.backoff.sleep(delay)

    def _error(self, method: str, path: str, status: int, body: Any) -> ConnectorError:
        error_id, reason = describe_error_body(body)
        label = f"{error_id or 'HTTP ' + str(status)}"
        if status == 403 and (error_id or "").startswith("ApiKeyInvalid"):
            return AuthError("setting api_key was refused by PhotoShelter (ApiKeyInvalidException)")
        message = f"{method} {path}: {label}" + (f": {reason}" if reason else "")
        if status == 404:
            return NotFoundError(message, status, error_id)
        return ApiError(message, status, error_id)

    def _count(self, key: str) -> None:
        with self._stats_lock:
            self.stats[key] += 1


# --- helpers shared with the streams and sinks ---------------------------------------------
def data_list(body: Mapping[str, Any], path: str = "") -> list[dict[str, Any]]:
    """The items of a list answer; anything but a list under `data` is an error, and an
    item that is not an object is logged and left out (the rest of the page is kept)."""
    data = body.get("data")
    if not isinstance(data, list):
        raise UnexpectedResponseError(
            f"GET {path}: the answer holds {_shape(data)} under `data` instead of a list"
        )
    items = [item for item in data if isinstance(item, dict)]
    if len(items) != len(data):
        LOGGER.warning(
            "GET %s: left out %d list item(s) that are not objects", path, len(data) - len(items)
        )
    return items


def has_next_page(body: Mapping[str, Any]) -> bool:
    paging = (body.get("meta") or {}).get("paging") if isinstance(body.get("meta"), dict) else None
    return isinstance(paging, dict) and paging.get("next") not in (None, "", False)


def attributes(item: Mapping[str, Any]) -> dict[str, Any]:
    """`{id, **attributes}` of a JSON:API object (flat objects pass through)."""
    attrs = item.get("attributes")
    flat = (
        dict(attrs)
        if isinstance(attrs, dict)
        else {k: v for k, v in item.items() if k not in ("type", "includes", "relationships")}
    )
    if "id" in item:
        flat.setdefault("id", item["id"])
    return flat


_ID_SEGMENT = re.compile(r"/[A-Z]0000[A-Za-z0-9._]{11}|/F\d{4}")


def path_template(path: str) -> str:
    """`/media/I0000abc.../iptc` -> `/media/{id}/iptc`, for request counts."""
    return _ID_SEGMENT.sub("/{id}", path)


def _decode(response: requests.Response) -> Any:
    """JSON when the body parses; otherwise its text (an HTML error page, a proxy's notice)."""
    if not response.content:
        return None
    try:
        return response.json()
    except ValueError:
        return response.text


def _shape(value: Any) -> str:
    """A short, secret-free description of an unexpected body (HTML page, text, list)."""
    if value is None:
        return "nothing"
    if isinstance(value, str):
        title = re.search(r"<title>(.*?)</title>", value, re.IGNORECASE | re.DOTALL)
        if title or "<html" in value.lower():
            name = title.group(1).strip()[:60] if title else ""
            return f"an HTML page{f' ({name!r})' if name else ''}"
        return f"{len(value)} characters of text"
    return f"a JSON {type(value).__name__}"


def _first_line(error: Exception) -> str:
    text = str(error).splitlines()[0] if str(error) else type(error).__name__
    match = re.search(r"certificate verify failed[^'\")]*", text)
    return match.group(0).strip() if match else text[:160]
