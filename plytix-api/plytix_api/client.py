"""The one HTTP path to Plytix: auth, pacing, retries and error mapping in one place.

Plain Python (requests), no singer-sdk types, thread-safe: tap-plytix's streams and
target-plytix's sinks both send every request through `PlytixClient.request`.
"""

from __future__ import annotations

import logging
import threading
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from dataclasses import replace
from typing import Any
from urllib.parse import urlsplit

import requests
from pim_dam_core.backoff import (
    RETRYABLE_STATUSES,
    TRANSPORT_ERRORS,
    Again,
    retry_after_seconds,
    retry_loop,
)
from pim_dam_core.errors import AmbiguousWriteError, AuthError, RetriesExhaustedError, TlsError
from pim_dam_core.network import failure_kind
from pim_dam_core.pacing import Pacer

from plytix_api.auth import PasswordTokens, StaticToken, TokenSource
from plytix_api.errors import PlytixApiError, TooManyMatchesError, error_detail
from plytix_api.limits import jwt_claims, limits_from_claims, limits_from_headers
from plytix_api.plan import FilterPlan
from plytix_api.settings import ClientSettings
from plytix_api.transport import give_up_at_once, unreachable

LOGGER = logging.getLogger("plytix_api")
USER_AGENT = "pim-dam-sync/0.1 (+tap-plytix)"
MAX_TOKEN_RENEWALS_PER_REQUEST = 2
MAX_PAGE_SIZE = 100
COLUMN_CAPS = {"v1": 20, "v2": 50}
"""Attribute columns one search may ask for (`id` and `sku` not counted)."""
IN_FLIGHT_MARGIN_SECONDS = 0.25
"""A request counts at the server when it arrives, a little after we send it."""
NOT_SERVED = frozenset({403, 404, 410})
"""Answers of a v2 product search that mean the account does not serve v2."""


class EnvOnceSession(requests.Session):
    """A Session that reads proxy and CA-bundle settings from the environment once per host.

    requests scans os.environ on every request for them, which was 13% of target-plytix's
    time in `benchmarks/plytix_target_scale.py --profile`; the environment does not change
    during a run.
    """

    def __init__(self) -> None:
        super().__init__()
        self._by_host: dict[tuple[str, str], Any] = {}

    def merge_environment_settings(
        self, url: Any, proxies: Any, stream: Any, verify: Any, cert: Any
    ) -> Any:
        parts = urlsplit(str(url))
        host = (parts.scheme, parts.netloc)
        if host not in self._by_host:
            self._by_host[host] = super().merge_environment_settings(url, {}, None, None, None)
        known = self._by_host[host]
        return {
            "proxies": {**known["proxies"], **(proxies or {})},
            "stream": known["stream"] if stream is None else stream,
            "verify": known["verify"] if verify is None else verify,
            "cert": known["cert"] if cert is None else cert,
        }


class PlytixClient:
    """Sends requests to the Plytix API; raises ConnectorError subclasses with one-line messages."""

    def __init__(self, settings: ClientSettings) -> None:
        self.settings = settings
        self.pacer = Pacer(
            [(10.0, settings.requests_per_10s), (3600.0, settings.requests_per_hour)],
            margin=IN_FLIGHT_MARGIN_SECONDS,
        )
        self.auth_pacer = Pacer(
            [(1.0, settings.auth_requests_per_second)], margin=IN_FLIGHT_MARGIN_SECONDS
        )
        self.stats: Counter[str] = Counter()
        self._stats_lock = threading.Lock()
        self._generation: str | None = (
            None if settings.api_version == "auto" else settings.api_version
        )
        self._generation_lock = threading.RLock()
        self._plans: dict[str, FilterPlan] = {}
        self._plans_lock = threading.Lock()
        self._answered = False
        """The API host has answered once this run (later transport errors are transient)."""
        self._last_token: str | None = None
        self.account_limits: dict[float, int] = {}
        """The account's limits as Plytix stated them (token claims, headers): window -> n."""
        self._local = threading.local()
        self.tokens: TokenSource
        if settings.api_key and settings.api_password:
            self.tokens = PasswordTokens(settings, self.session, self.auth_pacer)
        else:
            assert settings.access_token is not None
            self.tokens = StaticToken(settings.access_token)

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> PlytixClient:
        return cls(ClientSettings.from_config(config))

    def session(self) -> requests.Session:
        """One requests.Session per thread (Session is not thread-safe)."""
        session = getattr(self._local, "session", None)
        if session is None:
            session = EnvOnceSession()
            session.verify = True
            session.headers["User-Agent"] = USER_AGENT
            self._local.session = session
        return session

    def url(self, path: str) -> str:
        """An absolute URL as is; `/api/...` under the API root; any other path under v1."""
        if path.startswith(("http://", "https://")):
            return path
        if path.startswith("/api/"):
            return f"{self.settings.api_root}{path}"
        return f"{self.settings.api_url}/{path.lstrip('/')}"

    def learn_limits(self, limits: dict[float, int], source: str) -> None:
        """Pace to the smaller of the settings and the limits the account states."""
        for seconds, limit in limits.items():
            self.account_limits[seconds] = limit
            if self.pacer.tighten(seconds, limit):
                LOGGER.info(
                    "Plytix pacing: %d requests per %gs, the account's limit from %s "
                    "(stricter than the settings)",
                    limit,
                    seconds,
                    source,
                )

    # --- API generation, column cap, filter plan -----------------------------------------------
    def generation(self, probe: bool = True) -> str:
        """`v2` or `v1`: the product API this run uses (asked once per run with `auto`).

        `auto` sends one minimal v2 product search; 403/404/410 means the account does not
        serve v2, so products go through v1. The choice is logged. With `probe=False` and
        nothing known yet, `v2` (the default generation) without asking.
        """
        if self._generation is not None:
            return self._generation
        if not probe:
            return "v2"
        with self._generation_lock:
            if self._generation is None:
                probe_body = {"pagination": {"page": 1, "page_size": 1}}
                self._send_product_search(probe_body)
            assert self._generation is not None
            return self._generation

    def product_search(
        self, body: dict[str, Any], replan: Callable[[str], dict[str, Any]] | None = None
    ) -> requests.Response:
        """One product search through the run's generation.

        With `auto` and no generation known yet, this search is the probe (no extra request
        on a v2 account): sent to v2; a 403/404/410 settles on v1 and the search is sent to
        v1, rebuilt by `replan("v1")` when given (the column cap differs).
        """
        if self._generation is None:
            with self._generation_lock:
                if self._generation is None:
                    return self._send_product_search(body, replan)
        return self.request("POST", self.product_path("/search"), json=body)

    def _send_product_search(
        self, body: dict[str, Any], replan: Callable[[str], dict[str, Any]] | None = None
    ) -> requests.Response:
        """Called under the generation lock while the generation is unknown."""
        try:
            response = self.request("POST", "/api/v2/products/search", json=body)
        except PlytixApiError as error:
            if error.status not in NOT_SERVED:
                raise
            self._generation = "v1"
            LOGGER.info(
                "Plytix API generation: v1 for products (api_version auto: v2 answered "
                "%s to its product search)",
                error.status,
            )
            body = replan("v1") if replan else body
            return self.request("POST", "/api/v1/products/search", json=body)
        self._generation = "v2"
        LOGGER.info("Plytix API generation: v2 for products (api_version auto)")
        return response

    def product_path(self, path: str = "", probe: bool = True) -> str:
        """`/api/v2/products<path>` or `/api/v1/products<path>`, as the generation says."""
        return f"/api/{self.generation(probe)}/products{path}"

    def column_cap(self, probe: bool = True) -> int:
        """Columns a product search may ask for: `max_columns_per_search`, else the
        generation's cap (20 on v1, 50 on v2)."""
        return self.settings.max_columns_per_search or COLUMN_CAPS[self.generation(probe)]

    def filter_plan(self, resource: str = "product") -> FilterPlan:
        """The operators each field allows, read once per run from `GET /filters/<resource>`
        (the documented v1 table when the account does not answer it)."""
        with self._plans_lock:
            if resource not in self._plans:
                self._plans[resource] = self._read_plan(resource)
            return self._plans[resource]

    def _read_plan(self, resource: str) -> FilterPlan:
        try:
            plan = FilterPlan.from_payload(resource, self.call("GET", f"/filters/{resource}"))
        except PlytixApiError as error:
            if error.status not in NOT_SERVED:
                raise
            plan = FilterPlan.documented(
                resource, f"GET /filters/{resource} answered {error.status}"
            )
        if not plan.operators:
            plan = FilterPlan.documented(resource, f"GET /filters/{resource} listed no field")
        LOGGER.info("%s", plan.describe())
        return plan

    def count(self, key: str, n: int = 1) -> None:
        with self._stats_lock:
            self.stats[key] += n

    # --- the request loop ---------------------------------------------------------------------
    def request(
        self,
        method: str,
        path: str,
        *,
        json: Any = None,
        params: Mapping[str, Any] | None = None,
        data: Any = None,
        files: Any = None,
        headers: Mapping[str, str] | None = None,
        idempotent: bool | None = None,
        expect_json: bool = True,
    ) -> requests.Response:
        """Send one request, retrying what a retry can fix; return the 2xx response.

        `idempotent` (default: every method but POST to a non-search path) decides whether a
        request that got no usable answer may be sent again; when it may not, AmbiguousWriteError
        tells the caller to check whether the write happened before trying again.
        """
        url = self.url(path)
        shown = urlsplit(url).path
        if idempotent is None:
            idempotent = method != "POST" or shown.endswith("/search")
        renewals = 0

        def attempt_once(attempt: int) -> requests.Response | Again:
            nonlocal renewals
            token = self.tokens.token()
            if token != self._last_token:
                self._last_token = token
                self.learn_limits(limits_from_claims(jwt_claims(token)), "the token's claims")
            self.pacer.acquire()
            self.count("requests")
            try:
                response = self.session().request(
                    method,
                    url,
                    json=json,
                    params=params,
                    data=data,
                    files=files,
                    headers={**(headers or {}), "Authorization": f"Bearer {token}"},
                    timeout=self.settings.request_timeout,
                    allow_redirects=False,
                )
            except requests.exceptions.SSLError as error:
                raise TlsError(url, error, "check the api_url setting") from None
            except TRANSPORT_ERRORS as error:
                kind = failure_kind(error)
                if give_up_at_once(url, kind, attempt, self._answered):
                    raise unreachable(url, kind, "api_url", attempt + 1) from None
                problem = f"{kind} on {method} {shown}"
                if not idempotent:
                    raise AmbiguousWriteError(
                        f"{problem}: no answer, the write may have happened"
                    ) from None
                return Again(problem)
            self._answered = True
            if headers_limits := limits_from_headers(response.headers):
                self.learn_limits(headers_limits, "the rate-limit headers")
            status = response.status_code
            self.count(f"status_{status}")
            if status == 401:
                if renewals >= MAX_TOKEN_RENEWALS_PER_REQUEST or not self.tokens.renewable:
                    self.tokens.refused(token)
                    raise AuthError(
                        f"Plytix answered 401 to {method} {shown} with a fresh "
                        "token: check the api_key and api_password settings"
                    )
                renewals += 1
                self.count("token_renewals_on_401")
                self.tokens.refused(token)
                return Again("401", counted=False)
            if status in RETRYABLE_STATUSES:
                return Again(f"HTTP {status} on {method} {shown}", status, response)
            if status >= 400:
                raise self._api_error(response, method, shown)
            if expect_json and response.content and (unusable := body_problem(response)):
                self.count("malformed_bodies")
                problem = f"{unusable} in the {status} answer to {method} {shown}"
                if not idempotent:
                    raise AmbiguousWriteError(f"{problem}: the write may have happened")
                return Again(problem)
            return response

        return retry_loop(attempt_once, self.settings.backoff, self._wait, self._gave_up)

    def _wait(self, again: Again, attempt: int) -> None:
        """Before retry `attempt + 1`: the server's `Retry-After` on a 429 (every thread
        pauses), else the backoff."""
        self.count("retries")
        if again.status == 429:
            self.count("rate_limited")
            asked = None if again.response is None else retry_after_seconds(again.response.headers)
            if asked is None:
                self.count("rate_limited_without_retry_after")
            wait = self.settings.rate_limit_fallback_seconds if asked is None else asked
            self.pacer.pause(wait)
            LOGGER.warning(
                "%s: waiting %.1fs (%s)",
                again.problem,
                wait,
                "as the server asks"
                if asked is not None
                else "no Retry-After: rate_limit_fallback_seconds",
            )
            return
        wait = self.settings.backoff.delay(attempt)
        LOGGER.warning("%s: retry %d in %.1fs", again.problem, attempt + 1, wait)
        self.settings.backoff.sleep(wait)

    @staticmethod
    def _gave_up(again: Again, attempts: int) -> RetriesExhaustedError:
        hint = "" if again.status else "; check the api_url setting and the network"
        return RetriesExhaustedError(
            f"{again.problem}: still failing after {attempts} attempts{hint}", again.status
        )

    def _api_error(self, response: requests.Response, method: str, path: str) -> PlytixApiError:
        """The error of a 4xx, with what to change when the answer says it (a removed API,
        a base URL that is not Plytix's, a filter the account refuses)."""
        try:
            payload = response.json()
        except ValueError:
            payload = None
        kind = response.headers.get("Content-Type", "").split(";")[0].strip()
        fallback = (
            f"an HTML page instead of a Plytix answer ({response.reason or 'error'})"
            if "html" in kind
            else response.reason or "error"
        )
        detail, field_errors = error_detail(payload, fallback)
        status = response.status_code
        if status == 410 and "/api/v1/products" in path:
            detail += (
                "; v1 product endpoints are gone for this account: set api_version to auto or v2"
            )
        elif status == 410:
            detail += "; this API path is gone for this account"
        elif status in (404, 405) and not isinstance(payload, dict):
            detail += "; check the api_url setting (it does not look like the Plytix API)"
        kind_error = TooManyMatchesError if status == 428 else PlytixApiError
        return kind_error(status, method, path, detail, field_errors)

    # --- conveniences -------------------------------------------------------------------------
    def call(self, method: str, path: str, **kwargs: Any) -> Any:
        """`request` and the parsed JSON body (None for an empty body)."""
        response = self.request(method, path, **kwargs)
        return response.json() if response.content else None

    def data(self, method: str, path: str, **kwargs: Any) -> list[dict[str, Any]]:
        """The `data` list of the envelope."""
        payload = self.call(method, path, **kwargs) or {}
        return list(payload.get("data") or [])

    def search_page(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        """One page of a search endpoint (`data` and `pagination`)."""
        return self.call("POST", path, json=body) or {}

    def search_all(
        self,
        path: str,
        *,
        filters: list[list[dict[str, Any]]] | None = None,
        attributes: list[str] | None = None,
        order: str | None = None,
        page_size: int = MAX_PAGE_SIZE,
    ) -> Iterator[dict[str, Any]]:
        """Every row of a search, page by page."""
        page = 1
        while True:
            body: dict[str, Any] = {
                "pagination": {"page": page, "page_size": page_size, "order": order}
            }
            if filters:
                body["filters"] = filters
            if attributes:
                body["attributes"] = attributes
            payload = self.search_page(path, body)
            rows = payload.get("data") or []
            yield from rows
            if not has_more(payload, page, page_size, len(rows)):
                return
            page += 1

    def download(self, url: str, expected_size: int | None = None) -> bytes:
        """The bytes at a public URL, retried like an API request. With `expected_size`, a
        body of another length (an image host that cut it short) is asked for again."""
        return self._public("GET", url, self.settings.max_retries, expected_size).content

    def content_length(self, url: str, attempts: int = 3) -> int | None:
        """The size the host of a public URL gives for it (HEAD); None when it will not say
        (no Content-Length, HEAD refused, or no answer after `attempts`)."""
        try:
            response = self._public("HEAD", url, attempts - 1)
        except (PlytixApiError, RetriesExhaustedError) as error:
            LOGGER.debug("no size for %s: %s", url, error)
            return None
        length = response.headers.get("Content-Length", "")
        return int(length) if length.isdigit() else None

    def _public(
        self, method: str, url: str, retries: int, expected_size: int | None = None
    ) -> requests.Response:
        """A request to a public URL (no Plytix auth, no Plytix pacing), retried up to
        `retries` times on 429, 5xx, no answer or a body of the wrong size."""
        backoff = replace(self.settings.backoff, max_retries=retries)

        def attempt_once(attempt: int) -> requests.Response | Again:
            try:
                response = self.session().request(
                    method, url, timeout=self.settings.request_timeout
                )
            except requests.exceptions.SSLError as error:
                raise TlsError(url, error, "check the asset URL") from None
            except TRANSPORT_ERRORS as error:
                return Again(f"{type(error).__name__} on {method} {url}")
            status = response.status_code
            if status in RETRYABLE_STATUSES:
                return Again(f"HTTP {status} on {method} {url}", status)
            if status >= 400:
                raise PlytixApiError(status, method, url, "download failed")
            if expected_size is not None and len(response.content) != expected_size:
                return Again(f"{len(response.content)} of {expected_size} bytes downloading {url}")
            return response

        def wait(again: Again, attempt: int) -> None:
            LOGGER.debug("%s (attempt %d of %d)", again.problem, attempt + 1, retries + 1)
            backoff.wait(attempt)

        def give_up(again: Again, attempts: int) -> RetriesExhaustedError:
            return RetriesExhaustedError(
                f"{again.problem}: still failing after {attempts} attempts"
            )

        return retry_loop(attempt_once, backoff, wait, give_up)


def body_problem(response: requests.Response) -> str | None:
    """Why a 2xx body is not a Plytix envelope (an HTML page, a truncated or odd JSON)."""
    try:
        payload = response.json()
    except ValueError:
        kind = response.headers.get("Content-Type", "").split(";")[0] or "no content type"
        return f"an unreadable body ({kind})"
    if not isinstance(payload, dict):
        return f"a JSON {type(payload).__name__} instead of an object"
    if "data" in payload and not isinstance(payload["data"], list):
        return "a `data` that is not a list"
    return None


def has_more(payload: Mapping[str, Any], page: int, page_size: int, rows: int) -> bool:
    """Whether a search has a page after `page` (`total_count`; `count` is unreliable)."""
    pagination = payload.get("pagination") or {}
    total = pagination.get("total_count")
    if isinstance(total, int):
        return page * page_size < total
    return rows >= page_size
