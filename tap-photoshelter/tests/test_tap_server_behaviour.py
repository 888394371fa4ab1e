"""Whatever the server does with the unconfirmed media-list parameters (`modify_start`,
`sort_by`, `include`: honoured, ignored or refused), the tap emits the same records; only
the plan and the request count differ, and the log and the state say which and why."""

from __future__ import annotations

import math

import pytest
import requests
from photoshelter_api import PhotoShelterClient
from photoshelter_api.formats import utc_iso
from ps_tap_helpers import HONOURED
from tap_photoshelter.listing import probe_media_listing

MEDIA = "GET /psapi/v4.0/media"
SEARCH = "GET /psapi/v4.0/search"
ONE_MEDIA = "GET /psapi/v4.0/media/{media_id}"
PER_RESOURCE = (
    "GET /psapi/v4.0/media/{media_id}/iptc",
    "GET /psapi/v4.0/media/{media_id}/custom-metadata",
    "GET /psapi/v4.0/media/{media_id}/link",
)
LOGOUT = "POST /psapi/v4.0/authenticate/logout"

# mode -> (emulator settings over HONOURED, plan of the run after edits, its media requests;
# c = media changed since the bookmark, n = media in the library, p = per_page)
MODES = {
    "all honoured": ({}, "incremental", lambda n, p, c: {MEDIA: 1}),
    "modify_start ignored": (
        {"media_modify_window": "ignored"},
        "library",
        lambda n, p, c: {MEDIA: 1, SEARCH: math.ceil(n / p), ONE_MEDIA: c},
    ),
    "modify_start refused": (
        {"media_modify_window": "refused"},
        "library",
        lambda n, p, c: {MEDIA: 1, SEARCH: math.ceil(n / p), ONE_MEDIA: c},
    ),
    "include ignored": (
        {"media_list_include": "ignored"},
        "incremental",
        lambda n, p, c: {MEDIA: 1, ONE_MEDIA: c},
    ),
    "include refused": (
        {"media_list_include": "refused"},
        "incremental",
        lambda n, p, c: {MEDIA: 2, ONE_MEDIA: c},
    ),
    "sort_by ignored": ({"media_sort_by": "ignored"}, "incremental", lambda n, p, c: {MEDIA: 1}),
    "sort_by refused": ({"media_sort_by": "refused"}, "incremental", lambda n, p, c: {MEDIA: 2}),
    "bare includes": ({"include_shape": "bare"}, "incremental", lambda n, p, c: {MEDIA: 1}),
    "nothing honoured (the emulator's defaults)": (
        {
            "media_modify_window": "ignored",
            "media_sort_by": "ignored",
            "media_list_include": "ignored",
        },
        "library",
        lambda n, p, c: {MEDIA: 1, SEARCH: math.ceil(n / p), ONE_MEDIA: c},
    ),
}


def by_id(run) -> dict[str, dict]:
    return {r["id"]: r for r in run.records.get("media", [])}


def media_routes(admin) -> dict[str, int]:
    routes = admin.requests()["by_route"]
    return {k: v for k, v in routes.items() if k in (MEDIA, SEARCH, ONE_MEDIA, *PER_RESOURCE)}


@pytest.mark.parametrize("mode", list(MODES))
def test_every_server_behaviour_gives_the_same_records(mode, ps_config, run_tap, honoured_admin):
    admin = honoured_admin
    settings, plan, expected_requests = MODES[mode]
    reference = run_tap(ps_config)
    admin.settings(**settings)
    first = run_tap(ps_config)
    assert first.returncode == 0, first.stderr[-2000:]
    assert by_id(first) == by_id(reference)
    assert len(by_id(first)) == len(admin.state()["media"])

    ids = sorted(by_id(first))
    admin.call("PATCH", f"media/{ids[3]}", {"keywords": ["studio", "new"]})
    admin.call("PATCH", f"media/{ids[10]}", {"custom_metadata": {"Status": "Rejected"}})
    admin.settings(**HONOURED, include_shape="wrapped")
    reference_again = run_tap(ps_config, state=reference.state)
    admin.settings(**settings)
    admin.clear_requests()
    again = run_tap(ps_config, state=first.state)
    assert again.returncode == 0, again.stderr[-2000:]
    assert sorted(by_id(again)) == sorted([ids[3], ids[10]])
    assert by_id(again) == by_id(reference_again)

    bookmark = first.state["bookmarks"]["media"]["replication_key_value"]
    stored = admin.state()["media"]
    changed = sum(1 for m in stored if utc_iso(m["modified_at"]) >= bookmark)
    per_page = ps_config["per_page"]
    assert media_routes(admin) == expected_requests(len(stored), per_page, changed)
    server = again.state["bookmarks"]["media"]["server"]
    assert server["plan"] == plan
    summary = [line for line in again.stderr.splitlines() if "media: plan " in line]
    assert len(summary) == 1 and f"plan {plan} (" in summary[0], summary
    assert "for 2 emitted image(s)" in summary[0]
    # the next run starts from the same bookmark whatever the plan
    assert (
        again.state["bookmarks"]["media"]["replication_key_value"]
        == reference_again.state["bookmarks"]["media"]["replication_key_value"]
    )
    assert (
        again.state["bookmarks"]["media"]["bookmark_digests"]
        == reference_again.state["bookmarks"]["media"]["bookmark_digests"]
    )


@pytest.mark.parametrize(
    ("settings", "expected"),
    [
        ({}, {"modify_start": "honoured", "include": "honoured", "search": "untested"}),
        ({}, {"sort_by": "honoured"}),
        ({"media_modify_window": "ignored"}, {"modify_start": "ignored", "search": "answers"}),
        ({"media_modify_window": "refused"}, {"modify_start": "refused", "search": "answers"}),
        ({"media_list_include": "ignored"}, {"include": "ignored", "media_include": "honoured"}),
        ({"media_list_include": "refused"}, {"include": "refused", "media_include": "honoured"}),
        ({"media_sort_by": "ignored"}, {"sort_by": "ignored"}),
        ({"media_sort_by": "refused"}, {"sort_by": "refused"}),
    ],
)
def test_what_the_server_honours_is_recorded_in_the_state(
    settings, expected, ps_config, run_tap, honoured_admin
):
    honoured_admin.settings(**settings)
    first = run_tap(ps_config)
    honoured_admin.call("PATCH", f"media/{first.ids('media')[0]}", {"rating": 4})
    run = run_tap(ps_config, state=first.state)
    assert run.returncode == 0, run.stderr[-2000:]
    # the order shows on a page of many items (the first run's); the filter on a later run
    where = first if "sort_by" in expected else run
    server = where.state["bookmarks"]["media"]["server"]
    assert {k: server[k] for k in expected} == expected


def test_a_scope_with_modify_start_ignored_lists_media_in_full(ps_config, run_tap, honoured_admin):
    gallery = max(honoured_admin.state()["galleries"], key=lambda g: len(g["media_ids"]))
    assert len(gallery["media_ids"]) >= 3
    config = {**ps_config, "galleries": [gallery["id"]]}
    first = run_tap(config)
    edited = gallery["media_ids"][0]
    honoured_admin.call("PATCH", f"media/{edited}", {"rating": 5})
    honoured_admin.settings(media_modify_window="ignored")
    honoured_admin.clear_requests()
    run = run_tap(config, state=first.state)
    assert run.returncode == 0, run.stderr[-2000:]
    assert run.ids("media") == [edited]
    assert run.state["bookmarks"]["media"]["server"]["plan"] == "full"
    assert media_routes(honoured_admin)[MEDIA] == 2  # the page that showed "ignored", then 1
    assert SEARCH not in media_routes(honoured_admin)


def test_non_image_media_are_skipped_with_a_count(ps_config, run_tap, honoured_admin):
    gallery = honoured_admin.state()["galleries"][0]
    for kind, name in (
        ("video", "SS27-reel.mp4"),
        ("document", "brief.pdf"),
        ("video", "teaser.mp4"),
    ):
        honoured_admin.call(
            "POST", "media", {"file_name": name, "media_type": kind, "gallery_ids": [gallery["id"]]}
        )
    images = {m["id"] for m in honoured_admin.state()["media"] if m["kind"] == "image"}
    run = run_tap(ps_config)
    assert run.returncode == 0, run.stderr[-2000:]
    assert set(run.ids("media")) == images
    assert all(r["media_type"] == "image" for r in run.records["media"])
    assert "3 non-image media skipped (document 1, video 2)" in run.stderr
    members = {
        r["media_id"] for r in run.records["gallery_media"] if r["gallery_id"] == gallery["id"]
    }
    assert members == set(gallery["media_ids"])
    assert "gallery_media: 3 non-image member(s) skipped (document 1, video 2)" in run.stderr


def test_the_session_is_logged_out_at_the_end(ps_config, run_tap, honoured_admin):
    run = run_tap(ps_config)
    assert run.returncode == 0, run.stderr[-2000:]
    routes = honoured_admin.requests()["by_route"]
    assert routes[LOGOUT] == 1
    assert honoured_admin.call("GET", "sessions")["active"] == 0
    last_api_call = honoured_admin.requests()["recent"][-1]
    assert last_api_call["route"] == LOGOUT and last_api_call["status"] < 300
    assert "Logged out of PhotoShelter" in run.stderr


@pytest.mark.parametrize(
    ("settings", "expected"),
    [
        (
            {},
            {
                "modify_start": "honoured",
                "sort_by": "honoured",
                "include": "honoured",
                "search": "answers",
                "media_include": "untested",
            },
        ),
        (
            {
                "media_modify_window": "ignored",
                "media_sort_by": "ignored",
                "media_list_include": "ignored",
            },
            {
                "modify_start": "ignored",
                "sort_by": "ignored",
                "include": "ignored",
                "search": "answers",
                "media_include": "honoured",
            },
        ),
        (
            {
                "media_modify_window": "refused",
                "media_sort_by": "refused",
                "media_list_include": "refused",
            },
            {
                "modify_start": "refused",
                "sort_by": "refused",
                "include": "refused",
                "search": "answers",
                "media_include": "honoured",
            },
        ),
    ],
)
def test_the_read_only_probe_for_check_tells_each_behaviour(
    settings, expected, ps_config, honoured_admin
):
    honoured_admin.settings(**settings)
    before = honoured_admin.state()
    honoured_admin.clear_requests()
    api = PhotoShelterClient.from_config(ps_config)
    try:
        assert probe_media_listing(api) == expected
    finally:
        api.close()
    assert honoured_admin.state()["media"] == before["media"]
    routes = honoured_admin.requests()["by_route"]
    assert routes[MEDIA] == (4 if "refused" in settings.values() else 2)
    assert routes[SEARCH] == 1


def test_a_login_answer_with_extra_keys_is_read(ps_config, run_tap, honoured_admin):
    """The real login answers `{token, org, two_factor}` at top level: only the token is
    read, the other keys are ignored."""
    answer = requests.post(
        f"{ps_config['api_url']}/authenticate",
        headers={"X-PS-Api-Key": ps_config["api_key"]},
        json={"email": ps_config["email"], "password": ps_config["password"], "mode": "token"},
        timeout=30,
    ).json()
    assert {"token", "org", "two_factor"} <= set(answer) and "data" not in answer
    run = run_tap(ps_config)
    assert run.returncode == 0, run.stderr[-2000:]
    assert len(run.ids("media")) == len(honoured_admin.state()["media"])


def test_without_search_the_full_media_listing_gives_the_same_records(
    ps_config, run_tap, honoured_admin
):
    first = run_tap(ps_config)
    ids = first.ids("media")
    honoured_admin.call("PATCH", f"media/{ids[5]}", {"rating": 1})
    reference = run_tap(ps_config, state=first.state)
    honoured_admin.settings(media_modify_window="ignored")
    honoured_admin.fault(
        route=SEARCH,
        status=404,
        count=1,
        body={
            "errors": [{"id": "ResourceNotFoundException", "status": "404", "title": "not found"}]
        },
    )
    honoured_admin.clear_requests()
    run = run_tap(ps_config, state=first.state)
    assert run.returncode == 0, run.stderr[-2000:]
    assert by_id(run) == by_id(reference) and list(by_id(run)) == [ids[5]]
    server = run.state["bookmarks"]["media"]["server"]
    assert (server["plan"], server["search"]) == ("full", "not answering (HTTP 404)")
    media = len(honoured_admin.state()["media"])
    assert media_routes(honoured_admin) == {
        MEDIA: 1 + math.ceil(media / ps_config["per_page"]),
        SEARCH: 1,
    }
