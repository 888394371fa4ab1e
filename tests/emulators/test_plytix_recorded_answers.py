"""Plytix emulator v1: the answers saved in Plytix's own collection (docs/apis/plytix.md [S21]),
body for body, over HTTP: unknown ids, bodies that are not JSON, "already linked" conflicts,
links that are not there, the thumbnail expansion and the family id product search leaves out.
"""

from __future__ import annotations

import pytest
from plytix_emulator_client import conditions

MISSING = "0" * 24


def linked_product(state: dict) -> dict:
    return next(p for p in state["products"] if p["assets"] and p.get("thumbnail"))


@pytest.mark.parametrize(
    ("method", "suffix", "body"),
    [
        ("GET", "", None),
        ("PATCH", "", {"label": "x"}),
        ("DELETE", "", None),
        ("GET", "/assets", None),
        ("GET", "/categories", None),
        ("POST", "/categories", {"id": MISSING}),
        ("POST", "/family", {"product_family_id": ""}),
    ],
)
def test_unknown_product_is_no_results_found(plytix, method, suffix, body):
    response = plytix.call(method, f"/products/{MISSING}{suffix}", json=body)
    assert response.status_code == 404
    assert response.json() == {
        "error": {
            "msg": f"No results found for {MISSING}",
            "errors": [{"field": "id", "msg": "product does not exist"}],
        }
    }


@pytest.mark.parametrize(
    ("method", "body"), [("GET", None), ("PATCH", {"filename": "x.jpg"}), ("DELETE", None)]
)
def test_unknown_asset_is_no_results_found(plytix, method, body):
    response = plytix.call(method, f"/assets/{MISSING}", json=body)
    assert response.status_code == 404
    assert response.json() == {
        "error": {
            "msg": f"No results found for {MISSING}",
            "errors": [{"field": "asset_id", "msg": "asset does not exist"}],
        }
    }


@pytest.mark.parametrize("path", ["/products/search", "/products", "/assets/search"])
def test_a_body_that_is_not_json_is_400_with_the_status_entry(plytix, state, path):
    response = plytix.call(
        "POST", path, data=b'{"filters": [,]}', headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["msg"].startswith("Failed to decode JSON object: ")
    assert error["errors"] == [{"field": "http_status_code", "msg": 400}]
    assert plytix.admin.state() == state


def test_linking_a_linked_asset_is_409_already_linked_to_product_attribute(plytix, state):
    product = linked_product(state)
    asset_id = product["thumbnail"]["id"]
    for label in ("thumbnail", "assets"):
        again = plytix.call(
            "POST",
            f"/products/{product['id']}/assets",
            json={"id": asset_id, "attribute_label": label},
        )
        assert again.status_code == 409
        assert again.json() == {
            "error": {
                "msg": f"Asset id {asset_id} is already linked to product attribute",
                "errors": [{"field": "asset.id", "msg": "already linked"}],
            }
        }
    unknown = plytix.call(
        "POST",
        f"/products/{product['id']}/assets",
        json={"id": MISSING, "attribute_label": "thumbnail"},
    )
    assert unknown.status_code == 404
    assert unknown.json() == {
        "error": {
            "msg": f"Asset id {MISSING} does not exist",
            "errors": [{"field": "asset.id", "msg": "asset does not exist"}],
        }
    }
    assert plytix.admin.state() == state


def test_unlinking_an_asset_that_is_not_linked_is_404_not_related(plytix, state):
    product = next(p for p in state["products"] if not p["assets"])
    asset_id = state["assets"][0]["id"]
    response = plytix.call("DELETE", f"/products/{product['id']}/assets/{asset_id}")
    message = f"asset id {asset_id} is not related to product id {product['id']}"
    assert response.status_code == 404
    assert response.json() == {
        "error": {"msg": message, "errors": [{"field": "asset_id", "msg": message}]}
    }


def test_category_links_already_linked_unknown_and_not_related(plytix, state):
    product = next(p for p in state["products"] if p["categories"])
    linked = product["categories"][0]
    again = plytix.call("POST", f"/products/{product['id']}/categories", json={"id": linked})
    assert again.status_code == 409
    assert again.json() == {
        "error": {
            "msg": f"Category id {linked} is already linked to product",
            "errors": [{"field": "category.id", "msg": "already linked"}],
        }
    }
    unknown = plytix.call("POST", f"/products/{product['id']}/categories", json={"id": MISSING})
    assert unknown.status_code == 422
    assert unknown.json() == {
        "error": {
            "msg": f"Unknown category {MISSING}",
            "errors": [{"field": "category.id", "msg": "does not exist"}],
        }
    }
    other = next(
        c["id"] for c in state["product_categories"] if c["id"] not in product["categories"]
    )
    gone = plytix.call("DELETE", f"/products/{product['id']}/categories/{other}")
    message = f"category_id {other} is not related to product id {product['id']}"
    assert gone.status_code == 404
    assert gone.json() == {
        "error": {"msg": message, "errors": [{"field": "asset.id", "msg": message}]}
    }
    assert plytix.admin.state() == state


def test_get_expands_the_thumbnail_with_a_thumbnail_key(plytix, state):
    product = linked_product(state)
    asset = next(a for a in state["assets"] if a["id"] == product["thumbnail"]["id"])
    full = plytix.product(product["id"])
    assert full["thumbnail"] == {
        "filename": asset["filename"],
        "id": asset["id"],
        "thumbnail": asset["thumbnail"],
        "url": asset["url"],
    }


def test_product_search_answers_product_family_id_as_null_get_has_it(plytix, state):
    product = next(p for p in state["products"] if p["product_family_id"])
    row = plytix.search(
        filters=conditions(("sku", "eq", product["sku"])),
        attributes=["product_family_id", "product_family_model_id", "label"],
    )["data"][0]
    assert row["product_family_id"] is None and row["label"] == product["label"]
    assert "product_family_model_id" in row
    assert plytix.product(product["id"])["product_family_id"] == product["product_family_id"]
    found = plytix.search(
        filters=conditions(("product_family_id", "in", [product["product_family_id"]]))
    )
    members = [
        p for p in state["products"] if p["product_family_id"] == product["product_family_id"]
    ]
    assert found["pagination"]["total_count"] == len(members)  # still a filter


def test_product_asset_lists_are_thin_and_one_asset_reads_alone(plytix, state):
    product = linked_product(state)
    assets = {a["id"]: a for a in state["assets"]}

    def thin(asset_id: str) -> dict:
        asset = assets[asset_id]
        return {
            "filename": asset["filename"],
            "id": asset_id,
            "thumbnail": asset["thumbnail"],
            "url": asset["url"],
        }

    listed = plytix.ok("GET", f"/products/{product['id']}/assets")["data"]
    assert listed == [thin(a) for a in product["assets"]]
    first = product["assets"][0]
    assert plytix.ok("GET", f"/products/{product['id']}/assets/{first}")["data"] == [thin(first)]
    other = next(a for a in assets if a not in product["assets"])
    response = plytix.call("GET", f"/products/{product['id']}/assets/{other}")
    message = f"asset id {other} is not related to product id {product['id']}"
    assert response.status_code == 404
    assert response.json() == {
        "error": {"msg": message, "errors": [{"field": "asset_id", "msg": message}]}
    }


def test_content_replace_of_an_unknown_asset_names_id(plytix):
    response = plytix.call(
        "PUT",
        f"/assets/{MISSING}/content",
        files={"file": ("x.jpg", b"\xff\xd8\xff", "image/jpeg")},
    )
    assert response.status_code == 404
    assert response.json() == {
        "error": {
            "msg": f"No results found for {MISSING}",
            "errors": [{"field": "id", "msg": "asset does not exist"}],
        }
    }
