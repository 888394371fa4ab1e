"""The PhotoShelter v4.0 client shared by tap-photoshelter and target-photoshelter.

One place for: the API key header, the login session (renewed on 401, organisation
re-bound, request replayed), pacing to the server's reported budget, 429 `Retry-After`,
backoff with jitter on 5xx and network errors, mapping errors to one-line messages, and
redacting secrets from everything it logs or raises. Plain Python: no singer-sdk types.
"""

from __future__ import annotations

import atexit
import logging
import random
import re
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import requests

from tap_photoshelter.api import paths
from tap_photoshelter.api.errors import (
    AmbiguousWriteError,
    ApiError,
    AuthError,
    ConfigError,
    NotFoundError,
    Redactor,
    UnexpectedResponseError,
    UnreachableError,
    describe_error_body,
)
from tap_photoshelter.api.network import classify
from tap_photoshelter.api.pacing import Pacer
from tap_photoshelter.api.session import Credentials, Session
from tap_photoshelter.api.urls import checked_api_url

LOGGER = logging.getLogger("tap_photoshelter.api")

DEFAULT_API_URL = "https://www.photoshelter.com/psapi/v4.0"
API_KEY_SHAPE = re.compile(r"^[A-Za-z0-9._]{11}$")
IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "PUT", "PATCH", "DELETE"})
MAX_RATE_LIMITED_RETRIES = 20


@dataclass(frozen=True)
class ClientSettings:
    """The connection settings both plugins share (see `from_config`)."""

    api_url: str
    credentials: Credentials
    requests_per_window: int = 0
    window_seconds: float = 60.0
    max_retries: int = 5
    backoff_seconds: float = 1.0
    max_backoff_seconds: float = 60.0
    timeout_seconds: float = 60.0
    user_agent: str = "pim-dam-sync"

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> ClientSettings:
        """Validate plugin settings; raise ConfigError naming the first bad setting."""
        api_key = str(config.get("api_key") or "")
        if not api_key:
            raise ConfigError("setting api_key is required")
        if not API_KEY_SHAPE.match(api_key):
            raise ConfigError("setting api_key: a PhotoShelter API key is 11 characters of "
                              "letters, digits, '.' or '_'")
        token = config.get("access_token") or None
        email, password = config.get("email") or None, config.get("password") or None
        if not token and not (email and password):
            missing = "password" if email else "email"
            raise ConfigError(f"setting {missing} is required (or set access_token instead "
                              "of email and password)")
        allow_insecure = config.get("allow_insecure", False)
        if not isinstance(allow_insecure, bool):
            raise ConfigError(f"setting allow_insecure: expected true or false, got "
                              f"{allow_insecure!r}")
        api_url = checked_api_url(config.get("api_url") or DEFAULT_API_URL, allow_insecure)
        return cls(
            api_url=api_url,
            credentials=Credentials(api_key=api_key, email=email, password=password,
                                    access_token=token, org_id=config.get("org_id") or None),
            requests_per_window=_non_negative(config, "requests_per_window", 0),
            window_seconds=_positive(config, "window_seconds", 60.0),
            max_retries=_non_negative(config, "max_retries", 5),
            backoff_seconds=_non_negative(config, "backoff_seconds", 1.0, float),
            timeout_seconds=_positive(config, "request_timeout", 60.0),
            user_agent=str(config.get("user_agent") or "pim-dam-sync"),
        )


class PhotoShelterClient:
    """Paced, retried, self-renewing HTTP client for one organisation."""

    def __init__(self, settings: ClientSettings,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self.settings = settings
        creds = settings.credentials
        self.redact = Redactor([creds.api_key, creds.password, creds.access_token])
        self.pacer = Pacer(settings.requests_per_window, settings.window_seconds, sleep=sleep)
        self._sleep = sleep
        self._local = threading.local()
        self.session = Session(creds, self._send_raw)
        self.stats: Counter[str] = Counter()
        self._stats_lock = threading.Lock()
        self._rng = random.Random()
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

    def request(self, method: str, path: str, *, params: Mapping[str, Any] | None = None,
                json: Any = None, idempotent: bool | None = None) -> dict[str, Any]:
        """One authenticated call; on 401 log in again, bind again and replay once.
        `idempotent` marks a POST that is safe to repeat (retried like a GET)."""
        for renewed in (False, True):
            auth_headers, generation = self.session.headers()
            try:
                return self._send_raw(method, path, params=params, json=json,
                                      headers=auth_headers, idempotent=idempotent)
            except ApiError as error:
                if error.status != 401 or renewed:
                    if error.status == 401:
                        raise AuthError(f"{method} {path}: PhotoShelter refused the session "
                                        "again right after logging in (401)") from None
                    raise
                self._count("relogins")
                self.session.renew(generation)
        raise AssertionError("unreachable")

    def paged(self, path: str, params: Mapping[str, Any] | None = None,
              per_page: int = 100) -> Iterator[dict[str, Any]]:
        """Every item of a list endpoint, page after page, until `meta.paging.next` ends."""
        page = 1
        while True:
            body = self.get(path, {**(params or {}), "page": page, "per_page": per_page})
            items = data_list(body, path)
            yield from items
            if not items or not has_next_page(body):
                return
            page += 1

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
        self.pacer.wait()
        self._count(f"POST {paths.LOGOUT}")
        try:
            response = self._http.request(
                "POST", self.settings.api_url + paths.LOGOUT,
                headers={paths.API_KEY_HEADER: self.settings.credentials.api_key, **headers},
                timeout=min(10.0, self.settings.timeout_seconds))
        except requests.RequestException as error:
            warn("PhotoShelter logout failed (%s); the session ends when it idles out",
                 type(error).__name__)
            return
        if response.status_code < 300:
            log("Logged out of PhotoShelter")
        else:
            warn("PhotoShelter logout answered HTTP %d; the session ends when it idles out",
                 response.status_code)

    # --- transport --------------------------------------------------------------------------
    @property
    def _http(self) -> requests.Session:
        http = getattr(self._local, "http", None)
        if http is None:
            http = requests.Session()
            http.headers["User-Agent"] = self.settings.user_agent
            self._local.http = http
        return http

    def _send_raw(self, method: str, path: str, *, params: Mapping[str, Any] | None = None,
                  json: Any = None, headers: Mapping[str, str] | None = None,
                  idempotent: bool | None = None) -> dict[str, Any]:
        """Paced call with the API key; retries 429, 5xx and network errors; no renewal.

        `idempotent` overrides the method's default for calls that are safe to repeat
        although they are POSTs (logging in, binding the organisation).
        """
        if idempotent is None:
            idempotent = method in IDEMPOTENT_METHODS
        url = self.settings.api_url + path
        all_headers = {paths.API_KEY_HEADER: self.settings.credentials.api_key,
                       **(headers or {})}
        failures = rate_limited = 0
        while True:
            self.pacer.wait()
            self._count(f"{method} {path_template(path)}")
            try:
                response = self._http.request(method, url, params=params, json=json,
                                              headers=all_headers,
                                              timeout=self.settings.timeout_seconds)
                status = response.status_code
                body = _decode(response)
            except requests.exceptions.SSLError as error:
                raise ConfigError(self.redact(
                    f"setting api_url: TLS verification of {url.split('?')[0]} failed "
                    f"({_first_line(error)})")) from None
            except (requests.RequestException, ValueError) as error:
                reason = f"{type(error).__name__}"
                status, body, response = None, None, None
                failure = classify(error, url)
                if failure is not None:
                    reason = failure.kind
                    if not failure.sent:
                        idempotent = True  # never reached the server: safe to send again
                    if idempotent and (not failure.retry_helps()
                                       or failures >= self.settings.max_retries):
                        raise UnreachableError(failure.message(
                            "api_url", self.settings.api_url, self.settings.timeout_seconds,
                            failures or None)) from None
            else:
                reason = f"HTTP {status}"
                if isinstance(body, dict):
                    self.pacer.observe((body.get("meta") or {}).get("rate_limit")
                                       if isinstance(body.get("meta"), dict) else None)
                if 200 <= status < 300 and isinstance(body, dict):
                    return body
                if 200 <= status < 300 and body is None and method != "GET":
                    return {}
                if 200 <= status < 300:
                    reason = f"HTTP {status} with {_shape(body)} instead of a JSON object"
                elif status == 429:
                    rate_limited += 1
                    self._count("rate_limited")
                    if rate_limited > MAX_RATE_LIMITED_RETRIES:
                        raise ApiError(f"{method} {path}: still rate limited (429) after "
                                       f"{MAX_RATE_LIMITED_RETRIES} waits", 429)
                    wait = _retry_after(response, self.settings.backoff_seconds)
                    LOGGER.warning("PhotoShelter rate limit (429) on %s %s; waiting %.1fs",
                                   method, path, wait)
                    self.pacer.retry_after(wait)
                    continue
                elif status < 500:
                    raise self._error(method, path, status, body)
            # 5xx, a dropped connection or a garbled body
            if not idempotent:
                raise AmbiguousWriteError(f"{method} {path}: {reason}; the write may or may "
                                          "not have been applied", status)
            failures += 1
            self._count("retries")
            if failures > self.settings.max_retries:
                detail = f"{reason}" if body is None or (status or 0) < 300 else \
                    f"{reason} {describe_error_body(body)[1]}".strip()
                error_class = UnexpectedResponseError if status and status < 300 else ApiError
                raise error_class(self.redact(f"{method} {path}: failed after "
                                              f"{self.settings.max_retries} retries ({detail})"),
                                  status)
            delay = self._backoff(failures)
            LOGGER.warning("PhotoShelter %s on %s %s; retry %d/%d in %.1fs", reason, method,
                           path, failures, self.settings.max_retries, delay)
            self._sleep(delay)

    def _backoff(self, failures: int) -> float:
        """Exponential backoff with full jitter between half and all of the step."""
        step = min(self.settings.max_backoff_seconds,
                   self.settings.backoff_seconds * 2 ** (failures - 1))
        return step * (0.5 + self._rng.random() / 2)

    def _error(self, method: str, path: str, status: int, body: Any) -> ApiError:
        error_id, reason = describe_error_body(body)
        label = f"{error_id or 'HTTP ' + str(status)}"
        if status == 403 and (error_id or "").startswith("ApiKeyInvalid"):
            return AuthError("setting api_key was refused by PhotoShelter "
                             "(ApiKeyInvalidException)")
        message = self.redact(f"{method} {path}: {label}" + (f": {reason}" if reason else ""))
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
        raise UnexpectedResponseError(f"GET {path}: the answer holds {_shape(data)} under "
                                      "`data` instead of a list")
    items = [item for item in data if isinstance(item, dict)]
    if len(items) != len(data):
        LOGGER.warning("GET %s: left out %d list item(s) that are not objects", path,
                       len(data) - len(items))
    return items


def has_next_page(body: Mapping[str, Any]) -> bool:
    paging = (body.get("meta") or {}).get("paging") if isinstance(body.get("meta"), dict) else None
    return isinstance(paging, dict) and paging.get("next") not in (None, "", False)


def attributes(item: Mapping[str, Any]) -> dict[str, Any]:
    """`{id, **attributes}` of a JSON:API object (flat objects pass through)."""
    attrs = item.get("attributes")
    flat = dict(attrs) if isinstance(attrs, dict) else {
        k: v for k, v in item.items() if k not in ("type", "includes", "relationships")}
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


def _retry_after(response: requests.Response, default: float) -> float:
    try:
        return max(0.0, float(response.headers.get("Retry-After", "")))
    except ValueError:
        return max(default, 1.0)


def _non_negative(config: Mapping[str, Any], name: str, default: float,
                  kind: type[int] | type[float] = int) -> Any:
    """A setting that is a number of `kind` and not negative (ConfigError naming it)."""
    value = config.get(name, default)
    try:
        number = kind(default if value is None else value)
    except (TypeError, ValueError):
        what = "a whole number" if kind is int else "a number"
        raise ConfigError(f"setting {name}: {value!r} is not {what}") from None
    if number < 0:
        raise ConfigError(f"setting {name}: must not be negative")
    return number


def _positive(config: Mapping[str, Any], name: str, default: float) -> float:
    number = _non_negative(config, name, default, float)
    if number == 0:
        raise ConfigError(f"setting {name}: must be greater than zero")
    return number
