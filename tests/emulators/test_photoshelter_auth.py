"""PhotoShelter emulator: API key, token login, organisation binding, idle expiry, logout."""

from __future__ import annotations

import json

import pytest
import requests

from emulators.photoshelter.client import PhotoShelterClient

KEY = {"X-PS-Api-Key": "DEMOapikey1"}
LOGIN = {"email": "demo@example.com", "password": "demo-password", "mode": "token"}


@pytest.fixture
def api(emulators, photoshelter_admin) -> str:
    return emulators.photoshelter_api_url


@pytest.fixture
def org_id(emulators) -> str:
    return emulators.photoshelter.store.organization["id"]


def error_of(response: requests.Response) -> dict:
    (error,) = response.json()["errors"]
    assert error["status"] == str(response.status_code)
    assert error["title"] and error["detail"]
    return error


@pytest.mark.parametrize(
    "headers, params",
    [
        ({}, {}),
        ({"X-PS-Api-Key": "WRONGkey123"}, {}),
        ({}, {"api_key": "WRONGkey123"}),
    ],
)
def test_missing_or_wrong_api_key_is_403_api_key_invalid(api, headers, params):
    response = requests.post(
        f"{api}/authenticate", headers=headers, params=params, json=LOGIN, timeout=10
    )
    assert response.status_code == 403
    assert error_of(response)["id"] == "ApiKeyInvalidException"


def test_login_with_json_or_form_or_query_key_answers_token_org_two_factor(api, org_id):
    as_json = requests.post(f"{api}/authenticate", headers=KEY, json=LOGIN, timeout=10)
    as_form = requests.post(
        f"{api}/authenticate", params={"api_key": "DEMOapikey1"}, data=LOGIN, timeout=10
    )
    for response in (as_json, as_form):
        assert response.status_code == 200
        body = response.json()
        assert set(body) == {"token", "org", "two_factor"}
        assert body["org"] == [{"id": org_id, "name": "Demo Brand"}]
        assert body["two_factor"] is False
    assert as_json.json()["token"] != as_form.json()["token"]


def test_wrong_password_is_401_error_object(api):
    response = requests.post(
        f"{api}/authenticate", headers=KEY, json={**LOGIN, "password": "nope"}, timeout=10
    )
    assert response.status_code == 401
    error = error_of(response)
    assert error["id"] == "AcsPermissionException"
    assert "nope" not in response.text


def test_login_without_token_mode_is_rejected_naming_mode(api):
    response = requests.post(
        f"{api}/authenticate",
        headers=KEY,
        json={"email": LOGIN["email"], "password": LOGIN["password"]},
        timeout=10,
    )
    assert response.status_code == 400
    assert "mode" in error_of(response)["detail"]


def test_session_lists_the_organization_and_binding_unlocks_media(api, org_id):
    client = PhotoShelterClient(api)
    client.authenticate()
    session = client.get("/user/session", include="organizations")
    assert session["data"]["attributes"]["organization_id"] is None
    assert session["included"] == [
        {"id": org_id, "type": "organization", "attributes": {"name": "Demo Brand"}}
    ]
    unbound = client.call("GET", "/media")
    assert unbound.status_code == 403
    assert "organization" in error_of(unbound)["detail"]
    bound = client.ok("POST", "/organization/authenticate", data={"org_id": org_id})
    assert bound["meta"]["status"] == "OK"
    assert client.get("/user/session")["data"]["attributes"]["organization_id"] == org_id
    assert "included" not in client.get("/user/session")
    assert client.get("/media", per_page=1)["meta"]["paging"]["total"] > 0


def test_binding_an_unknown_organization_is_an_error(api):
    client = PhotoShelterClient(api)
    client.authenticate()
    response = client.call("POST", "/organization/authenticate", json={"org_id": "O0000nothere12"})
    assert response.status_code == 404
    assert error_of(response)["id"] == "ResourceNotFoundException"


def test_org_id_parameter_must_match_the_bound_organization(api, org_id):
    client = PhotoShelterClient.login(api)
    assert client.call("GET", "/media", params={"org_id": org_id}).status_code == 200
    other = client.call("GET", "/media", params={"org_id": "O0000otherorg12"})
    assert other.status_code == 403


def test_bearer_and_query_tokens_are_the_same_session_tokens(api):
    token = PhotoShelterClient.login(api).http.headers["X-PS-Auth-Token"]
    bearer = requests.get(
        f"{api}/media",
        headers={**KEY, "Authorization": f"Bearer {token}"},
        params={"per_page": 1},
        timeout=10,
    )
    query = requests.get(
        f"{api}/media", headers=KEY, params={"token": token, "per_page": 1}, timeout=10
    )
    assert bearer.status_code == query.status_code == 200
    bogus = requests.get(
        f"{api}/media", headers={**KEY, "Authorization": "Bearer not-a-token"}, timeout=10
    )
    assert bogus.status_code == 401
    assert error_of(bogus)["id"] == "AcsPermissionException"


def test_session_expires_after_the_idle_setting_by_the_emulator_clock(api, photoshelter_admin):
    photoshelter_admin.settings(session_idle_seconds=300)
    client = PhotoShelterClient.login(api)
    photoshelter_admin.advance_clock(250)
    assert client.call("GET", "/media", params={"per_page": 1}).status_code == 200
    photoshelter_admin.advance_clock(250)  # 500 s since login, 250 s since the last call
    assert client.call("GET", "/media", params={"per_page": 1}).status_code == 200
    photoshelter_admin.advance_clock(301)
    expired = client.call("GET", "/media", params={"per_page": 1})
    assert expired.status_code == 401
    assert error_of(expired)["id"] == "AcsPermissionException"
    assert "expired" in error_of(expired)["detail"]
    client.authenticate()
    assert client.call("GET", "/media").status_code == 403  # the new session is not bound yet
    client.bind(client.organization_id())
    assert client.call("GET", "/media", params={"per_page": 1}).status_code == 200


@pytest.mark.parametrize("method", ["POST", "GET"])
def test_logout_ends_the_session(api, method):
    client = PhotoShelterClient.login(api)
    assert client.ok(method, "/authenticate/logout")["meta"]["status"] == "OK"
    assert client.call("GET", "/user/session").status_code == 401


def test_organization_logout_unbinds_but_keeps_the_session(api, org_id, photoshelter_admin):
    client = PhotoShelterClient.login(api)
    assert client.ok("POST", "/organization/logout")["meta"]["status"] == "OK"
    assert client.get("/user/session")["data"]["attributes"]["organization_id"] is None
    unbound = client.call("GET", "/media", params={"per_page": 1})
    assert unbound.status_code == 403 and "organization" in error_of(unbound)["detail"]
    assert photoshelter_admin.call("GET", "sessions") == {"active": 1, "bound": 0}
    client.bind(org_id)
    assert client.call("GET", "/media", params={"per_page": 1}).status_code == 200
    assert requests.post(f"{api}/organization/logout", headers=KEY, timeout=10).status_code == 401


def test_a_user_holds_only_max_sessions_and_the_oldest_is_closed(api, photoshelter_admin):
    photoshelter_admin.settings(max_sessions=2)
    first, second = PhotoShelterClient.login(api), PhotoShelterClient.login(api)
    assert first.call("GET", "/user/session").status_code == 200  # now second is the oldest
    PhotoShelterClient.login(api)
    assert second.call("GET", "/user/session").status_code == 401
    assert first.call("GET", "/user/session").status_code == 200
    assert photoshelter_admin.call("GET", "sessions") == {"active": 2, "bound": 2}


def test_request_log_never_holds_password_key_or_token(api, photoshelter_admin):
    client = PhotoShelterClient.login(api)
    token = client.http.headers["X-PS-Auth-Token"]
    requests.post(f"{api}/authenticate", params={"api_key": "DEMOapikey1"}, data=LOGIN, timeout=10)
    requests.get(f"{api}/media", params={"api_key": "DEMOapikey1", "token": token}, timeout=10)
    log = json.dumps(photoshelter_admin.requests())
    assert "demo-password" not in log
    assert token not in log
    assert "DEMOapikey1" not in log
