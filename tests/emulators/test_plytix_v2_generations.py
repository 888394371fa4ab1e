"""Plytix emulator: v1 and v2 share one account; v1 products deprecated or gone; v2 on or off."""

from __future__ import annotations

from plytix_emulator_client import conditions, single
from plytix_v2_emulator_client import PlytixV2

DEPRECATION = "X-Plytix-Deprecation"


PLYTIX_CLIENT = PlytixV2


# --- one store ------------------------------------------------------------------------------
def test_a_v1_write_is_seen_through_v2(plytix, state):
    product = single(state)
    asset_id = state["assets"][0]["id"]
    plytix.v1_ok(
        "PATCH",
        f"/products/{product['id']}",
        json={
            "label": "Written on v1",
            "attributes": {"media_gallery": [{"id": asset_id}], "image_credit": "v1"},
        },
    )
    shown = plytix.product(product["id"])
    assert shown["label"] == "Written on v1"
    assert shown["attributes"]["media_gallery"] == [asset_id]
    assert shown["attributes"]["image_credit"] == "v1"
    assert shown["modified_user_audit"]["type"] == "API"
    created = plytix.v1_ok("POST", "/products", 201, json={"sku": "FROM-V1"})["data"][0]
    row = plytix.search(filters=conditions(("sku", "eq", "FROM-V1")))["data"][0]
    assert row["id"] == created["id"]


def test_a_v2_write_is_seen_through_v1(plytix, state):
    product = single(state)
    asset_id = state["assets"][1]["id"]
    plytix.ok(
        "PATCH",
        f"/products/{product['id']}",
        json={
            "label": "Written on v2",
            "attributes": {"packshot": [asset_id], "image_credit": "v2"},
        },
    )
    shown = plytix.v1_ok("GET", f"/products/{product['id']}")["data"][0]
    assert shown["label"] == "Written on v2"
    assert shown["attributes"]["packshot"]["id"] == asset_id  # v1 expands single media
    assert shown["attributes"]["image_credit"] == "v2"
    assert asset_id in [a["id"] for a in shown["assets"]]
    new_id = plytix.ok("POST", "/products", 201, json={"sku": "FROM-V2"})["data"][0]["id"]
    found = plytix.v1_ok(
        "POST", "/products/search", json={"filters": conditions(("sku", "eq", "FROM-V2"))}
    )
    assert [r["id"] for r in found["data"]] == [new_id]
    plytix.v1_ok("DELETE", f"/products/{new_id}", 204)
    assert plytix.call("GET", f"/products/{new_id}").status_code == 404


def test_the_seed_is_the_owners_until_the_api_writes(plytix, emulators, state):
    """After a reset the audit starts again from the seed, though stamps only grow."""
    product = single(state)
    plytix.ok("PATCH", f"/products/{product['id']}", json={"label": "x"})
    assert plytix.product(product["id"])["modified_user_audit"]["type"] == "API"
    plytix.admin.reset()
    plytix.login().unlimited()
    assert plytix.product(product["id"])["modified_user_audit"]["type"] == "USER"


# --- v1 products: deprecated (default) or gone ----------------------------------------------
def test_v1_product_endpoints_carry_the_deprecation_header(plytix, state):
    product = single(state)
    answers = [
        plytix.v1("POST", "/products/search", json={}),
        plytix.v1("GET", f"/products/{product['id']}"),
        plytix.v1("GET", f"/products/{product['id']}/assets"),
        plytix.v1("GET", "/products/000000000000000000000000"),
    ]
    assert [a.status_code for a in answers] == [200, 200, 200, 404]
    for answer in answers:
        assert "/api/v2/products" in answer.headers[DEPRECATION]
    for other in (
        plytix.v1("POST", "/assets/search", json={}),
        plytix.call("POST", "/products/search", json={}),
    ):
        assert other.status_code == 200 and DEPRECATION not in other.headers


def test_v1_products_gone_answers_410_and_changes_nothing(plytix, state):
    product = single(state)
    plytix.admin.settings(v1_products="gone")
    calls = [
        ("POST", "/products/search", {}),
        ("GET", f"/products/{product['id']}", None),
        ("PATCH", f"/products/{product['id']}", {"label": "lost"}),
        ("POST", "/products", {"sku": "LOST"}),
    ]
    for method, path, body in calls:
        response = plytix.v1(method, path, json=body)
        assert response.status_code == 410, (method, path)
        assert response.json()["error"]["msg"].startswith("Gone:")
        assert DEPRECATION in response.headers
    assert plytix.admin.state() == state
    assert plytix.v1("POST", "/assets/search", json={}).status_code == 200
    assert plytix.product(product["id"])["label"] == product["label"]
    plytix.ok("PATCH", f"/products/{product['id']}", json={"label": "v2 still writes"})
    assert plytix.stored(product["id"])["label"] == "v2 still writes"


def test_bad_generation_settings_are_refused(plytix):
    for change in ({"v1_products": "removed"}, {"v2_enabled": "no"}):
        response = plytix.http.post(
            f"{plytix.base_url}/_emulator/settings", json=change, timeout=10
        )
        assert response.status_code == 400
        assert next(iter(change)) in response.json()["error"]
    shown = plytix.admin.settings()
    assert shown["v1_products"] == "deprecated" and shown["v2_enabled"] is True


# --- v2 on (default) or off -----------------------------------------------------------------
def test_v2_off_answers_404_everywhere_and_v1_keeps_working(plytix, state):
    product = single(state)
    plytix.admin.settings(v2_enabled=False)
    for method, path in (
        ("POST", "/products/search"),
        ("GET", f"/products/{product['id']}"),
        ("PATCH", f"/products/{product['id']}"),
        ("POST", "/products"),
        ("POST", f"/products/{product['id']}/assets"),
    ):
        response = plytix.call(method, path, json={"sku": "NOPE", "label": "lost"})
        assert response.status_code == 404, (method, path)
        assert response.json()["error"]["msg"].startswith("No route for /api/v2/")
    assert plytix.admin.state() == state
    assert plytix.v1("POST", "/products/search", json={}).status_code == 200
    plytix.admin.settings(v2_enabled=True)
    assert plytix.call("POST", "/products/search", json={}).status_code == 200


def test_no_v2_for_assets_definitions_families_or_categories(plytix):
    for method, path in (
        ("POST", "/assets/search"),
        ("POST", "/attributes/product/search"),
        ("POST", "/product_families/search"),
        ("POST", "/categories/product/search"),
    ):
        assert plytix.call(method, path, json={}).status_code == 404, path
        assert plytix.v1(method, path, json={}).status_code == 200, path


def test_a_trailing_slash_on_v2_redirects_without_the_token(plytix):
    response = plytix.http.post(
        f"{plytix.api_url}/products/search/", json={}, allow_redirects=False, timeout=10
    )
    assert response.status_code == 308
    assert response.headers["Location"].endswith("/api/v2/products/search")
    assert "127.0.0.1" not in response.headers["Location"]  # another host: the token is dropped
    followed = plytix.http.post(f"{plytix.api_url}/products/search/", json={}, timeout=10)
    assert followed.status_code == 401
