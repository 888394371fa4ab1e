"""`PlytixEmulator`: the Plytix v1 API (auth host and PIM host on one server).

The routes live in small modules by domain (`routes_products`, `routes_assets`,
`routes_definitions`); this class holds the store, the settings, tokens and rate limits,
and the helpers every route uses.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable, Iterable
from typing import Any

from emulators import catalog as catalogue
from emulators.core import Emulator, Fault, Request, Response, Route
from emulators.plytix import (
    routes_assets,
    routes_definitions,
    routes_products,
    settings,
    v2_routes,
)
from emulators.plytix.auth import RateLimits, Tokens
from emulators.plytix.errors import error_body, fail
from emulators.plytix.responses import API
from emulators.plytix.search import V1, Generation, Limits, Page, Resource, instant_bounds, search
from emulators.plytix.store import Store

AUTH_ROUTE = "/auth/api/get-token"
ACCOUNT = "demo-account"


class PlytixEmulator(Emulator):
    """A stateful Plytix account seeded from a `Catalog`."""

    name = "plytix"

    def __init__(self, catalog: catalogue.Catalog) -> None:
        self.seeded_from = (catalog.size, catalog.seed, catalog.today)
        """What `reset` rebuilds from; the catalogue itself is not kept (it can be large)."""
        self.start_settings: dict[str, Any] = {}
        self.settings: dict[str, Any] = dict(settings.DEFAULTS)
        self.tokens = Tokens()
        self.limits = RateLimits()
        super().__init__(catalog.seed)
        self.store = Store(catalog)

    # --- Emulator hooks -------------------------------------------------------------------
    def register_routes(self) -> None:
        self.add("POST", AUTH_ROUTE, self.get_token)
        routes_products.register(self)
        routes_assets.register(self)
        routes_definitions.register(self)
        v2_routes.register(self)  # last: it hands v2 writes to the v1 handlers above

    def reset(self) -> None:
        with self.lock:
            seeded = catalogue.build(*self.seeded_from)
            self.store = Store(seeded)
            self.settings = settings.merged(settings.DEFAULTS, self.start_settings)
            self.tokens = Tokens()
            self.limits = RateLimits()
            self.reset_common()

    def dump_state(self) -> Any:
        with self.lock:
            return self.store.dump()

    def apply_settings(self, changes: dict[str, Any]) -> dict[str, Any]:
        with self.lock:
            self.settings = settings.merged(self.settings, changes or {})
            return settings.shown(self.settings)

    def error_body(self, status: int, message: str) -> Any:
        return error_body(message)

    def before_request(self, request: Request, route: Route) -> None:
        now = self.clock.now()
        with self.lock:
            retry_after = bool(self.settings["retry_after_on_429"])
            if route.template == AUTH_ROUTE:
                self.limits.auth_call(
                    now, int(self.settings["auth_requests_per_second"]), retry_after
                )
                return
            self.tokens.check(request.header("authorization"), now)
            self.limits.api_call(
                now,
                int(self.settings["requests_per_10s"]),
                int(self.settings["requests_per_hour"]),
                retry_after,
            )

    def dispatch(self, request: Request) -> tuple[Response, Fault | None]:
        """The auth host's rate-limit headers, and the trailing-slash redirect."""
        redirect = self._slash_redirect(request)
        if redirect is not None:
            self.log(request, f"{request.method} {request.path}", redirect.status)
            return redirect, None
        response, fault = super().dispatch(request)
        if request.path == AUTH_ROUTE:
            limit = str(self.settings["auth_requests_per_second"])
            response.headers.update({"ratelimit-limit": limit, "x-ratelimit-limit-second": limit})
        return response, fault

    def _slash_redirect(self, request: Request) -> Response | None:
        """`/api/v1/...` or `/api/v2/...` with a trailing slash -> 308 to the path without it,
        on the other spelling of the loopback host (`127.0.0.1` <-> `localhost`): as with the real
        redirect, an HTTP client drops the `Authorization` header on the way, so the
        follow-up answers 401. Off (`trailing_slash_redirect: false`): 404."""
        path = request.path
        if not (
            self.settings["trailing_slash_redirect"]
            and path.startswith((API + "/", "/api/v2/"))
            and path.endswith("/")
            and path != API + "/"
        ):
            return None
        route, known = self.resolve(request.method, path.rstrip("/"))
        if route is None and not known:
            return None
        host = request.header("host") or ""
        name, _, port = host.partition(":")
        other = {"127.0.0.1": "localhost", "localhost": "127.0.0.1"}.get(name, name)
        query = "&".join(f"{k}={v}" for k, values in request.query.items() for v in values)
        location = f"http://{other}{':' + port if port else ''}{path.rstrip('/')}" + (
            f"?{query}" if query else ""
        )
        return Response(308, error_body("Permanent Redirect"), {"Location": location})

    def log(self, request: Request, route_key: str, status: int) -> None:
        """The request log never holds the api_password sent to the token endpoint."""
        if route_key == f"POST {AUTH_ROUTE}" and request.body:
            request = dataclasses.replace(request, body=_redacted(request.body))
        super().log(request, route_key, status)

    # --- auth host ------------------------------------------------------------------------
    def get_token(self, request: Request) -> Response:
        body = self.decoded(request)
        if not isinstance(body, dict):
            raise fail(400, 'Bad request: send {"api_key": ..., "api_password": ...}')
        missing = [k for k in ("api_key", "api_password") if not isinstance(body.get(k), str)]
        if missing:
            raise fail(400, f"Bad request: {missing[0]} is required", missing[0])
        if (body["api_key"], body["api_password"]) != (
            self.settings["api_key"],
            self.settings["api_password"],
        ):
            errors: list[dict[str, Any]] = [{"field": "http_status_code", "msg": 401}]
            raise fail(401, "Bad api_key or api_password: Credentials not valid", errors=errors)
        with self.lock:
            limits = (
                int(self.settings["requests_per_10s"]),
                int(self.settings["requests_per_hour"]),
            )
            token, refresh = self.tokens.issue(
                ACCOUNT, self.clock.now(), float(self.settings["token_lifetime_seconds"]), limits
            )
        return Response(200, {"data": [{"access_token": token, "refresh_token": refresh}]})

    # --- helpers for the route modules ----------------------------------------------------
    def locked(self, handler: Callable[[Request], Response]) -> Callable[[Request], Response]:
        def run(request: Request) -> Response:
            with self.lock:
                return handler(request)

        return run

    def api(
        self, method: str, path: str, handler: Callable[[Request], Response], locked: bool = True
    ) -> None:
        """Register `API + path`; handlers run under the store lock unless told not to."""
        self.add(method, API + path, self.locked(handler) if locked else handler)

    def decoded(self, request: Request) -> Any:
        """The body as JSON; 400 `Failed to decode JSON object: ...` with the
        `http_status_code` entry, as the collection's saved answer has it."""
        try:
            return request.json()
        except ValueError as error:
            raise fail(
                400,
                f"Failed to decode JSON object: {error}",
                errors=[{"field": "http_status_code", "msg": 400}],
            ) from None

    def body(self, request: Request) -> dict[str, Any]:
        """The JSON object a write sends (400 when it is not one)."""
        payload = self.decoded(request)
        if payload is None:
            return {}
        if not isinstance(payload, dict):
            raise fail(400, "Bad request: the body must be a JSON object")
        return payload

    @property
    def loose(self) -> bool:
        """Whether custom attribute values are served loosely typed (`value_types`)."""
        return self.settings["value_types"] == "loose"

    def stamp(self) -> float:
        return self.store.stamp(self.clock.now())

    def product(self, product_id: str) -> dict[str, Any]:
        found = self.store.products.get(product_id)
        if found is None:
            raise fail(
                404,
                f"No results found for {product_id}",
                errors=[{"field": "id", "msg": "product does not exist"}],
            )
        return found

    def asset(self, asset_id: str) -> dict[str, Any]:
        found = self.store.assets.get(asset_id)
        if found is None:
            raise fail(
                404,
                f"No results found for {asset_id}",
                errors=[{"field": "asset_id", "msg": "asset does not exist"}],
            )
        return found

    def touch(self, product: dict[str, Any]) -> float:
        return self.store.touch(product, self.clock.now())

    def search_body(self, request: Request) -> Any:
        return self.decoded(request)

    def search(
        self,
        resource: Resource,
        items: Iterable[dict[str, Any]],
        body: Any,
        generation: Generation = V1,
    ) -> Page:
        """One search under the current settings; the column cap is `generation`'s."""
        s = self.settings
        limits = Limits(
            max_columns=int(s[generation.cap_setting]),
            default_page_size=int(s["default_page_size"]),
            max_page_size=int(s["max_page_size"]),
            max_ordered_results=int(s["max_ordered_results"]),
            count_is_total=s["pagination_count"] == "total",
            strict_operators=s["operator_rules"] == "strict",
            now=self.clock.now(),
        )
        return search(resource, items, body, limits)

    def product_candidates(self, body: Any) -> Iterable[dict[str, Any]]:
        """The products a product search (v1 or v2) looks at: only those modified within the
        body's `modified` bounds when its filters have them, every product otherwise."""
        span = instant_bounds(body.get("filters"), "modified") if isinstance(body, dict) else None
        return self.store.products.values() if span is None else self.store.modified_between(*span)

    def search_response(
        self,
        resource: Resource,
        items: Iterable[dict[str, Any]],
        body: Any,
        row: Callable[[dict[str, Any], list[str] | None], dict[str, Any]],
        generation: Generation = V1,
    ) -> Response:
        """`{"data": [row(item, columns)], "pagination"}`: each generation brings its rows."""
        page = self.search(resource, items, body, generation)
        return Response(
            200,
            {
                "data": [row(item, page.columns) for item in page.items],
                "pagination": page.pagination,
            },
        )


MASK = "***"


def _redacted(body: bytes) -> bytes:
    try:
        payload = json.loads(body)
    except ValueError:
        return b"<unreadable body>"
    if isinstance(payload, dict) and "api_password" in payload:
        payload["api_password"] = MASK
    return json.dumps(payload).encode()
