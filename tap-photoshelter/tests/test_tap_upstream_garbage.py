"""Upstream garbage: odd types, missing fields, HTML pages and huge values in API answers.
An item that cannot be read is reported with its id and reason; the rest of the page goes on."""

from __future__ import annotations

import copy

from emulators.photoshelter.client import PhotoShelterClient

MEDIA_LIST = "GET /psapi/v4.0/media"
HTML = (
    "<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head>"
    "<body><h1>Bad Gateway</h1><p>nginx</p></body></html>"
)


def real_media_page(api_url: str) -> dict:
    """The page the tap would get, fetched once through the API."""
    client = PhotoShelterClient.login(api_url)
    return client.get(
        "/media",
        per_page=1000,
        sort_by="date",
        sort_dir="asc",
        include="iptc,custom-metadata,link",
        image_size="2000x2000",
        image_mode="fit",
    )


def test_items_that_cannot_be_read_are_reported_and_the_rest_emitted(
    emulators, ps_config, run_tap, honoured_admin
):
    page = real_media_page(emulators.photoshelter_api_url)
    items = page["data"]
    ids = [item["id"] for item in items]
    garbled = copy.deepcopy(page)
    bad = garbled["data"]
    bad[1]["attributes"]["modified_at"] = "soon"
    bad[2]["attributes"]["file_size"] = [1, 2]
    del bad[3]["id"]
    bad[4]["attributes"]["rating"] = 10**30
    bad[5] = "not an object"
    bad[6]["attributes"]["file_size"] = "2048"  # coercible: kept
    bad[7]["attributes"]["flagged"] = "true"  # coercible: kept
    bad[8]["includes"]["iptc"]["data"]["attributes"]["caption"] = "é" * 1_000_000  # huge: kept
    bad[9]["includes"]["iptc"]["data"]["attributes"]["keywords"] = ["a", " b ", "a"]  # list: kept
    bad[10]["attributes"]["license_expiration"] = {"date": "2027-01-01"}
    honoured_admin.fault(route=MEDIA_LIST, status=200, body=garbled, count=1)

    run = run_tap({**ps_config, "per_page": 1000})
    assert run.returncode == 0, run.stderr[-2000:]
    left_out = {ids[n] for n in (1, 2, 3, 4, 5, 10)}
    assert run.ids("media") == [i for i in ids if i not in left_out]
    rows = {r["id"]: r for r in run.records["media"]}
    assert rows[ids[6]]["file_size"] == 2048
    assert rows[ids[7]]["flagged"] is True
    assert rows[ids[8]]["iptc"]["caption"] == "é" * 1_000_000
    assert rows[ids[9]]["keywords"] == ["a", "b"]
    for expected in (
        f"media {ids[1]} left out: modified_at: 'soon' is not a timestamp",
        f"media {ids[2]} left out: file_size: expected a whole number, got [1, 2]",
        "media (no id) left out: id: expected an id, got None",
        f"media {ids[4]} left out: rating: {10**30} is out of the 64-bit range",
        "GET /media: left out 1 list item(s) that are not objects",
        f"media {ids[10]} left out: license_expiration: {{'date': '2027-01-01'}} is not a date",
        "media: 5 item(s) could not be read and were left out",
    ):
        assert expected in run.stderr, expected
    assert "Traceback" not in run.stderr


def test_odd_values_planted_in_the_library_come_through(ps_config, run_tap, photoshelter_admin):
    media_id = photoshelter_admin.state()["media"][0]["id"]
    caption = "Line one\nLine two\t\u0007 \u202e" + "x" * 200_000
    keywords = [f"kw{n}" for n in range(3000)]
    photoshelter_admin.call(
        "PATCH",
        f"media/{media_id}",
        {
            "iptc": {"caption": caption, "title": "\u00e9\u00e8 \U0001f600"},
            "keywords": keywords,
            "file_name": "weird name ?*.jpg",
        },
    )
    run = run_tap(ps_config)
    assert run.returncode == 0, run.stderr[-2000:]
    row = next(r for r in run.records["media"] if r["id"] == media_id)
    assert row["iptc"]["caption"] == caption
    assert row["iptc"]["title"] == "\u00e9\u00e8 \U0001f600"
    assert row["keywords"] == keywords
    assert row["file_name"] == "weird name ?*.jpg"
    assert len(run.records["media"]) == len(photoshelter_admin.state()["media"])


def test_html_page_with_status_200_is_retried_not_read_as_empty(
    ps_config, run_tap, photoshelter_admin
):
    expected = sorted(m["id"] for m in photoshelter_admin.state()["media"])
    photoshelter_admin.fault(
        route=MEDIA_LIST, status=200, body=HTML, count=1, headers={"Content-Type": "text/html"}
    )
    run = run_tap(ps_config)
    assert run.returncode == 0, run.stderr
    assert sorted(run.ids("media")) == expected
    assert "HTTP 200 with an HTML page ('502 Bad Gateway') instead of a JSON object" in run.stderr


def test_persistent_html_error_page_fails_in_one_line(ps_config, run_tap, photoshelter_admin):
    photoshelter_admin.fault(route=MEDIA_LIST, status=502, body=HTML, count=10)
    run = run_tap({**ps_config, "max_retries": 1})
    assert run.returncode == 1
    assert run.stderr.strip().splitlines()[-1] == (
        "tap-photoshelter: error: GET /media: failed after 1 retries (HTTP 502 an HTML page "
        "('502 Bad Gateway'))"
    )
    assert "<body>" not in run.stderr and "Traceback" not in run.stderr
    assert run.records.get("media", []) == []


def test_a_list_answer_without_a_list_fails_instead_of_ending_early(
    ps_config, run_tap, photoshelter_admin
):
    photoshelter_admin.fault(
        route="GET /psapi/v4.0/galleries", status=200, body={"data": {"unexpected": True}}, count=1
    )
    run = run_tap(ps_config)
    assert run.returncode == 1
    assert run.stderr.strip().splitlines()[-1] == (
        "tap-photoshelter: error: GET /galleries: the answer holds a JSON dict under `data` "
        "instead of a list"
    )


def test_gallery_children_with_garbage_keep_the_readable_members(
    ps_config, run_tap, photoshelter_admin
):
    good = photoshelter_admin.state()["media"][0]["id"]
    photoshelter_admin.fault(
        route="GET /psapi/v4.0/galleries/{gallery_id}/children",
        status=200,
        count=1,
        body={
            "data": [{"id": good, "type": "media"}, {"type": "media"}, 17],
            "meta": {"paging": {"total": 3}},
        },
    )
    run = run_tap(ps_config)
    assert run.returncode == 0, run.stderr[-2000:]
    first_gallery = run.records["galleries"][0]  # its children are read first
    members = [r for r in run.records["gallery_media"] if r["gallery_id"] == first_gallery["id"]]
    assert members == [
        {
            "gallery_id": first_gallery["id"],
            "media_id": good,
            "position": 0,
            "membership_version": first_gallery["membership_version"],
        }
    ]
    first_gallery = first_gallery["id"]
    assert (
        f"gallery_media: gallery {first_gallery}: left out an item: id: expected an id, "
        "got None" in run.stderr
    )
    assert (
        f"GET /galleries/{first_gallery}/children: left out 1 list item(s) that are not "
        "objects" in run.stderr
    )


def test_galleries_without_modified_at_are_read_each_run_under_a_run_version(
    emulators, ps_config, run_tap, photoshelter_admin
):
    """No fingerprint: the membership is read every run, and its version names the run, so
    the rows of an earlier read can still be told apart in an upsert-only warehouse."""
    client = PhotoShelterClient.login(emulators.photoshelter_api_url)
    page = client.get("/galleries", per_page=1000)
    for item in page["data"]:
        del item["attributes"]["modified_at"]
    runs = []
    for _ in range(2):
        photoshelter_admin.fault(route="GET /psapi/v4.0/galleries", status=200, body=page, count=1)
        runs.append(run_tap(ps_config, state=runs[-1].state if runs else None))
        assert runs[-1].returncode == 0, runs[-1].stderr[-2000:]
    versions = [
        {g["id"]: g["membership_version"] for g in run.records["galleries"]} for run in runs
    ]
    read_at = [run.records["galleries"][0]["read_at"] for run in runs]
    assert [set(v.values()) for v in versions] == [{f"read {t}"} for t in read_at]
    for run, version in zip(runs, versions, strict=True):
        assert run.records["gallery_media"], "every membership is read again"
        assert {r["membership_version"] for r in run.records["gallery_media"]} == set(
            version.values()
        )


def test_an_html_error_page_with_a_4xx_fails_in_one_line(ps_config, run_tap, photoshelter_admin):
    photoshelter_admin.fault(route="GET /psapi/v4.0/galleries", status=403, body=HTML, count=1)
    run = run_tap(ps_config)
    assert run.returncode == 1
    assert run.stderr.strip().splitlines()[-1] == (
        "tap-photoshelter: error: GET /galleries: HTTP 403: an HTML page ('502 Bad Gateway')"
    )
    assert "Traceback" not in run.stderr


def test_a_scope_the_server_refuses_names_the_setting(ps_config, run_tap, photoshelter_admin):
    run = run_tap({**ps_config, "galleries": ["G0000nosuchgalle"]})
    assert run.returncode == 1
    last = run.stderr.strip().splitlines()[-1]
    assert last.startswith(
        "tap-photoshelter: error: setting galleries: PhotoShelter refused "
        "the scope 'G0000nosuchgalle' on /media ("
    ), last
