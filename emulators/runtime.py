"""Start both emulators in this process: used by `python -m emulators`, tests and benchmarks."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import requests

from emulators import catalog
from emulators.core import EmulatorHTTPServer, serve
from emulators.photoshelter.app import PhotoShelterEmulator
from emulators.plytix.app import PlytixEmulator

DEMO_CREDENTIALS = {
    "plytix": {"api_key": "demo-key", "api_password": "demo-password"},
    "photoshelter": {
        "api_key": "DEMOapikey1",
        "email": "demo@example.com",
        "password": "demo-password",
    },
}
NO_LIMITS = {
    "plytix": {"requests_per_10s": 0, "requests_per_hour": 0, "auth_requests_per_second": 0},
    "photoshelter": {"rate_limit": 0},
}


class AdminClient:
    """The `/_emulator/` admin API of one running emulator, over HTTP."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url
        self.http = requests.Session()

    def call(self, method: str, what: str, body: Any = None) -> Any:
        response = self.http.request(
            method, f"{self.base_url}/_emulator/{what}", json=body, timeout=60
        )
        response.raise_for_status()
        return response.json() if response.content else None

    def requests(self) -> dict[str, Any]:
        return self.call("GET", "requests")

    def clear_requests(self) -> None:
        self.call("DELETE", "requests")

    def state(self) -> dict[str, Any]:
        return self.call("GET", "state")

    def reset(self) -> None:
        self.call("POST", "reset")

    def advance_clock(self, seconds: float) -> None:
        self.call("POST", "clock", {"advance_seconds": seconds})

    def fault(self, **spec: Any) -> None:
        self.call("POST", "faults", spec)

    def clear_faults(self) -> None:
        self.call("DELETE", "faults")

    def settings(self, **values: Any) -> dict[str, Any]:
        return self.call("POST", "settings", values)


@dataclass
class RunningEmulators:
    plytix: PlytixEmulator
    photoshelter: PhotoShelterEmulator
    plytix_server: EmulatorHTTPServer
    photoshelter_server: EmulatorHTTPServer

    @property
    def plytix_url(self) -> str:
        """Base URL of the Plytix emulator; the auth and PIM hosts share it."""
        return self.plytix_server.base_url

    @property
    def plytix_api_url(self) -> str:
        return f"{self.plytix_server.base_url}/api/v1"

    @property
    def photoshelter_url(self) -> str:
        return self.photoshelter_server.base_url

    @property
    def photoshelter_api_url(self) -> str:
        return f"{self.photoshelter_server.base_url}/psapi/v4.0"

    def stop(self) -> None:
        for server in (self.plytix_server, self.photoshelter_server):
            server.shutdown()
            server.server_close()


def start(
    size: str = "small",
    seed: int = 42,
    host: str = "127.0.0.1",
    plytix_port: int = 0,
    photoshelter_port: int = 0,
    rate_limits: bool = True,
    plytix_settings: dict[str, Any] | None = None,
    photoshelter_settings: dict[str, Any] | None = None,
) -> RunningEmulators:
    """Seed one catalogue, start both servers on background threads, return their handles.

    Settings given here are the emulators' start settings: `POST /_emulator/reset` returns
    to them, not to the built-in defaults.
    """
    seeded = catalog.build(size, seed)
    photoshelter = PhotoShelterEmulator(seeded)
    plytix = PlytixEmulator(seeded)
    ps_server = serve(photoshelter, host, photoshelter_port)
    px_server = serve(plytix, host, plytix_port)
    ps = {"public_base_url": ps_server.base_url, **(photoshelter_settings or {})}
    px = dict(plytix_settings or {})
    if not rate_limits:
        ps.update(NO_LIMITS["photoshelter"])
        px.update(NO_LIMITS["plytix"])
    photoshelter.set_start_settings(ps)
    plytix.set_start_settings(px)
    return RunningEmulators(plytix, photoshelter, px_server, ps_server)
