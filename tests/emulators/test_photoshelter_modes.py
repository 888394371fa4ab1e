"""PhotoShelter emulator: the unconfirmed `GET /media` parameters in each of their modes.

Every `media_*` setting is `honoured`, `ignored` (the answer is the one without the
parameter) or `refused` (400 naming the parameter); the default is `ignored`. Expected sets
come from the seeded catalogue, not from the emulator's code.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
import requests

from emulators import catalog
from emulators.photoshelter.client import PhotoShelterClient
from emulators.photoshelter.settings import PARAMETER_MODES

SEED = catalog.build("small", 42)
BY_ID = sorted(m["id"] for m in SEED.media)
FIELDS = {f["name"]: f for f in SEED.metadata_fields}


@pytest.fixture
def ps(emulators, photoshelter_admin) -> PhotoShelterClient:
    return PhotoShelterClient.login(emulators.photoshelter_api_url)


def all_ids(ps: PhotoShelterClient, **params) -> list[str]:
    """Every id the search returns, page by page (pages of 100)."""
    ids: list[str] = []
    page = 1
    while True:
        body = ps.get("/media", page=page, per_page=100, **params)
        ids += [item["id"] for item in body["data"]]
        if "next" not in body["meta"]["paging"]:
            assert body["meta"]["paging"]["total"] == len(ids)
            return ids
        page += 1


def gmt(epoch: float) -> str:
    return datetime.fromtimestamp(epoch, UTC).strftime("%Y-%m-%d %H:%M:%S")


def keywords_of(media: dict) -> set[str]:
    return {k.strip().lower() for k in media["iptc"]["keywords"].split(",") if k.strip()}


MIDDLE = sorted(m["modified_at"] for m in SEED.media)[len(SEED.media) // 2]
STATUS = FIELDS["Status"]
REJECTED = next(t["id"] for t in STATUS["tags"] if t["name"] == "Rejected")

FILTERS = {
    "media_modify_window": (
        {"modify_start": gmt(MIDDLE)},
        "modify_start",
        {m["id"] for m in SEED.media if m["modified_at"] >= MIDDLE},
    ),
    "media_trans_ref": (
        {"trans_ref": SEED.hard_cases["unknown_sku"]},
        "trans_ref",
        {SEED.hard_cases["unknown_sku_media_id"]},
    ),
    "media_keywords": (
        {"keywords": "view:hero"},
        "keywords",
        {m["id"] for m in SEED.media if "view:hero" in keywords_of(m)},
    ),
    "media_custom_metadata": (
        {"custom_metadata": json.dumps({STATUS["id"]: REJECTED})},
        "custom_metadata",
        {m["id"] for m in SEED.media if m["custom_metadata"].get(STATUS["id"]) == REJECTED},
    ),
}


def test_every_unconfirmed_parameter_defaults_to_ignored(photoshelter_admin):
    current = photoshelter_admin.settings()
    assert {name: current[name] for name in PARAMETER_MODES} == dict.fromkeys(
        PARAMETER_MODES, "ignored"
    )
    assert set(PARAMETER_MODES) == {*FILTERS, "media_sort_by", "media_list_include"}


@pytest.mark.parametrize("setting", sorted(FILTERS))
def test_filter_honoured_narrows_the_answer(ps, photoshelter_admin, setting):
    params, _, expected = FILTERS[setting]
    assert expected and len(expected) < len(SEED.media)  # a filter that can be told apart
    photoshelter_admin.settings(**{setting: "honoured"})
    assert set(all_ids(ps, **params)) == expected


@pytest.mark.parametrize("setting", sorted(FILTERS))
def test_filter_ignored_answers_as_if_absent(ps, photoshelter_admin, setting):
    params, _, _ = FILTERS[setting]
    photoshelter_admin.settings(**{setting: "ignored"})
    assert all_ids(ps, **params) == all_ids(ps) == BY_ID[::-1]


@pytest.mark.parametrize("setting", sorted(FILTERS))
def test_filter_refused_is_400_naming_the_parameter(ps, photoshelter_admin, setting):
    params, named, _ = FILTERS[setting]
    photoshelter_admin.settings(**{setting: "refused"})
    response = ps.call("GET", "/media", params=params)
    assert response.status_code == 400
    (error,) = response.json()["errors"]
    assert error["id"] == "BadRequestException" and named in error["detail"]
    assert ps.call("GET", "/media").status_code == 200  # without it, the search answers


def test_modify_end_follows_the_modify_window_setting_too(ps, photoshelter_admin):
    oldest = min(m["modified_at"] for m in SEED.media)
    photoshelter_admin.settings(media_modify_window="honoured")
    assert all_ids(ps, modify_end=gmt(oldest)) == [
        m["id"] for m in SEED.media if m["modified_at"] == oldest
    ]
    photoshelter_admin.settings(media_modify_window="ignored")
    assert len(all_ids(ps, modify_end=gmt(oldest))) == len(SEED.media)
    photoshelter_admin.settings(media_modify_window="refused")
    refused = ps.call("GET", "/media", params={"modify_end": gmt(oldest)})
    assert refused.status_code == 400 and "modify_end" in refused.json()["errors"][0]["detail"]


def test_an_ignored_parameter_is_not_even_parsed(ps, photoshelter_admin):
    photoshelter_admin.settings(media_modify_window="ignored", media_custom_metadata="ignored")
    assert (
        ps.call(
            "GET", "/media", params={"modify_start": "yesterday", "custom_metadata": "{"}
        ).status_code
        == 200
    )
    photoshelter_admin.settings(media_modify_window="honoured")
    assert ps.call("GET", "/media", params={"modify_start": "yesterday"}).status_code == 400


# --- sort_by=date|upload_time ----------------------------------------------------------------
BY_DATE = [m["id"] for m in sorted(SEED.media, key=lambda m: (m["modified_at"], m["id"]))]
BY_UPLOAD = [m["id"] for m in sorted(SEED.media, key=lambda m: (m["created_at"], m["id"]))]


def test_sort_by_honoured_orders_by_date_and_upload_time(ps, photoshelter_admin):
    photoshelter_admin.settings(media_sort_by="honoured")
    assert all_ids(ps, sort_by="date", sort_dir="asc") == BY_DATE
    assert all_ids(ps, sort_by="upload_time", sort_direction="descending") == BY_UPLOAD[::-1]


def test_sort_by_ignored_answers_in_the_servers_own_order(ps, photoshelter_admin):
    photoshelter_admin.settings(media_sort_by="ignored")
    assert BY_ID != BY_DATE  # the server's own order (by id) is not the date order
    assert all_ids(ps, sort_by="date", sort_dir="asc") == all_ids(ps, sort_dir="asc") == BY_ID
    assert all_ids(ps, sort_by="upload_time") == BY_ID[::-1]
    by_name = all_ids(ps, sort_by="file_name", sort_dir="asc")  # not governed: still honoured
    assert by_name == [
        m["id"] for m in sorted(SEED.media, key=lambda m: (m["file_name"].lower(), m["id"]))
    ]


def test_sort_by_refused_is_400_for_date_and_upload_time_only(ps, photoshelter_admin):
    photoshelter_admin.settings(media_sort_by="refused")
    for value in ("date", "upload_time"):
        response = ps.call("GET", "/media", params={"sort_by": value})
        assert response.status_code == 400
        assert "sort_by" in response.json()["errors"][0]["detail"]
    assert ps.call("GET", "/media", params={"sort_by": "file_name"}).status_code == 200


# --- include= on media lists -----------------------------------------------------------------
def test_list_include_in_each_mode_and_always_on_one_media(ps, photoshelter_admin):
    media_id = BY_ID[-1]
    photoshelter_admin.settings(media_list_include="honoured")
    item = ps.get("/media", include="iptc", per_page=1)["data"][0]
    assert item["id"] == media_id and set(item["includes"]) == {"iptc"}

    photoshelter_admin.settings(media_list_include="ignored")
    body = ps.get("/media", include="iptc,custom-metadata,link", per_page=5)
    assert len(body["data"]) == 5 and all("includes" not in i for i in body["data"])

    photoshelter_admin.settings(media_list_include="refused")
    refused = ps.call("GET", "/media", params={"include": "iptc"})
    assert refused.status_code == 400 and "include" in refused.json()["errors"][0]["detail"]

    for mode in ("ignored", "refused"):  # `include=iptc` on one media is confirmed: always on
        photoshelter_admin.settings(media_list_include=mode)
        one = ps.get(f"/media/{media_id}", include="iptc")["data"]
        assert one["includes"]["iptc"]["data"]["type"] == "iptc"


def test_settings_refuse_an_unknown_mode_naming_the_setting(photoshelter_admin):
    response = requests.post(
        f"{photoshelter_admin.base_url}/_emulator/settings",
        json={"media_keywords": "sometimes"},
        timeout=10,
    )
    assert response.status_code == 400 and "media_keywords" in response.text
    assert photoshelter_admin.settings()["media_keywords"] == "ignored"
