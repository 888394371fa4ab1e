"""Plytix emulator, API v2 products: search, get, create, PATCH, delete in the v2 shapes."""

from __future__ import annotations

import pytest
from plytix_emulator_client import conditions, single
from plytix_v2_emulator_client import NAIVE_STAMP, PlytixV2

SEARCH_ROW = {"id", "sku", "num_variations", "modified_user_audit"}
WRITE_ANSWER = {"id", "created", "modified", "created_user_audit", "modified_user_audit"}
GET_KEYS = {
    "id",
    "account_id",
    "sku",
    "label",
    "status",
    "created",
    "modified",
    "created_user_audit",
    "modified_user_audit",
    "mark_as_deleted",
    "num_variations",
    "product_level",
    "product_type",
    "thumbnail",
    "assets",
    "categories",
    "relationships",
    "overwritten_attributes",
    "static_list_ids",
    "attributes",
}
MISSING = "000000000000000000000000"


PLYTIX_CLIENT = PlytixV2


def with_gallery(state: dict) -> dict:
    return next(p for p in state["products"] if p["attributes"].get("media_gallery"))


# --- search ---------------------------------------------------------------------------------
def test_search_rows_without_columns_are_the_v2_minimum(plytix, state):
    found = plytix.search(pagination={"page": 1, "page_size": 100})
    assert found["pagination"]["total_count"] == len(state["products"])
    assert found["pagination"]["order"] is None
    assert len(found["data"]) == len(state["products"])
    parents = {p["id"]: p.get("_parent_id") for p in state["products"]}
    for row in found["data"]:
        expected = SEARCH_ROW | ({"parent_id"} if parents[row["id"]] else set())
        assert set(row) == expected, row
        assert row.get("parent_id") == parents[row["id"]]
        assert row["modified_user_audit"] == {
            "type": "USER",
            "user_email": "owner@demo-brand.example",
            "user_name": "Demo Owner",
        }
    assert any("parent_id" in row for row in found["data"])


def test_search_columns_come_in_v2_shapes(plytix, state):
    product = with_gallery(state)
    found = plytix.search(
        filters=conditions(("sku", "eq", product["sku"])),
        attributes=[
            "label",
            "thumbnail",
            "assets",
            "categories",
            "modified",
            "created",
            "product_type",
            "attributes.media_gallery",
            "attributes.launch_date",
            "attributes.packshot",
        ],
    )
    row = found["data"][0]
    assert row["thumbnail"] == {"id": product["thumbnail"]["id"]}
    assert row["assets"] == [{"id": a} for a in product["assets"]]
    assert row["categories"] == [{"id": c} for c in product["categories"]]
    assert row["attributes"]["media_gallery"] == [
        r["id"] for r in product["attributes"]["media_gallery"]
    ]
    assert row["attributes"]["launch_date"] == product["attributes"]["launch_date"] + "T00:00:00"
    assert "packshot" not in row["attributes"]  # empty values are left out
    assert NAIVE_STAMP.match(row["modified"]) and NAIVE_STAMP.match(row["created"])
    assert row["product_type"] == "VARIANT" and row["parent_id"] == product["_parent_id"]
    assert "_parent_id" not in row


def test_search_takes_50_columns_and_refuses_51(plytix, state):
    for n in range(8):  # the seed has 25 custom attributes and 17 core columns: make it 50
        plytix.v1_ok(
            "POST",
            "/attributes/product",
            201,
            json={"name": f"Extra {n}", "type_class": "TextAttribute"},
        )
    labels = [a["label"] for a in plytix.admin.state()["attributes"]]
    core = [
        "label",
        "status",
        "created",
        "modified",
        "num_variations",
        "product_level",
        "product_family_id",
        "product_family_model_id",
        "product_type",
        "gtin",
        "thumbnail",
        "assets",
        "categories",
        "_parent_id",
        "relationships",
        "overwritten_attributes",
        "static_lists",
    ]
    columns = core + [f"attributes.{label}" for label in labels]
    assert len(columns) == 50
    found = plytix.search(attributes=["id", "sku", *columns], pagination={"page_size": 5})
    assert len(found["data"]) == 5
    too_many = plytix.call(
        "POST", "/products/search", json={"attributes": [*columns, "attributes.not_there"]}
    )
    assert too_many.status_code == 422
    assert too_many.json() == {
        "error": {
            "msg": "Schema validation error",
            "errors": [{"field": "schema", "msg": "columns limit exceeded, current limit is 50"}],
        }
    }
    v1 = plytix.v1("POST", "/products/search", json={"attributes": columns[:21]})
    assert v1.status_code == 422  # v1 keeps its cap of 20


def test_search_v2_cap_is_a_setting(plytix):
    plytix.admin.settings(v2_max_columns=2)
    assert (
        plytix.call(
            "POST", "/products/search", json={"attributes": ["label", "status"]}
        ).status_code
        == 200
    )
    assert (
        plytix.call(
            "POST", "/products/search", json={"attributes": ["label", "status", "modified"]}
        ).status_code
        == 422
    )


def test_search_filters_order_and_paging_as_v1(plytix, state):
    newest = sorted(state["products"], key=lambda p: p["modified"])[-5:]
    body = {
        "filters": conditions(("modified", "gt", newest[0]["modified"])),
        "attributes": ["modified"],
        "pagination": {"page": 1, "page_size": 2, "order": "modified"},
    }
    pages = []
    for page in (1, 2, 3):
        body["pagination"]["page"] = page
        found = plytix.search(**body)
        assert found["pagination"]["total_count"] == 4
        pages += [row["id"] for row in found["data"]]
    assert pages == [p["id"] for p in newest[1:]]
    assert plytix.v1_ok("POST", "/products/search", json=body)["pagination"]["total_count"] == 4


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        ({"filters": conditions(("sku", "in", ["A", "B"]))}, 422, "sku"),
        ({"filters": conditions(("nope", "eq", 1))}, 422, "nope"),
        ({"pagination": {"page_size": 101}}, 422, "pagination.page_size"),
        ({"attributes": ["attributes.nope"]}, 422, "attributes.nope"),
    ],
)
def test_search_refusals_as_v1(plytix, body, status, field):
    response = plytix.call("POST", "/products/search", json=body)
    assert response.status_code == status
    assert response.json()["error"]["errors"][0]["field"] == field


def test_search_428_over_the_ordered_limit(plytix, state):
    plytix.admin.settings(max_ordered_results=10)
    ordered = plytix.call("POST", "/products/search", json={"pagination": {"order": "sku"}})
    assert ordered.status_code == 428
    assert plytix.call("POST", "/products/search", json={}).status_code == 200


def test_v2_needs_the_token_and_shares_the_rate_windows(plytix, emulators):
    bare = plytix.http.post(
        f"{emulators.plytix_url}/api/v2/products/search", json={}, headers={"Authorization": ""}
    )
    assert bare.status_code == 401
    plytix.admin.settings(requests_per_10s=2)
    assert plytix.v1("POST", "/products/search", json={}).status_code == 200
    assert plytix.call("POST", "/products/search", json={}).status_code == 200
    limited = plytix.call("POST", "/products/search", json={})
    assert limited.status_code == 429
    assert plytix.v1("POST", "/assets/search", json={}).status_code == 429


def test_get_products_without_search_is_405(plytix):
    assert plytix.call("GET", "/products").status_code == 405


# --- get ------------------------------------------------------------------------------------
def test_get_shape_references_as_ids(plytix, state):
    product = with_gallery(state)
    shown = plytix.product(product["id"])
    assert set(shown) == GET_KEYS | {"parent_id", "product_family_id"}
    assert len(shown["account_id"]) == 24 and int(shown["account_id"], 16) >= 0
    assert shown["mark_as_deleted"] is False
    assert shown["product_type"] == "VARIANT" and shown["parent_id"] == product["_parent_id"]
    assert shown["thumbnail"] == {"id": product["thumbnail"]["id"]}
    assert shown["assets"] == [{"id": a} for a in product["assets"]]
    assert shown["categories"] == [{"id": c} for c in product["categories"]]
    gallery = shown["attributes"]["media_gallery"]
    assert gallery == [r["id"] for r in product["attributes"]["media_gallery"]]
    assert all(isinstance(asset_id, str) for asset_id in gallery)
    assert shown["attributes"]["launch_date"] == f"{product['attributes']['launch_date']}T00:00:00"
    assert shown["attributes"]["price"] == product["attributes"]["price"]  # numbers typed
    assert NAIVE_STAMP.match(shown["created"]) and NAIVE_STAMP.match(shown["modified"])
    assert shown["created"] == product["created"].removesuffix("+00:00")
    for audit in (shown["created_user_audit"], shown["modified_user_audit"]):
        assert audit["type"] == "USER" and set(audit) == {
            "type",
            "user_email",
            "user_id",
            "user_name",
        }


def test_get_single_media_is_a_one_element_list_and_all_attributes(plytix, state):
    product = single(state)
    asset_id = state["assets"][0]["id"]
    plytix.v1_ok(
        "PATCH", f"/products/{product['id']}", json={"attributes": {"packshot": {"id": asset_id}}}
    )
    shown = plytix.product(product["id"])
    assert shown["attributes"]["packshot"] == [asset_id]
    assert "parent_id" not in shown and shown["product_type"] == "SINGLE"
    everything = plytix.ok("GET", f"/products/{product['id']}", params={"all_attributes": "true"})[
        "data"
    ][0]
    assert set(everything["attributes"]) == {a["label"] for a in state["attributes"]}
    assert everything["attributes"]["image_credit"] is None


def test_get_completeness_is_a_number(plytix, emulators, state):
    """Plytix computes completeness (the API cannot write it): arrange one in the store."""
    product = single(state)
    with emulators.plytix.lock:
        emulators.plytix.store.products[product["id"]]["attributes"]["completeness"] = "71.43"
    assert plytix.product(product["id"])["attributes"]["completeness"] == 71.43


def test_get_unknown_product_is_404_as_recorded(plytix):
    response = plytix.call("GET", f"/products/{MISSING}")
    assert response.status_code == 404
    assert response.json() == {
        "error": {
            "msg": "No results found for None",
            "errors": [{"field": "id", "msg": "does not exist"}],
        }
    }


# --- create, patch, delete ------------------------------------------------------------------
def test_create_answers_ids_timestamps_and_audits_only(plytix, state):
    asset_ids = [a["id"] for a in state["assets"][:2]]
    category = state["product_categories"][0]["id"]
    response = plytix.call(
        "POST",
        "/products",
        json={
            "sku": "V2-NEW-1",
            "label": "New",
            "categories": [{"id": category}],
            "attributes": {"color": "Red", "media_gallery": asset_ids, "packshot": [asset_ids[0]]},
            "id": "ignored",
            "product_type": "PARENT",
        },
    )
    assert response.status_code == 201, response.text
    answer = response.json()["data"][0]
    assert set(answer) == WRITE_ANSWER
    assert response.headers["Location"] == f"/api/v2/products/{answer['id']}"
    assert answer["created_user_audit"]["type"] == answer["modified_user_audit"]["type"] == "API"
    assert NAIVE_STAMP.match(answer["created"])
    kept = plytix.stored(answer["id"])
    assert kept["sku"] == "V2-NEW-1" and kept["categories"] == [category]
    assert kept["attributes"]["media_gallery"] == [{"id": a} for a in asset_ids]
    assert kept["attributes"]["packshot"] == {"id": asset_ids[0]}
    assert set(asset_ids) <= set(kept["assets"])
    again = plytix.call("POST", "/products", json={"sku": "V2-NEW-1"})
    assert again.status_code == 409
    assert plytix.call("POST", "/products", json={"label": "no sku"}).status_code == 422


def test_patch_answers_thinly_and_moves_modified_and_its_audit(plytix, state):
    product = single(state)
    asset_ids = [a["id"] for a in state["assets"][:3]]
    response = plytix.call(
        "PATCH",
        f"/products/{product['id']}",
        json={
            "label": "Changed",
            "attributes": {
                "media_gallery": asset_ids[::-1],
                "packshot": [asset_ids[1]],
                "image_credit": "Ana",
            },
        },
    )
    assert response.status_code == 200, response.text
    answer = response.json()["data"][0]
    assert set(answer) == WRITE_ANSWER and answer["id"] == product["id"]
    assert answer["created_user_audit"]["type"] == "USER"
    assert answer["modified_user_audit"]["type"] == "API"
    assert answer["modified"] > product["modified"].removesuffix("+00:00")
    kept = plytix.stored(product["id"])
    assert kept["label"] == "Changed" and kept["attributes"]["image_credit"] == "Ana"
    assert kept["attributes"]["media_gallery"] == [{"id": a} for a in asset_ids[::-1]]
    shown = plytix.product(product["id"])
    assert shown["attributes"]["media_gallery"] == asset_ids[::-1]
    assert shown["attributes"]["packshot"] == [asset_ids[1]]
    row = plytix.search(filters=conditions(("sku", "eq", product["sku"])))["data"][0]
    assert row["modified_user_audit"]["type"] == "API"
    plytix.ok(
        "PATCH",
        f"/products/{product['id']}",
        json={"attributes": {"packshot": [], "media_gallery": None}},
    )
    cleared = plytix.stored(product["id"])["attributes"]
    assert "packshot" not in cleared and "media_gallery" not in cleared


@pytest.mark.parametrize(
    ("attributes", "field"),
    [
        (lambda a: {"media_gallery": [{"id": a}]}, "attributes.media_gallery"),
        (lambda a: {"packshot": {"id": a}}, "attributes.packshot"),
        (lambda a: {"packshot": [a, a]}, "attributes.packshot"),
        (lambda a: {"media_gallery": a}, "attributes.media_gallery"),
        (lambda a: {"media_gallery": [MISSING]}, "attributes.media_gallery"),
        (lambda a: {"color": "Purple"}, "attributes.color"),
    ],
)
def test_patch_refuses_media_not_given_as_id_lists_and_writes_nothing(
    plytix, state, attributes, field
):
    product = single(state)
    body = {"label": "not written", "attributes": attributes(state["assets"][0]["id"])}
    response = plytix.call("PATCH", f"/products/{product['id']}", json=body)
    assert response.status_code == 422, response.text
    assert response.json()["error"]["errors"][0]["field"] == field
    assert plytix.stored(product["id"]) == product


@pytest.mark.parametrize("mode", ["merge", "replace"])
def test_patch_mode_applies_to_v2(plytix, state, mode):
    product = single(state)
    plytix.admin.settings(patch_mode=mode)
    plytix.ok(
        "PATCH",
        f"/products/{product['id']}",
        json={"attributes": {"image_credit": "Ana", "description": None}},
    )
    kept = plytix.stored(product["id"])["attributes"]
    if mode == "merge":
        expected = {k: v for k, v in product["attributes"].items() if k != "description"}
        assert kept == {**expected, "image_credit": "Ana"}
    else:
        assert kept == {"image_credit": "Ana"}


def test_patch_and_delete_of_unknown_product_are_404(plytix):
    for method in ("PATCH", "DELETE"):
        response = plytix.call(method, f"/products/{MISSING}", json={"label": "x"})
        assert response.status_code == 404
        assert response.json()["error"]["errors"] == [{"field": "id", "msg": "does not exist"}]


def test_delete_removes_the_product_and_its_variants(plytix, state):
    parent = next(p for p in state["products"] if p["num_variations"])
    variants = {p["id"] for p in state["products"] if p.get("_parent_id") == parent["id"]}
    assert plytix.call("DELETE", f"/products/{parent['id']}").status_code == 204
    left = {p["id"] for p in plytix.admin.state()["products"]}
    assert parent["id"] not in left and not variants & left
    assert plytix.call("GET", f"/products/{parent['id']}").status_code == 404


@pytest.mark.parametrize("field", ["parent_id", "_parent_id"])
def test_search_finds_a_parents_variants_by_parent_id(plytix, state, field):
    parent = next(p for p in state["products"] if p["num_variations"])
    variants = sorted(p["sku"] for p in state["products"] if p.get("_parent_id") == parent["id"])
    found = plytix.search(
        filters=conditions((field, "eq", parent["id"])),
        attributes=["parent_id"],
        pagination={"page_size": 100, "order": "sku"},
    )
    assert [row["sku"] for row in found["data"]] == variants
    assert {row["parent_id"] for row in found["data"]} == {parent["id"]}
    singles = plytix.search(
        filters=conditions(("parent_id", "!exists", None)), pagination={"page_size": 100}
    )
    assert singles["pagination"]["total_count"] == sum(
        1 for p in state["products"] if not p.get("_parent_id")
    )
