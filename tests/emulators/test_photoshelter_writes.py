"""PhotoShelter emulator: the uncertain write paths, each moving modified_at of what it touches.

After each write the test reads back through the API and checks the incremental search
(`modify_start` = the bookmark before the write) now returns what changed.
"""

from __future__ import annotations

import pytest

from emulators import catalog
from emulators.photoshelter.client import PhotoShelterClient
from emulators.photoshelter.settings import PARAMETER_MODES

SEED = catalog.build("small", 42)
FIELDS = {f["name"]: f for f in SEED.metadata_fields}


def tag_id(field: str, tag: str) -> str:
    return next(t["id"] for t in FIELDS[field]["tags"] if t["name"] == tag)


HONOURED = dict.fromkeys(PARAMETER_MODES, "honoured")


@pytest.fixture
def ps(emulators, photoshelter_admin) -> PhotoShelterClient:
    """Logged in, with every unconfirmed `GET /media` parameter honoured: these tests check
    what the filters mean; test_photoshelter_modes.py checks the other modes and defaults."""
    photoshelter_admin.settings(**HONOURED)
    return PhotoShelterClient.login(emulators.photoshelter_api_url)


def newest_modified(ps: PhotoShelterClient) -> str:
    newest = ps.get("/media", sort_by="date", sort_dir="desc", per_page=1)["data"][0]
    return newest["attributes"]["modified_at"]


def changed_since(ps: PhotoShelterClient, bookmark: str) -> list[str]:
    body = ps.get(
        "/media",
        modify_start=bookmark.removesuffix(" GMT"),
        sort_by="date",
        sort_dir="asc",
        per_page=1000,
    )
    return [item["id"] for item in body["data"]]


def test_patch_iptc_sets_fields_and_bumps_modified_at(ps):
    media_id = SEED.media[5]["id"]
    bookmark = newest_modified(ps)
    assert media_id not in changed_since(ps, bookmark)
    body = ps.ok(
        "PATCH",
        f"/media/{media_id}/iptc",
        json={"title": "Classic Hoodie", "keywords": ["black", "sku:HD-1001-BLK-XS"]},
    )
    assert body["data"]["attributes"]["title"] == "Classic Hoodie"
    assert body["data"]["attributes"]["keywords"] == "black, sku:HD-1001-BLK-XS"
    assert body["data"]["attributes"]["city"] == SEED.media[5]["iptc"]["city"]  # untouched
    stored = ps.get(f"/media/{media_id}/iptc")["data"]["attributes"]
    assert stored["title"] == "Classic Hoodie"
    assert changed_since(ps, bookmark)[-1] == media_id
    assert ps.get("/media", keywords="sku:HD-1001-BLK-XS")["meta"]["paging"]["total"] >= 1


def test_patch_iptc_with_an_unknown_field_names_it_and_changes_nothing(ps):
    media_id = SEED.media[5]["id"]
    before = ps.get(f"/media/{media_id}")["data"]["attributes"]["modified_at"]
    response = ps.call("PATCH", f"/media/{media_id}/iptc", json={"title": "x", "sku": "A-1"})
    assert response.status_code == 400
    assert "'sku'" in response.json()["errors"][0]["detail"]
    assert ps.get(f"/media/{media_id}/iptc")["data"]["attributes"]["title"] == ""
    assert ps.get(f"/media/{media_id}")["data"]["attributes"]["modified_at"] == before


def test_a_write_that_changes_nothing_leaves_modified_at(ps):
    media = SEED.media[6]
    before = ps.get(f"/media/{media['id']}")["data"]["attributes"]["modified_at"]
    ps.ok("PATCH", f"/media/{media['id']}/iptc", json={"city": media["iptc"]["city"]})
    assert ps.get(f"/media/{media['id']}")["data"]["attributes"]["modified_at"] == before


def test_patch_custom_metadata_sets_and_clears_tags(ps):
    media_id = SEED.media[7]["id"]
    color, status = FIELDS["Color"]["id"], FIELDS["Status"]["id"]
    bookmark = newest_modified(ps)
    body = ps.ok(
        "PATCH",
        f"/media/{media_id}/custom-metadata",
        json={color: tag_id("Color", "Navy"), status: None},
    )
    held = {c["attributes"]["field_name"]: c["attributes"]["tag_name"] for c in body["data"]}
    assert held == {"Color": "Navy", "Shoot Type": "Studio"}
    assert changed_since(ps, bookmark)[-1] == media_id
    read_back = ps.get(f"/media/{media_id}/custom-metadata")["data"]
    assert {c["attributes"]["tag_name"] for c in read_back} == {"Navy", "Studio"}


@pytest.mark.parametrize(
    "pairs, named",
    [
        ({"F9999": "T01001"}, "F9999"),
        ({FIELDS["Color"]["id"]: tag_id("Status", "Approved")}, tag_id("Status", "Approved")),
    ],
)
def test_patch_custom_metadata_rejects_unknown_field_or_tag(ps, pairs, named):
    media_id = SEED.media[7]["id"]
    response = ps.call("PATCH", f"/media/{media_id}/custom-metadata", json=pairs)
    assert response.status_code == 400
    assert named in response.json()["errors"][0]["detail"]


def test_create_gallery_under_a_collection_and_add_media_idempotently(ps):
    ss26 = next(c for c in SEED.collections if c["name"] == "SS26")
    created = ps.ok(
        "POST",
        "/galleries",
        json={"name": "HD-1001 Classic Hoodie", "description": "hand-off", "parent": ss26["id"]},
    )
    gallery = created["data"]
    assert gallery["type"] == "gallery" and gallery["id"].startswith("G0000")
    assert gallery["attributes"]["parent_ids"] == [ss26["id"]]
    assert "T" in gallery["attributes"]["created_at"]
    assert not gallery["attributes"]["created_at"].endswith("Z")
    found = ps.get("/galleries", parent=ss26["id"], name="hd-1001 classic hoodie")["data"]
    assert [g["id"] for g in found] == [gallery["id"]]
    first, second = SEED.media[0]["id"], SEED.media[1]["id"]
    added = ps.ok("PATCH", f"/galleries/{gallery['id']}/media", json={"media_ids": [first]})
    assert added["meta"]["added"] == [first]
    modified = added["data"]["attributes"]["modified_at"]
    again = ps.ok("PATCH", f"/galleries/{gallery['id']}/media", json={"media_ids": [first, second]})
    assert again["meta"]["added"] == [second]
    repeat = ps.ok(
        "PATCH", f"/galleries/{gallery['id']}/media", json={"media_ids": [second, first]}
    )
    assert repeat["meta"]["added"] == []
    assert repeat["data"]["attributes"]["media_count"] == 2
    assert modified <= repeat["data"]["attributes"]["modified_at"]
    children = ps.get(f"/galleries/{gallery['id']}/children")
    assert [m["id"] for m in children["data"]] == [first, second]
    assert gallery["id"] in [g["id"] for g in ps.get(f"/media/{second}/galleries")["data"]]


def test_adding_an_unknown_media_to_a_gallery_names_it_and_adds_nothing(ps):
    gallery = SEED.galleries[0]
    response = ps.call(
        "PATCH",
        f"/galleries/{gallery['id']}/media",
        json={"media_ids": [SEED.media[-1]["id"], "I0000missing1234"]},
    )
    assert response.status_code == 404
    assert "I0000missing1234" in response.json()["errors"][0]["detail"]
    count = ps.get(f"/galleries/{gallery['id']}")["data"]["attributes"]["media_count"]
    assert count == len(gallery["media_ids"])


def test_create_a_collection_path_then_a_gallery_in_it(ps):
    launches = next(c for c in SEED.collections if c["name"] == "Launches")
    ss27 = ps.ok("POST", "/collections", json={"name": "SS27", "parent": launches["id"]})["data"]
    assert ss27["attributes"]["parent_id"] == launches["id"]
    children = ps.get(f"/collections/{launches['id']}/children")["data"]
    assert ss27["id"] in [c["id"] for c in children if c["type"] == "collection"]
    assert ps.get(f"/collections/{ss27['id']}")["data"]["attributes"]["name"] == "SS27"
    assert [
        c["id"] for c in ps.get("/collections", parent=launches["id"], name="SS27")["data"]
    ] == [ss27["id"]]
    gallery = ps.ok("POST", "/galleries", data={"name": "RN-1002 Runner", "parent": ss27["id"]})
    assert ps.get(f"/collections/{ss27['id']}/children")["data"][0]["id"] == gallery["data"]["id"]
    missing = ps.call("POST", "/galleries", json={"name": "x", "parent": "C0000nothere1234"})
    assert missing.status_code == 404
    nameless = ps.call("POST", "/collections", json={"parent": launches["id"]})
    assert nameless.status_code == 400 and "name" in nameless.json()["errors"][0]["detail"]


def test_patch_gallery_description_bumps_its_modified_at(ps):
    gallery = SEED.galleries[1]
    before = ps.get(f"/galleries/{gallery['id']}")["data"]["attributes"]
    after = ps.ok("PATCH", f"/galleries/{gallery['id']}", json={"description": "Selects for SS26"})[
        "data"
    ]["attributes"]
    assert after["description"] == "Selects for SS26"
    assert after["modified_at"] > before["modified_at"]
    refused = ps.call("PATCH", f"/galleries/{gallery['id']}", json={"owner": "me"})
    assert refused.status_code == 400 and "owner" in refused.json()["errors"][0]["detail"]


def test_create_a_tag_then_use_it(ps):
    color = FIELDS["Color"]["id"]
    created = ps.ok("POST", f"/metadata/fields/{color}/tags", json={"name": "Teal"})["data"]
    assert created["attributes"] == {"name": "Teal", "field_id": color}
    tags = ps.get(f"/metadata/fields/{color}")["data"]["attributes"]["tags"]
    assert {"id": created["id"], "name": "Teal"} in tags
    media_id = SEED.media[0]["id"]
    ps.ok("PATCH", f"/media/{media_id}/custom-metadata", json={color: created["id"]})
    duplicate = ps.call("POST", f"/metadata/fields/{color}/tags", json={"name": "teal"})
    assert duplicate.status_code == 409


def test_writes_with_an_unsupported_content_type_are_415(ps):
    response = ps.call(
        "PATCH",
        f"/media/{SEED.media[0]['id']}/iptc",
        data=b"title=x",
        headers={"Content-Type": "text/plain"},
    )
    assert response.status_code == 415
    assert response.json()["errors"][0]["id"] == "UnsupportedMediaTypeException"
