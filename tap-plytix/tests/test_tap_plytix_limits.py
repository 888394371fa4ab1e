"""The account's limits (token claims, headers), 429 without Retry-After, auth 429s paced apart,
and an unreachable host that fails at once naming the URL setting."""

from __future__ import annotations

import socket
import time

import pytest
from plytix_api import PlytixClient, UnreachableError
from tap_plytix_helpers import routes, run_tap

V2_SEARCH = "POST /api/v2/products/search"
AUTH = "POST /auth/api/get-token"


def test_the_tokens_limit_claims_tighten_the_pacing(plytix_config, plytix_admin):
    """Settings say 50 per 10 s; the account's token says 7: the client paces to 7 and the
    emulator (enforcing 7) never answers 429."""
    plytix_admin.settings(requests_per_10s=7, requests_per_hour=5000)
    client = PlytixClient.from_config(
        {**plytix_config, "requests_per_10s": 50, "requests_per_hour": 0}
    )
    started = time.monotonic()
    for _ in range(9):
        client.call("POST", "/assets/search", json={"pagination": {"page": 1, "page_size": 1}})
    elapsed = time.monotonic() - started
    assert client.account_limits == {10.0: 7, 3600.0: 5000}
    assert client.pacer.limits() == {10.0: 7, 3600.0: 5000}
    assert client.stats["rate_limited"] == 0
    assert 429 not in [r["status"] for r in plytix_admin.requests()["recent"]]
    assert elapsed >= 9.0  # the 8th request waited for the first one to leave the window


def test_settings_stricter_than_the_claims_win(plytix_config, plytix_admin):
    plytix_admin.settings(requests_per_10s=50, requests_per_hour=15000)
    client = PlytixClient.from_config(
        {**plytix_config, "requests_per_10s": 20, "requests_per_hour": 2000}
    )
    client.call("POST", "/assets/search", json={"pagination": {"page": 1, "page_size": 1}})
    assert client.account_limits == {10.0: 50, 3600.0: 15000}
    assert client.pacer.limits() == {10.0: 20, 3600.0: 2000}


def test_a_429_without_retry_after_waits_the_configured_fallback(plytix_config, plytix_admin):
    plytix_admin.fault(
        route=V2_SEARCH, status=429, count=2, body={"error": {"msg": "Too many requests"}}
    )
    started = time.monotonic()
    run = run_tap({**plytix_config, "rate_limit_fallback_seconds": 1.5})
    elapsed = time.monotonic() - started
    assert len(run.records["products"]) == len(plytix_admin.state()["products"])
    stats = run.tap.client.stats
    assert stats["rate_limited"] == 2 and stats["rate_limited_without_retry_after"] == 2
    assert elapsed >= 3.0  # twice the fallback, not the 0.05 s backoff of the test config
    assert [r["status"] for r in plytix_admin.requests()["recent"] if r["route"] == V2_SEARCH][
        :3
    ] == [429, 429, 200]


def test_a_429_with_retry_after_waits_what_it_says(plytix_config, plytix_admin):
    plytix_admin.fault(route=V2_SEARCH, status=429, count=1, headers={"Retry-After": "1"})
    started = time.monotonic()
    run = run_tap({**plytix_config, "rate_limit_fallback_seconds": 30})
    assert time.monotonic() - started < 20
    assert run.tap.client.stats["rate_limited_without_retry_after"] == 0


def test_auth_429s_are_paced_on_the_auth_host_alone(plytix_config, plytix_admin):
    plytix_admin.fault(route=AUTH, status=429, count=1)
    client = PlytixClient.from_config(
        {
            **plytix_config,
            "auth_rate_limit_fallback_seconds": 1.2,
            "rate_limit_fallback_seconds": 30,
        }
    )
    started = time.monotonic()
    client.call("POST", "/assets/search", json={"pagination": {"page": 1, "page_size": 1}})
    assert 1.2 <= time.monotonic() - started < 10
    assert client.tokens.rate_limited == 1  # type: ignore[attr-defined]
    assert client.auth_pacer.paused_until > 0 and client.pacer.paused_until == 0
    assert routes(plytix_admin)[AUTH] == 2


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.mark.parametrize("setting", ["api_url", "auth_url"])
def test_a_refused_connection_fails_at_once_naming_the_setting(plytix_config, setting):
    dead = f"http://127.0.0.1:{free_port()}"
    config = {**plytix_config, setting: dead, "backoff_base_seconds": 5}
    started = time.monotonic()
    with pytest.raises(UnreachableError) as refused:
        run_tap(config)
    message = str(refused.value)
    assert time.monotonic() - started < 5  # no 9 attempts with backoff
    assert "connection refused" in message and f"check the {setting} setting" in message
    assert dead in message and "make emulators" in message and "\n" not in message


def test_a_host_that_does_not_resolve_names_the_setting(plytix_config):
    config = {
        **plytix_config,
        "auth_url": "https://plytix-auth.invalid",
        "backoff_base_seconds": 0.1,
    }
    with pytest.raises(UnreachableError) as unknown:
        run_tap(config)
    message = str(unknown.value)
    assert "DNS lookup failed" in message and "check the auth_url setting" in message
