"""PhotoShelter emulator: the library-wide `/search` and the container read paths seen in
public code (`/count`, cover, `/key_image`, path, `/library?is_listed=true`, children paging,
gallery and collection lists with `include=` and `sort_by=name`).

Expected answers come from the seeded catalogue, not from the emulator's code.
"""

from __future__ import annotations

import pytest

from emulators import catalog
from emulators.photoshelter.client import PhotoShelterClient

SEED = catalog.build("small", 42)
COLLECTIONS = {c["id"]: c for c in SEED.collections}
BY_CREATED = [m["id"] for m in sorted(SEED.media, key=lambda m: (m["created_at"], m["id"]))]
LIBRARY = {"mode": "library", "sort_by": "creation_time"}


@pytest.fixture
def ps(emulators, photoshelter_admin) -> PhotoShelterClient:
    return PhotoShelterClient.login(emulators.photoshelter_api_url)


def pages(ps: PhotoShelterClient, path: str, **params) -> list[dict]:
    """Every item of a paged list, following `meta.paging.next` as a client would."""
    items: list[dict] = []
    body = ps.get(path, **params)
    while True:
        items += body["data"]
        if "next" not in body["meta"]["paging"]:
            assert body["meta"]["paging"]["total"] == len(items)
            return items
        response = ps.http.get(body["meta"]["paging"]["next"], timeout=30)
        assert response.status_code == 200
        body = response.json()


# --- GET /search?mode=library ----------------------------------------------------------------
def test_library_search_pages_every_media_by_creation_time(ps, emulators):
    org_id = emulators.photoshelter.store.organization["id"]
    descending = pages(
        ps,
        "/search",
        media_type="image,video,audio,doc",
        org_id=org_id,
        sort_direction="descending",
        per_page=30,
        **LIBRARY,
    )
    assert [m["id"] for m in descending] == BY_CREATED[::-1]
    assert {m["type"] for m in descending} == {"image"}
    ascending = pages(ps, "/search", sort_direction="ascending", per_page=100, **LIBRARY)
    assert [m["id"] for m in ascending] == BY_CREATED
    first = ps.get("/search", per_page=100, page=1, sort_direction="ascending", **LIBRARY)
    assert first["meta"]["paging"]["next"].endswith("page=2&per_page=100")
    assert "mode=library" in first["meta"]["paging"]["next"]


def test_library_search_filters_kinds_and_sees_new_uploads(ps, photoshelter_admin):
    video = photoshelter_admin.call(
        "POST", "media", {"file_name": "clip.mp4", "media_type": "video"}
    )["id"]
    newest = ps.get("/search", per_page=1, sort_direction="descending", **LIBRARY)["data"][0]
    assert (newest["id"], newest["type"]) == (video, "video")
    only_video = pages(ps, "/search", media_type="video", **LIBRARY)
    assert [m["id"] for m in only_video] == [video]
    images = pages(ps, "/search", media_type="image", per_page=1000, **LIBRARY)
    assert len(images) == len(SEED.media)


@pytest.mark.parametrize(
    "params, named",
    [
        ({"sort_by": "creation_time"}, "mode"),
        ({"mode": "portfolio"}, "mode"),
        ({"mode": "library", "sort_by": "date"}, "sort_by"),
        ({"mode": "library", "sort_direction": "desc"}, "sort_direction"),
        ({"mode": "library", "media_type": "photo"}, "media_type"),
        ({"mode": "library", "per_page": 1001}, "per_page"),
    ],
)
def test_library_search_refuses_what_working_code_never_sends(ps, params, named):
    response = ps.call("GET", "/search", params=params)
    assert response.status_code == 400
    assert named in response.json()["errors"][0]["detail"]


# --- galleries ---------------------------------------------------------------------------------
def test_gallery_count_cover_key_image_path_and_children_up_to_1000(ps):
    gallery = next(g for g in SEED.galleries if len(g["media_ids"]) >= 2 and g["parent_ids"])
    count = ps.get(f"/galleries/{gallery['id']}/count")["data"]
    assert count["id"] == gallery["id"]
    assert count["attributes"]["children_count"] == len(gallery["media_ids"])
    cover = ps.get(f"/galleries/{gallery['id']}/cover")["data"]
    assert (cover["id"], cover["type"]) == (gallery["media_ids"][0], "image")
    assert ps.get(f"/galleries/{gallery['id']}/key_image")["data"] == cover
    path = ps.get(f"/galleries/{gallery['id']}/path")["data"]
    chain, parent = [], gallery["parent_ids"][0]
    while parent:
        chain.insert(0, (parent, "collection", COLLECTIONS[parent]["name"]))
        parent = COLLECTIONS[parent]["parent_id"]
    assert [(p["id"], p["type"], p["attributes"]["name"]) for p in path] == [
        *chain,
        (gallery["id"], "gallery", gallery["name"]),
    ]
    children = ps.get(f"/galleries/{gallery['id']}/children", per_page=1000)
    assert [c["id"] for c in children["data"]] == gallery["media_ids"]
    assert children["meta"]["paging"]["per_page"] == 1000
    assert (
        ps.call(
            "GET", f"/galleries/{gallery['id']}/children", params={"per_page": 1001}
        ).status_code
        == 400
    )


def test_an_empty_gallery_has_no_cover_and_count_zero(ps):
    created = ps.ok("POST", "/galleries", json={"name": "Empty"})["data"]
    assert ps.get(f"/galleries/{created['id']}/cover")["data"] is None
    count = ps.get(f"/galleries/{created['id']}/count")["data"]["attributes"]
    assert count["children_count"] == 0
    assert ps.get(f"/galleries/{created['id']}/key_image")["data"] is None
    assert [p["id"] for p in ps.get(f"/galleries/{created['id']}/path")["data"]] == [created["id"]]
    assert ps.call("GET", "/galleries/G0000nothere1234/cover").status_code == 404


# --- collections -------------------------------------------------------------------------------
def holds_a_gallery_below(collection_id: str) -> bool:
    below = {collection_id}
    grew = True
    while grew:
        more = {c["id"] for c in SEED.collections if c["parent_id"] in below}
        grew = not more <= below
        below |= more
    return any(below & set(g["parent_ids"]) and g["media_ids"] for g in SEED.galleries)


def test_collection_count_children_types_key_image_and_path(ps):
    for collection in SEED.collections:
        subs = [c for c in SEED.collections if c["parent_id"] == collection["id"]]
        galleries = [g for g in SEED.galleries if collection["id"] in g["parent_ids"]]
        count = ps.get(f"/collections/{collection['id']}/count")["data"]["attributes"]
        assert count["children_count"] == len(subs) + len(galleries)
        children = ps.get(f"/collections/{collection['id']}/children", per_page=1000)["data"]
        assert sorted((c["type"], c["id"]) for c in children) == sorted(
            [("collection", c["id"]) for c in subs] + [("gallery", g["id"]) for g in galleries]
        )
        key = ps.get(f"/collections/{collection['id']}/key_image")["data"]
        if holds_a_gallery_below(collection["id"]):
            held = {m for g in SEED.galleries for m in g["media_ids"]}
            assert key["type"] == "image" and key["id"] in held
        else:
            assert key is None
        path = ps.get(f"/collections/{collection['id']}/path")["data"]
        assert path[-1]["id"] == collection["id"] and path[-1]["type"] == "collection"
        assert path[0]["attributes"]["name"] and COLLECTIONS[path[0]["id"]]["parent_id"] is None


def test_library_lists_the_root_by_name_in_both_directions(ps):
    ascending = pages(ps, "/library", sort_by="name", sort_direction="ascending")
    roots = [("collection", c["id"], c["name"]) for c in SEED.collections if c["parent_id"] is None]
    roots += [("gallery", g["id"], g["name"]) for g in SEED.galleries if not g["parent_ids"]]
    assert roots
    assert [(i["type"], i["id"]) for i in ascending] == [
        (t, i) for t, i, _ in sorted(roots, key=lambda r: (r[2].lower(), r[0], r[1]))
    ]
    descending = pages(ps, "/library", sort_by="name", sort_direction="descending")
    assert [i["id"] for i in descending] == [i["id"] for i in ascending][::-1]
    created = ps.ok("POST", "/galleries", json={"name": "000 First"})["data"]
    assert (
        ps.get("/library", sort_by="name", sort_direction="ascending")["data"][0]["id"]
        == created["id"]
    )
    refused = ps.call("GET", "/library", params={"sort_by": "modified"})
    assert refused.status_code == 400 and "sort_by" in refused.json()["errors"][0]["detail"]


def test_library_is_listed_keeps_listed_items_as_production_code_asks(ps):
    shown = ps.ok("POST", "/galleries", json={"name": "Shown", "is_public": True})["data"]
    hidden = ps.ok("POST", "/galleries", json={"name": "Hidden", "is_public": False})["data"]
    roots = {c["id"] for c in SEED.collections if c["parent_id"] is None}
    listed = {i["id"] for i in pages(ps, "/library", is_listed="true")}
    assert listed == roots | {shown["id"]}
    assert {i["id"] for i in pages(ps, "/library", is_listed="false")} == {hidden["id"]}
    assert {i["id"] for i in pages(ps, "/library")} == roots | {shown["id"], hidden["id"]}
    refused = ps.call("GET", "/library", params={"is_listed": "yes"})
    assert refused.status_code == 400 and "is_listed" in refused.json()["errors"][0]["detail"]


def test_gallery_list_as_working_code_calls_it(ps):
    collection = next(
        c for c in SEED.collections if sum(c["id"] in g["parent_ids"] for g in SEED.galleries) >= 2
    )
    inside = [g for g in SEED.galleries if collection["id"] in g["parent_ids"]]
    items = pages(
        ps,
        "/galleries",
        parent=collection["id"],
        include="permissions,parent,child-count",
        sort_by="name",
        sort_direction="descending",
    )
    expected = sorted(inside, key=lambda g: (g["name"].lower(), g["id"]), reverse=True)
    assert [i["id"] for i in items] == [g["id"] for g in expected]
    for item, gallery in zip(items, expected, strict=True):
        includes = item["includes"]
        assert set(includes) == {"permissions", "parent", "child-count"}
        assert includes["permissions"]["data"] == []
        assert [p["id"] for p in includes["parent"]["data"]] == gallery["parent_ids"]
        assert (
            includes["parent"]["data"][0]["attributes"]["name"]
            == COLLECTIONS[gallery["parent_ids"][0]]["name"]
        )
        assert includes["child-count"]["data"]["attributes"]["children_count"] == len(
            gallery["media_ids"]
        )
    plain = ps.get("/galleries", parent=collection["id"])["data"]
    assert [i["id"] for i in plain] == [g["id"] for g in expected][::-1]
    assert all("includes" not in i for i in plain)


def test_collection_list_as_working_code_calls_it(ps):
    items = pages(
        ps,
        "/collections",
        include="permissions,parent",
        sort_by="name",
        sort_direction="descending",
    )
    expected = sorted(SEED.collections, key=lambda c: (c["name"].lower(), c["id"]), reverse=True)
    assert [i["id"] for i in items] == [c["id"] for c in expected]
    for item, collection in zip(items, expected, strict=True):
        assert set(item["includes"]) == {"permissions", "parent"}
        parent = item["includes"]["parent"]["data"]
        if collection["parent_id"] is None:
            assert parent is None
        else:
            assert (parent["id"], parent["attributes"]["name"]) == (
                collection["parent_id"],
                COLLECTIONS[collection["parent_id"]]["name"],
            )


@pytest.mark.parametrize(
    "path, params, named",
    [
        ("/galleries", {"include": "owner"}, "include"),
        ("/collections", {"include": "media"}, "include"),
        ("/galleries", {"sort_by": "modified"}, "sort_by"),
        ("/collections", {"sort_direction": "desc"}, "sort_direction"),
    ],
)
def test_container_lists_refuse_unknown_includes_and_sorts(ps, path, params, named):
    response = ps.call("GET", path, params=params)
    assert response.status_code == 400
    assert named in response.json()["errors"][0]["detail"]


@pytest.mark.parametrize(
    "path",
    ["/galleries/{g}/child-count", "/collections/{c}/child-count", "/collections/{c}/key-image"],
)
def test_spellings_no_public_code_uses_are_unknown_routes(ps, path):
    gallery = SEED.galleries[0]["id"]
    collection = SEED.collections[0]["id"]
    response = ps.call("GET", path.format(g=gallery, c=collection))
    assert response.status_code == 404
