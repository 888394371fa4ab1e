"""Plytix emulator: fault injection, request counting, reset and the determinism of the seed."""

from __future__ import annotations

import time

import pytest
import requests

from emulators import catalog
from emulators.plytix.app import PlytixEmulator

SEARCH_ROUTE = "POST /api/v1/products/search"


def test_status_fault_answers_the_armed_status_once(plytix):
    plytix.admin.fault(
        route=SEARCH_ROUTE, status=503, count=1, body={"error": {"msg": "Service unavailable"}}
    )
    first = plytix.call("POST", "/products/search", json={})
    assert first.status_code == 503 and first.json()["error"]["msg"] == "Service unavailable"
    assert plytix.call("POST", "/products/search", json={}).status_code == 200


def test_drop_fault_resets_the_connection(plytix):
    plytix.admin.fault(route=SEARCH_ROUTE, action="drop", count=1)
    with pytest.raises(requests.ConnectionError):
        plytix.call("POST", "/products/search", json={})
    assert plytix.call("POST", "/products/search", json={}).status_code == 200


def test_delay_fault_slows_the_answer(plytix):
    plytix.admin.fault(route=SEARCH_ROUTE, action="delay", delay_seconds=0.5, count=1)
    with pytest.raises(requests.Timeout):
        plytix.http.post(f"{plytix.api_url}/products/search", json={}, timeout=0.2)
    started = time.monotonic()
    assert plytix.call("POST", "/products/search", json={}).status_code == 200
    assert time.monotonic() - started < 0.5


def test_malformed_fault_truncates_the_json(plytix):
    plytix.admin.fault(route=SEARCH_ROUTE, action="malformed", count=1)
    response = plytix.call("POST", "/products/search", json={})
    with pytest.raises(ValueError):
        response.json()


def test_requests_are_counted_by_route_template(plytix):
    product = plytix.admin.state()["products"][0]
    plytix.admin.clear_requests()
    plytix.product(product["id"])
    plytix.product(product["id"])
    plytix.search()
    counted = plytix.admin.requests()
    assert counted["by_route"] == {"GET /api/v1/products/{product_id}": 2, SEARCH_ROUTE: 1}
    assert counted["total"] == 3


def test_reset_returns_to_the_seed_and_start_settings(plytix):
    seeded = plytix.admin.state()
    product = seeded["products"][0]
    plytix.ok("PATCH", f"/products/{product['id']}", json={"label": "changed"})
    plytix.ok("POST", "/products", 201, json={"sku": "EXTRA"})
    assert plytix.admin.state() != seeded
    plytix.admin.reset()
    assert plytix.admin.state() == seeded
    assert plytix.admin.settings()["requests_per_10s"] == 20


def test_settings_reject_unknown_names_and_bad_values_and_hide_the_password(plytix):
    shown = plytix.admin.settings()
    assert shown["api_password"] == "***" and shown["patch_mode"] == "merge"
    for bad in ({"no_such_setting": 1}, {"patch_mode": "overwrite"}, {"max_columns": "many"}):
        response = requests.post(f"{plytix.base_url}/_emulator/settings", json=bad, timeout=10)
        assert response.status_code == 400 and "bad setting" in response.json()["error"]


def test_same_seed_gives_the_same_state_and_another_seed_does_not():
    today = catalog.build("small", 42).today
    first = PlytixEmulator(catalog.build("small", 7, today)).dump_state()
    second = PlytixEmulator(catalog.build("small", 7, today)).dump_state()
    other = PlytixEmulator(catalog.build("small", 8, today)).dump_state()
    assert first == second and first != other
    assert len(first["products"]) > 0 and len(first["assets"]) > 0


def test_created_ids_are_24_hex_and_deterministic_after_reset(plytix):
    made = plytix.ok("POST", "/products", 201, json={"sku": "SAME"})["data"][0]["id"]
    plytix.admin.reset()
    plytix.login().unlimited()
    again = plytix.ok("POST", "/products", 201, json={"sku": "SAME"})["data"][0]["id"]
    assert made == again and len(made) == 24 and int(made, 16) >= 0
