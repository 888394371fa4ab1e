"""PhotoShelter emulator: the candidate write paths, each switched on or off by a setting.

A path that is off answers exactly as an unknown route: 404, or 405 where the path exists
for another method, with no route counted. On, each candidate changes the store, which the
test reads back through the API and the incremental search.
"""

from __future__ import annotations

import pytest

from emulators import catalog
from emulators.photoshelter.client import PhotoShelterClient
from emulators.photoshelter.settings import PARAMETER_MODES, WRITE_SWITCHES

SEED = catalog.build("small", 42)
FIELDS = {f["name"]: f for f in SEED.metadata_fields}
MEDIA = SEED.media[9]["id"]
GALLERY = next(g for g in SEED.galleries if len(g["media_ids"]) >= 2)
ALL_OFF = dict.fromkeys(WRITE_SWITCHES, False)


def tag_id(field: str, tag: str) -> str:
    return next(t["id"] for t in FIELDS[field]["tags"] if t["name"] == tag)


@pytest.fixture
def ps(emulators, photoshelter_admin) -> PhotoShelterClient:
    photoshelter_admin.settings(**dict.fromkeys(PARAMETER_MODES, "honoured"))
    return PhotoShelterClient.login(emulators.photoshelter_api_url)


def changed_since(ps: PhotoShelterClient, bookmark: str) -> list[str]:
    body = ps.get(
        "/media",
        modify_start=bookmark.removesuffix(" GMT"),
        sort_by="date",
        sort_dir="asc",
        per_page=1000,
    )
    return [item["id"] for item in body["data"]]


def newest_modified(ps: PhotoShelterClient) -> str:
    return ps.get("/media", sort_by="date", per_page=1)["data"][0]["attributes"]["modified_at"]


# setting -> (method, path, body, status when off)
CALLS = {
    "write_patch_media_iptc": ("PATCH", f"/media/{MEDIA}/iptc", {"title": "x"}, 405),
    "write_patch_media_metadata": ("PATCH", f"/media/{MEDIA}/metadata", {"title": "x"}, 405),
    "write_patch_media": ("PATCH", f"/media/{MEDIA}", {"title": "x"}, 405),
    "write_patch_media_batch": (
        "PATCH",
        "/media/batch",
        {"data": [{"id": MEDIA, "attributes": {"title": "x"}}]},
        405,
    ),
    "write_post_metadata_values": (
        "POST",
        "/metadata/values",
        {"media_id": MEDIA, "field_id": FIELDS["Color"]["id"], "value": "Navy"},
        404,
    ),
    "write_patch_media_custom_metadata": (
        "PATCH",
        f"/media/{MEDIA}/custom-metadata",
        {FIELDS["Color"]["id"]: tag_id("Color", "Navy")},
        405,
    ),
    "write_post_gallery_parents": (
        "POST",
        f"/galleries/{GALLERY['id']}/parents",
        {"parent_id": SEED.collections[0]["id"]},
        404,
    ),
    "write_patch_gallery_media": (
        "PATCH",
        f"/galleries/{GALLERY['id']}/media",
        {"media_ids": [MEDIA]},
        404,
    ),
    "write_post_gallery_children": (
        "POST",
        f"/galleries/{GALLERY['id']}/children",
        {"media_ids": [MEDIA]},
        405,
    ),
    "write_delete_gallery_child": (
        "DELETE",
        f"/galleries/{GALLERY['id']}/children/{GALLERY['media_ids'][0]}",
        None,
        404,
    ),
}


def test_defaults_switch_on_the_first_named_candidate_of_each_write(photoshelter_admin):
    current = photoshelter_admin.settings()
    on = {name for name in WRITE_SWITCHES if current[name]}
    assert on == {
        "write_patch_media_iptc",
        "write_patch_media_custom_metadata",
        "write_patch_gallery_media",
        "write_delete_gallery_child",
    }
    assert current["write_galleries_parent"] is True
    assert set(CALLS) == set(WRITE_SWITCHES)


@pytest.mark.parametrize("setting", sorted(CALLS))
def test_a_path_switched_off_answers_as_an_unknown_route(ps, photoshelter_admin, setting):
    method, path, body, status = CALLS[setting]
    photoshelter_admin.settings(**ALL_OFF)
    before = photoshelter_admin.state()
    photoshelter_admin.clear_requests()
    response = ps.call(method, path, json=body)
    assert response.status_code == status
    (error,) = response.json()["errors"]
    assert error["status"] == str(status)
    assert photoshelter_admin.requests()["by_route"] == {}  # no route took it
    assert photoshelter_admin.state() == before


@pytest.mark.parametrize("setting", sorted(CALLS))
def test_a_path_switched_on_answers(ps, photoshelter_admin, setting):
    method, path, body, _ = CALLS[setting]
    photoshelter_admin.settings(**{**ALL_OFF, setting: True})
    before = photoshelter_admin.state()
    response = ps.call(method, path, json=body)
    assert response.status_code == 200, response.text
    assert photoshelter_admin.state() != before


def test_batch_off_with_patch_media_on_reaches_patch_media_as_an_id(ps, photoshelter_admin):
    photoshelter_admin.settings(write_patch_media=True, write_patch_media_batch=False)
    method, path, body, _ = CALLS["write_patch_media_batch"]
    response = ps.call(method, path, json=body)
    assert response.status_code == 404
    assert "batch" in response.json()["errors"][0]["detail"]


# --- what each candidate writes ---------------------------------------------------------------
def test_patch_media_metadata_sets_iptc_and_custom_metadata(ps, photoshelter_admin):
    photoshelter_admin.settings(write_patch_media_metadata=True)
    bookmark = newest_modified(ps)
    color = FIELDS["Color"]["id"]
    body = ps.ok(
        "PATCH",
        f"/media/{MEDIA}/metadata",
        json={
            "title": "Runner",
            "keywords": ["sku:RN-1002"],
            "custom_metadata": {color: tag_id("Color", "Navy")},
        },
    )
    assert body["data"]["attributes"]["title"] == "Runner"
    assert ("Color", "Navy") in {
        (c["field_name"], c["tag_name"]) for c in body["data"]["attributes"]["custom_metadata"]
    }
    assert ps.get(f"/media/{MEDIA}/iptc")["data"]["attributes"]["keywords"] == "sku:RN-1002"
    assert changed_since(ps, bookmark)[-1] == MEDIA
    for bad, named in (
        ({"sku": "A"}, "sku"),
        ({"custom_metadata": "Navy"}, "custom_metadata"),
        ({"title": "B", "custom_metadata": {color: "T99999"}}, "T99999"),
    ):
        response = ps.call("PATCH", f"/media/{MEDIA}/metadata", json=bad)
        assert response.status_code == 400 and named in response.json()["errors"][0]["detail"]
    assert ps.get(f"/media/{MEDIA}/iptc")["data"]["attributes"]["title"] == "Runner"


def test_patch_media_sets_iptc_and_media_fields_all_or_nothing(ps, photoshelter_admin):
    photoshelter_admin.settings(write_patch_media=True)
    body = ps.ok(
        "PATCH",
        f"/media/{MEDIA}",
        json={
            "data": {
                "attributes": {"title": "Hoodie", "rating": 4, "license_expiration": "2028-01-31"}
            }
        },
    )
    assert body["data"]["attributes"]["rating"] == 4
    assert body["data"]["attributes"]["license_expiration"] == "2028-01-31"
    assert ps.get(f"/media/{MEDIA}/iptc")["data"]["attributes"]["title"] == "Hoodie"
    for bad, named in (
        ({"title": "y", "rating": 9}, "rating"),
        ({"title": "y", "owner": "me"}, "owner"),
        ({"flagged": "yes"}, "flagged"),
        ({"license_expiration": "soon"}, "license_expiration"),
    ):
        response = ps.call("PATCH", f"/media/{MEDIA}", json=bad)
        assert response.status_code == 400 and named in response.json()["errors"][0]["detail"]
    assert ps.get(f"/media/{MEDIA}/iptc")["data"]["attributes"]["title"] == "Hoodie"


def test_patch_media_batch_checks_every_item_before_changing_any(ps, photoshelter_admin):
    photoshelter_admin.settings(write_patch_media_batch=True)
    first, second = SEED.media[10]["id"], SEED.media[11]["id"]
    missing = ps.call(
        "PATCH",
        "/media/batch",
        json={
            "data": [
                {"id": first, "attributes": {"title": "A"}},
                {"id": "I0000missing1234", "attributes": {"title": "B"}},
            ]
        },
    )
    assert missing.status_code == 404 and "I0000missing1234" in missing.text
    assert ps.get(f"/media/{first}/iptc")["data"]["attributes"]["title"] == ""
    body = ps.ok(
        "PATCH",
        "/media/batch",
        json={
            "data": [
                {"id": first, "attributes": {"title": "A"}},
                {"id": second, "attributes": {"caption": "B", "flagged": True}},
            ]
        },
    )
    assert [item["id"] for item in body["data"]] == [first, second]
    assert ps.get(f"/media/{first}/iptc")["data"]["attributes"]["title"] == "A"
    assert ps.get(f"/media/{second}")["data"]["attributes"]["flagged"] is True


def test_post_metadata_values_takes_a_tag_id_or_name_and_null_clears(ps, photoshelter_admin):
    photoshelter_admin.settings(write_post_metadata_values=True)
    color = FIELDS["Color"]["id"]

    def held() -> dict[str, str]:
        items = ps.get(f"/media/{MEDIA}/custom-metadata")["data"]
        return {c["attributes"]["field_name"]: c["attributes"]["tag_name"] for c in items}

    ps.ok("POST", "/metadata/values", json={"media_id": MEDIA, "field_id": color, "value": "Navy"})
    assert held()["Color"] == "Navy"
    ps.ok(
        "POST",
        "/metadata/values",
        json={"media_id": MEDIA, "field_id": color, "value": tag_id("Color", "Black")},
    )
    assert held()["Color"] == "Black"
    ps.ok("POST", "/metadata/values", json={"media_id": MEDIA, "field_id": color, "value": None})
    assert "Color" not in held()
    for bad, named in (
        ({"media_id": MEDIA, "field_id": color, "value": "Teal"}, "Teal"),
        ({"media_id": MEDIA, "value": "Navy"}, "field_id"),
        ({"media_id": MEDIA, "field_id": color}, "value"),
    ):
        response = ps.call("POST", "/metadata/values", json=bad)
        assert response.status_code == 400 and named in response.json()["errors"][0]["detail"]


def test_gallery_create_with_parent_or_is_public_then_parents(ps, photoshelter_admin):
    ss26 = next(c for c in SEED.collections if c["name"] == "SS26")
    with_parent = ps.ok("POST", "/galleries", json={"name": "A", "parent": ss26["id"]})["data"]
    assert with_parent["attributes"]["parent_ids"] == [ss26["id"]]

    photoshelter_admin.settings(write_galleries_parent=False, write_post_gallery_parents=True)
    created = ps.ok(
        "POST",
        "/galleries",
        json={"name": "B", "description": "d", "is_public": False, "parent": ss26["id"]},
    )
    gallery = created["data"]
    assert gallery["attributes"]["parent_ids"] == []  # `parent` is not part of this shape
    assert gallery["attributes"]["is_public"] is False
    placed = ps.ok("POST", f"/galleries/{gallery['id']}/parents", json={"parent_id": ss26["id"]})[
        "data"
    ]
    assert placed["attributes"]["parent_ids"] == [ss26["id"]]
    children = ps.get(f"/collections/{ss26['id']}/children", per_page=1000)["data"]
    assert gallery["id"] in [c["id"] for c in children]
    unknown = ps.call(
        "POST", f"/galleries/{gallery['id']}/parents", json={"parent_id": "C0000nothere1234"}
    )
    assert unknown.status_code == 404
    bad = ps.call("POST", "/galleries", json={"name": "C", "is_public": "maybe"})
    assert bad.status_code == 400 and "is_public" in bad.json()["errors"][0]["detail"]


def test_post_gallery_children_adds_and_delete_child_takes_out(ps, photoshelter_admin):
    photoshelter_admin.settings(write_patch_gallery_media=False, write_post_gallery_children=True)
    gallery_id = GALLERY["id"]
    added = ps.ok(
        "POST", f"/galleries/{gallery_id}/children", json={"data": [{"id": MEDIA, "type": "image"}]}
    )
    assert added["meta"]["added"] == [MEDIA]
    children = [m["id"] for m in ps.get(f"/galleries/{gallery_id}/children")["data"]]
    assert children == [*GALLERY["media_ids"], MEDIA]
    ps.ok("DELETE", f"/galleries/{gallery_id}/children/{GALLERY['media_ids'][0]}")
    children = [m["id"] for m in ps.get(f"/galleries/{gallery_id}/children")["data"]]
    assert children == [*GALLERY["media_ids"][1:], MEDIA]
    again = ps.call("DELETE", f"/galleries/{gallery_id}/children/{GALLERY['media_ids'][0]}")
    assert again.status_code == 404
