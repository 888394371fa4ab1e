"""Wrong credentials and organisations give one-line errors; secrets never leak."""

from __future__ import annotations

import json

import requests

from emulators.runtime import DEMO_CREDENTIALS


def last_line(run) -> str:
    return run.stderr.strip().splitlines()[-1]


def test_wrong_api_key(ps_config, run_tap, photoshelter_admin):
    run = run_tap({**ps_config, "api_key": "WRONGkey123"})
    assert run.returncode == 1
    assert last_line(run) == (
        "tap-photoshelter: error: setting api_key was refused by "
        "PhotoShelter (ApiKeyInvalidException)"
    )


def test_malformed_api_key_is_caught_before_any_request(ps_config, run_tap, photoshelter_admin):
    run = run_tap({**ps_config, "api_key": "short"})
    assert run.returncode == 1
    assert "setting api_key must be a PhotoShelter API key: 11 characters" in last_line(run)
    assert photoshelter_admin.requests()["total"] == 0


def test_wrong_password(ps_config, run_tap, photoshelter_admin):
    run = run_tap({**ps_config, "password": "not-the-password"})
    assert run.returncode == 1
    assert "check the email and password settings" in last_line(run)
    assert "not-the-password" not in run.stderr + run.stdout


def test_unknown_org_lists_the_users_organisations(ps_config, run_tap, photoshelter_admin):
    org = photoshelter_admin.state()["organization"]
    run = run_tap({**ps_config, "org_id": "O0000nosuchorgXY"})
    assert run.returncode == 1
    assert last_line(run) == (
        "tap-photoshelter: error: setting org_id: 'O0000nosuchorgXY' is not an organisation "
        f"of this user (available: {org['id']} ({org['name']}))"
    )


def test_missing_password_names_the_setting(ps_config, run_tap, photoshelter_admin):
    config = {k: v for k, v in ps_config.items() if k != "password"}
    run = run_tap(config)
    assert run.returncode == 1
    assert "setting password is required" in last_line(run)


def test_secrets_never_appear_in_output(emulators, ps_config, run_tap, photoshelter_admin):
    secrets = DEMO_CREDENTIALS["photoshelter"]
    ok = run_tap({**ps_config, "org_id": photoshelter_admin.state()["organization"]["id"]}, args=())
    assert ok.returncode == 0
    token = requests.post(
        f"{emulators.photoshelter_api_url}/authenticate",
        json={"email": secrets["email"], "password": secrets["password"], "mode": "token"},
        headers={"X-PS-Api-Key": secrets["api_key"]},
        timeout=10,
    ).json()["token"]
    photoshelter_admin.fault(
        route="GET /psapi/v4.0/media",
        status=500,
        count=10,
        body={
            "errors": [{"id": "ServerException", "status": "500", "detail": f"boom token={token}"}]
        },
    )
    bearer = {k: v for k, v in ps_config.items() if k not in ("email", "password")}
    failed = run_tap({**bearer, "access_token": token, "max_retries": 1})
    assert failed.returncode == 1
    assert "token=***" in failed.stderr
    assert ok.states and ok.state["bookmarks"]["media"]["replication_key_value"]
    for run in (ok, failed):
        text = run.stdout + run.stderr
        states = json.dumps(run.states)
        for secret in (secrets["password"], secrets["api_key"], token):
            assert secret not in text
            assert secret not in states


def test_login_and_binding_are_retried_after_server_errors(ps_config, run_tap, photoshelter_admin):
    """Logging in and binding are safe to repeat: a 502 or a cut answer is retried."""
    photoshelter_admin.fault(route="POST /psapi/v4.0/authenticate", status=502, count=1)
    photoshelter_admin.fault(
        route="POST /psapi/v4.0/organization/authenticate", action="malformed", count=2
    )
    run = run_tap(ps_config)
    assert run.returncode == 0, run.stderr
    assert run.records["metadata_fields"]
    by_route = photoshelter_admin.requests()["by_route"]
    assert by_route["POST /psapi/v4.0/authenticate"] == 2
    assert by_route["POST /psapi/v4.0/organization/authenticate"] == 3


def test_a_session_refused_while_binding_is_renewed(ps_config, run_tap, photoshelter_admin):
    """A 401 on the binding means the new session died, not that the org is wrong."""
    photoshelter_admin.fault(
        route="POST /psapi/v4.0/organization/authenticate",
        status=401,
        body={
            "errors": [
                {"id": "AcsPermissionException", "status": "401", "title": "session expired"}
            ]
        },
        count=1,
    )
    run = run_tap(ps_config)
    assert run.returncode == 0, run.stderr
    assert photoshelter_admin.requests()["by_route"]["POST /psapi/v4.0/authenticate"] == 2
