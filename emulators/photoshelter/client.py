"""A minimal v4.0 client for the emulator's tests and benchmarks: log in, bind, call.

Not the connectors' client (that lives with tap/target-photoshelter); this one only saves
tests from repeating the login dance, and returns raw `requests` responses to assert on.
"""

from __future__ import annotations

from typing import Any

import requests

from emulators.photoshelter.auth import API_KEY, EMAIL, PASSWORD


class PhotoShelterClient:
    def __init__(self, api_url: str, api_key: str = API_KEY, token: str | None = None) -> None:
        self.api_url = api_url.rstrip("/")
        self.http = requests.Session()
        self.http.headers["X-PS-Api-Key"] = api_key
        if token:
            self.http.headers["X-PS-Auth-Token"] = token

    @classmethod
    def login(cls, api_url: str, bind: bool = True) -> PhotoShelterClient:
        """Authenticate with the demo user and, by default, bind its organisation."""
        client = cls(api_url)
        client.authenticate()
        if bind:
            client.bind(client.organization_id())
        return client

    def authenticate(self, email: str = EMAIL, password: str = PASSWORD) -> str:
        response = self.http.post(
            f"{self.api_url}/authenticate",
            timeout=30,
            json={"email": email, "password": password, "mode": "token"},
        )
        response.raise_for_status()
        token = response.json()["token"]
        self.http.headers["X-PS-Auth-Token"] = token
        return token

    def organization_id(self) -> str:
        session = self.ok("GET", "/user/session", params={"include": "organizations"})
        return session["included"][0]["id"]

    def bind(self, org_id: str) -> None:
        self.ok("POST", "/organization/authenticate", json={"org_id": org_id})

    def call(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        return self.http.request(method, f"{self.api_url}{path}", timeout=30, **kwargs)

    def ok(self, method: str, path: str, **kwargs: Any) -> Any:
        """The JSON body of a call that must succeed."""
        response = self.call(method, path, **kwargs)
        if response.status_code >= 400:
            raise AssertionError(f"{method} {path} -> {response.status_code}: {response.text}")
        return response.json()

    def get(self, path: str, **params: Any) -> Any:
        return self.ok("GET", path, params=params)
