"""HTTP helpers for the Plytix v2 emulator tests: one token, calls to /api/v1 and /api/v2."""

from __future__ import annotations

import re
from typing import Any

import requests
from plytix_emulator_client import Plytix, expect

from emulators.runtime import AdminClient, RunningEmulators

NAIVE_STAMP = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}$")
"""v2 timestamps: microseconds, no zone (`2024-11-13T11:20:30.578000`)."""


class PlytixV2(Plytix):
    """`call`/`ok` go to /api/v2; `v1`/`v1_ok` to /api/v1 (the same store)."""

    def __init__(self, emulators: RunningEmulators, admin: AdminClient) -> None:
        super().__init__(emulators, admin)
        self.v1_url = emulators.plytix_api_url
        self.api_url = f"{emulators.plytix_url}/api/v2"

    def v1(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        return self.http.request(method, f"{self.v1_url}{path}", timeout=30, **kwargs)

    def v1_ok(self, method: str, path: str, status: int = 200, **kwargs: Any) -> Any:
        return expect(self.v1(method, path, **kwargs), status)

    def requests_made(self) -> list[dict[str, Any]]:
        return self.admin.requests()["recent"]
