"""The PhotoShelter v4.0 emulator: wiring of routes, access rules, settings and state.

Every API route declares its access: `public` (image derivatives, like a CDN), `key` (API
key only: login), `session` (key + live token) or `org` (key + token + bound organisation).
`before_request` enforces that and the rate limit; handlers run under the emulator lock.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from emulators import catalog as catalog_module
from emulators.catalog import Catalog
from emulators.core import Emulator, Request, Response, Route
from emulators.photoshelter import admin, container_routes, media_routes, session_routes
from emulators.photoshelter.auth import RateLimiter, Session, Sessions, check_api_key, token_of
from emulators.photoshelter.errors import error_body, ps_error
from emulators.photoshelter.settings import DEFAULTS, WRITE_SWITCHES, coerce
from emulators.photoshelter.store import Store

API = "/psapi/v4.0"
ACCESS_LEVELS = ("public", "key", "session", "org")
REDACTED = "***"
SWITCHED_ROUTES = {f"{method} {API}{path}": name for name, (method, path) in WRITE_SWITCHES.items()}
"""Route key -> the setting that switches that candidate write path on or off."""


class PhotoShelterEmulator(Emulator):
    name = "photoshelter"

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog
        self.access: dict[str, str] = {}
        self.context = threading.local()
        self.settings: dict[str, Any] = dict(DEFAULTS)
        self.start_settings: dict[str, Any] = {}
        self.store = Store(catalog)
        self.sessions = Sessions()
        self.limiter = RateLimiter()
        super().__init__(seed=catalog.seed)

    # --- wiring ----------------------------------------------------------------------------
    def register_routes(self) -> None:
        session_routes.register(self)
        media_routes.register(self)
        container_routes.register(self)

    def api(
        self,
        method: str,
        path: str,
        handler: Callable[[Request], Response],
        access: str = "org",
        prefix: str = API,
    ) -> None:
        """Register a route with its access level; it runs under the lock."""
        assert access in ACCESS_LEVELS, access

        def locked(request: Request) -> Response:
            with self.lock:
                response = handler(request)
            self.report_rate_limit(response.body)
            return response

        self.add(method, prefix + path, locked)
        self.access[f"{method} {prefix + path}"] = access

    def report_rate_limit(self, body: Any) -> None:
        """`meta.rate_limit` on single-object bodies and on lists, each as its setting says."""
        rate = getattr(self.context, "rate_limit", None)
        if rate is None or not isinstance(body, dict) or not isinstance(body.get("meta"), dict):
            return
        if isinstance(body.get("data"), list):
            if not self.settings["rate_limit_in_lists"]:
                return
        elif not self.settings["rate_limit_in_objects"]:
            return
        body["meta"]["rate_limit"] = rate

    def resolve(self, method: str, path: str) -> tuple[Route | None, bool]:
        """The core's routing, skipping candidate write paths switched off by their setting,
        so that an off path answers exactly as an unknown route (404, or 405 when the path
        exists for another method) and is not counted as a route."""
        path_known = False
        for route in self.routes:
            switch = SWITCHED_ROUTES.get(route.key)
            if switch is not None and not self.settings[switch]:
                continue
            if route.pattern.match(path):
                path_known = True
                if route.method == method:
                    return route, True
        return None, path_known

    @property
    def base_url(self) -> str:
        return str(self.settings["public_base_url"])

    def current_session(self) -> Session:
        """The session `before_request` resumed for this request (this thread)."""
        session = getattr(self.context, "session", None)
        if session is None:
            raise ps_error(401, "authentication required: send X-PS-Auth-Token")
        return session

    # --- access ----------------------------------------------------------------------------
    def before_request(self, request: Request, route: Route) -> None:
        self.context.session = None
        self.context.rate_limit = None
        access = self.access.get(route.key, "org")
        if access == "public":
            return
        with self.lock:
            key = check_api_key(request)
            token = token_of(request)
            now = self.clock.now()
            self.context.rate_limit = self.limiter.hit(
                f"{key}:{token or ''}",
                now,
                int(self.settings["rate_limit"]),
                float(self.settings["rate_window_seconds"]),
            )
            if access == "key":
                return
            session = self.sessions.resume(token, now, float(self.settings["session_idle_seconds"]))
            self.context.session = session
            if access == "org":
                require_org(session, request)

    # --- Emulator hooks --------------------------------------------------------------------
    def reset(self) -> None:
        size, seed, today = self.catalog.size, self.catalog.seed, self.catalog.today
        del self.store, self.catalog  # free the old seed first: `large` holds ~0.9 GB
        self.catalog = catalog_module.build(size, seed, today)
        self.store = Store(self.catalog)
        self.sessions = Sessions()
        self.limiter = RateLimiter()
        self.reset_common()
        self.settings = dict(DEFAULTS)
        self.apply_settings(self.start_settings)

    def dump_state(self) -> dict[str, Any]:
        return {"settings": dict(self.settings), **self.store.dump()}

    def apply_settings(self, settings: dict[str, Any]) -> dict[str, Any]:
        if not isinstance(settings, dict):
            raise TypeError("settings must be a JSON object")
        coerced = {name: coerce(name, value) for name, value in settings.items()}
        self.settings.update(coerced)
        return dict(self.settings)

    def error_body(self, status: int, message: str) -> Any:
        return error_body(status, message)

    def admin_extra(self, request: Request, what: str, payload: Any) -> Response | None:
        return admin.handle(self, request, what, payload)

    def log(self, request: Request, route_key: str, status: int) -> None:
        """The request log, without the caller's password, API key or token."""
        super().log(redacted(request), route_key, status)


def require_org(session: Session, request: Request) -> None:
    if session.org_id is None:
        raise ps_error(
            403,
            "no organization bound to this session; "
            "POST /psapi/v4.0/organization/authenticate with org_id first",
        )
    asked = request.arg("org_id")
    if asked and asked != session.org_id:
        raise ps_error(403, f"org_id {asked} is not the organization bound to this session")


def redacted(request: Request) -> Request:
    secret_query = ("api_key", "token", "password")
    query = {k: ([REDACTED] if k in secret_query else v) for k, v in request.query.items()}
    body = request.body
    if b"password" in body:
        body = b'"<body with a password, not logged>"'
    return Request(request.method, request.path, query, request.headers, body, request.params)
