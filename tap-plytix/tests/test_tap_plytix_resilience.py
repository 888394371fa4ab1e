"""tap-plytix keeps going through token expiry, 429 storms, 5xx bursts and resets."""

from __future__ import annotations

import time

from plytix_api import PlytixClient
from tap_plytix_helpers import routes, run_tap

SEARCH = "POST /api/v2/products/search"


def statuses(admin, route: str) -> list[int]:
    return [r["status"] for r in admin.requests()["recent"] if r["route"] == route]


def test_token_expiring_mid_sync_is_renewed_and_the_request_replayed(
    plytix_config, plytix_admin, monkeypatch
):
    reference = run_tap(plytix_config)
    plytix_admin.clear_requests()
    sent = {"n": 0}
    original = PlytixClient.request

    def request_then_expire(self, method, path, **kwargs):
        response = original(self, method, path, **kwargs)
        sent["n"] += 1
        if sent["n"] == 4:  # the server's clock passes the token's 15 minutes mid-sync
            plytix_admin.advance_clock(901)
        return response

    monkeypatch.setattr(PlytixClient, "request", request_then_expire)
    run = run_tap({**plytix_config, "page_size": 10})

    assert sorted(run.ids("products")) == sorted(reference.ids("products"))
    assert routes(plytix_admin)["POST /auth/api/get-token"] == 2
    assert [r["status"] for r in plytix_admin.requests()["recent"]].count(401) == 1
    assert run.tap.client.stats["token_renewals_on_401"] == 1


def test_short_lived_tokens_are_renewed_before_they_expire(
    plytix_config, plytix_admin, monkeypatch
):
    plytix_admin.settings(token_lifetime_seconds=1)
    sent = {"n": 0}
    original = PlytixClient.request

    def slow_request(self, method, path, **kwargs):
        sent["n"] += 1
        if sent["n"] == 4:
            time.sleep(1.0)  # the 1-second token is near its end: renew before sending
        return original(self, method, path, **kwargs)

    monkeypatch.setattr(PlytixClient, "request", slow_request)
    run = run_tap({**plytix_config, "page_size": 10})
    assert len(run.records["products"]) == len(plytix_admin.state()["products"])
    assert routes(plytix_admin)["POST /auth/api/get-token"] == 2
    assert 401 not in [r["status"] for r in plytix_admin.requests()["recent"]]


def test_a_429_storm_is_waited_out_honouring_retry_after(plytix_config, plytix_admin):
    plytix_admin.fault(
        route=SEARCH,
        status=429,
        count=6,
        headers={"Retry-After": "0.2"},
        body={"error": {"msg": "Too many requests"}},
    )
    run = run_tap({**plytix_config, "page_size": 10})
    assert len(run.records["products"]) == len(plytix_admin.state()["products"])
    assert statuses(plytix_admin, SEARCH).count(429) == 6
    assert run.tap.client.stats["rate_limited"] == 6


def test_5xx_bursts_and_dropped_connections_are_retried(plytix_config, plytix_admin):
    plytix_admin.fault(route=SEARCH, status=503, count=3)
    plytix_admin.fault(route="POST /api/v1/assets/search", action="drop", count=2)
    plytix_admin.fault(route="POST /api/v1/attributes/product/search", action="malformed", count=1)
    run = run_tap({**plytix_config, "page_size": 10})
    state = plytix_admin.state()
    assert sorted(run.ids("products")) == sorted(p["id"] for p in state["products"])
    assert sorted(run.ids("assets")) == sorted(a["id"] for a in state["assets"])
    assert run.tap.client.stats["retries"] >= 6


def test_the_auth_host_rate_limit_and_outages_are_retried(plytix_config, plytix_admin):
    plytix_admin.fault(route="POST /auth/api/get-token", status=502, count=2)
    run = run_tap(plytix_config)
    assert len(run.records["products"]) == len(plytix_admin.state()["products"])
    assert statuses(plytix_admin, "POST /auth/api/get-token") == [502, 502, 200]


def test_paced_sync_meets_no_429(plytix_config, plytix_admin):
    plytix_admin.settings(requests_per_10s=10, requests_per_hour=2000)
    run = run_tap({**plytix_config, "requests_per_10s": 10, "page_size": 50})
    assert len(run.records["products"]) == len(plytix_admin.state()["products"])
    assert 429 not in [r["status"] for r in plytix_admin.requests()["recent"]]
