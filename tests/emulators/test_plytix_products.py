"""Plytix emulator: product writes, PATCH semantics, variants, categories, relationships."""

from __future__ import annotations

import pytest
from plytix_emulator_client import Plytix, conditions, single


def test_create_gives_201_location_and_409_on_duplicate_sku(plytix, state):
    category = state["product_categories"][0]["id"]
    response = plytix.call(
        "POST",
        "/products",
        json={
            "sku": "NEW-1",
            "label": "New thing",
            "status": "Draft",
            "categories": [category],
            "attributes": {"color": "Red", "price": 12.5},
        },
    )
    assert response.status_code == 201
    created = response.json()["data"][0]
    assert len(created["id"]) == 24 and int(created["id"], 16) >= 0
    assert response.headers["Location"] == f"/api/v1/products/{created['id']}"
    kept = plytix.stored(created["id"])
    assert kept["attributes"] == {"color": "Red", "price": 12.5}
    assert kept["categories"] == [category] and kept["product_level"] == 0
    again = plytix.call("POST", "/products", json={"sku": "NEW-1"})
    assert again.status_code == 409
    assert again.json()["error"]["errors"][0]["field"] == "sku"


def test_patch_merges_attributes_by_default_and_null_clears(plytix, state):
    product = single(state)
    before = dict(product["attributes"])
    plytix.ok(
        "PATCH",
        f"/products/{product['id']}",
        json={"attributes": {"image_credit": "Ana Ruiz", "description": None}},
    )
    after = plytix.stored(product["id"])
    expected = {k: v for k, v in before.items() if k != "description"}
    assert after["attributes"] == {**expected, "image_credit": "Ana Ruiz"}
    assert after["modified"] > product["modified"]


def test_patch_in_replace_mode_drops_attributes_not_sent(plytix, state):
    product = single(state)
    plytix.admin.settings(patch_mode="replace")
    plytix.ok(
        "PATCH", f"/products/{product['id']}", json={"attributes": {"image_credit": "Ana Ruiz"}}
    )
    assert plytix.stored(product["id"])["attributes"] == {"image_credit": "Ana Ruiz"}
    plytix.ok("PATCH", f"/products/{product['id']}", json={"label": "Only the label"})
    assert plytix.stored(product["id"])["attributes"] == {"image_credit": "Ana Ruiz"}


@pytest.mark.parametrize(
    ("attributes", "field"),
    [
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
    ],
)
def test_patch_validates_labels_and_types_and_writes_nothing(plytix, state, attributes, field):
    product = single(state)
    response = plytix.call(
        "PATCH", f"/products/{product['id']}", json={"label": "changed", "attributes": attributes}
    )
    assert response.status_code == 422, response.text
    assert response.json()["error"]["errors"][0]["field"] == field
    assert plytix.stored(product["id"]) == product


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"status": "Published"}, "status"),
        ({"categories": ["nope"]}, "categories"),
        ({"thumbnail": {"id": "nope"}}, "thumbnail"),
    ],
)
def test_patch_validates_core_fields(plytix, state, body, field):
    product = single(state)
    response = plytix.call("PATCH", f"/products/{product['id']}", json=body)
    assert response.status_code == 422
    assert response.json()["error"]["errors"][0]["field"] == field


READ_ONLY_AND_UNKNOWN = {
    "colour": "Red",
    "id": "0" * 24,
    "created": "2020-01-01",
    "num_variations": 9,
    "product_type": "PARENT",
    "_parent_id": "x",
    "modified_user_audit": {"type": "API"},
}


def test_unknown_and_read_only_keys_in_writes_are_ignored(plytix, state):
    product = single(state)
    plytix.ok(
        "PATCH", f"/products/{product['id']}", json={**READ_ONLY_AND_UNKNOWN, "label": "Kept"}
    )
    after = plytix.stored(product["id"])
    assert after["label"] == "Kept" and after["id"] == product["id"]
    assert (after["created"], after["num_variations"]) == (
        product["created"],
        product["num_variations"],
    )
    assert "colour" not in after and "_parent_id" not in after
    created = plytix.call("POST", "/products", json={**READ_ONLY_AND_UNKNOWN, "sku": "IGN-1"})
    assert created.status_code == 201, created.text
    row = plytix.stored(created.json()["data"][0]["id"])
    assert row["id"] != "0" * 24 and row["num_variations"] == 0 and "colour" not in row


def test_unknown_write_keys_refuse_names_the_key(plytix, state):
    plytix.admin.settings(unknown_write_keys="refuse")
    product = single(state)
    response = plytix.call(
        "PATCH", f"/products/{product['id']}", json={"colour": "Red", "label": "no"}
    )
    assert response.status_code == 422
    assert response.json()["error"]["errors"][0]["field"] == "colour"
    assert plytix.stored(product["id"]) == product


def test_one_patch_sets_thumbnail_gallery_and_rights_and_links_the_assets(plytix, state):
    product = single(state)
    a, b, c = (asset["id"] for asset in state["assets"][:3])
    plytix.ok(
        "PATCH",
        f"/products/{product['id']}",
        json={
            "thumbnail": {"id": a},
            "attributes": {
                "webshop_images": [{"id": b}, {"id": a}],
                "packshot": {"id": c},
                "image_rights_expiry": "2027-06-30",
                "image_allowed_channels": ["webshop", "amazon"],
            },
        },
    )
    after = plytix.stored(product["id"])
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
    full = plytix.ok("GET", f"/products/{product['id']}", params={"all_attributes": "true"})[
        "data"
    ][0]["attributes"]
    assert set(full) == {a["label"] for a in state["attributes"]}
    assert set(sparse) == set(product["attributes"]) and full["packshot"] == ""
    plytix.admin.settings(value_types="strict")
    strict = plytix.ok("GET", f"/products/{product['id']}", params={"all_attributes": "true"})[
        "data"
    ][0]["attributes"]
    assert strict["packshot"] is None and strict["image_credit"] is None


def test_get_product_shape_type_parent_id_and_static_lists(plytix, state):
    by_level = {
        level: next(p for p in state["products"] if p["product_level"] == level)
        for level in (0, 1, 2)
    }
    shown = {level: plytix.product(p["id"]) for level, p in by_level.items()}
    assert [shown[level]["product_type"] for level in (0, 1, 2)] == ["SINGLE", "PARENT", "VARIANT"]
    assert shown[0]["_parent_id"] is None and shown[1]["_parent_id"] is None
    assert shown[2]["_parent_id"] == by_level[2]["_parent_id"]
    assert all(s["static_lists"] == [] for s in shown.values())
    rows = plytix.search(
        attributes=["product_type"], filters=conditions(("sku", "eq", by_level[2]["sku"]))
    )["data"]
    assert rows[0]["product_type"] == "VARIANT"


def test_unknown_product_is_404_with_the_recorded_error(plytix):
    response = plytix.call("GET", f"/products/{'0' * 24}")
    assert response.status_code == 404
    assert response.json()["error"]["errors"] == [{"field": "id", "msg": "product does not exist"}]


def typed_values(plytix: Plytix, products: list[dict]) -> dict[tuple[str, str], object]:
    return {
        (p["id"], label): value
        for p in products
        for label, value in plytix.product(p["id"])["attributes"].items()
        if label in ("price", "weight_g", "launch_date")
    }


def test_values_are_loosely_typed_and_the_same_each_time(plytix, state):
    products = [p for p in state["products"] if "price" in p["attributes"]][:20]
    loose = typed_values(plytix, products)
    assert typed_values(plytix, products) == loose
    kinds = {type(v) for (_, label), v in loose.items() if label in ("price", "weight_g")}
    assert kinds == {str, int, float}, "some numbers come as strings, some not"
    stored_by_id = {p["id"]: p for p in products}
    for (product_id, label), value in loose.items():
        original = stored_by_id[product_id]["attributes"][label]
        if label == "launch_date":
            assert value == f"{original}T00:00:00"
        else:
            assert value == original or value == str(original)
    rows = plytix.search(
        attributes=["attributes.price", "attributes.launch_date"],
        filters=conditions(("sku", "eq", products[0]["sku"])),
    )["data"]
    assert rows[0]["attributes"]["price"] == loose[(products[0]["id"], "price")]
    assert rows[0]["attributes"]["launch_date"].endswith("T00:00:00")
    plytix.admin.reset()
    plytix.login().unlimited()
    assert typed_values(plytix, products) == loose


def test_value_types_strict_serves_numbers_and_plain_dates(plytix, state):
    plytix.admin.settings(value_types="strict")
    products = [p for p in state["products"] if "price" in p["attributes"]][:20]
    for (product_id, label), value in typed_values(plytix, products).items():
        original = next(p for p in products if p["id"] == product_id)["attributes"][label]
        assert value == original and type(value) is type(original)


def test_variants_create_link_unlink_and_delete_with_parent(plytix, state):
    parent = single(state)
    created = plytix.ok(
        "POST",
        f"/products/{parent['id']}/variants",
        201,
        json={"variant": {"sku": f"{parent['sku']}-V1", "attributes": {"size": "M"}}},
    )["data"][0]
    assert created["_parent_id"] == parent["id"] and created["product_level"] == 2
    assert created["attributes"]["size"] == "M"
    assert created["attributes"]["style_code"] == parent["attributes"]["style_code"]
    other = [plytix.ok("POST", "/products", 201, json={"sku": "LOOSE-1"})["data"][0]]
    linked = plytix.ok("POST", f"/products/{parent['id']}/variant/{other[0]['id']}")
    assert linked["data"][0]["id"] == parent["id"]
    assert linked["data"][0]["num_variations"] == 2
    assert (
        plytix.call("POST", f"/products/{parent['id']}/variant/{other[0]['id']}").status_code == 409
    )
    after = plytix.stored(parent["id"])
    assert (after["product_level"], after["num_variations"]) == (1, 2)
    listed = plytix.ok("GET", f"/products/{parent['id']}/variants")["data"]
    assert {v["id"] for v in listed} == {created["id"], other[0]["id"]}
    row = plytix.search(filters=conditions(("sku", "eq", created["sku"])))["data"][0]
    assert row["_parent_id"] == parent["id"]
    plytix.ok("DELETE", f"/products/{parent['id']}/variant/{other[0]['id']}", 204)
    assert "_parent_id" not in plytix.stored(other[0]["id"])
    plytix.ok("DELETE", f"/products/{parent['id']}", 204)
    ids = {p["id"] for p in plytix.admin.state()["products"]}
    assert parent["id"] not in ids and created["id"] not in ids and other[0]["id"] in ids
    assert plytix.call("GET", f"/products/{parent['id']}").status_code == 404


def test_product_categories_and_family(plytix, state):
    product = single(state)
    extra = next(c for c in state["product_categories"] if c["id"] not in product["categories"])
    plytix.ok("POST", f"/products/{product['id']}/categories", 201, json={"id": extra["id"]})
    assert (
        plytix.call(
            "POST", f"/products/{product['id']}/categories", json={"id": extra["id"]}
        ).status_code
        == 409
    )
    listed = plytix.ok("GET", f"/products/{product['id']}/categories")["data"]
    assert extra["id"] in {c["id"] for c in listed}
    plytix.ok("DELETE", f"/products/{product['id']}/categories/{extra['id']}", 204)
    assert plytix.stored(product["id"])["categories"] == product["categories"]
    family = next(f for f in state["product_families"] if f["id"] != product["product_family_id"])
    plytix.ok("POST", f"/products/{product['id']}/family", json={"product_family_id": family["id"]})
    assert plytix.stored(product["id"])["product_family_id"] == family["id"]


def test_relationships_link_quantity_and_unlink(plytix, state):
    first, second = state["products"][:2]
    relation = plytix.ok(
        "POST", "/relationships", 201, json={"name": "Goes with", "symmetric": True}
    )["data"][0]
    assert relation["label"] == "goes_with"
    plytix.ok(
        "POST",
        f"/products/{first['id']}/relationships/{relation['id']}",
        201,
        json={"product_relationships": [{"product_id": second["id"], "quantity": 2}]},
    )
    back = plytix.stored(second["id"])["relationships"][0]["related_products"]
    assert [(r["product_id"], r["quantity"]) for r in back] == [(first["id"], 2)]
    plytix.ok(
        "PATCH",
        f"/products/{first['id']}/relationships/{relation['id']}/product/{second['id']}",
        json={"quantity": 5},
    )
    mine = plytix.stored(first["id"])["relationships"][0]["related_products"]
    assert mine[0]["quantity"] == 5
    plytix.ok(
        "POST",
        f"/products/{first['id']}/relationships/{relation['id']}/unlink",
        204,
        json={"product_relationships": [{"product_id": second["id"]}]},
    )
    assert plytix.stored(first["id"])["relationships"][0]["related_products"] == []
    assert plytix.stored(second["id"])["relationships"][0]["related_products"] == []


def test_relating_a_product_that_does_not_exist_is_409(plytix, state):
    first = state["products"][0]
    relation = plytix.ok("POST", "/relationships", 201, json={"name": "Spare part"})["data"][0]
    response = plytix.call(
        "POST",
        f"/products/{first['id']}/relationships/{relation['id']}",
        json={"product_relationships": [{"product_id": "0" * 24}]},
    )
    assert response.status_code == 409
    assert response.json()["error"]["msg"] == "relationship data validation failed"
    assert plytix.stored(first["id"])["relationships"] == []


def test_writes_move_modified_past_every_seeded_timestamp(plytix, state):
    newest = max(p["modified"] for p in state["products"])
    product = single(state)
    plytix.ok("PATCH", f"/products/{product['id']}", json={"label": "Touched"})
    found = plytix.search(filters=conditions(("modified", "gt", newest)), attributes=["label"])[
        "data"
    ]
    assert [(r["id"], r["label"]) for r in found] == [(product["id"], "Touched")]


def test_modified_ranges_stay_right_after_writes_reorder_the_store(plytix, state):
    stamps = sorted(p["modified"] for p in state["products"])
    low, high = stamps[len(stamps) // 4], stamps[3 * len(stamps) // 4]
    for product in (state["products"][0], state["products"][len(stamps) // 2]):
        plytix.ok("PATCH", f"/products/{product['id']}", json={"label": "moved"})
    plytix.ok("DELETE", f"/products/{state['products'][-1]['id']}", 204)
    now = plytix.admin.state()["products"]
    for filters, keep in [
        (
            conditions(("modified", "gte", low), ("modified", "lte", high)),
            lambda m: low <= m <= high,
        ),
        (
            [
                [{"field": "modified", "operator": "lt", "value": low}],
                [{"field": "modified", "operator": "gt", "value": high}],
            ],
            lambda m: m < low or m > high,
        ),
    ]:
        found = plytix.search(filters=filters, pagination={"page_size": 100, "order": "modified"})
        expected = sorted(
            (p for p in now if keep(p["modified"])), key=lambda p: (p["modified"], p["id"])
        )
        assert [r["id"] for r in found["data"]] == [p["id"] for p in expected]


def test_bad_json_is_400(plytix, state):
    response = plytix.call(
        "PATCH",
        f"/products/{single(state)['id']}",
        data="{not json",
        headers={"Content-Type": "application/json"},
    )
    assert response.status_code == 400
