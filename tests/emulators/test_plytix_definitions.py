"""Plytix emulator: attributes, attribute groups, families, categories (product and file)."""

from __future__ import annotations

import pytest
from plytix_emulator_client import Plytix, conditions


def test_attribute_definitions_have_typed_fields(plytix):
    rows = plytix.search(
        "attributes/product",
        pagination={"page_size": 100},
        attributes=["name", "label", "type_class", "groups", "options"],
    )["data"]
    color = next(r for r in rows if r["label"] == "color")
    assert color["type_class"] == "DropdownAttribute" and "Navy" in color["options"]
    assert set(color) == {"id", "name", "label", "type_class", "groups", "options"}
    assert plytix.ok("GET", f"/attributes/product/{color['id']}")["data"][0] == color


def test_new_attribute_is_writable_on_products_and_deletable(plytix):
    created = plytix.ok(
        "POST",
        "/attributes/product",
        201,
        json={"name": "Shoot notes", "type_class": "TextAttribute", "groups": ["Imagery"]},
    )["data"][0]
    assert created["label"] == "shoot_notes"
    assert (
        plytix.call(
            "POST",
            "/attributes/product",
            json={"name": "Shoot notes", "type_class": "TextAttribute"},
        ).status_code
        == 409
    )
    product = plytix.admin.state()["products"][0]
    plytix.ok(
        "PATCH", f"/products/{product['id']}", json={"attributes": {"shoot_notes": "reshoot"}}
    )
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
    refused = plytix.call(
        "PATCH", f"/attributes/product/{color['id']}", json={"type_class": "TextAttribute"}
    )
    assert refused.status_code == 422
    assert refused.json()["error"]["errors"][0]["field"] == "type_class"


def test_attribute_groups_live_at_attribute_groups_product(plytix):
    group = plytix.ok(
        "POST",
        "/attribute-groups/product",
        201,
        json={"name": "Rights", "attribute_labels": ["image_rights_expiry"]},
    )["data"][0]
    found = plytix.search("attribute-groups/product", filters=conditions(("name", "eq", "rights")))[
        "data"
    ]
    assert found == [{"id": group["id"]}]
    plytix.ok(
        "PATCH",
        f"/attribute-groups/product/{group['id']}",
        json={"attribute_labels": ["image_rights_expiry", "image_credit"]},
    )
    shown = plytix.ok("GET", f"/attribute-groups/product/{group['id']}")["data"][0]
    assert shown["attribute_labels"] == ["image_rights_expiry", "image_credit"]
    plytix.ok("DELETE", f"/attribute-groups/product/{group['id']}", 204)
    assert plytix.call("GET", f"/attribute-groups/product/{group['id']}").status_code == 404


def test_the_guessed_group_path_is_not_served(plytix):
    group = plytix.admin.state()["attribute_groups"][0]
    assert plytix.call("POST", "/attributes/product/groups/search", json={}).status_code == 404
    assert plytix.call("GET", f"/attributes/product/groups/{group['id']}").status_code == 404


def family_named(plytix: Plytix, name: str) -> dict:
    rows = plytix.search(
        "product_families",
        filters=conditions(("name", "eq", name)),
        attributes=["name", "total_attributes", "total_models", "total_products"],
    )["data"]
    assert len(rows) == 1, rows
    return rows[0]


def test_family_attributes_carry_attribute_level_and_no_required_flag(plytix):
    apparel = family_named(plytix, "Apparel")
    listed = plytix.ok("GET", f"/product_families/{apparel['id']}/attributes")["data"]
    assert all("required" not in row for row in listed)
    levels = {row["label"]: row["attribute_level"] for row in listed}
    assert levels["color"] == levels["size"] == "variant_level"
    assert levels["season"] == levels["description"] == "parent_level"
    assert set(levels.values()) <= {"parent_level", "variant_level", "no_level"}
    shown = plytix.ok("GET", f"/product_families/{apparel['id']}")["data"][0]
    assert "attributes" not in shown and "required" not in str(shown)


def test_family_counters_count_attributes_parents_and_products(plytix):
    state = plytix.admin.state()
    for family in state["product_families"]:
        row = family_named(plytix, family["name"])
        members = [p for p in state["products"] if p["product_family_id"] == family["id"]]
        assert row["total_attributes"] == len(family["attributes"])
        assert row["total_products"] == len(members)
        assert row["total_models"] == sum(1 for p in members if p["product_level"] == 1)


def test_family_link_unlink_edit_answer_202_and_change_the_levels(plytix):
    apparel = family_named(plytix, "Apparel")
    ids = {a["label"]: a["id"] for a in plytix.admin.state()["attributes"]}
    path = f"/product_families/{apparel['id']}/attributes"
    linked = plytix.call(
        "POST",
        f"{path}/link",
        json={
            "attributes": [ids["image_credit"], ids["packshot"]],
            "attributes_level": "variant_level",
        },
    )
    assert linked.status_code == 202 and linked.content == b""
    unlinked = plytix.call("POST", f"{path}/unlink", json={"attributes": [ids["material"]]})
    assert unlinked.status_code == 202
    edited = plytix.call(
        "POST",
        f"{path}/edit",
        json={"attributes": [ids["image_credit"]], "attributes_level": "parent_level"},
    )
    assert edited.status_code == 202
    levels = {r["label"]: r["attribute_level"] for r in plytix.ok("GET", path)["data"]}
    assert levels["image_credit"] == "parent_level" and levels["packshot"] == "variant_level"
    assert "material" not in levels
    assert family_named(plytix, "Apparel")["total_attributes"] == apparel["total_attributes"] + 1
    everything = plytix.ok("GET", f"/product_families/{apparel['id']}/all_attributes")["data"]
    assert len(everything) == len(ids)
    assert {r["label"]: r["attribute_level"] for r in everything}["material"] is None


@pytest.mark.parametrize(
    ("route", "body", "field"),
    [
        ("link", {"attributes": ["image_credit"]}, "attributes"),
        ("link", {"attributes": "{credit}", "attributes_level": "top_level"}, "attributes_level"),
        ("edit", {"attributes": "{credit}"}, "attributes_level"),
        ("edit", {"attributes": "{credit}", "attributes_level": "no_level"}, "attributes"),
        ("unlink", {"attributes": []}, "attributes"),
    ],
)
def test_family_attribute_changes_take_ids_and_known_levels(plytix, route, body, field):
    apparel = family_named(plytix, "Apparel")
    credit = next(
        a["id"] for a in plytix.admin.state()["attributes"] if a["label"] == "image_credit"
    )
    sent = {k: ([credit] if v == "{credit}" else v) for k, v in body.items()}
    response = plytix.call(
        "POST", f"/product_families/{apparel['id']}/attributes/{route}", json=sent
    )
    assert response.status_code == 422, response.text
    assert response.json()["error"]["errors"][0]["field"] == field


def family_levels(plytix: Plytix, family_id: str) -> dict[str, str]:
    return {
        r["label"]: r["attribute_level"]
        for r in plytix.ok("GET", f"/product_families/{family_id}/attributes")["data"]
    }


def test_family_crud_with_the_documented_attribute_lists(plytix):
    ids = {a["label"]: a["id"] for a in plytix.admin.state()["attributes"]}
    created = plytix.call(
        "POST",
        "/product_families",
        json={
            "name": "Home",
            "attributes": [ids["material"]],
            "parent_attributes": [ids["description"]],
            "variant_attributes": [ids["color"]],
        },
    )
    assert created.status_code == 201, created.text
    family = created.json()["data"][0]
    assert created.headers["Location"] == f"/api/v1/product_families/{family['id']}"
    assert (family["total_attributes"], family["total_products"]) == (3, 0)
    assert family_levels(plytix, family["id"]) == {
        "material": "no_level",
        "description": "parent_level",
        "color": "variant_level",
    }
    by_label = plytix.ok(
        "POST",
        "/product_families",
        201,
        json={
            "name": "Labelled",
            "parent_attributes": [{"label": "description"}],
            "variant_attributes": [{"label": "color", "id": ids["color"]}],
        },
    )["data"][0]
    assert family_levels(plytix, by_label["id"]) == {
        "description": "parent_level",
        "color": "variant_level",
    }
    assert plytix.call("POST", "/product_families", json={"name": "Home"}).status_code == 409
    plytix.ok(
        "PATCH",
        f"/product_families/{family['id']}",
        json={"name": "Home goods", "attributes": [ids["size"]]},
    )  # others ignored
    assert family_levels(plytix, family["id"]) == {
        "material": "no_level",
        "description": "parent_level",
        "color": "variant_level",
    }
    assert plytix.ok("GET", f"/product_families/{family['id']}")["data"][0]["name"] == "Home goods"
    deleted = plytix.call("DELETE", f"/product_families/{family['id']}")
    assert deleted.status_code == 202
    assert plytix.call("GET", f"/product_families/{family['id']}").status_code == 404


def test_family_create_refuses_mixed_or_unknown_attributes(plytix):
    ids = {a["label"]: a["id"] for a in plytix.admin.state()["attributes"]}
    before = plytix.admin.state()["product_families"]
    for body, field in [
        (
            {"attributes": [ids["color"]], "parent_attributes": [{"label": "description"}]},
            "parent_attributes",
        ),
        ({"attributes": ["0" * 24]}, "attributes"),
        ({"variant_attributes": [{"label": "not_an_attribute"}]}, "variant_attributes"),
        (
            {"attributes": [ids["color"]], "variant_attributes": [ids["color"]]},
            "variant_attributes",
        ),
    ]:
        refused = plytix.call("POST", "/product_families", json={"name": "Bad", **body})
        assert refused.status_code == 422, refused.text
        assert refused.json()["error"]["errors"][0]["field"] == field
    assert plytix.admin.state()["product_families"] == before


def test_a_clients_attribute_ids_are_unknown_keys_ignored_or_refused(plytix):
    """`attribute_ids` / `parent_attribute_ids` (sent by one public client) are not what the
    collection documents: the family is created without those links, or 422 on `refuse`."""
    ids = {a["label"]: a["id"] for a in plytix.admin.state()["attributes"]}
    body = {
        "name": "Client spelling",
        "attribute_ids": [ids["color"]],
        "parent_attribute_ids": [ids["description"]],
    }
    family = plytix.ok("POST", "/product_families", 201, json=body)["data"][0]
    assert family["total_attributes"] == 0 and family_levels(plytix, family["id"]) == {}
    plytix.admin.settings(unknown_write_keys="refuse")
    refused = plytix.call("POST", "/product_families", json={**body, "name": "Refused"})
    assert refused.status_code == 422
    assert refused.json()["error"]["errors"][0]["field"] == "attribute_ids"


@pytest.mark.parametrize("kind", ["product", "file"])
def test_category_trees_create_rename_delete(plytix, kind):
    root = plytix.ok("POST", f"/categories/{kind}", 201, json={"name": "Outlet"})["data"][0]
    child = plytix.ok(
        "POST", f"/categories/{kind}/{root['id']}", 201, json={"name": "Last season"}
    )["data"][0]
    assert child["path"] == ["Outlet", "Last season"] and child["parents_ids"] == [root["id"]]
    plytix.ok("PATCH", f"/categories/{kind}/{root['id']}", json={"name": "Sale"})
    assert isinstance(child["order"], str) and child["created"] == child["modified"]
    found = plytix.search(
        f"categories/{kind}",
        attributes=["path", "modified"],
        filters=conditions(("id", "eq", child["id"])),
    )["data"]
    assert found[0]["path"] == ["Sale", "Last season"]
    plytix.ok("DELETE", f"/categories/{kind}/{root['id']}", 204)
    left = plytix.search(f"categories/{kind}", filters=conditions(("path", "in", ["Sale"])))
    assert left["data"] == []


def test_deleting_a_product_category_unlinks_it_from_products(plytix):
    state = plytix.admin.state()
    product = state["products"][0]
    category_id = product["categories"][0]
    plytix.ok("DELETE", f"/categories/product/{category_id}", 204)
    after = next(p for p in plytix.admin.state()["products"] if p["id"] == product["id"])
    assert category_id not in after["categories"]
