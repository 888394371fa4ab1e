"""Plytix emulator: attributes, attribute groups, families, categories (product and file)."""

from __future__ import annotations

import pytest
from plytix_api import Plytix, conditions


@pytest.fixture
def plytix(emulators, plytix_admin) -> Plytix:
    return Plytix(emulators, plytix_admin).login().unlimited()


def test_attribute_definitions_have_typed_fields(plytix):
    rows = plytix.search("attributes/product", pagination={"page_size": 100})["data"]
    color = next(r for r in rows if r["label"] == "color")
    assert color["type_class"] == "DropdownAttribute" and "Navy" in color["options"]
    assert set(color) >= {"id", "name", "label", "type_class", "groups", "options"}
    assert plytix.ok("GET", f"/attributes/product/{color['id']}")["data"][0] == color


def test_new_attribute_is_writable_on_products_and_deletable(plytix):
    created = plytix.ok("POST", "/attributes/product", 201, json={
        "name": "Shoot notes", "type_class": "TextAttribute", "groups": ["Imagery"]})["data"][0]
    assert created["label"] == "shoot_notes"
    assert plytix.call("POST", "/attributes/product", json={
        "name": "Shoot notes", "type_class": "TextAttribute"}).status_code == 409
    product = plytix.admin.state()["products"][0]
    plytix.ok("PATCH", f"/products/{product['id']}",
              json={"attributes": {"shoot_notes": "reshoot"}})
    found = plytix.search(filters=conditions(("attributes.shoot_notes", "eq", "RESHOOT")))
    assert [r["id"] for r in found["data"]] == [product["id"]]
    groups = {g["name"]: g for g in plytix.admin.state()["attribute_groups"]}
    assert "shoot_notes" in groups["Imagery"]["attribute_labels"]
    plytix.ok("DELETE", f"/attributes/product/{created['id']}", 204)
    after = next(p for p in plytix.admin.state()["products"] if p["id"] == product["id"])
    assert "shoot_notes" not in after["attributes"]


def test_attribute_patch_changes_options_not_type(plytix):
    color = next(a for a in plytix.admin.state()["attributes"] if a["label"] == "color")
    options = [*color["options"], "Purple"]
    plytix.ok("PATCH", f"/attributes/product/{color['id']}", json={"options": options})
    product = plytix.admin.state()["products"][0]
    plytix.ok("PATCH", f"/products/{product['id']}", json={"attributes": {"color": "Purple"}})
    refused = plytix.call("PATCH", f"/attributes/product/{color['id']}",
                          json={"type_class": "TextAttribute"})
    assert refused.status_code == 422
    assert refused.json()["error"]["errors"][0]["field"] == "type_class"


def test_attribute_groups_crud(plytix):
    group = plytix.ok("POST", "/attributes/product/groups", 201,
                      json={"name": "Rights", "attribute_labels": ["image_rights_expiry"]}
                      )["data"][0]
    found = plytix.search("attributes/product/groups",
                          filters=conditions(("name", "eq", "rights")))["data"]
    assert [g["id"] for g in found] == [group["id"]]
    plytix.ok("PATCH", f"/attributes/product/groups/{group['id']}",
              json={"attribute_labels": ["image_rights_expiry", "image_credit"]})
    shown = plytix.ok("GET", f"/attributes/product/groups/{group['id']}")["data"][0]
    assert shown["attribute_labels"] == ["image_rights_expiry", "image_credit"]
    plytix.ok("DELETE", f"/attributes/product/groups/{group['id']}", 204)
    assert plytix.call("GET", f"/attributes/product/groups/{group['id']}").status_code == 404


def test_family_attributes_show_the_required_ones_and_links_change_them(plytix):
    families = plytix.search("product_families", pagination={"order": "name"})["data"]
    apparel = next(f for f in families if f["name"] == "Apparel")
    listed = plytix.ok("GET", f"/product_families/{apparel['id']}/attributes")["data"]
    required = [a["label"] for a in listed if a["required"]]
    assert required == ["color", "size", "season", "description", "material"]
    plytix.ok("POST", f"/product_families/{apparel['id']}/attributes/link",
              json={"attribute_labels": ["image_credit"]})
    plytix.ok("POST", f"/product_families/{apparel['id']}/attributes/unlink",
              json={"attributes": ["material"]})
    labels = [a["label"] for a in
              plytix.ok("GET", f"/product_families/{apparel['id']}/attributes")["data"]]
    assert "image_credit" in labels and "material" not in labels


def test_family_crud(plytix):
    family = plytix.ok("POST", "/product_families", 201, json={"name": "Home"})["data"][0]
    assert plytix.call("POST", "/product_families", json={"name": "Home"}).status_code == 409
    plytix.ok("PATCH", f"/product_families/{family['id']}", json={"name": "Home goods"})
    assert plytix.ok("GET", f"/product_families/{family['id']}")["data"][0]["name"] == \
        "Home goods"
    plytix.ok("DELETE", f"/product_families/{family['id']}", 204)
    assert plytix.call("GET", f"/product_families/{family['id']}").status_code == 404


@pytest.mark.parametrize("kind", ["product", "file"])
def test_category_trees_create_rename_delete(plytix, kind):
    root = plytix.ok("POST", f"/categories/{kind}", 201, json={"name": "Outlet"})["data"][0]
    child = plytix.ok("POST", f"/categories/{kind}/{root['id']}", 201,
                      json={"name": "Last season"})["data"][0]
    assert child["path"] == ["Outlet", "Last season"] and child["parents_ids"] == [root["id"]]
    plytix.ok("PATCH", f"/categories/{kind}/{root['id']}", json={"name": "Sale"})
    found = plytix.search(f"categories/{kind}",
                          filters=conditions(("id", "eq", child["id"])))["data"]
    assert found[0]["path"] == ["Sale", "Last season"]
    plytix.ok("DELETE", f"/categories/{kind}/{root['id']}", 204)
    left = plytix.search(f"categories/{kind}", filters=conditions(("path", "eq", "Sale")))
    assert left["data"] == []


def test_deleting_a_product_category_unlinks_it_from_products(plytix):
    state = plytix.admin.state()
    product = state["products"][0]
    category_id = product["categories"][0]
    plytix.ok("DELETE", f"/categories/product/{category_id}", 204)
    after = next(p for p in plytix.admin.state()["products"] if p["id"] == product["id"])
    assert category_id not in after["categories"]
