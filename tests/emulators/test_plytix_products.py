"""Plytix emulator: product writes, PATCH semantics, variants, categories, relationships."""

from __future__ import annotations

import pytest
from plytix_api import Plytix, conditions


@pytest.fixture
def plytix(emulators, plytix_admin) -> Plytix:
    return Plytix(emulators, plytix_admin).login().unlimited()


@pytest.fixture
def state(plytix) -> dict:
    return plytix.admin.state()


def single(state: dict) -> dict:
    return next(p for p in state["products"] if p["product_level"] == 0 and not p["assets"])


def stored(plytix: Plytix, product_id: str) -> dict:
    return next(p for p in plytix.admin.state()["products"] if p["id"] == product_id)


def test_create_gives_201_location_and_409_on_duplicate_sku(plytix, state):
    category = state["product_categories"][0]["id"]
    response = plytix.call("POST", "/products", json={
        "sku": "NEW-1", "label": "New thing", "status": "Draft", "categories": [category],
        "attributes": {"color": "Red", "price": 12.5}})
    assert response.status_code == 201
    created = response.json()["data"][0]
    assert len(created["id"]) == 24 and int(created["id"], 16) >= 0
    assert response.headers["Location"] == f"/api/v1/products/{created['id']}"
    kept = stored(plytix, created["id"])
    assert kept["attributes"] == {"color": "Red", "price": 12.5}
    assert kept["categories"] == [category] and kept["product_level"] == 0
    again = plytix.call("POST", "/products", json={"sku": "NEW-1"})
    assert again.status_code == 409
    assert again.json()["error"]["errors"][0]["field"] == "sku"


def test_patch_merges_attributes_by_default_and_null_clears(plytix, state):
    product = single(state)
    before = dict(product["attributes"])
    plytix.ok("PATCH", f"/products/{product['id']}",
              json={"attributes": {"image_credit": "Ana Ruiz", "description": None}})
    after = stored(plytix, product["id"])
    expected = {k: v for k, v in before.items() if k != "description"}
    assert after["attributes"] == {**expected, "image_credit": "Ana Ruiz"}
    assert after["modified"] > product["modified"]


def test_patch_in_replace_mode_drops_attributes_not_sent(plytix, state):
    product = single(state)
    plytix.admin.settings(patch_mode="replace")
    plytix.ok("PATCH", f"/products/{product['id']}",
              json={"attributes": {"image_credit": "Ana Ruiz"}})
    assert stored(plytix, product["id"])["attributes"] == {"image_credit": "Ana Ruiz"}
    plytix.ok("PATCH", f"/products/{product['id']}", json={"label": "Only the label"})
    assert stored(plytix, product["id"])["attributes"] == {"image_credit": "Ana Ruiz"}


@pytest.mark.parametrize(("attributes", "field"), [
    ({"nope": 1}, "attributes.nope"),
    ({"color": "Purple"}, "attributes.color"),
    ({"material": ["Wool", "Silk"]}, "attributes.material"),
    ({"launch_date": "01/03/2026"}, "attributes.launch_date"),
    ({"weight_g": "heavy"}, "attributes.weight_g"),
    ({"price": True}, "attributes.price"),
    ({"is_bundle": "yes"}, "attributes.is_bundle"),
    ({"packshot": {"id": "000000000000000000000000"}}, "attributes.packshot"),
    ({"media_gallery": [{"id": "000000000000000000000000"}]}, "attributes.media_gallery"),
    ({"completeness": 50}, "attributes.completeness"),
])
def test_patch_validates_labels_and_types_and_writes_nothing(plytix, state, attributes, field):
    product = single(state)
    response = plytix.call("PATCH", f"/products/{product['id']}",
                           json={"label": "changed", "attributes": attributes})
    assert response.status_code == 422, response.text
    assert response.json()["error"]["errors"][0]["field"] == field
    assert stored(plytix, product["id"]) == product


@pytest.mark.parametrize(("body", "field"), [
    ({"status": "Published"}, "status"), ({"categories": ["nope"]}, "categories"),
    ({"thumbnail": {"id": "nope"}}, "thumbnail"), ({"colour": "Red"}, "colour"),
])
def test_patch_validates_core_fields(plytix, state, body, field):
    product = single(state)
    response = plytix.call("PATCH", f"/products/{product['id']}", json=body)
    assert response.status_code == 422
    assert response.json()["error"]["errors"][0]["field"] == field


def test_one_patch_sets_thumbnail_gallery_and_rights_and_links_the_assets(plytix, state):
    product = single(state)
    a, b, c = (asset["id"] for asset in state["assets"][:3])
    plytix.ok("PATCH", f"/products/{product['id']}", json={
        "thumbnail": {"id": a},
        "attributes": {"webshop_images": [{"id": b}, {"id": a}], "packshot": {"id": c},
                       "image_rights_expiry": "2027-06-30",
                       "image_allowed_channels": ["webshop", "amazon"]}})
    after = stored(plytix, product["id"])
    assert after["thumbnail"] == {"id": a}
    assert after["attributes"]["webshop_images"] == [{"id": b}, {"id": a}]
    assert after["attributes"]["packshot"] == {"id": c}
    assert set(after["assets"]) == {a, b, c}
    full = plytix.product(product["id"])
    assert [x["id"] for x in full["attributes"]["webshop_images"]] == [b, a]
    assert full["attributes"]["packshot"]["filename"]


def test_get_product_with_all_attributes_lists_empty_ones(plytix, state):
    product = single(state)
    sparse = plytix.product(product["id"])["attributes"]
    full = plytix.ok("GET", f"/products/{product['id']}",
                     params={"all_attributes": "true"})["data"][0]["attributes"]
    assert set(full) == {a["label"] for a in state["attributes"]}
    assert set(sparse) == set(product["attributes"]) and full["packshot"] is None


def test_variants_create_link_unlink_and_delete_with_parent(plytix, state):
    parent = single(state)
    created = plytix.ok("POST", f"/products/{parent['id']}/variants", 201,
                        json={"variant": {"sku": f"{parent['sku']}-V1",
                                          "attributes": {"size": "M"}}})["data"][0]
    assert created["_parent_id"] == parent["id"] and created["product_level"] == 2
    assert created["attributes"]["size"] == "M"
    assert created["attributes"]["style_code"] == parent["attributes"]["style_code"]
    other = [plytix.ok("POST", "/products", 201, json={"sku": "LOOSE-1"})["data"][0]]
    plytix.ok("POST", f"/products/{parent['id']}/variant/{other[0]['id']}", 201)
    assert plytix.call("POST", f"/products/{parent['id']}/variant/{other[0]['id']}"
                       ).status_code == 409
    after = stored(plytix, parent["id"])
    assert (after["product_level"], after["num_variations"]) == (1, 2)
    listed = plytix.ok("GET", f"/products/{parent['id']}/variants")["data"]
    assert {v["id"] for v in listed} == {created["id"], other[0]["id"]}
    row = plytix.search(filters=conditions(("id", "eq", created["id"])))["data"][0]
    assert row["_parent_id"] == parent["id"]
    plytix.ok("DELETE", f"/products/{parent['id']}/variant/{other[0]['id']}", 204)
    assert "_parent_id" not in stored(plytix, other[0]["id"])
    plytix.ok("DELETE", f"/products/{parent['id']}", 204)
    ids = {p["id"] for p in plytix.admin.state()["products"]}
    assert parent["id"] not in ids and created["id"] not in ids and other[0]["id"] in ids
    assert plytix.call("GET", f"/products/{parent['id']}").status_code == 404


def test_product_categories_and_family(plytix, state):
    product = single(state)
    extra = next(c for c in state["product_categories"] if c["id"] not in product["categories"])
    plytix.ok("POST", f"/products/{product['id']}/categories", 201, json={"id": extra["id"]})
    assert plytix.call("POST", f"/products/{product['id']}/categories",
                       json={"id": extra["id"]}).status_code == 409
    listed = plytix.ok("GET", f"/products/{product['id']}/categories")["data"]
    assert extra["id"] in {c["id"] for c in listed}
    plytix.ok("DELETE", f"/products/{product['id']}/categories/{extra['id']}", 204)
    assert stored(plytix, product["id"])["categories"] == product["categories"]
    family = next(f for f in state["product_families"]
                  if f["id"] != product["product_family_id"])
    plytix.ok("POST", f"/products/{product['id']}/family",
              json={"product_family_id": family["id"]})
    assert stored(plytix, product["id"])["product_family_id"] == family["id"]


def test_relationships_link_quantity_and_unlink(plytix, state):
    first, second = state["products"][:2]
    relation = plytix.ok("POST", "/relationships", 201,
                         json={"name": "Goes with", "symmetric": True})["data"][0]
    assert relation["label"] == "goes_with"
    plytix.ok("POST", f"/products/{first['id']}/relationships/{relation['id']}", 201,
              json={"product_relationships": [{"product_id": second["id"], "quantity": 2}]})
    back = stored(plytix, second["id"])["relationships"][0]["related_products"]
    assert [(r["product_id"], r["quantity"]) for r in back] == [(first["id"], 2)]
    plytix.ok("PATCH", f"/products/{first['id']}/relationships/{relation['id']}"
                       f"/product/{second['id']}", json={"quantity": 5})
    mine = stored(plytix, first["id"])["relationships"][0]["related_products"]
    assert mine[0]["quantity"] == 5
    plytix.ok("POST", f"/products/{first['id']}/relationships/{relation['id']}/unlink",
              json={"related_product_ids": [second["id"]]})
    assert stored(plytix, first["id"])["relationships"][0]["related_products"] == []
    assert stored(plytix, second["id"])["relationships"][0]["related_products"] == []


def test_writes_move_modified_past_every_seeded_timestamp(plytix, state):
    newest = max(p["modified"] for p in state["products"])
    product = single(state)
    plytix.ok("PATCH", f"/products/{product['id']}", json={"label": "Touched"})
    found = plytix.search(filters=conditions(("modified", "gt", newest)),
                          attributes=["label"])["data"]
    assert [(r["id"], r["label"]) for r in found] == [(product["id"], "Touched")]


def test_modified_ranges_stay_right_after_writes_reorder_the_store(plytix, state):
    stamps = sorted(p["modified"] for p in state["products"])
    low, high = stamps[len(stamps) // 4], stamps[3 * len(stamps) // 4]
    for product in (state["products"][0], state["products"][len(stamps) // 2]):
        plytix.ok("PATCH", f"/products/{product['id']}", json={"label": "moved"})
    plytix.ok("DELETE", f"/products/{state['products'][-1]['id']}", 204)
    now = plytix.admin.state()["products"]
    for filters, keep in [
        (conditions(("modified", "bte", [low, high])), lambda m: low <= m <= high),
        ([[{"field": "modified", "operator": "lt", "value": low}],
          [{"field": "modified", "operator": "gt", "value": high}]],
         lambda m: m < low or m > high),
    ]:
        found = plytix.search(filters=filters, pagination={"page_size": 100, "order": "modified"})
        expected = sorted((p for p in now if keep(p["modified"])),
                          key=lambda p: (p["modified"], p["id"]))
        assert [r["id"] for r in found["data"]] == [p["id"] for p in expected]


def test_bad_json_is_400(plytix, state):
    response = plytix.call("PATCH", f"/products/{single(state)['id']}", data="{not json",
                           headers={"Content-Type": "application/json"})
    assert response.status_code == 400
