"""A thin HTTP client for the Plytix emulator tests: a token, JSON calls, search bodies."""

from __future__ import annotations

from typing import Any

import requests

from emulators.runtime import DEMO_CREDENTIALS, AdminClient, RunningEmulators


class Plytix:
    """Real HTTP against the running emulator; `call` returns the raw response."""

    def __init__(self, emulators: RunningEmulators, admin: AdminClient) -> None:
        self.base_url = emulators.plytix_url
        self.api_url = emulators.plytix_api_url
        self.admin = admin
        self.http = requests.Session()

    def get_token(self, **overrides: Any) -> requests.Response:
        body = {**DEMO_CREDENTIALS["plytix"], **overrides}
        return requests.post(f"{self.base_url}/auth/api/get-token", json=body, timeout=10)

    def login(self) -> Plytix:
        token = self.get_token().json()["data"][0]["access_token"]
        self.http.headers["Authorization"] = f"Bearer {token}"
        return self

    def call(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        return self.http.request(method, f"{self.api_url}{path}", timeout=30, **kwargs)

    def ok(self, method: str, path: str, status: int = 200, **kwargs: Any) -> Any:
        return expect(self.call(method, path, **kwargs), status)

    def search(self, resource: str = "products", **body: Any) -> dict[str, Any]:
        return self.ok("POST", f"/{resource}/search", json=body)

    def all_products(self, *columns: str) -> list[dict[str, Any]]:
        rows, page = [], 1
        while True:
            found = self.search(
                attributes=list(columns) or None, pagination={"page": page, "page_size": 100}
            )
            rows += found["data"]
            if len(found["data"]) < 100:
                return rows
            page += 1

    def product(self, product_id: str) -> dict[str, Any]:
        return self.ok("GET", f"/products/{product_id}")["data"][0]

    def by_sku(self, sku: str) -> dict[str, Any]:
        found = self.search(filters=[[{"field": "sku", "operator": "eq", "value": sku}]])
        assert found["pagination"]["total_count"] == 1, found
        return self.product(found["data"][0]["id"])

    def stored(self, product_id: str) -> dict[str, Any]:
        """The product as the emulator holds it (admin state, not an API shape)."""
        return next(p for p in self.admin.state()["products"] if p["id"] == product_id)

    def unlimited(self) -> Plytix:
        """Lift the rate limits for tests that are about something else."""
        self.admin.settings(requests_per_10s=0, requests_per_hour=0)
        return self


def expect(response: requests.Response, status: int) -> Any:
    """The JSON body (None when empty) once the status is the expected one."""
    assert response.status_code == status, (response.status_code, response.text)
    return response.json() if response.content else None


def single(state: dict[str, Any]) -> dict[str, Any]:
    """A stand-alone product (no variants, no parent) with no assets linked yet."""
    return next(p for p in state["products"] if p["product_level"] == 0 and not p["assets"])


def conditions(*triples: tuple[str, str, Any]) -> list[list[dict[str, Any]]]:
    """One AND group from (field, operator, value) triples."""
    return [[{"field": f, "operator": o, "value": v} for f, o, v in triples]]
