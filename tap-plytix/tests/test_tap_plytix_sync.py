"""tap-plytix against the Plytix emulator: completeness, incremental, resumption, on both
API generations (v2 by default; v1 when the account does not serve v2)."""

from __future__ import annotations

from typing import Any

import pytest
from plytix_api import PlytixApiError
from plytix_api.values import ref_id, ref_ids
from tap_plytix_helpers import routes, run_tap

MEDIA = ("MediaAttribute", "MediaGalleryAttribute")


def expected_product(product: dict[str, Any], types: dict[str, str]) -> dict[str, Any]:
    """A product of the emulator's state in the shape the tap emits."""
    values = product["attributes"]
    attributes = {}
    for label, type_class in types.items():
        value = values.get(label)
        if type_class == "MediaGalleryAttribute":
            attributes[label] = ref_ids(value)
        elif type_class == "MediaAttribute":
            attributes[label] = ref_id(value)
        else:
            attributes[label] = None if value in (None, "", []) else value
    return {
        "id": product["id"],
        "sku": product["sku"],
        "label": product["label"],
        "status": product["status"],
        "modified": product["modified"],
        "product_level": product["product_level"],
        "_parent_id": product.get("_parent_id"),
        "product_family_id": product["product_family_id"],
        "categories": product["categories"],
        "thumbnail": ref_id(product["thumbnail"]),
        "assets": product["assets"],
        "attributes": attributes,
    }


def comparable(record: dict[str, Any]) -> dict[str, Any]:
    keys = (
        "id",
        "sku",
        "label",
        "status",
        "modified",
        "product_level",
        "_parent_id",
        "product_family_id",
        "categories",
        "thumbnail",
        "assets",
        "attributes",
    )
    return {key: record.get(key) for key in keys}


V2_SEARCH = "POST /api/v2/products/search"
V1_SEARCH = "POST /api/v1/products/search"


@pytest.fixture(params=["v2", "v1"])
def generation(request, plytix_admin) -> str:
    """The account's API generation: v2 served (the default) or not (v1 only)."""
    plytix_admin.settings(v2_enabled=request.param == "v2")
    return request.param


def test_full_sync_equals_the_emulator_state(plytix_config, plytix_admin, generation):
    run = run_tap(plytix_config)
    assert run.tap.client.generation() == generation
    state = plytix_admin.state()
    types = {a["label"]: a["type_class"] for a in state["attributes"]}

    got = {r["id"]: comparable(r) for r in run.records["products"]}
    want = {p["id"]: expected_product(p, types) for p in state["products"]}
    assert got == want
    assert sorted(run.ids("assets")) == sorted(a["id"] for a in state["assets"])
    for record in run.records["assets"]:
        stored = next(a for a in state["assets"] if a["id"] == record["id"])
        assert record["filename"] == stored["filename"]
        assert record["modified"] == stored["modified"]
        assert record["n_products"] == stored["n_products"]
    links = {
        (r["product_id"], r["attribute_label"], r["asset_id"]): r["position"]
        for r in run.records["product_assets"]
    }
    want_links = {}
    for product in state["products"]:
        if product["thumbnail"]:
            want_links[(product["id"], "thumbnail", product["thumbnail"]["id"])] = 0
        for label, type_class in types.items():
            if type_class in MEDIA:
                for position, asset_id in enumerate(ref_ids(product["attributes"].get(label))):
                    want_links[(product["id"], label, asset_id)] = position
    assert want_links and links == want_links
    assert sorted(run.ids("product_attributes")) == sorted(a["id"] for a in state["attributes"])
    families = {f["id"]: f for f in run.records["product_families"]}
    for family in state["product_families"]:
        assert [a["label"] for a in families[family["id"]]["attributes"]] == [
            a["label"] for a in family["attributes"]
        ]
    assert sorted(run.ids("product_categories")) == sorted(
        c["id"] for c in state["product_categories"]
    )
    assert sorted(run.ids("asset_categories")) == sorted(c["id"] for c in state["file_categories"])
    # Products come ordered by `modified`, so the bookmark is the newest one.
    newest = max(p["modified"] for p in state["products"])
    assert run.state["bookmarks"]["products"]["replication_key_value"] == newest


def test_incremental_run_emits_exactly_the_edited_rows(plytix_config, plytix_admin, emulators):
    first = run_tap(plytix_config)
    tap = first.tap
    edited = first.ids("products")[3:6]
    for product_id in edited:
        tap.client.call(
            "PATCH",
            f"/products/{product_id}",
            json={"attributes": {"image_credit": "Studio North"}},
        )
    asset_id = first.ids("assets")[0]
    tap.client.call("PATCH", f"/assets/{asset_id}", json={"filename": "renamed.jpg"})
    plytix_admin.clear_requests()

    second = run_tap(plytix_config, state=first.state)

    assert sorted(second.ids("products")) == sorted(edited)
    assert all(
        r["attributes"]["image_credit"] == "Studio North" for r in second.records["products"]
    )
    assert second.ids("assets") == [asset_id]
    assert second.records["assets"][0]["filename"] == "renamed.jpg"
    third = run_tap(plytix_config, state=second.state)
    assert third.records["products"] == [] and third.records["assets"] == []


def test_no_change_incremental_run_makes_at_most_two_requests_per_stream(
    plytix_config, plytix_admin, generation
):
    first = run_tap(plytix_config)
    plytix_admin.clear_requests()
    second = run_tap(plytix_config, state=first.state)
    by_route = routes(plytix_admin)
    assert second.records["products"] == []
    # auto asks v2 once, with the run's first product search itself
    assert by_route[V2_SEARCH] == 1
    assert by_route.get(V1_SEARCH, 0) == (1 if generation == "v1" else 0)
    assert by_route["GET /api/v1/filters/product"] == 1
    assert by_route["GET /api/v1/filters/asset"] == 1
    assert by_route["POST /api/v1/assets/search"] == 1
    # attribute definitions: one for discovery, one for the stream
    assert by_route["POST /api/v1/attributes/product/search"] <= 2
    assert by_route["POST /api/v1/categories/product/search"] == 1
    assert by_route["POST /api/v1/categories/file/search"] == 1
    assert by_route["POST /api/v1/product_families/search"] == 1
    assert "GET /api/v1/product_families/{family_id}/attributes" not in by_route
    assert second.records["product_families"] == []
    assert by_route["POST /auth/api/get-token"] == 1


def test_api_version_v1_never_asks_v2(plytix_config, plytix_admin):
    run = run_tap({**plytix_config, "api_version": "v1"})
    by_route = routes(plytix_admin)
    assert not [r for r in by_route if r.startswith(("POST /api/v2", "GET /api/v2"))]
    assert by_route[V1_SEARCH] >= 1
    assert len(run.records["products"]) == len(plytix_admin.state()["products"])


def test_api_version_v2_on_an_account_without_v2_names_the_setting(plytix_config, plytix_admin):
    plytix_admin.settings(v2_enabled=False)
    with pytest.raises(PlytixApiError, match="404 on POST /api/v2/products/search"):
        run_tap({**plytix_config, "api_version": "v2"})


def test_v1_products_gone_with_api_version_v1_says_what_to_set(plytix_config, plytix_admin):
    plytix_admin.settings(v1_products="gone")
    with pytest.raises(PlytixApiError) as refused:
        run_tap({**plytix_config, "api_version": "v1"})
    message = str(refused.value)
    assert "410" in message and "set api_version to auto or v2" in message
    assert "\n" not in message


def test_a_family_whose_attributes_change_is_read_again_alone(plytix_config, plytix_admin):
    first = run_tap(plytix_config)
    family = first.records["product_families"][0]
    levels = {
        a["attribute_level"] for f in first.records["product_families"] for a in f["attributes"]
    }
    assert levels <= {"parent_level", "variant_level", "no_level"} and levels
    assert all("required" not in a for a in family["attributes"])
    unlinked = family["attributes"][0]["id"]
    first.tap.client.call(
        "POST",
        f"/product_families/{family['id']}/attributes/unlink",
        json={"attributes": [unlinked]},
    )
    plytix_admin.clear_requests()
    second = run_tap(plytix_config, state=first.state)
    [changed] = second.records["product_families"]
    assert changed["id"] == family["id"]
    assert [a["label"] for a in changed["attributes"]] == [
        a["label"] for a in family["attributes"][1:]
    ]
    assert routes(plytix_admin)["GET /api/v1/product_families/{family_id}/attributes"] == 1


def test_interrupted_sync_resumes_after_the_last_emitted_row(plytix_config):
    full = run_tap(plytix_config)
    products = full.records["products"]
    stop = products[19]
    # What the tap had written when it stopped right after its 20th product.
    state = {
        "bookmarks": {
            "products": {
                "replication_key": "modified",
                "replication_key_value": stop["modified"],
                "boundary_ids": [stop["id"]],
            }
        }
    }
    resumed = run_tap(plytix_config, state=state)
    assert resumed.ids("products") == [p["id"] for p in products[20:]]


def test_rows_sharing_the_bookmark_time_are_not_lost(plytix_config):
    full = run_tap(plytix_config)
    products = full.records["products"]
    # A bookmark whose timestamp two rows share, only one of them emitted so far.
    first, second = products[10], products[11]
    state = {
        "bookmarks": {
            "products": {
                "replication_key": "modified",
                "replication_key_value": first["modified"],
                "boundary_ids": ["someone-else"],
            }
        }
    }
    resumed = run_tap(plytix_config, state=state)
    assert resumed.ids("products")[:2] == [first["id"], second["id"]]


def test_over_ten_thousand_matches_splits_the_window(plytix_config, plytix_admin, generation):
    plytix_admin.settings(max_ordered_results=12)
    run = run_tap({**plytix_config, "page_size": 5})
    state = plytix_admin.state()
    ids = run.ids("products")
    assert sorted(ids) == sorted(p["id"] for p in state["products"])
    assert len(ids) == len(set(ids))
    modified = [r["modified"] for r in run.records["products"]]
    assert modified == sorted(modified)
    assert run.tap.streams["products"].windows_split > 0
    route = V2_SEARCH if generation == "v2" else V1_SEARCH
    statuses = [r["status"] for r in plytix_admin.requests()["recent"] if r["route"] == route]
    assert 428 in statuses


@pytest.mark.parametrize("cap", [None, 7])
def test_columns_come_in_batches_at_the_generation_cap_merged_by_id(
    plytix_config, plytix_admin, generation, cap
):
    """Default: the generation's cap (50 on v2, 20 on v1); an explicit setting overrides.
    Requests = pages x column batches (the minimum), never one GET per product."""
    config = {**plytix_config, "page_size": 20}
    if cap:
        config["max_columns_per_search"] = cap
    plytix_admin.settings(v2_enabled=True)
    reference = run_tap({**plytix_config, "api_version": "v2"})
    plytix_admin.settings(v2_enabled=generation == "v2")
    plytix_admin.clear_requests()
    batched = run_tap(config)
    assert sorted(batched.records["products"], key=lambda r: r["id"]) == sorted(
        reference.records["products"], key=lambda r: r["id"]
    )
    size = cap or {"v2": 50, "v1": 20}[generation]
    # core (+ num_variations, which v2 rows carry unasked) + custom
    columns = 12 + (generation == "v1") + len(reference.records["product_attributes"])
    batches = -(-columns // size)
    pages = -(-len(reference.records["products"]) // 20)
    by_route = routes(plytix_admin)
    route = V2_SEARCH if generation == "v2" else V1_SEARCH
    # v1 search rows carry no product_family_id: one search per family maps them
    family_searches = batched.tap.streams["products"].family_searches
    assert family_searches == (
        0 if generation == "v2" else len(reference.records["product_families"])
    )
    assert by_route[route] == pages * batches + family_searches
    asked = [
        len(r["body"].get("attributes") or [])
        for r in plytix_admin.requests()["recent"]
        if r["route"] == route and r["status"] == 200 and isinstance(r.get("body"), dict)
    ]
    assert not asked or max(asked) <= size
    assert not [r for r in by_route if "{product_id}" in r]


def test_selected_attributes_shrink_the_columns_asked_for(plytix_config, plytix_admin):
    """`meltano select` of a few attributes: fewer columns asked, hence fewer requests."""
    from singer_sdk.singerlib import Catalog

    plytix_admin.settings(v2_enabled=False)
    discovery = run_tap({**plytix_config, "api_version": "v1"})
    catalog = Catalog.from_dict(discovery.tap.catalog_dict)
    entry = catalog.get_stream("products")
    for breadcrumb, meta in entry.metadata.items():
        if breadcrumb[:2] == ("properties", "attributes") and len(breadcrumb) == 4:
            meta.selected = breadcrumb[3] in ("color", "size")
    plytix_admin.clear_requests()
    run = run_tap(
        {**plytix_config, "api_version": "v1", "page_size": 100}, catalog=catalog.to_dict()
    )
    record = run.records["products"][0]
    assert set(record["attributes"]) == {"color", "size"}
    asked = run.tap.streams["products"].column_plan()
    assert len(asked) == 1
    assert [c for c in asked[0] if c.startswith("attributes.")] == [
        "attributes.color",
        "attributes.size",
    ] or {c for c in asked[0] if c.startswith("attributes.")} - {
        "attributes.color",
        "attributes.size",
    } <= {
        f"attributes.{a['label']}"
        for a in plytix_admin.state()["attributes"]
        if a["type_class"] in MEDIA
    }
    pages = -(-len(run.records["products"]) // 100)
    assert routes(plytix_admin)[V1_SEARCH] == pages + run.tap.streams["products"].family_searches


def test_attributes_setting_selects_typed_columns(plytix_config):
    run = run_tap({**plytix_config, "attributes": ["color", "price", "media_gallery"]})
    record = run.records["products"][1]
    assert set(record["attributes"]) == {"color", "price", "media_gallery"}
    schema = run.tap.streams["products"].schema["properties"]["attributes"]["properties"]
    assert schema["price"]["type"] == ["number", "null"]
    assert schema["media_gallery"]["type"] == ["array", "null"]
    assert schema["color"]["type"] == ["string", "null"]


def test_edits_during_the_scan_lose_no_row_and_no_column(plytix_config, plytix_admin, monkeypatch):
    """Edits while a sync pages through products (between a page's first search and the
    repeat that fetches its next columns): pages start at the last row's `modified`, so an
    edited row that moves to the end shifts no unread row onto a page already read; a row
    of the current page that moved is found again by SKU (`sku eq` groups on v1), so every
    emitted record has every column, and the edited rows come again with their new values."""
    from plytix_api import PlytixClient

    plytix_admin.settings(v2_enabled=False)
    config = {**plytix_config, "page_size": 10, "max_columns_per_search": 15}
    reference = run_tap(config)
    ids = reference.ids("products")
    earlier, current = ids[0], ids[12]
    original = PlytixClient.search_page
    calls = {"n": 0}

    def search_page_after_edits(self, path, body):
        # the repeats of a page's search for its next columns (not the family searches)
        calls["n"] += path.endswith("/products/search") and body.get("attributes") != ["modified"]
        if calls["n"] == 3:  # (1-2: page 1) page 2's first repeat: someone edits meanwhile
            for product_id in (earlier, current):
                self.call(
                    "PATCH",
                    f"/products/{product_id}",
                    json={"attributes": {"image_credit": "Moved"}},
                )
        return original(self, path, body)

    monkeypatch.setattr(PlytixClient, "search_page", search_page_after_edits)
    plytix_admin.clear_requests()
    run = run_tap(config)
    # one row of page 2 moved: found again for each of its two remaining column batches
    assert calls["n"] > 3 and run.tap.streams["products"].rows_repaired == 2
    lookups = [
        r
        for r in plytix_admin.requests()["recent"]
        if r["route"] == V1_SEARCH
        and any(c["field"] == "sku" for g in (r["body"] or {}).get("filters") or [] for c in g)
    ]
    assert len(lookups) == 2
    for lookup in lookups:
        assert [c for g in lookup["body"]["filters"] for c in g] == [
            {
                "field": "sku",
                "operator": "eq",
                "value": next(
                    r["sku"] for r in reference.records["products"] if r["id"] == current
                ),
            }
        ]
    latest = {r["id"]: r for r in run.records["products"]}
    want = {r["id"]: r for r in reference.records["products"]}
    assert set(latest) == set(want)
    assert run.ids("products").count(earlier) == 2 and run.ids("products").count(current) == 2
    for product_id, record in latest.items():
        if product_id in (earlier, current):
            assert record["attributes"]["image_credit"] == "Moved"
        else:
            assert record == want[product_id], product_id
