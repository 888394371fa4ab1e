"""The HTTP machinery both emulators share: routing, admin API, clock, request log, faults.

Built on the standard library's threaded HTTP server (one thread per connection, HTTP/1.1
keep-alive). No framework sits between a request and the socket, which is what lets the
fault injector drop a connection mid-request or send a truncated body the way a real
network does, and it keeps start-up in milliseconds.
"""

from __future__ import annotations

import contextlib
import json
import random
import re
import socket
import threading
import time
from collections import Counter, deque
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

ADMIN_PREFIX = "/_emulator/"


class Clock:
    """Wall time plus an offset that `POST /_emulator/clock` moves forward."""

    def __init__(self) -> None:
        self.offset = 0.0

    def now(self) -> float:
        return time.time() + self.offset

    def advance(self, seconds: float) -> None:
        self.offset += seconds


@dataclass
class Request:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: bytes
    params: dict[str, str] = field(default_factory=dict)

    def header(self, name: str) -> str | None:
        return self.headers.get(name.lower())

    def arg(self, name: str, default: str | None = None) -> str | None:
        values = self.query.get(name)
        return values[-1] if values else default

    def json(self) -> Any:
        """The body as JSON; raises ValueError on anything else."""
        if not self.body:
            return None
        return json.loads(self.body)

    def form(self) -> dict[str, str]:
        return {k: v[-1] for k, v in parse_qs(self.body.decode("utf-8", "replace")).items()}


@dataclass
class Response:
    status: int = 200
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    content_type: str = "application/json"

    def encoded(self) -> bytes:
        if self.body is None:
            return b""
        if isinstance(self.body, bytes):
            return self.body
        if isinstance(self.body, str):
            return self.body.encode()
        return json.dumps(self.body, separators=(",", ":"), default=str).encode()


class HTTPError(Exception):
    """Raised by a handler to answer with an error; each emulator shapes the body."""

    def __init__(self, status: int, body: Any, headers: dict[str, str] | None = None) -> None:
        super().__init__(status)
        self.response = Response(status, body, headers or {})


Handler = Callable[[Request], Response]


@dataclass
class Route:
    method: str
    template: str
    pattern: re.Pattern[str]
    handler: Handler

    @property
    def key(self) -> str:
        return f"{self.method} {self.template}"


@dataclass
class Fault:
    """One armed fault: what to do, on which routes, how many times or how often."""

    route: str
    action: str  # status | drop | delay | malformed
    remaining: int | None
    fraction: float | None
    status: int = 500
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    delay_seconds: float = 0.0

    def matches(self, route_key: str) -> bool:
        return self.route in ("*", route_key) or (
            self.route.endswith("*") and route_key.startswith(self.route[:-1])
        )


class Emulator:
    """One emulated API: its routes, its store, and the admin surface."""

    name = "emulator"

    def __init__(self, seed: int = 0) -> None:
        self.seed = seed
        self.clock = Clock()
        self.routes: list[Route] = []
        self.lock = threading.RLock()
        self.counts: Counter[str] = Counter()
        self.recent: deque[dict[str, Any]] = deque(maxlen=500)
        self.faults: list[Fault] = []
        self.fault_rng = random.Random(seed)
        self.register_routes()

    # --- to be provided by each emulator -------------------------------------------------
    def register_routes(self) -> None:
        raise NotImplementedError

    def reset(self) -> None:
        """Back to the seeded state (store, clock, counters, faults)."""
        raise NotImplementedError

    def dump_state(self) -> Any:
        raise NotImplementedError

    def apply_settings(self, settings: dict[str, Any]) -> dict[str, Any]:
        """Change settings (unknown name -> KeyError); return all current settings."""
        raise NotImplementedError

    def set_start_settings(self, settings: dict[str, Any]) -> None:
        """Settings that `reset` returns to (on top of the built-in defaults)."""
        self.start_settings = dict(settings)
        self.apply_settings(settings)

    def error_body(self, status: int, message: str) -> Any:
        raise NotImplementedError

    def before_request(self, request: Request, route: Route) -> None:
        """Auth and rate limits; raise HTTPError to refuse."""

    # --- routing ----------------------------------------------------------------------------
    def route(self, method: str, template: str) -> Callable[[Handler], Handler]:
        regex = "^" + re.sub(r"\{(\w+)\}", r"(?P<\1>[^/]+)", template) + "$"

        def register(handler: Handler) -> Handler:
            self.routes.append(Route(method, template, re.compile(regex), handler))
            return handler

        return register

    def add(self, method: str, template: str, handler: Handler) -> None:
        self.route(method, template)(handler)

    def resolve(self, method: str, path: str) -> tuple[Route | None, bool]:
        """The route for method+path, and whether the path exists for another method."""
        path_known = False
        for route in self.routes:
            match = route.pattern.match(path)
            if match:
                path_known = True
                if route.method == method:
                    return route, True
        return None, path_known

    def dispatch(self, request: Request) -> tuple[Response, Fault | None]:
        if request.path.startswith(ADMIN_PREFIX):
            return self.admin(request), None
        route, path_known = self.resolve(request.method, request.path)
        if route is None:
            status = 405 if path_known else 404
            message = "Method not allowed" if path_known else f"No route for {request.path}"
            self.log(request, f"{request.method} {request.path}", status)
            return Response(status, self.error_body(status, message)), None
        match = route.pattern.match(request.path)
        assert match is not None
        request.params = match.groupdict()
        with self.lock:
            self.counts[route.key] += 1
        fault = self.take_fault(route.key)
        if fault is not None and fault.action == "status":
            self.log(request, route.key, fault.status)
            return Response(fault.status, fault.body, dict(fault.headers)), None
        try:
            self.before_request(request, route)
            response = route.handler(request)
        except HTTPError as error:
            response = error.response
        self.log(request, route.key, response.status)
        return response, fault

    def log(self, request: Request, route_key: str, status: int) -> None:
        with self.lock:
            self.recent.append(
                {
                    "method": request.method,
                    "path": request.path,
                    "query": {k: v[-1] for k, v in request.query.items()},
                    "route": route_key,
                    "status": status,
                    "body": _loggable_body(request.body),
                    "at": round(self.clock.now(), 3),
                }
            )

    # --- faults -----------------------------------------------------------------------------
    def take_fault(self, route_key: str) -> Fault | None:
        with self.lock:
            for fault in self.faults:
                if not fault.matches(route_key):
                    continue
                if fault.remaining is not None:
                    if fault.remaining <= 0:
                        continue
                    fault.remaining -= 1
                    return fault
                if fault.fraction is not None and self.fault_rng.random() < fault.fraction:
                    return fault
            self.faults = [f for f in self.faults if f.remaining is None or f.remaining > 0]
        return None

    def arm_fault(self, spec: dict[str, Any]) -> Fault:
        action = spec.get("action", "status")
        if action not in ("status", "drop", "delay", "malformed"):
            raise HTTPError(400, {"error": f"unknown fault action {action!r}"})
        count = spec.get("count")
        fraction = spec.get("fraction")
        if count is None and fraction is None:
            count = 1
        fault = Fault(
            route=spec.get("route", "*"),
            action=action,
            remaining=None if count is None else int(count),
            fraction=None if fraction is None else float(fraction),
            status=int(spec.get("status", 500)),
            body=spec.get("body"),
            headers={str(k): str(v) for k, v in (spec.get("headers") or {}).items()},
            delay_seconds=float(spec.get("delay_seconds", 0.0)),
        )
        with self.lock:
            self.faults.append(fault)
        return fault

    # --- admin ------------------------------------------------------------------------------
    def admin(self, request: Request) -> Response:
        what = request.path[len(ADMIN_PREFIX) :].strip("/")
        try:
            payload = request.json() or {}
        except ValueError:
            return Response(400, {"error": "admin body must be JSON"})
        if what == "requests" and request.method == "GET":
            with self.lock:
                return Response(
                    200,
                    {
                        "total": sum(self.counts.values()),
                        "by_route": dict(self.counts),
                        "recent": list(self.recent),
                    },
                )
        if what == "requests" and request.method == "DELETE":
            self.clear_requests()
            return Response(204)
        if what == "state" and request.method == "GET":
            with self.lock:
                return Response(200, self.dump_state())
        if what == "reset" and request.method == "POST":
            with self.lock:
                self.reset()
            return Response(200, {"reset": True})
        if what == "clock" and request.method == "POST":
            self.clock.advance(float(payload.get("advance_seconds", 0)))
            return Response(200, {"now": self.clock.now(), "offset": self.clock.offset})
        if what == "faults" and request.method == "POST":
            specs = payload if isinstance(payload, list) else [payload]
            try:
                for spec in specs:
                    self.arm_fault(spec)
            except HTTPError as error:
                return error.response
            return Response(201, {"armed": len(specs)})
        if what == "faults" and request.method == "DELETE":
            with self.lock:
                self.faults.clear()
            return Response(204)
        if what == "settings" and request.method in ("GET", "POST"):
            with self.lock:
                try:
                    return Response(200, self.apply_settings(payload))
                except (KeyError, TypeError, ValueError) as error:
                    return Response(400, {"error": f"bad setting: {error}"})
        extra = self.admin_extra(request, what, payload)
        if extra is not None:
            return extra
        return Response(404, {"error": f"no admin endpoint {request.method} {request.path}"})

    def admin_extra(self, request: Request, what: str, payload: Any) -> Response | None:
        """Emulator-specific admin endpoints under /_emulator/ (None: not one of ours)."""
        return None

    def clear_requests(self) -> None:
        with self.lock:
            self.counts.clear()
            self.recent.clear()

    def reset_common(self) -> None:
        self.clock = Clock()
        self.clear_requests()
        self.faults.clear()
        self.fault_rng = random.Random(self.seed)


def _loggable_body(body: bytes) -> Any:
    if not body or len(body) > 4096:
        return None if not body else f"<{len(body)} bytes>"
    try:
        return json.loads(body)
    except ValueError:
        return body.decode("utf-8", "replace")


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body go out as separate writes: no 40 ms stall
    server: EmulatorHTTPServer

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the emulator keeps its own request log."""

    def _serve(self) -> None:
        parts = urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        request = Request(
            method=self.command,
            path=parts.path,
            query=parse_qs(parts.query, keep_blank_values=True),
            headers={k.lower(): v for k, v in self.headers.items()},
            body=body,
        )
        emulator = self.server.emulator
        try:
            response, fault = emulator.dispatch(request)
        except Exception as error:  # noqa: BLE001 - a bug in a handler is a 500, not a hang
            response, fault = Response(500, emulator.error_body(500, f"internal: {error}")), None
        if fault is not None and fault.action == "delay":
            time.sleep(fault.delay_seconds)
        if fault is not None and fault.action == "drop":
            self.close_connection = True
            with contextlib.suppress(OSError):
                self.connection.shutdown(socket.SHUT_RDWR)
            return
        payload = response.encoded()
        if fault is not None and fault.action == "malformed":
            payload = payload[: max(1, len(payload) // 2)] or b"{"
        self.send_response(response.status)
        if payload:
            self.send_header("Content-Type", response.content_type)
        self.send_header("Content-Length", str(len(payload)))
        for key, value in response.headers.items():
            self.send_header(key, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(payload)

    do_GET = do_POST = do_PATCH = do_PUT = do_DELETE = do_HEAD = _serve


class EmulatorHTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128

    def __init__(self, address: tuple[str, int], emulator: Emulator) -> None:
        self.emulator = emulator
        super().__init__(address, _Handler)

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that hung up mid-response (timeouts, fault tests) is not an error here."""

    @property
    def base_url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host}:{port}"


def serve(emulator: Emulator, host: str = "127.0.0.1", port: int = 0) -> EmulatorHTTPServer:
    """Start the emulator on a background thread; port 0 picks a free one."""
    server = EmulatorHTTPServer((host, port), emulator)
    thread = threading.Thread(target=server.serve_forever, name=emulator.name, daemon=True)
    thread.start()
    return server


def window_limit(hits: deque[float], now: float, window: float, limit: int) -> float | None:
    """Record a hit in a sliding window; return seconds to wait when over the limit."""
    while hits and hits[0] <= now - window:
        hits.popleft()
    if limit and len(hits) >= limit:
        return max(0.0, hits[0] + window - now)
    hits.append(now)
    return None
