"""Plytix emulator: tokens, their expiry, and the rate-limit windows."""

from __future__ import annotations

import base64
import json

import pytest
from plytix_emulator_client import Plytix

SEARCH = "/products/search"


@pytest.fixture
def plytix(emulators, plytix_admin) -> Plytix:
    return Plytix(emulators, plytix_admin)


def claims(token: str) -> dict:
    payload = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))


def test_token_call_returns_a_decodable_jwt_in_a_data_envelope(plytix):
    response = plytix.get_token()
    assert response.status_code == 200
    body = response.json()
    assert list(body) == ["data"] and len(body["data"]) == 1
    token = body["data"][0]["access_token"]
    assert token.count(".") == 2 and body["data"][0]["refresh_token"]
    header = json.loads(base64.urlsafe_b64decode(token.split(".")[0] + "=="))
    assert header == {"alg": "HS256", "typ": "JWT"}
    found = claims(token)
    assert found["exp"] - found["iat"] == 900


def test_token_claims_carry_the_account_limits_from_the_settings(plytix):
    found = claims(plytix.get_token().json()["data"][0]["access_token"])
    assert (found["rate_limit_per_10s"], found["rate_limit_per_hour"]) == (20, 2000)
    assert found["account_id"]
    plytix.admin.settings(requests_per_10s=50, requests_per_hour=15000)
    found = claims(plytix.get_token().json()["data"][0]["access_token"])
    assert (found["rate_limit_per_10s"], found["rate_limit_per_hour"]) == (50, 15000)


def test_auth_host_answers_carry_its_rate_limit_headers(plytix):
    for response in (plytix.get_token(), plytix.get_token(api_password="wrong")):
        assert response.headers["ratelimit-limit"] == "8"
        assert response.headers["x-ratelimit-limit-second"] == "8"
    plytix.login()
    assert "ratelimit-limit" not in plytix.call("POST", SEARCH, json={}).headers


def test_bad_credentials_get_401_with_the_recorded_body_and_no_secret(plytix):
    response = plytix.get_token(api_password="wrong-password")
    assert response.status_code == 401
    assert response.json() == {
        "error": {
            "msg": "Bad api_key or api_password: Credentials not valid",
            "errors": [{"field": "http_status_code", "msg": 401}],
        }
    }
    assert "wrong-password" not in response.text and "demo-password" not in response.text


def test_request_log_keeps_no_password(plytix):
    plytix.get_token()
    plytix.get_token(api_password="a-guess")
    logged = plytix.admin.requests()["recent"]
    assert [entry["body"]["api_password"] for entry in logged] == ["***", "***"]
    assert "demo-password" not in str(logged) and "a-guess" not in str(logged)


@pytest.mark.parametrize("body", [{"api_key": "demo-key"}, ["demo-key"], "not json"])
def test_malformed_token_body_gets_400(plytix, body):
    if body == "not json":
        response = plytix.http.post(f"{plytix.base_url}/auth/api/get-token", data=body, timeout=10)
    else:
        response = plytix.http.post(f"{plytix.base_url}/auth/api/get-token", json=body, timeout=10)
    assert response.status_code == 400
    assert response.json()["error"]["msg"]
    if body == "not json":
        assert response.json()["error"]["msg"].startswith("Failed to decode JSON object: ")


def test_api_body_that_is_not_json_gets_the_recorded_400(plytix):
    plytix.login()
    response = plytix.call(
        "POST", SEARCH, data="{not json", headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 400
    assert response.json()["error"]["msg"].startswith("Failed to decode JSON object: ")


def test_missing_or_unknown_token_gets_401(plytix):
    missing = plytix.call("POST", SEARCH, json={})
    assert missing.status_code == 401
    assert missing.json() == {"error": {"msg": "Missing Authorization Header"}}
    plytix.http.headers["Authorization"] = "Bearer not-a-token"
    response = plytix.call("POST", SEARCH, json={})
    assert response.status_code == 401
    assert "not valid" in response.json()["error"]["msg"]


def test_token_expires_after_15_minutes_of_emulator_clock(plytix):
    plytix.login()
    assert plytix.call("POST", SEARCH, json={}).status_code == 200
    plytix.admin.advance_clock(14 * 60)
    assert plytix.call("POST", SEARCH, json={}).status_code == 200
    plytix.admin.advance_clock(61)
    response = plytix.call("POST", SEARCH, json={})
    assert response.status_code == 401
    assert "expired" in response.json()["error"]["msg"]


def test_token_lifetime_is_a_setting_and_several_tokens_stay_valid(plytix):
    plytix.admin.settings(token_lifetime_seconds=30)
    first = plytix.get_token().json()["data"][0]["access_token"]
    plytix.admin.advance_clock(20)
    second = plytix.get_token().json()["data"][0]["access_token"]
    assert first != second

    def status(token: str) -> int:
        return plytix.http.post(
            f"{plytix.api_url}{SEARCH}",
            json={},
            timeout=10,
            headers={"Authorization": f"Bearer {token}"},
        ).status_code

    assert (status(first), status(second)) == (200, 200)
    plytix.admin.advance_clock(15)
    assert (status(first), status(second)) == (401, 200)


def test_429_comes_without_retry_after_by_default(plytix):
    plytix.admin.settings(requests_per_10s=1, auth_requests_per_second=1)
    plytix.login()
    assert plytix.call("POST", SEARCH, json={}).status_code == 200
    refused = plytix.call("POST", SEARCH, json={})
    assert refused.status_code == 429 and "Retry-After" not in refused.headers
    assert "rate limit" in refused.json()["error"]["msg"]
    auth = plytix.get_token()
    assert auth.status_code == 429 and "Retry-After" not in auth.headers
    assert auth.headers["ratelimit-limit"] == "1"


def test_ten_second_window_gives_429_with_retry_after_then_recovers(plytix):
    plytix.admin.settings(requests_per_10s=3, requests_per_hour=100, retry_after_on_429=True)
    plytix.login()
    statuses = [plytix.call("POST", SEARCH, json={}).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    refused = plytix.call("POST", SEARCH, json={})
    assert refused.status_code == 429
    assert 1 <= int(refused.headers["Retry-After"]) <= 10
    assert "rate limit" in refused.json()["error"]["msg"]
    plytix.admin.advance_clock(int(refused.headers["Retry-After"]))
    assert plytix.call("POST", SEARCH, json={}).status_code == 200


def test_hour_window_is_counted_separately(plytix):
    plytix.admin.settings(requests_per_10s=2, requests_per_hour=3, retry_after_on_429=True)
    plytix.login()
    assert [plytix.call("POST", SEARCH, json={}).status_code for _ in range(2)] == [200, 200]
    plytix.admin.advance_clock(11)
    assert plytix.call("POST", SEARCH, json={}).status_code == 200
    plytix.admin.advance_clock(11)
    refused = plytix.call("POST", SEARCH, json={})
    assert refused.status_code == 429
    assert int(refused.headers["Retry-After"]) > 3000
    plytix.admin.settings(token_lifetime_seconds=7200)
    plytix.login()
    plytix.admin.advance_clock(3600)
    assert plytix.call("POST", SEARCH, json={}).status_code == 200


def test_admin_and_auth_calls_do_not_use_the_api_budget(plytix):
    plytix.admin.settings(requests_per_10s=2)
    for _ in range(3):
        plytix.admin.state()
        plytix.login()
    assert [plytix.call("POST", SEARCH, json={}).status_code for _ in range(3)] == [200, 200, 429]
    counted = plytix.admin.requests()["by_route"]
    assert counted["POST /api/v1/products/search"] == 3
    assert counted["POST /auth/api/get-token"] == 3
    assert not any(route.startswith("GET /_emulator") for route in counted)


def test_auth_host_has_its_own_per_second_limit(plytix):
    plytix.admin.settings(auth_requests_per_second=2)
    statuses = [plytix.get_token().status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
    plytix.admin.advance_clock(1.5)
    assert plytix.get_token().status_code == 200
