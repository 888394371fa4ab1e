"""PhotoShelter emulator: `GET /media` paging, every filter, sorting and `include`.

Expected sets come from the seeded catalogue itself (`catalog.build("small", 42)`), the
same seed the emulator starts from, so each filter is checked against the data, not
against the emulator's own code.
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


HONOURED = dict.fromkeys(PARAMETER_MODES, "honoured")


@pytest.fixture
def ps(emulators, photoshelter_admin) -> PhotoShelterClient:
    """Logged in, with every unconfirmed `GET /media` parameter honoured: these tests check
    what the filters mean; test_photoshelter_modes.py checks the other modes and defaults."""
    photoshelter_admin.settings(**HONOURED)
    return PhotoShelterClient.login(emulators.photoshelter_api_url)


def all_ids(ps: PhotoShelterClient, **params) -> list[str]:
    """Every media id the search returns, following `meta.paging.next` page by page."""
    ids: list[str] = []
    page = 1
    while True:
        body = ps.get("/media", page=page, per_page=params.pop("per_page", 100), **params)
        ids += [item["id"] for item in body["data"]]
        if "next" not in body["meta"]["paging"]:
            assert body["meta"]["paging"]["total"] == len(ids)
            return ids
        page += 1
        params["per_page"] = body["meta"]["paging"]["per_page"]


def gmt(epoch: float) -> str:
    return datetime.fromtimestamp(epoch, UTC).strftime("%Y-%m-%d %H:%M:%S")


def keywords_of(media: dict) -> set[str]:
    return {k.strip().lower() for k in media["iptc"]["keywords"].split(",") if k.strip()}


# --- envelopes and paging --------------------------------------------------------------------
def test_list_envelope_has_meta_paging_and_thin_items(ps):
    body = ps.get("/media")
    paging = body["meta"]["paging"]
    assert paging["total"] == len(SEED.media)
    assert paging["page"] == 1 and paging["per_page"] == 50 and len(body["data"]) == 50
    assert "prev" not in paging and paging["next"].endswith("page=2&per_page=50")
    item = body["data"][0]
    assert item["type"] == "image" and item["id"].startswith("I0000") and len(item["id"]) == 16
    assert "includes" not in item and "iptc" not in item["attributes"]
    assert item["attributes"]["modified_at"].endswith(" GMT")
    assert "rate_limit" not in body["meta"]


def test_single_media_matches_the_seed_in_the_api_formats(ps):
    seeded = SEED.media[0]
    body = ps.get(f"/media/{seeded['id']}")
    attributes = body["data"]["attributes"]
    assert body["data"]["id"] == seeded["id"] and body["data"]["type"] == "image"
    assert attributes["file_name"] == seeded["file_name"]
    assert attributes["modified_at"] == gmt(seeded["modified_at"]) + " GMT"
    assert attributes["license_expiration"] == seeded["license_expiration"]
    assert set(body["meta"]["rate_limit"]) == {"limit", "current", "expires"}


def test_unknown_media_is_404_resource_not_found(ps):
    response = ps.call("GET", "/media/I0000doesnotexist")
    assert response.status_code == 404
    assert response.json()["errors"][0]["id"] == "ResourceNotFoundException"


def test_last_page_has_no_next_and_a_page_past_the_end_is_empty(ps):
    total = len(SEED.media)
    last = -(-total // 20)
    body = ps.get("/media", per_page=20, page=last)
    assert len(body["data"]) == total - 20 * (last - 1)
    assert "next" not in body["meta"]["paging"]
    assert body["meta"]["paging"]["prev"].endswith(f"page={last - 1}&per_page=20")
    beyond = ps.get("/media", per_page=20, page=last + 1)
    assert beyond["data"] == [] and "next" not in beyond["meta"]["paging"]
    assert beyond["meta"]["paging"]["total"] == total


@pytest.mark.parametrize(
    "params, named",
    [
        ({"per_page": 1001}, "per_page"),
        ({"per_page": 0}, "per_page"),
        ({"page": 0}, "page"),
        ({"page": "two"}, "page"),
        ({"sort_by": "size"}, "sort_by"),
        ({"sort_dir": "up"}, "sort_dir"),
        ({"modify_start": "yesterday"}, "modify_start"),
        ({"custom_metadata": "{"}, "custom_metadata"),
        ({"rating_min": "9"}, "rating_min"),
        ({"media_type": "hologram"}, "media_type"),
    ],
)
def test_bad_parameters_are_400_naming_the_parameter(ps, params, named):
    response = ps.call("GET", "/media", params=params)
    assert response.status_code == 400
    assert named in response.json()["errors"][0]["detail"]


def test_max_per_page_is_a_setting(ps, photoshelter_admin):
    photoshelter_admin.settings(max_per_page=25)
    assert ps.call("GET", "/media", params={"per_page": 26}).status_code == 400
    assert len(ps.get("/media")["data"]) == 25  # the default never exceeds the maximum


def test_date_sort_pages_are_stable_and_cover_every_media_once(ps):
    ids = all_ids(ps, sort_by="date", sort_dir="asc", per_page=7)
    expected = [m["id"] for m in sorted(SEED.media, key=lambda m: (m["modified_at"], m["id"]))]
    assert ids == expected
    assert all_ids(ps, sort_by="date", sort_dir="desc", per_page=9) == expected[::-1]


# --- filters ---------------------------------------------------------------------------------
def test_modify_window_accepts_both_formats_and_is_inclusive(ps):
    ordered = sorted(SEED.media, key=lambda m: (m["modified_at"], m["id"]))
    start, end = ordered[10]["modified_at"], ordered[40]["modified_at"]
    expected = [m["id"] for m in ordered if start <= m["modified_at"] <= end]
    plain = all_ids(
        ps, modify_start=gmt(start), modify_end=gmt(end), sort_by="date", sort_dir="asc"
    )
    iso = all_ids(
        ps,
        modify_start=gmt(start).replace(" ", "T") + "Z",
        modify_end=gmt(end) + " GMT",
        sort_by="date",
        sort_dir="asc",
    )
    assert plain == iso == expected
    after_all = all_ids(ps, modify_start=gmt(ordered[-1]["modified_at"] + 1))
    assert after_all == []


def test_file_name_filter_is_a_case_insensitive_substring_or_glob(ps):
    hero_files = {m["id"] for m in SEED.media if m["file_name"].lower().endswith("_hero.jpg")}
    assert hero_files
    assert set(all_ids(ps, file_name="_HERO.jpg")) == hero_files
    assert set(all_ids(ps, file_name="*_hero.JPG")) == hero_files
    one = SEED.media[0]["file_name"]
    assert set(all_ids(ps, file_name=one)) == {
        m["id"] for m in SEED.media if one.lower() in m["file_name"].lower()
    }


def test_keywords_filter_matches_whole_keywords_any_case(ps):
    heroes = {m["id"] for m in SEED.media if "view:hero" in keywords_of(m)}
    assert heroes
    assert set(all_ids(ps, keywords="VIEW:HERO")) == heroes
    assert all_ids(ps, keywords="view:her") == []  # a keyword matches whole, not a prefix
    webshop_heroes = {
        m["id"] for m in SEED.media if {"view:hero", "channel:webshop"} <= keywords_of(m)
    }
    assert set(all_ids(ps, keywords="view:hero,channel:webshop")) == webshop_heroes


def test_trans_ref_filter_finds_messy_and_multi_sku_job_identifiers(ps):
    hard = SEED.hard_cases
    assert hard["messy_sku_media_id"] in all_ids(ps, trans_ref=hard["messy_sku"])
    for sku in hard["multi_skus"]:
        assert hard["multi_sku_media_id"] in all_ids(ps, trans_ref=sku)
    assert all_ids(ps, trans_ref=hard["unknown_sku"]) == [hard["unknown_sku_media_id"]]


def test_custom_metadata_filter_takes_field_and_tag_ids(ps):
    status = next(f for f in SEED.metadata_fields if f["name"] == "Status")
    rejected = next(t["id"] for t in status["tags"] if t["name"] == "Rejected")
    expected = {m["id"] for m in SEED.media if m["custom_metadata"].get(status["id"]) == rejected}
    assert SEED.hard_cases["rejected_media_id"] in expected
    found = all_ids(ps, custom_metadata=json.dumps({status["id"]: rejected}))
    assert set(found) == expected


def test_galleries_and_collections_filters(ps):
    handoff = SEED.hard_cases["handoff"]
    assert all_ids(ps, galleries=handoff["gallery_id"]) == [handoff["untagged_media_id"]]
    studio = next(c for c in SEED.collections if c["name"] == "Studio")
    in_studio = {
        m for g in SEED.galleries if studio["id"] in g["parent_ids"] for m in g["media_ids"]
    }
    assert set(all_ids(ps, collections=studio["id"])) == in_studio
    launches = next(c for c in SEED.collections if c["name"] == "Launches")
    assert all_ids(ps, collections=launches["id"]) == [handoff["untagged_media_id"]]
    assert ps.call("GET", "/media", params={"galleries": "G0000nothere123"}).status_code == 404


def test_terms_rating_and_media_type_filters(ps):
    style = SEED.hard_cases["style_code"]
    searched = ("title", "headline", "caption", "keywords", "trans_ref")
    expected = {
        m["id"]
        for m in SEED.media
        if style.lower() in " ".join([m["file_name"], *(m["iptc"][f] for f in searched)]).lower()
    }
    assert expected
    assert set(all_ids(ps, terms=style)) == expected
    assert set(all_ids(ps, rating_min="4")) == {m["id"] for m in SEED.media if m["rating"] >= 4}
    assert all_ids(ps, media_type="video") == []
    assert len(all_ids(ps, media_type="image,video")) == len(SEED.media)


def test_file_name_and_upload_time_sorts(ps):
    by_name = all_ids(ps, sort_by="file_name", sort_dir="asc")
    assert by_name == [
        m["id"] for m in sorted(SEED.media, key=lambda m: (m["file_name"].lower(), m["id"]))
    ]
    by_upload = all_ids(ps, sort_by="upload_time", sort_dir="desc")
    assert by_upload == [
        m["id"] for m in sorted(SEED.media, key=lambda m: (m["created_at"], m["id"]), reverse=True)
    ]


# --- include ---------------------------------------------------------------------------------
def test_include_embeds_iptc_custom_metadata_and_link_per_item_wrapped(ps, emulators):
    body = ps.get(
        "/media",
        include="iptc,custom-metadata,link",
        per_page=5,
        sort_dir="asc",
        image_size="300x300",
    )
    seeded = {m["id"]: m for m in SEED.media}
    for item in body["data"]:
        includes = item["includes"]
        media = seeded[item["id"]]
        assert includes["iptc"]["data"]["attributes"] == media["iptc"]
        assert {
            (c["attributes"]["field_id"], c["attributes"]["tag_id"])
            for c in includes["custom-metadata"]["data"]
        } == set(media["custom_metadata"].items())
        assert includes["link"]["data"]["attributes"]["link"] == (
            f"{emulators.photoshelter_url}/img-get2/{item['id']}/fit=300x300"
        )
    only_iptc = ps.get("/media", include="iptc", per_page=1)["data"][0]["includes"]
    assert set(only_iptc) == {"iptc"}


def test_include_shape_bare_places_each_resource_itself(ps, photoshelter_admin):
    photoshelter_admin.settings(include_shape="bare")
    item = ps.get("/media", include="iptc,custom-metadata", per_page=1, sort_dir="asc")["data"][0]
    media = next(m for m in SEED.media if m["id"] == item["id"])
    assert item["includes"]["iptc"] == {
        "id": item["id"],
        "type": "iptc",
        "attributes": media["iptc"],
    }
    assert isinstance(item["includes"]["custom-metadata"], list)
    single = ps.get(f"/media/{item['id']}", include="iptc")["data"]["includes"]
    assert single["iptc"]["attributes"] == media["iptc"]


def test_per_media_reads_iptc_custom_metadata_and_galleries(ps):
    handoff = SEED.hard_cases["handoff"]
    media_id = handoff["untagged_media_id"]
    seeded = next(m for m in SEED.media if m["id"] == media_id)
    iptc = ps.get(f"/media/{media_id}/iptc")
    assert iptc["data"]["attributes"] == seeded["iptc"]
    custom = ps.get(f"/media/{media_id}/custom-metadata")["data"]
    names = {c["attributes"]["field_name"]: c["attributes"]["tag_name"] for c in custom}
    assert names == {"Status": "Approved", "Shoot Type": "Studio"}
    holding = sorted(g["id"] for g in SEED.galleries if media_id in g["media_ids"])
    assert handoff["gallery_id"] in holding
    galleries = ps.get(f"/media/{media_id}/galleries")
    assert [g["id"] for g in galleries["data"]] == holding
    assert galleries["meta"]["paging"]["total"] == len(holding)


# --- kinds and the metadata read -------------------------------------------------------------
def test_each_media_is_typed_by_its_kind_and_media_type_filters_by_kind(ps, photoshelter_admin):
    video = photoshelter_admin.call(
        "POST", "media", {"file_name": "teaser.mp4", "media_type": "video"}
    )["id"]
    document = photoshelter_admin.call(
        "POST", "media", {"file_name": "lookbook.pdf", "media_type": "document"}
    )["id"]
    types = {item["id"]: item["type"] for item in (ps.get("/media", per_page=1000)["data"])}
    assert types.pop(video) == "video" and types.pop(document) == "document"
    assert set(types.values()) == {"image"} and len(types) == len(SEED.media)
    assert all_ids(ps, media_type="video") == [video]
    assert all_ids(ps, media_type="doc") == [document]
    assert all_ids(ps, media_type="audio") == []
    assert set(all_ids(ps, media_type="image")) == {m["id"] for m in SEED.media}
    assert len(all_ids(ps, media_type="image,video,audio,doc")) == len(SEED.media) + 2
    refused = ps.call("GET", "/media", params={"media_type": "document"})  # the value is `doc`
    assert refused.status_code == 400 and "media_type" in refused.json()["errors"][0]["detail"]
    bad_kind = requests.post(
        f"{photoshelter_admin.base_url}/_emulator/media",
        json={"file_name": "x.gif", "media_type": "gif"},
        timeout=10,
    )
    assert bad_kind.status_code == 400 and "media_type" in bad_kind.text


def test_media_metadata_holds_iptc_and_custom_metadata(ps):
    media_id = SEED.hard_cases["handoff"]["untagged_media_id"]
    seeded = next(m for m in SEED.media if m["id"] == media_id)
    body = ps.get(f"/media/{media_id}/metadata")
    assert body["data"]["id"] == media_id and body["data"]["type"] == "metadata"
    attributes = dict(body["data"]["attributes"])
    custom = attributes.pop("custom_metadata")
    assert attributes == seeded["iptc"]
    assert {(c["field_name"], c["tag_name"]) for c in custom} == {
        ("Status", "Approved"),
        ("Shoot Type", "Studio"),
    }
    assert ps.call("GET", "/media/I0000doesnotexist/metadata").status_code == 404
