"""Incremental runs: a run with no change upstream costs one request per stream; only
what changed is read again, including an image edited twice within one second."""

from __future__ import annotations

from photoshelter_api.formats import utc_iso

from emulators.photoshelter.client import PhotoShelterClient

LOGIN = {
    "POST /psapi/v4.0/authenticate",
    "GET /psapi/v4.0/user/session",
    "POST /psapi/v4.0/organization/authenticate",
    "POST /psapi/v4.0/authenticate/logout",
}


def api_routes(admin) -> dict[str, int]:
    """Requests per route, without the login and the logout (3 + 1 per run)."""
    return {route: n for route, n in admin.requests()["by_route"].items() if route not in LOGIN}


def test_no_change_run_makes_one_request_per_stream(ps_config, run_tap, honoured_admin):
    first = run_tap(ps_config)
    assert first.returncode == 0, first.stderr
    assert first.state["bookmarks"]["gallery_media"]["gallery_fingerprints"]
    honoured_admin.clear_requests()

    again = run_tap(ps_config, state=first.state)
    assert again.returncode == 0, again.stderr
    assert again.records.get("media", []) == []
    assert again.records.get("gallery_media", []) == []
    assert api_routes(honoured_admin) == {
        "GET /psapi/v4.0/metadata/fields": 1,
        "GET /psapi/v4.0/collections": 1,
        "GET /psapi/v4.0/galleries": 1,
        "GET /psapi/v4.0/media": 1,
    }
    assert again.state["bookmarks"]["gallery_media"] == first.state["bookmarks"]["gallery_media"]


def test_only_the_gallery_that_got_media_is_read_again(
    emulators, ps_config, run_tap, honoured_admin
):
    first = run_tap(ps_config)
    state = honoured_admin.state()
    gallery = state["galleries"][1]
    newcomer = next(m["id"] for m in state["media"] if m["id"] not in gallery["media_ids"])
    client = PhotoShelterClient.login(emulators.photoshelter_api_url)
    client.ok("PATCH", f"/galleries/{gallery['id']}/media", json={"media_ids": [newcomer]})
    honoured_admin.clear_requests()

    second = run_tap(ps_config, state=first.state)
    assert second.returncode == 0, second.stderr
    members = [*gallery["media_ids"], newcomer]
    versions = [
        {g["id"]: g["membership_version"] for g in run.records["galleries"]}
        for run in (first, second)
    ]
    assert second.records["gallery_media"] == [
        {
            "gallery_id": gallery["id"],
            "media_id": m,
            "position": n,
            "membership_version": versions[1][gallery["id"]],
        }
        for n, m in enumerate(members)
    ]
    # the landed rows of the first read are now of an older version; other galleries' are not
    assert {g for g in versions[0] if versions[0][g] != versions[1][g]} == {gallery["id"]}
    assert len({g["read_at"] for g in second.records["galleries"]}) == 1
    assert second.records["galleries"][0]["read_at"] > first.records["galleries"][0]["read_at"]
    routes = api_routes(honoured_admin)
    assert routes["GET /psapi/v4.0/galleries/{gallery_id}/children"] == 1
    assert second.records.get("media", []) == []  # membership does not touch the image


def test_edited_image_gets_its_galleries_without_reading_every_gallery(
    ps_config, run_tap, honoured_admin
):
    first = run_tap(ps_config)
    state = honoured_admin.state()
    gallery = state["galleries"][0]
    edited = gallery["media_ids"][0]
    honoured_admin.call("PATCH", f"media/{edited}", {"rating": 5})
    honoured_admin.clear_requests()

    second = run_tap(ps_config, state=first.state)
    assert second.returncode == 0, second.stderr
    [row] = second.records["media"]
    assert row["id"] == edited and row["rating"] == 5
    assert row["gallery_ids"] == sorted(
        g["id"] for g in state["galleries"] if edited in g["media_ids"]
    )
    routes = api_routes(honoured_admin)
    assert routes["GET /psapi/v4.0/media/{media_id}/galleries"] == 1
    assert "GET /psapi/v4.0/galleries/{gallery_id}/children" not in routes


def test_image_edited_again_within_the_bookmark_second_is_emitted(
    ps_config, run_tap, honoured_admin
):
    first = run_tap(ps_config)
    ids = first.ids("media")
    honoured_admin.call("PATCH", f"media/{ids[0]}", {"iptc": {"title": "First edit"}})
    honoured_admin.call("PATCH", f"media/{ids[1]}", {"iptc": {"title": "Same second"}})
    second = run_tap(ps_config, state=first.state)
    assert sorted(second.ids("media")) == sorted(ids[:2])
    bookmark = second.state["bookmarks"]["media"]
    assert sorted(bookmark["bookmark_digests"]) == sorted(ids[:2])

    # The emulator stamps a write with the newest second it holds when its clock is behind,
    # so this edit lands in the bookmark second, after the run that emitted the image.
    honoured_admin.advance_clock(-30)
    honoured_admin.call("PATCH", f"media/{ids[0]}", {"iptc": {"title": "Second edit"}})
    stored = next(m for m in honoured_admin.state()["media"] if m["id"] == ids[0])
    assert utc_iso(stored["modified_at"]) == bookmark["replication_key_value"]

    third = run_tap(ps_config, state=second.state)
    assert third.returncode == 0, third.stderr
    assert third.ids("media") == [ids[0]]
    assert third.records["media"][0]["iptc"]["title"] == "Second edit"

    fourth = run_tap(ps_config, state=third.state)
    assert fourth.ids("media") == []
