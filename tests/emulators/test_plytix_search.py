"""Plytix emulator: the search language, columns, paging and ordering.

Expected matches are computed in the test from the admin state dump, never from the
emulator's own filter code, so a wrong operator shows up as a wrong id set.
"""

from __future__ import annotations

from datetime import datetime

import pytest
from plytix_api import Plytix, conditions


@pytest.fixture
def plytix(emulators, plytix_admin) -> Plytix:
    return Plytix(emulators, plytix_admin).login().unlimited()


@pytest.fixture
def products(plytix) -> list[dict]:
    return plytix.admin.state()["products"]


def matching_ids(plytix: Plytix, filters, resource: str = "products") -> set[str]:
    ids, page = [], 1
    while True:
        found = plytix.search(resource, filters=filters,
                              pagination={"page": page, "page_size": 100})
        ids += [row["id"] for row in found["data"]]
        if page * 100 >= found["pagination"]["total_count"]:
            assert len(ids) == len(set(ids)) == found["pagination"]["total_count"]
            return set(ids)
        page += 1


def when(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def test_search_answers_in_data_envelope_with_pagination(plytix, products):
    found = plytix.search(pagination={"page": 1, "page_size": 10, "order": "sku"})
    assert set(found) == {"data", "pagination"}
    assert found["pagination"] == {"page": 1, "page_size": 10, "order": "sku", "count": 10,
                                   "total_count": len(products)}
    assert [row["sku"] for row in found["data"]] == sorted(p["sku"] for p in products)[:10]


def test_rows_without_columns_hold_only_identity(plytix, products):
    rows = plytix.search(pagination={"page_size": 100})["data"]
    variant_ids = {p["id"] for p in products if p.get("_parent_id")}
    for row in rows:
        expected = {"id", "sku", "num_variations", "attributes"}
        if row["id"] in variant_ids:
            expected.add("_parent_id")
        assert set(row) == expected and row["attributes"] == {}


def test_columns_select_core_and_custom_attributes(plytix, products):
    rows = plytix.search(attributes=["label", "modified", "attributes.color", "thumbnail"],
                         pagination={"page_size": 100})["data"]
    by_id = {p["id"]: p for p in products}
    for row in rows:
        product = by_id[row["id"]]
        assert row["label"] == product["label"]
        assert row["modified"] == product["modified"]
        assert row["attributes"] == ({"color": product["attributes"]["color"]}
                                     if "color" in product["attributes"] else {})
        assert row["thumbnail"] == product["thumbnail"]


def test_search_rows_hold_media_references_and_get_expands_them(plytix, products):
    linked = next(p for p in products if p["assets"])
    row = plytix.search(filters=conditions(("id", "eq", linked["id"])),
                        attributes=["assets", "attributes.media_gallery"])["data"][0]
    assert row["assets"] == [{"id": a} for a in linked["assets"]]
    assert row["attributes"]["media_gallery"] == [{"id": a} for a in linked["assets"]]
    full = plytix.product(linked["id"])
    assert full["assets"][0]["id"] == linked["assets"][0]
    assert full["assets"][0]["filename"].endswith(".jpg")
    assert full["attributes"]["media_gallery"][0]["url"].startswith("https://")
    assert full["thumbnail"]["id"] == linked["thumbnail"]["id"]


OPERATOR_CASES = [
    ("eq_text_ignores_case", [("sku", "eq", "{sku_lower}")], lambda p, s: p["sku"] == s),
    ("not_eq", [("status", "!eq", "completed")], lambda p, s: p["status"] != "Completed"),
    ("like", [("label", "like", "BOOT")], lambda p, s: "boot" in p["label"].lower()),
    ("in", [("attributes.color", "in", ["Navy", "red"])],
     lambda p, s: p["attributes"].get("color") in ("Navy", "Red")),
    ("not_in", [("attributes.color", "!in", ["Navy", "Red"])],
     lambda p, s: p["attributes"].get("color") not in ("Navy", "Red")),
    ("exists", [("attributes.description", "exists", None)],
     lambda p, s: bool(p["attributes"].get("description"))),
    ("not_exists", [("attributes.size", "!exists", None)],
     lambda p, s: not p["attributes"].get("size")),
    ("gt_number", [("attributes.price", "gt", 100)],
     lambda p, s: p["attributes"].get("price", 0) > 100),
    ("gte_lte_number", [("attributes.weight_g", "gte", 300), ("attributes.weight_g", "lte", 900)],
     lambda p, s: 300 <= p["attributes"].get("weight_g", -1) <= 900),
    ("lt_number", [("num_variations", "lt", 1)], lambda p, s: p["num_variations"] < 1),
    ("bte_number", [("attributes.price", "bte", [50, 150])],
     lambda p, s: 50 <= p["attributes"].get("price", -1) <= 150),
    ("gt_timestamp", [("modified", "gt", "{middle}")],
     lambda p, s: when(p["modified"]) > when(s)),
    ("gte_timestamp_includes_the_bound", [("modified", "gte", "{middle}")],
     lambda p, s: when(p["modified"]) >= when(s)),
    ("lte_timestamp_with_z", [("created", "lte", "{middle_z}")],
     lambda p, s: when(p["created"]) <= when(s)),
    ("bte_date_attribute", [("attributes.launch_date", "bte", ["2026-03-01", "2026-03-31"])],
     lambda p, s: "2026-03-01" <= p["attributes"].get("launch_date", "") <= "2026-03-31"),
    ("text_search_words_any_order", [("label", "text_search", "boot chelsea")],
     lambda p, s: {"chelsea", "boot"} <= set(p["label"].lower().split())),
    ("multiselect_eq_contains", [("attributes.material", "eq", "wool")],
     lambda p, s: "Wool" in p["attributes"].get("material", [])),
    ("bool_eq", [("attributes.is_bundle", "eq", False)],
     lambda p, s: p["attributes"].get("is_bundle") is False),
    ("level", [("product_level", "eq", 2)], lambda p, s: p["product_level"] == 2),
]


@pytest.mark.parametrize(("name", "triples", "expect"), OPERATOR_CASES,
                         ids=[c[0] for c in OPERATOR_CASES])
def test_each_operator_matches_what_the_state_says(plytix, products, name, triples, expect):
    stamps = sorted(p["modified"] for p in products)
    middle = stamps[len(stamps) // 2]
    sample = products[len(products) // 3]["sku"]
    values = {"{sku_lower}": sample.lower(), "{middle}": middle,
              "{middle_z}": middle.replace("+00:00", "Z")}
    resolved = [(f, o, values.get(v, v) if isinstance(v, str) else v) for f, o, v in triples]
    subject = resolved[0][2] if isinstance(resolved[0][2], str) else None
    expected = {p["id"] for p in products if expect(p, subject if name != "eq_text_ignores_case"
                                                    else sample)}
    assert expected, f"case {name} should match something in the seed"
    assert expected != {p["id"] for p in products} or name == "bool_eq"
    assert matching_ids(plytix, conditions(*resolved)) == expected


def test_outer_list_is_or_of_and_groups(plytix, products):
    filters = [
        [{"field": "attributes.color", "operator": "eq", "value": "Navy"},
         {"field": "product_level", "operator": "eq", "value": 2}],
        [{"field": "status", "operator": "eq", "value": "Draft"}],
    ]
    expected = {p["id"] for p in products
                if (p["attributes"].get("color") == "Navy" and p["product_level"] == 2)
                or p["status"] == "Draft"}
    assert matching_ids(plytix, filters) == expected


@pytest.mark.parametrize(("body", "field"), [
    ({"filters": conditions(("colour", "eq", "Red"))}, "colour"),
    ({"filters": conditions(("attributes.nope", "eq", "x"))}, "attributes.nope"),
    ({"filters": conditions(("sku", "matches", "x"))}, "sku"),
    ({"filters": conditions(("modified", "gt", "yesterday"))}, "modified"),
    ({"filters": conditions(("attributes.price", "bte", [1]))}, "attributes.price"),
    ({"attributes": ["sku", "attributes.nope"]}, "attributes"),
    ({"attributes": ["colour"]}, "attributes"),
    ({"pagination": {"order": "colour"}}, "pagination.order"),
    ({"pagination": {"page": 0}}, "pagination.page"),
])
def test_bad_search_bodies_get_422_naming_the_field(plytix, body, field):
    response = plytix.call("POST", "/products/search", json=body)
    assert response.status_code == 422, response.text
    assert response.json()["error"]["errors"][0]["field"] == field


def test_column_cap_is_a_setting(plytix):
    labels = [a["label"] for a in plytix.admin.state()["attributes"]]
    columns = ["label", "status"] + [f"attributes.{label}" for label in labels[:18]]
    assert len(columns) == 20
    assert plytix.call("POST", "/products/search", json={"attributes": columns}).status_code \
        == 200
    plytix.admin.settings(max_columns=20)
    assert plytix.call("POST", "/products/search",
                       json={"attributes": columns}).status_code == 200
    refused = plytix.call("POST", "/products/search",
                          json={"attributes": [*columns, "modified"]})
    assert refused.status_code == 422
    assert "at most 20 columns" in refused.json()["error"]["msg"]


def test_page_size_default_max_and_over_max(plytix, products):
    default = plytix.search()
    assert default["pagination"]["page_size"] == 25 and len(default["data"]) == 25
    assert len(plytix.search(pagination={"page_size": 100})["data"]) == min(100, len(products))
    refused = plytix.call("POST", "/products/search", json={"pagination": {"page_size": 101}})
    assert refused.status_code == 422
    assert refused.json()["error"]["errors"][0]["field"] == "pagination.page_size"


def test_last_page_and_page_beyond_the_end(plytix, products):
    total = len(products)
    last = (total + 9) // 10
    tail = plytix.search(pagination={"page": last, "page_size": 10, "order": "sku"})
    assert len(tail["data"]) == total - (last - 1) * 10
    assert tail["pagination"]["count"] == len(tail["data"])
    assert tail["pagination"]["total_count"] == total
    beyond = plytix.search(pagination={"page": last + 1, "page_size": 10, "order": "sku"})
    assert beyond["data"] == [] and beyond["pagination"]["total_count"] == total


def test_paging_descending_modified_is_stable_and_complete(plytix, products):
    seen = []
    for page in range(1, 100):
        rows = plytix.search(attributes=["modified"],
                             pagination={"page": page, "page_size": 7,
                                         "order": "-modified"})["data"]
        if not rows:
            break
        seen += rows
    assert [r["id"] for r in seen] == [p["id"] for p in sorted(
        sorted(products, key=lambda p: p["id"]), key=lambda p: when(p["modified"]),
        reverse=True)]


def test_ordering_ties_break_by_id(plytix, products):
    rows = plytix.search(attributes=["status"],
                         pagination={"page_size": 100, "order": "status"})["data"]
    assert [r["id"] for r in rows] == [p["id"] for p in sorted(
        products, key=lambda p: (p["status"].lower(), p["id"]))]


def test_over_the_ordered_result_limit_is_428_unless_unordered(plytix, products):
    plytix.admin.settings(max_ordered_results=10)
    refused = plytix.call("POST", "/products/search",
                          json={"pagination": {"order": "modified"}})
    assert refused.status_code == 428
    assert refused.json()["error"]["msg"]
    assert plytix.search(pagination={"order": ""})["pagination"]["total_count"] == len(products)
    narrow = conditions(("sku", "eq", products[0]["sku"]))
    assert plytix.search(filters=narrow, pagination={"order": "modified"})["data"]


def test_count_can_mimic_the_unreliable_total(plytix, products):
    plytix.admin.settings(pagination_count="total")
    found = plytix.search(pagination={"page_size": 5})
    assert found["pagination"]["count"] == len(products) and len(found["data"]) == 5


def test_get_products_without_search_is_405_and_trailing_slash_404(plytix):
    assert plytix.call("GET", "/products").status_code == 405
    assert plytix.call("POST", "/products/search/", json={}).status_code == 404
    plytix.http.headers.pop("Authorization")
    assert plytix.call("POST", "/products/search/", json={}).status_code == 404


def test_other_resources_search_the_same_way(plytix):
    state = plytix.admin.state()
    media = {a["id"] for a in state["attributes"] if a["type_class"].startswith("Media")}
    assert matching_ids(plytix, conditions(("type_class", "like", "media")),
                        "attributes/product") == media
    families = plytix.search("product_families", pagination={"order": "name"})["data"]
    assert [f["name"] for f in families] == ["Accessories", "Apparel", "Footwear"]
    apparel = plytix.search("categories/product",
                            filters=conditions(("path", "eq", "Apparel")))["data"]
    assert {tuple(c["path"]) for c in apparel} >= {("Apparel",), ("Apparel", "Tops")}
    assets = plytix.search("assets", attributes=["filename", "file_size"],
                           filters=conditions(("extension", "eq", "jpg")))
    assert assets["pagination"]["total_count"] == len(state["assets"])
    assert set(assets["data"][0]) == {"id", "filename", "file_size"}


def test_filters_endpoints_list_fields_and_operators(plytix):
    fields = {row["field"]: row for row in plytix.ok("GET", "/filters/product")["data"]}
    assert "gt" in fields["modified"]["operators"] and "bte" in fields["modified"]["operators"]
    assert "attributes.color" in fields and "eq" in fields["attributes.color"]["operators"]
    assets = {row["field"] for row in plytix.ok("GET", "/filters/asset")["data"]}
    assert {"filename", "file_size", "modified"} <= assets
