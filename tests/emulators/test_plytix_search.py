"""Plytix emulator: the search language, columns, paging and ordering.

Expected matches are computed in the test from the admin state dump, never from the
emulator's own filter code, so a wrong operator shows up as a wrong id set.
"""

from __future__ import annotations

import re
import time
from datetime import UTC, datetime

import pytest
from plytix_emulator_client import Plytix, conditions


@pytest.fixture
def products(plytix) -> list[dict]:
    return plytix.admin.state()["products"]


def matching_ids(plytix: Plytix, filters, resource: str = "products") -> set[str]:
    ids, page = [], 1
    while True:
        found = plytix.search(
            resource, filters=filters, pagination={"page": page, "page_size": 100}
        )
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
    assert found["pagination"] == {
        "page": 1,
        "page_size": 10,
        "order": "sku",
        "count": 10,
        "total_count": len(products),
    }
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
    rows = plytix.search(
        attributes=["label", "modified", "attributes.color", "thumbnail"],
        pagination={"page_size": 100},
    )["data"]
    by_id = {p["id"]: p for p in products}
    for row in rows:
        product = by_id[row["id"]]
        assert row["label"] == product["label"]
        assert row["modified"] == product["modified"]
        assert row["attributes"] == (
            {"color": product["attributes"]["color"]} if "color" in product["attributes"] else {}
        )
        assert row["thumbnail"] == product["thumbnail"]


def test_search_rows_hold_media_references_and_get_expands_them(plytix, products):
    linked = next(p for p in products if p["assets"])
    row = plytix.search(
        filters=conditions(("sku", "eq", linked["sku"])),
        attributes=["assets", "attributes.media_gallery"],
    )["data"][0]
    assert row["assets"] == [{"id": a} for a in linked["assets"]]
    assert row["attributes"]["media_gallery"] == [{"id": a} for a in linked["assets"]]
    full = plytix.product(linked["id"])
    asset = next(a for a in plytix.admin.state()["assets"] if a["id"] == linked["assets"][0])
    assert full["assets"] == [
        {
            "filename": asset["filename"],
            "id": asset["id"],
            "thumbnail": asset["thumbnail"],
            "url": asset["url"],
        }
    ]
    assert full["attributes"]["media_gallery"] == [
        {
            "filename": asset["filename"],
            "id": asset["id"],
            "thumb": asset["thumbnail"],
            "url": asset["url"],
        }
    ]
    assert full["thumbnail"] == {
        "filename": asset["filename"],
        "id": asset["id"],
        "thumbnail": asset["thumbnail"],
        "url": asset["url"],
    }


OPERATOR_CASES = [
    ("eq_text_ignores_case", [("sku", "eq", "{sku_lower}")], lambda p, s: p["sku"] == s),
    ("not_eq", [("label", "!eq", "{label}")], lambda p, s: p["label"].lower() != s.lower()),
    (
        "status_in",
        [("status", "in", ["completed", "Archived"])],
        lambda p, s: p["status"] == "Completed",
    ),
    ("status_not_in", [("status", "!in", ["Completed"])], lambda p, s: p["status"] != "Completed"),
    ("like", [("label", "like", "BOOT")], lambda p, s: "boot" in p["label"].lower()),
    ("not_like", [("label", "!like", "boot")], lambda p, s: "boot" not in p["label"].lower()),
    ("sku_like", [("sku", "like", "-blk")], lambda p, s: "-BLK" in p["sku"]),
    (
        "in",
        [("attributes.color", "in", ["Navy", "red"])],
        lambda p, s: p["attributes"].get("color") in ("Navy", "Red"),
    ),
    (
        "not_in",
        [("attributes.color", "!in", ["Navy", "Red"])],
        lambda p, s: p["attributes"].get("color") not in ("Navy", "Red"),
    ),
    (
        "exists",
        [("attributes.description", "exists", None)],
        lambda p, s: bool(p["attributes"].get("description")),
    ),
    (
        "not_exists",
        [("attributes.size", "!exists", None)],
        lambda p, s: not p["attributes"].get("size"),
    ),
    (
        "gt_number",
        [("attributes.price", "gt", 100)],
        lambda p, s: p["attributes"].get("price", 0) > 100,
    ),
    (
        "gte_lte_number",
        [("attributes.weight_g", "gte", 300), ("attributes.weight_g", "lte", 900)],
        lambda p, s: 300 <= p["attributes"].get("weight_g", -1) <= 900,
    ),
    ("lt_number", [("num_variations", "lt", 1)], lambda p, s: p["num_variations"] < 1),
    (
        "bte_number",
        [("attributes.price", "bte", [50, 150])],
        lambda p, s: 50 <= p["attributes"].get("price", -1) <= 150,
    ),
    ("gt_timestamp", [("modified", "gt", "{middle}")], lambda p, s: when(p["modified"]) > when(s)),
    (
        "gte_timestamp_includes_the_bound",
        [("modified", "gte", "{middle}")],
        lambda p, s: when(p["modified"]) >= when(s),
    ),
    (
        "lte_timestamp_with_z",
        [("created", "lte", "{middle_z}")],
        lambda p, s: when(p["created"]) <= when(s),
    ),
    (
        "bte_date_attribute",
        [("attributes.launch_date", "bte", ["2026-03-01", "2026-03-31"])],
        lambda p, s: "2026-03-01" <= p["attributes"].get("launch_date", "") <= "2026-03-31",
    ),
    (
        "text_search_words_any_order",
        [(["label"], "text_search", "boot chelsea")],
        lambda p, s: {"chelsea", "boot"} <= set(p["label"].lower().split()),
    ),
    (
        "text_search_over_several_fields",
        [(["label", "attributes.description"], "text_search", "{label_word} {season}")],
        lambda p, s: all(
            any(
                w.startswith(t)
                for w in re.findall(
                    r"\w+", f"{p['label']} {p['attributes'].get('description', '')}".lower()
                )
            )
            for t in s.lower().split()
        ),
    ),
    (
        "multiselect_in_contains",
        [("attributes.material", "in", ["wool", "Linen"])],
        lambda p, s: bool({"Wool", "Linen"} & set(p["attributes"].get("material", []))),
    ),
    (
        "multiselect_not_in",
        [("attributes.material", "!in", ["Wool"])],
        lambda p, s: "Wool" not in p["attributes"].get("material", []),
    ),
    (
        "dropdown_eq",
        [("attributes.season", "eq", "ss26")],
        lambda p, s: p["attributes"].get("season") == "SS26",
    ),
    (
        "parent_of_variants",
        [("_parent_id", "exists", None)],
        lambda p, s: bool(p.get("_parent_id")),
    ),
    ("product_type", [("product_type", "in", ["PARENT"])], lambda p, s: p["product_level"] == 1),
    (
        "bool_eq",
        [("attributes.is_bundle", "eq", False)],
        lambda p, s: p["attributes"].get("is_bundle") is False,
    ),
    ("level", [("product_level", "eq", 2)], lambda p, s: p["product_level"] == 2),
]


@pytest.mark.parametrize(
    ("name", "triples", "expect"), OPERATOR_CASES, ids=[c[0] for c in OPERATOR_CASES]
)
def test_each_operator_matches_what_the_state_says(plytix, products, name, triples, expect):
    stamps = sorted(p["modified"] for p in products)
    middle = stamps[len(stamps) // 2]
    sample_product = products[len(products) // 3]
    sample = sample_product["sku"]
    values = {
        "{sku_lower}": sample.lower(),
        "{middle}": middle,
        "{middle_z}": middle.replace("+00:00", "Z"),
        "{label}": products[len(products) // 3]["label"],
        "{label_word} {season}": f"{sample_product['label'].split()[1][:4]} "
        f"{sample_product['attributes']['season']}",
    }
    resolved = [(f, o, values.get(v, v) if isinstance(v, str) else v) for f, o, v in triples]
    subject = resolved[0][2] if isinstance(resolved[0][2], str) else None
    expected = {
        p["id"]
        for p in products
        if expect(p, subject if name != "eq_text_ignores_case" else sample)
    }
    assert expected, f"case {name} should match something in the seed"
    assert expected != {p["id"] for p in products} or name == "bool_eq"
    assert matching_ids(plytix, conditions(*resolved)) == expected


def test_outer_list_is_or_of_and_groups(plytix, products):
    filters = [
        [
            {"field": "attributes.color", "operator": "eq", "value": "Navy"},
            {"field": "product_level", "operator": "eq", "value": 2},
        ],
        [{"field": "status", "operator": "eq", "value": "Draft"}],
    ]
    expected = {
        p["id"]
        for p in products
        if (p["attributes"].get("color") == "Navy" and p["product_level"] == 2)
        or p["status"] == "Draft"
    }
    assert matching_ids(plytix, filters) == expected


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"filters": conditions(("colour", "eq", "Red"))}, "colour"),
        ({"filters": conditions(("attributes.nope", "eq", "x"))}, "attributes.nope"),
        ({"filters": conditions(("sku", "matches", "x"))}, "sku"),
        ({"filters": conditions(("modified", "gt", "yesterday"))}, "modified"),
        ({"filters": conditions(("attributes.price", "bte", [1]))}, "attributes.price"),
        (
            {"filters": conditions(("attributes.launch_date", "last_days", "x"))},
            "attributes.launch_date",
        ),
        ({"attributes": ["sku", "attributes.nope"]}, "attributes.nope"),
        ({"attributes": ["colour"]}, "colour"),
        ({"pagination": {"order": "colour"}}, "colour"),
        ({"pagination": {"page": 0}}, "pagination.page"),
    ],
)
def test_bad_search_bodies_get_422_naming_the_field(plytix, body, field):
    response = plytix.call("POST", "/products/search", json=body)
    assert response.status_code == 422, response.text
    assert response.json()["error"]["errors"][0]["field"] == field


@pytest.mark.parametrize(
    "body",
    [
        {"filters": conditions(("colour", "eq", "Red"))},
        {"attributes": ["sku", "colour"]},
        {"pagination": {"order": "-colour"}},
        {"filters": [[{"field": ["label", "colour"], "operator": "text_search", "value": "x"}]]},
    ],
)
def test_an_unknown_field_is_the_saved_schema_validation_error(plytix, body):
    response = plytix.call("POST", "/products/search", json=body)
    assert response.status_code == 422
    assert response.json() == {
        "error": {
            "msg": "Schema validation error",
            "errors": [{"field": "colour", "msg": "unknown field"}],
        }
    }


STRICT_REFUSALS = [
    ("sku", "in", ["A", "B"]),
    ("id", "eq", "0" * 24),
    ("modified", "bte", ["2026-01-01", "2026-02-01"]),
    ("created", "last_days", 3),
    ("status", "!eq", "Draft"),
    ("status", "like", "raft"),
    ("attributes.material", "eq", "Wool"),
    ("attributes.color", "like", "av"),
    (["label"], "text_search", None),
    ("label", "text_search", "boot"),
]


@pytest.mark.parametrize(
    ("field", "operator", "value"), STRICT_REFUSALS, ids=[f"{f}-{o}" for f, o, _ in STRICT_REFUSALS]
)
def test_operators_a_field_does_not_allow_get_422_naming_field_and_operator(
    plytix, products, field, operator, value
):
    if value is None:
        value = "boot"
        field = ["label", "status"]
    response = plytix.call(
        "POST", "/products/search", json={"filters": conditions((field, operator, value))}
    )
    assert response.status_code == 422, response.text
    error = response.json()["error"]
    named = field if isinstance(field, str) else "status"
    assert error["errors"][0]["field"] == named
    assert operator in error["msg"] and named in error["msg"]


@pytest.mark.parametrize(
    ("field", "operator", "value"), STRICT_REFUSALS, ids=[f"{f}-{o}" for f, o, _ in STRICT_REFUSALS]
)
def test_operator_rules_any_takes_every_operator_on_every_field(
    plytix, products, field, operator, value
):
    plytix.admin.settings(operator_rules="any")
    if value is None:
        field, value = ["label", "status"], "boot"
    response = plytix.call(
        "POST", "/products/search", json={"filters": conditions((field, operator, value))}
    )
    assert response.status_code == 200, response.text


def test_last_days_matches_by_the_emulator_clock(plytix, products):
    touched = products[:2]
    for product in touched:
        plytix.ok("PATCH", f"/products/{product['id']}", json={"label": "fresh"})
    plytix.admin.settings(operator_rules="any")
    recent = matching_ids(plytix, conditions(("modified", "last_days", 1)))
    assert recent == {p["id"] for p in touched}
    plytix.admin.advance_clock(3 * 86400)
    plytix.login()
    assert matching_ids(plytix, conditions(("modified", "last_days", 1))) == set()
    assert matching_ids(plytix, conditions(("modified", "last_days", 4))) == recent


def test_last_days_on_a_date_attribute_is_allowed_strictly(plytix, products):
    today = datetime.now(UTC).date().isoformat()
    plytix.ok(
        "PATCH", f"/products/{products[0]['id']}", json={"attributes": {"launch_date": today}}
    )
    found = matching_ids(plytix, conditions(("attributes.launch_date", "last_days", 2)))
    now = time.time()
    state = plytix.admin.state()["products"]
    expected = {
        p["id"]
        for p in state
        if p["attributes"].get("launch_date")
        and now - 2 * 86400
        <= when(p["attributes"]["launch_date"] + "T00:00:00+00:00").timestamp()
        <= now
    }
    assert products[0]["id"] in found and found == expected


def test_column_cap_is_20_on_v1_without_id_and_sku_and_a_setting(plytix):
    labels = [a["label"] for a in plytix.admin.state()["attributes"]]
    columns = ["id", "sku", "label", "status"] + [f"attributes.{label}" for label in labels[:18]]
    assert len(columns) == 22
    found = plytix.ok("POST", "/products/search", json={"attributes": columns})
    assert {"id", "sku", "label", "status"} <= set(found["data"][0])
    refused = plytix.call("POST", "/products/search", json={"attributes": [*columns, "modified"]})
    assert refused.status_code == 422
    assert refused.json() == {
        "error": {
            "msg": "Schema validation error",
            "errors": [{"field": "schema", "msg": "columns limit exceeded, current limit is 20"}],
        }
    }
    plytix.admin.settings(max_columns=21)
    assert (
        plytix.call(
            "POST", "/products/search", json={"attributes": [*columns, "modified"]}
        ).status_code
        == 200
    )


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
        rows = plytix.search(
            attributes=["modified"], pagination={"page": page, "page_size": 7, "order": "-modified"}
        )["data"]
        if not rows:
            break
        seen += rows
    assert [r["id"] for r in seen] == [
        p["id"]
        for p in sorted(
            sorted(products, key=lambda p: p["id"]), key=lambda p: when(p["modified"]), reverse=True
        )
    ]


def test_ordering_ties_break_by_id(plytix, products):
    rows = plytix.search(attributes=["status"], pagination={"page_size": 100, "order": "status"})[
        "data"
    ]
    assert [r["id"] for r in rows] == [
        p["id"] for p in sorted(products, key=lambda p: (p["status"].lower(), p["id"]))
    ]


def test_over_the_ordered_result_limit_is_428_unless_unordered(plytix, products):
    plytix.admin.settings(max_ordered_results=10)
    refused = plytix.call("POST", "/products/search", json={"pagination": {"order": "modified"}})
    assert refused.status_code == 428
    assert refused.json()["error"]["msg"]
    assert plytix.search(pagination={"order": ""})["pagination"]["total_count"] == len(products)
    narrow = conditions(("sku", "eq", products[0]["sku"]))
    assert plytix.search(filters=narrow, pagination={"order": "modified"})["data"]


def test_count_can_mimic_the_unreliable_total(plytix, products):
    plytix.admin.settings(pagination_count="total")
    found = plytix.search(pagination={"page_size": 5})
    assert found["pagination"]["count"] == len(products) and len(found["data"]) == 5


def test_get_products_without_search_is_405(plytix):
    assert plytix.call("GET", "/products").status_code == 405


def test_trailing_slash_redirects_and_the_redirect_drops_the_auth_header(plytix):
    response = plytix.call("POST", "/products/search/", json={}, allow_redirects=False)
    assert response.status_code == 308
    location = response.headers["Location"]
    assert location.endswith("/api/v1/products/search") and "localhost" in location
    followed = plytix.call("POST", "/products/search/", json={})
    assert followed.status_code == 401, followed.text
    assert followed.json() == {"error": {"msg": "Missing Authorization Header"}}
    assert [r.status_code for r in followed.history] == [308]
    assert plytix.call("POST", "/nowhere/", json={}).status_code == 404


def test_trailing_slash_is_404_with_the_redirect_off(plytix):
    plytix.admin.settings(trailing_slash_redirect=False)
    assert plytix.call("POST", "/products/search/", json={}).status_code == 404
    plytix.http.headers.pop("Authorization")
    assert plytix.call("POST", "/products/search/", json={}).status_code == 404


def test_order_is_null_in_pagination_when_none_was_asked(plytix):
    assert plytix.search()["pagination"]["order"] is None
    assert plytix.search(pagination={"order": ""})["pagination"]["order"] is None
    assert plytix.search(pagination={"order": "-sku"})["pagination"]["order"] == "-sku"


def test_other_resources_search_the_same_way(plytix):
    state = plytix.admin.state()
    media = {a["id"] for a in state["attributes"] if a["type_class"].startswith("Media")}
    assert (
        matching_ids(plytix, conditions(("type_class", "like", "media")), "attributes/product")
        == media
    )
    families = plytix.search("product_families", attributes=["name"], pagination={"order": "name"})[
        "data"
    ]
    assert [f["name"] for f in families] == ["Accessories", "Apparel", "Footwear"]
    apparel = plytix.search(
        "categories/product", attributes=["path"], filters=conditions(("path", "in", ["Apparel"]))
    )["data"]
    assert {tuple(c["path"]) for c in apparel} >= {("Apparel",), ("Apparel", "Tops")}
    assets = plytix.search(
        "assets",
        attributes=["filename", "file_size"],
        filters=conditions(("extension", "eq", "jpg")),
    )
    assert assets["pagination"]["total_count"] == len(state["assets"])
    assert set(assets["data"][0]) == {"id", "filename", "file_size"}


@pytest.mark.parametrize(
    "resource",
    [
        "assets",
        "attributes/product",
        "product_families",
        "categories/product",
        "categories/file",
        "attribute-groups/product",
        "relationships",
    ],
)
def test_searches_without_columns_return_only_ids(plytix, resource):
    if resource == "relationships":
        plytix.ok("POST", "/relationships", 201, json={"name": "Goes with"})
    rows = plytix.search(resource)["data"]
    assert rows and all(list(row) == ["id"] for row in rows)


@pytest.mark.parametrize(
    ("resource", "columns"),
    [
        (
            "assets",
            [
                "modified",
                "created",
                "file_modified",
                "status",
                "has_custom_thumb",
                "n_catalogs",
                "n_products",
            ],
        ),
        ("categories/product", ["modified", "created", "order", "name"]),
        ("categories/file", ["modified", "created", "order"]),
        ("relationships", ["modified", "created", "label"]),
        ("product_families", ["modified", "total_attributes", "total_models", "total_products"]),
    ],
)
def test_real_columns_of_assets_categories_relationships_and_families(plytix, resource, columns):
    if resource == "relationships":
        plytix.ok("POST", "/relationships", 201, json={"name": "Goes with"})
    rows = plytix.search(resource, attributes=columns, pagination={"order": "-modified"})["data"]
    assert rows and all(set(row) == {"id", *columns} for row in rows)
    assert all(row["modified"] for row in rows)
    if "order" in columns:
        assert all(isinstance(row["order"], str) for row in rows)


def test_filters_endpoints_list_attributes_and_properties_in_the_real_shape(plytix):
    body = plytix.ok("GET", "/filters/product")
    assert list(body) == ["data"] and len(body["data"]) == 1
    listing = body["data"][0]
    assert set(listing) == {"attributes", "properties"}
    for row in listing["attributes"] + listing["properties"]:
        assert (
            {"filter_type", "key", "operators"}
            <= set(row)
            <= {"filter_type", "key", "operators", "options"}
        )
    props = {row["key"]: row for row in listing["properties"]}
    assert props["sku"]["operators"] == ["exists", "!exists", "like", "eq", "!eq"]
    assert "id" not in props
    assert props["modified"]["operators"] == ["exists", "!exists", "eq", "gt", "gte", "lt", "lte"]
    assert props["status"]["operators"] == ["eq", "in", "!in"]
    assert props["status"]["options"] == ["Draft", "Completed", "Archived"]
    attributes = {row["key"]: row for row in listing["attributes"]}
    assert attributes["material"]["operators"] == ["in", "!in"]
    assert "Wool" in attributes["material"]["options"]
    assert attributes["color"]["filter_type"] == "dropdown"
    assert "Navy" in attributes["color"]["options"]
    assert "last_days" in attributes["launch_date"]["operators"]
    assets = {
        row["key"]: row for row in plytix.ok("GET", "/filters/asset")["data"][0]["properties"]
    }
    assert {"filename", "file_size", "modified"} <= set(assets)
    relations = plytix.ok("GET", "/filters/relationships")["data"][0]
    assert {row["key"] for row in relations["properties"]} >= {"name", "label"}


@pytest.mark.parametrize(
    ("listing_path", "search_path"),
    [
        ("/filters/product", "/products/search"),
        ("/filters/asset", "/assets/search"),
        ("/filters/relationships", "/relationships/search"),
    ],
)
def test_every_listed_operator_is_accepted_and_every_other_refused(
    plytix, listing_path, search_path
):
    """The /filters listing and the search agree, field by field."""
    listing = plytix.ok("GET", listing_path)["data"][0]
    samples = {"number": 1, "completeness": 1, "date": "2026-03-01", "boolean": True}
    rows = [(f"attributes.{r['key']}", r) for r in listing["attributes"]] + [
        (r["key"], r) for r in listing["properties"]
    ]
    from emulators.plytix.search import OPERATORS

    for field, row in rows:
        value = samples.get(row["filter_type"], "x")
        for operator in OPERATORS:
            if operator == "text_search":
                condition = {"field": [field], "operator": operator, "value": "x"}
            else:
                wanted = (
                    [value]
                    if operator.endswith("in")
                    else [value, value]
                    if operator == "bte"
                    else 1
                    if operator == "last_days"
                    else value
                )
                condition = {"field": field, "operator": operator, "value": wanted}
            response = plytix.call("POST", search_path, json={"filters": [[condition]]})
            expected = 200 if operator in row["operators"] else 422
            assert response.status_code == expected, (field, operator, response.text)
