"""Plytix emulator, API v2 product links: assets, categories, variants, family, relationships."""

from __future__ import annotations

import pytest
from plytix_emulator_client import single
from plytix_v2_emulator_client import NAIVE_STAMP, PlytixV2

WRITE_ANSWER = {"id", "created", "modified", "created_user_audit", "modified_user_audit"}
MISSING = "000000000000000000000000"


PLYTIX_CLIENT = PlytixV2


def parent_of_family(state: dict) -> dict:
    return next(p for p in state["products"] if p["num_variations"] and p["product_family_id"])


def new_single(plytix: PlytixV2, sku: str, **fields) -> str:
    return plytix.ok("POST", "/products", 201, json={"sku": sku, **fields})["data"][0]["id"]


# --- assets ---------------------------------------------------------------------------------
def test_product_assets_list_link_and_unlink(plytix, state):
    product = single(state)
    asset_id = state["assets"][0]["id"]
    path = f"/products/{product['id']}/assets"
    assert plytix.ok("GET", path)["data"] == []
    linked = plytix.call("POST", path, json={"id": asset_id, "attribute_label": "media_gallery"})
    assert linked.status_code == 201, linked.text
    assert linked.json() == {"data": [{"id": asset_id}]}
    assert linked.headers["Location"] == f"/api/v1/assets/{asset_id}"  # assets live on v1
    assert [a["id"] for a in plytix.ok("GET", path)["data"]] == [asset_id]
    assert plytix.product(product["id"])["attributes"]["media_gallery"] == [asset_id]
    again = plytix.call("POST", path, json={"id": asset_id, "attribute_label": "media_gallery"})
    assert again.status_code == 409
    unknown = plytix.call("POST", path, json={"id": MISSING, "attribute_label": "thumbnail"})
    assert unknown.status_code == 404
    assert unknown.json()["error"]["errors"][0]["field"] == "asset.id"
    assert plytix.call("DELETE", f"{path}/{asset_id}").status_code == 204
    after = plytix.product(product["id"])
    assert after["assets"] == [] and "media_gallery" not in after["attributes"]
    assert plytix.call("GET", f"/products/{MISSING}/assets").status_code == 404


# --- categories -----------------------------------------------------------------------------
def test_product_categories_list_link_and_unlink(plytix, state):
    product = single(state)
    path = f"/products/{product['id']}/categories"
    category = next(
        c["id"] for c in state["product_categories"] if c["id"] not in product["categories"]
    )
    before = [c["id"] for c in plytix.ok("GET", path)["data"]]
    assert before == product["categories"]
    assert plytix.call("POST", path, json={"id": category}).status_code == 201
    assert plytix.product(product["id"])["categories"][-1] == {"id": category}
    assert plytix.call("POST", path, json={"id": category}).status_code == 409
    assert plytix.call("POST", path, json={"id": MISSING}).status_code == 422
    assert plytix.call("DELETE", f"{path}/{category}").status_code == 204
    assert plytix.stored(product["id"])["categories"] == product["categories"]


# --- variants -------------------------------------------------------------------------------
def test_variants_list_in_v2_shape(plytix, state):
    parent = parent_of_family(state)
    listed = plytix.ok("GET", f"/products/{parent['id']}/variants")["data"]
    expected = {p["id"] for p in state["products"] if p.get("_parent_id") == parent["id"]}
    assert {v["id"] for v in listed} == expected and len(listed) == parent["num_variations"]
    assert all(v["parent_id"] == parent["id"] and v["product_type"] == "VARIANT" for v in listed)


def test_create_variant_takes_the_variant_itself(plytix, state):
    parent = parent_of_family(state)
    path = f"/products/{parent['id']}/variants"
    nested = plytix.call("POST", path, json={"variant": {"sku": "V2-VAR-NESTED"}})
    assert nested.status_code == 422  # the v1 body shape: `variant` is not a v2 field
    assert nested.json()["error"]["errors"][0]["field"] == "sku"
    response = plytix.call("POST", path, json={"sku": "V2-VAR-1", "attributes": {"size": "M"}})
    assert response.status_code == 201, response.text
    answer = response.json()["data"][0]
    assert set(answer) == WRITE_ANSWER
    assert response.headers["Location"] == f"/api/v2/products/{answer['id']}"
    kept = plytix.stored(answer["id"])
    assert kept["_parent_id"] == parent["id"] and kept["attributes"]["size"] == "M"
    assert plytix.stored(parent["id"])["num_variations"] == parent["num_variations"] + 1


def test_link_variant_needs_the_same_family_and_answers_the_parent(plytix, state):
    parent = parent_of_family(state)
    loose = new_single(plytix, "V2-LOOSE")
    refused = plytix.call("POST", f"/products/{parent['id']}/variant/{loose}")
    assert refused.status_code == 422
    assert refused.json()["error"]["errors"][0]["field"] == "product_family_id"
    assert plytix.stored(loose).get("_parent_id") is None
    same = new_single(plytix, "V2-SAME-FAMILY")
    plytix.ok(
        "POST", f"/products/{same}/family", json={"product_family_id": parent["product_family_id"]}
    )
    linked = plytix.call("POST", f"/products/{parent['id']}/variant/{same}")
    assert linked.status_code == 200, linked.text
    answer = linked.json()["data"][0]
    assert set(answer) == WRITE_ANSWER and answer["id"] == parent["id"]
    assert plytix.stored(same)["_parent_id"] == parent["id"]
    assert plytix.product(same)["parent_id"] == parent["id"]
    assert plytix.call("DELETE", f"/products/{parent['id']}/variant/{same}").status_code == 204
    assert plytix.stored(same).get("_parent_id") is None
    assert plytix.stored(parent["id"])["num_variations"] == parent["num_variations"]


def test_resync_gives_variants_the_parents_values_again(plytix, state):
    parent = parent_of_family(state)
    variants = [p for p in state["products"] if p.get("_parent_id") == parent["id"]]
    label = next(k for k in ("description", "season", "style_code") if k in parent["attributes"])
    for variant in variants[:2]:
        plytix.ok(
            "PATCH",
            f"/products/{variant['id']}",
            json={
                "attributes": {label: "Overwritten"}
                if label != "season"
                else {
                    label: next(
                        o for o in ("SS26", "AW26", "SS27") if o != parent["attributes"][label]
                    )
                }
            },
        )
    path = f"/products/{parent['id']}/variants/resync"
    body = {"attribute_labels": [label], "variant_ids": [variants[0]["id"]]}
    assert plytix.call("POST", path, json=body).status_code == 204
    assert plytix.stored(variants[0]["id"])["attributes"][label] == parent["attributes"][label]
    assert plytix.stored(variants[1]["id"])["attributes"][label] != parent["attributes"][label]
    stranger = single(state)["id"]
    for bad, field in (
        ({"attribute_labels": [label], "variant_ids": [stranger]}, "variant_ids"),
        ({"attribute_labels": ["nope"], "variant_ids": [variants[1]["id"]]}, "attribute_labels"),
        ({"attribute_labels": [label]}, "variant_ids"),
    ):
        refused = plytix.call("POST", path, json=bad)
        assert refused.status_code == 422
        assert refused.json()["error"]["errors"][0]["field"] == field


# --- family ---------------------------------------------------------------------------------
def test_family_assign_unassign_and_not_on_variants(plytix, state):
    product_id = new_single(plytix, "V2-FAMILY")
    family = state["product_families"][0]["id"]
    path = f"/products/{product_id}/family"
    answer = plytix.ok("POST", path, json={"product_family_id": family})["data"][0]
    assert set(answer) == WRITE_ANSWER and answer["id"] == product_id
    assert plytix.product(product_id)["product_family_id"] == family
    plytix.ok("POST", path, json={"product_family_id": ""})
    assert plytix.stored(product_id)["product_family_id"] is None
    assert "product_family_id" not in plytix.product(product_id)
    assert plytix.call("POST", path, json={"product_family_id": MISSING}).status_code == 422
    variant = next(p for p in state["products"] if p.get("_parent_id"))
    refused = plytix.call(
        "POST", f"/products/{variant['id']}/family", json={"product_family_id": family}
    )
    assert refused.status_code == 422
    assert refused.json()["error"]["errors"][0]["field"] == "product_family_id"


# --- relationships --------------------------------------------------------------------------
@pytest.fixture
def relationship(plytix) -> dict:
    return plytix.v1_ok(
        "POST", "/relationships", 201, json={"name": "Goes with", "label": "goes_with"}
    )["data"][0]


def related(plytix: PlytixV2, product_id: str, label: str) -> dict[str, int]:
    links = plytix.product(product_id)["relationships"]
    return {
        r["product_id"]: r["quantity"]
        for link in links
        if link["relationship_label"] == label
        for r in link["related_products"]
    }


def test_relationships_assign_update_delete_ignore_unknown_ids(plytix, state, relationship):
    product, one, two = (p["id"] for p in state["products"][:3])
    path = f"/products/{product}/relationships/{relationship['id']}"
    assigned = plytix.call(
        "POST",
        path,
        json={
            "product_relationships": [
                {"product_id": one, "quantity": 2},
                {"product_id": MISSING},
                {"product_id": product},
            ]
        },
    )
    assert assigned.status_code == 204 and not assigned.content
    assert related(plytix, product, "goes_with") == {one: 2}
    assert (
        plytix.call(
            "POST",
            path,
            json={
                "product_relationships": [{"product_id": one, "quantity": 5}, {"product_id": two}]
            },
        ).status_code
        == 204
    )
    assert related(plytix, product, "goes_with") == {one: 2, two: 1}  # already there: kept
    assert related(plytix, one, "goes_with") == {}  # not symmetric
    link = plytix.product(product)["relationships"][0]
    assert all(NAIVE_STAMP.match(r["last_modified"]) for r in link["related_products"])
    assert (
        plytix.call(
            "PATCH",
            path,
            json={
                "product_relationships": [
                    {"product_id": one, "quantity": 7},
                    {"product_id": MISSING, "quantity": 3},
                ]
            },
        ).status_code
        == 204
    )
    assert related(plytix, product, "goes_with") == {one: 7, two: 1}
    deleted = plytix.call("DELETE", path, json={"product_relationships": [one, MISSING]})
    assert deleted.status_code == 204
    assert related(plytix, product, "goes_with") == {two: 1}
    refused = plytix.call(
        "POST", path, json={"product_relationships": [{"product_id": two, "quantity": 0}]}
    )
    assert refused.status_code == 422
    unknown = plytix.call(
        "POST",
        f"/products/{product}/relationships/{MISSING}",
        json={"product_relationships": [{"product_id": one}]},
    )
    assert unknown.status_code == 404


def test_symmetric_relationships_change_both_sides(plytix, state):
    relationship = plytix.v1_ok(
        "POST",
        "/relationships",
        201,
        json={"name": "Pairs with", "label": "pairs_with", "symmetric": True},
    )["data"][0]
    product, other = (p["id"] for p in state["products"][:2])
    path = f"/products/{product}/relationships/{relationship['id']}"
    plytix.ok("POST", path, 204, json={"product_relationships": [{"product_id": other}]})
    assert related(plytix, other, "pairs_with") == {product: 1}
    plytix.ok("DELETE", path, 204, json={"product_relationships": [other]})
    assert related(plytix, other, "pairs_with") == {}
    assert related(plytix, product, "pairs_with") == {}


def test_search_by_and_for_one_relationship(plytix, state, relationship):
    product, one, two = (p["id"] for p in state["products"][:3])
    plytix.ok(
        "POST",
        f"/products/{product}/relationships/{relationship['id']}",
        204,
        json={"product_relationships": [{"product_id": one, "quantity": 3}]},
    )
    found = plytix.search(
        filters=[[{"field": "relationships.goes_with", "operator": "in", "value": [one, two]}]],
        attributes=["relationships.goes_with"],
    )
    assert [row["id"] for row in found["data"]] == [product]
    links = found["data"][0]["relationships"]
    assert [
        (
            link["relationship_label"],
            [(r["product_id"], r["quantity"]) for r in link["related_products"]],
        )
        for link in links
    ] == [("goes_with", [(one, 3)])]
    unknown = plytix.call(
        "POST", "/products/search", json={"attributes": ["relationships.not_a_relationship"]}
    )
    assert unknown.status_code == 422
    like = plytix.call(
        "POST",
        "/products/search",
        json={
            "filters": [[{"field": "relationships.goes_with", "operator": "like", "value": one}]]
        },
    )
    assert like.status_code == 422  # listed fields take exists, !exists, in, !in
