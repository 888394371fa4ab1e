"""PhotoShelter emulator: rate limit, fault injection, admin arrangements, seed determinism."""

from __future__ import annotations

import pytest
import requests

from emulators import catalog
from emulators.photoshelter.app import PhotoShelterEmulator
from emulators.photoshelter.client import PhotoShelterClient
from emulators.photoshelter.settings import PARAMETER_MODES

SEED = catalog.build("small", 42)
MEDIA_ROUTE = "GET /psapi/v4.0/media/{media_id}"


HONOURED = dict.fromkeys(PARAMETER_MODES, "honoured")


@pytest.fixture
def ps(emulators, photoshelter_admin) -> PhotoShelterClient:
    """Logged in, with every unconfirmed `GET /media` parameter honoured: these tests check
    what the filters mean; test_photoshelter_modes.py checks the other modes and defaults."""
    photoshelter_admin.settings(**HONOURED)
    return PhotoShelterClient.login(emulators.photoshelter_api_url)


# --- rate limit ------------------------------------------------------------------------------
def test_rate_limit_reports_in_meta_then_429_with_retry_after(emulators, photoshelter_admin):
    photoshelter_admin.settings(rate_limit=5, rate_window_seconds=30)
    ps = PhotoShelterClient.login(emulators.photoshelter_api_url)  # 2 calls with the token
    media_id = SEED.media[0]["id"]
    reports = [ps.get(f"/media/{media_id}")["meta"]["rate_limit"] for _ in range(3)]
    assert [r["current"] for r in reports] == [3, 4, 5]
    assert all(r["limit"] == 5 and 0 < r["expires"] <= 30 for r in reports)
    refused = ps.call("GET", f"/media/{media_id}")
    assert refused.status_code == 429
    assert refused.json()["errors"][0]["id"] == "TooManyRequestsException"
    assert 1 <= int(refused.headers["Retry-After"]) <= 30
    photoshelter_admin.advance_clock(31)
    again = ps.get(f"/media/{media_id}")["meta"]["rate_limit"]
    assert again["current"] == 1


def test_lists_report_the_rate_limit_only_when_the_setting_asks(ps, photoshelter_admin):
    assert "rate_limit" not in ps.get("/media", per_page=1)["meta"]
    photoshelter_admin.settings(rate_limit_in_lists=True)
    reported = ps.get("/media", per_page=1)["meta"]
    assert set(reported) == {"paging", "rate_limit"}
    assert reported["rate_limit"]["limit"] == 600


def test_objects_can_report_no_rate_limit_while_the_limit_still_holds(ps, photoshelter_admin):
    media_id = SEED.media[0]["id"]
    photoshelter_admin.settings(rate_limit_in_objects=False, rate_limit_in_lists=True, rate_limit=5)
    assert ps.get(f"/media/{media_id}")["meta"] == {}
    assert "rate_limit" in ps.get("/media", per_page=1)["meta"]
    photoshelter_admin.settings(rate_limit_in_lists=False)
    assert "rate_limit" not in ps.get("/media", per_page=1)["meta"]
    refused = ps.call("GET", f"/media/{media_id}")  # 6th with this token (2 at login)
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) >= 1


def test_rate_limit_counts_each_session_apart(emulators, photoshelter_admin):
    photoshelter_admin.settings(rate_limit=3)
    first = PhotoShelterClient.login(emulators.photoshelter_api_url)
    second = PhotoShelterClient.login(emulators.photoshelter_api_url)
    assert first.call("GET", "/media").status_code == 200
    assert first.call("GET", "/media").status_code == 429
    assert second.call("GET", "/media").status_code == 200


def test_rate_limit_zero_means_unlimited(emulators, photoshelter_admin):
    photoshelter_admin.settings(rate_limit=0)
    ps = PhotoShelterClient.login(emulators.photoshelter_api_url)
    statuses = {ps.call("GET", "/metadata/fields").status_code for _ in range(30)}
    assert statuses == {200}


# --- faults ----------------------------------------------------------------------------------
def test_status_fault_answers_once_then_the_route_recovers(ps, photoshelter_admin):
    media_id = SEED.media[0]["id"]
    photoshelter_admin.fault(route=MEDIA_ROUTE, action="status", status=503, count=1)
    assert ps.call("GET", f"/media/{media_id}").status_code == 503
    assert ps.call("GET", f"/media/{media_id}").status_code == 200
    assert ps.call("GET", "/media").status_code == 200


def test_drop_fault_resets_the_connection(ps, photoshelter_admin):
    photoshelter_admin.fault(route="GET /psapi/v4.0/media", action="drop", count=1)
    with pytest.raises(requests.ConnectionError):
        ps.call("GET", "/media")
    assert ps.call("GET", "/media").status_code == 200


def test_delay_fault_outlasts_a_short_client_timeout(ps, photoshelter_admin, emulators):
    photoshelter_admin.fault(
        route="GET /psapi/v4.0/media", action="delay", delay_seconds=1.0, count=1
    )
    with pytest.raises(requests.ReadTimeout):
        ps.http.get(f"{emulators.photoshelter_api_url}/media", timeout=0.2)
    assert ps.call("GET", "/media").status_code == 200


def test_malformed_fault_truncates_the_json(ps, photoshelter_admin):
    photoshelter_admin.fault(route="GET /psapi/v4.0/media", action="malformed", count=1)
    broken = ps.call("GET", "/media")
    assert broken.status_code == 200
    with pytest.raises(ValueError):
        broken.json()
    assert ps.call("GET", "/media").json()["meta"]["paging"]["total"] == len(SEED.media)


def test_unknown_routes_and_methods_get_error_objects(ps):
    missing = ps.call("GET", "/nothing/here")
    assert missing.status_code == 404
    assert missing.json()["errors"][0]["id"] == "ResourceNotFoundException"
    wrong_method = ps.call("DELETE", "/media")
    assert wrong_method.status_code == 405
    assert wrong_method.json()["errors"][0]["status"] == "405"


# --- admin arrangements ----------------------------------------------------------------------
def test_admin_upload_appears_in_the_incremental_search_with_its_metadata(ps, photoshelter_admin):
    handoff = SEED.hard_cases["handoff"]
    created = photoshelter_admin.call(
        "POST",
        "media",
        {
            "file_name": "FINAL_0001.jpg",
            "keywords": ["studio", "view:hero"],
            "iptc": {"title": "Final"},
            "custom_metadata": {"Status": "Approved"},
            "license_expiration": "2027-06-30",
            "gallery_ids": [handoff["gallery_id"]],
        },
    )
    media_id = created["id"]
    newest = ps.get(
        "/media", sort_by="date", sort_dir="desc", per_page=1, include="iptc,custom-metadata"
    )["data"][0]
    assert newest["id"] == media_id
    assert newest["attributes"]["license_expiration"] == "2027-06-30"
    assert newest["includes"]["iptc"]["data"]["attributes"]["keywords"] == "studio, view:hero"
    assert [c["attributes"]["tag_name"] for c in newest["includes"]["custom-metadata"]["data"]] == [
        "Approved"
    ]
    assert media_id in [
        m["id"] for m in ps.get(f"/galleries/{handoff['gallery_id']}/children")["data"]
    ]
    assert ps.call("GET", f"/media/{media_id}/download").status_code == 200


def test_admin_edit_sets_fields_like_the_ui_and_bumps_modified_at(ps, photoshelter_admin):
    media_id = SEED.hard_cases["expired_media_id"]
    before = ps.get(f"/media/{media_id}")["data"]["attributes"]["modified_at"]
    photoshelter_admin.call(
        "PATCH",
        f"media/{media_id}",
        {
            "license_expiration": None,
            "keywords": "studio, channel:amazon",
            "custom_metadata": {"Status": "Rejected", "Shoot Type": None},
        },
    )
    after = ps.get(f"/media/{media_id}", include="iptc,custom-metadata")["data"]
    assert after["attributes"]["license_expiration"] is None
    assert after["attributes"]["modified_at"] > before
    assert after["includes"]["iptc"]["data"]["attributes"]["keywords"] == "studio, channel:amazon"
    assert [
        (c["attributes"]["field_name"], c["attributes"]["tag_name"])
        for c in after["includes"]["custom-metadata"]["data"]
    ] == [("Status", "Rejected")]


@pytest.mark.parametrize(
    "body, named",
    [
        ({"custom_metadata": {"Mood": "Happy"}}, "Mood"),
        ({"custom_metadata": {"Color": "Teal"}}, "Teal"),
        ({"owner": "me"}, "owner"),
        ({"iptc": {"sku": "A"}}, "sku"),
    ],
)
def test_admin_edit_rejects_unknown_names(photoshelter_admin, body, named):
    response = requests.patch(
        f"{photoshelter_admin.base_url}/_emulator/media/{SEED.media[0]['id']}",
        json=body,
        timeout=10,
    )
    assert response.status_code == 400
    assert named in response.text
    assert (
        photoshelter_admin.call("GET", f"media/{SEED.media[0]['id']}")["modified_at"]
        == SEED.media[0]["modified_at"]
    )


def test_admin_takes_an_image_out_of_a_gallery_and_deletes_a_gallery(ps, photoshelter_admin):
    gallery = next(g for g in SEED.galleries if len(g["media_ids"]) >= 2)
    leaving = gallery["media_ids"][0]
    photoshelter_admin.call("DELETE", f"galleries/{gallery['id']}/media/{leaving}")
    children = ps.ok("GET", f"/galleries/{gallery['id']}/children")["data"]
    assert [c["id"] for c in children] == gallery["media_ids"][1:]
    stored = next(g for g in photoshelter_admin.state()["galleries"] if g["id"] == gallery["id"])
    assert stored["modified_at"] > gallery["modified_at"]
    response = requests.delete(
        f"{photoshelter_admin.base_url}/_emulator/galleries/{gallery['id']}/media/{leaving}",
        timeout=10,
    )
    assert (response.status_code, leaving in response.text) == (404, True)

    photoshelter_admin.call("DELETE", f"galleries/{gallery['id']}")
    assert gallery["id"] not in {g["id"] for g in photoshelter_admin.state()["galleries"]}
    assert ps.call("GET", f"/galleries/{gallery['id']}").status_code == 404


# --- determinism -----------------------------------------------------------------------------
def test_the_same_seed_gives_the_same_state():
    first = PhotoShelterEmulator(catalog.build("small", 42, SEED.today)).dump_state()
    second = PhotoShelterEmulator(catalog.build("small", 42, SEED.today)).dump_state()
    other = PhotoShelterEmulator(catalog.build("small", 7, SEED.today)).dump_state()
    assert first == second
    assert first["media"] != other["media"]
    assert [m["id"] for m in first["media"]] == sorted(m["id"] for m in SEED.media)


def test_reset_returns_to_the_seed_and_replays_created_ids(ps, photoshelter_admin, emulators):
    seeded = photoshelter_admin.state()
    created = ps.ok("POST", "/galleries", json={"name": "Scratch"})["data"]["id"]
    ps.ok("PATCH", f"/media/{SEED.media[0]['id']}/iptc", json={"title": "changed"})
    assert photoshelter_admin.state() != seeded
    photoshelter_admin.reset()
    assert photoshelter_admin.state()["settings"] == {
        **seeded["settings"],
        **dict.fromkeys(PARAMETER_MODES, "ignored"),
    }
    photoshelter_admin.settings(**HONOURED)
    assert photoshelter_admin.state() == seeded
    again = PhotoShelterClient.login(emulators.photoshelter_api_url)
    assert again.ok("POST", "/galleries", json={"name": "Scratch"})["data"]["id"] == created
