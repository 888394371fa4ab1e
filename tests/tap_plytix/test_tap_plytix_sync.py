"""tap-plytix against the Plytix emulator: completeness, incremental, resumption."""

from __future__ import annotations

from typing import Any

from tap_plytix.api.values import ref_id, ref_ids

from tests.tap_plytix.conftest import routes, run_tap

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
    return {"id": product["id"], "sku": product["sku"], "label": product["label"],
            "status": product["status"], "modified": product["modified"],
            "product_level": product["product_level"],
            "_parent_id": product.get("_parent_id"),
            "product_family_id": product["product_family_id"],
            "categories": product["categories"], "thumbnail": ref_id(product["thumbnail"]),
            "assets": product["assets"], "attributes": attributes}


def comparable(record: dict[str, Any]) -> dict[str, Any]:
    keys = ("id", "sku", "label", "status", "modified", "product_level", "_parent_id",
            "product_family_id", "categories", "thumbnail", "assets", "attributes")
    return {key: record.get(key) for key in keys}


def test_full_sync_equals_the_emulator_state(plytix_config, plytix_admin):
    run = run_tap(plytix_config)
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
    links = {(r["product_id"], r["attribute_label"], r["asset_id"]): r["position"]
             for r in run.records["product_assets"]}
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
        assert [a["label"] for a in families[family["id"]]["attributes"]] == \
            [a["label"] for a in family["attributes"]]
    assert sorted(run.ids("product_categories")) == \
        sorted(c["id"] for c in state["product_categories"])
    assert sorted(run.ids("asset_categories")) == \
        sorted(c["id"] for c in state["file_categories"])
    # Products come ordered by `modified`, so the bookmark is the newest one.
    newest = max(p["modified"] for p in state["products"])
    assert run.state["bookmarks"]["products"]["replication_key_value"] == newest


def test_incremental_run_emits_exactly_the_edited_rows(plytix_config, plytix_admin,
                                                        emulators):
    first = run_tap(plytix_config)
    tap = first.tap
    edited = first.ids("products")[3:6]
    for product_id in edited:
        tap.client.call("PATCH", f"/products/{product_id}",
                        json={"attributes": {"image_credit": "Studio North"}})
    asset_id = first.ids("assets")[0]
    tap.client.call("PATCH", f"/assets/{asset_id}", json={"filename": "renamed.jpg"})
    plytix_admin.clear_requests()

    second = run_tap(plytix_config, state=first.state)

    assert sorted(second.ids("products")) == sorted(edited)
    assert all(r["attributes"]["image_credit"] == "Studio North"
               for r in second.records["products"])
    assert second.ids("assets") == [asset_id]
    assert second.records["assets"][0]["filename"] == "renamed.jpg"
    third = run_tap(plytix_config, state=second.state)
    assert third.records["products"] == [] and third.records["assets"] == []


def test_no_change_incremental_run_makes_at_most_two_requests_per_stream(plytix_config,
                                                                         plytix_admin):
    first = run_tap(plytix_config)
    plytix_admin.clear_requests()
    second = run_tap(plytix_config, state=first.state)
    by_route = routes(plytix_admin)
    assert second.records["products"] == []
    assert by_route["POST /api/v1/products/search"] == 1
    assert by_route["POST /api/v1/assets/search"] == 1
    # attribute definitions: one for discovery, one for the stream
    assert by_route["POST /api/v1/attributes/product/search"] <= 2
    assert by_route["POST /api/v1/categories/product/search"] == 1
    assert by_route["POST /api/v1/categories/file/search"] == 1
    assert by_route["POST /api/v1/product_families/search"] == 1
    assert "GET /api/v1/product_families/{family_id}/attributes" not in by_route
    assert second.records["product_families"] == []
    assert by_route["POST /auth/api/get-token"] == 1


def test_a_family_whose_attributes_change_is_read_again_alone(plytix_config, plytix_admin):
    first = run_tap(plytix_config)
    family = first.records["product_families"][0]
    unlinked = family["attributes"][0]["label"]
    first.tap.client.call("POST", f"/product_families/{family['id']}/attributes/unlink",
                          json={"attribute_labels": [unlinked]})
    plytix_admin.clear_requests()
    second = run_tap(plytix_config, state=first.state)
    [changed] = second.records["product_families"]
    assert changed["id"] == family["id"]
    assert [a["label"] for a in changed["attributes"]] == \
        [a["label"] for a in family["attributes"][1:]]
    assert routes(plytix_admin)["GET /api/v1/product_families/{family_id}/attributes"] == 1


def test_interrupted_sync_resumes_after_the_last_emitted_row(plytix_config):
    full = run_tap(plytix_config)
    products = full.records["products"]
    stop = products[19]
    # What the tap had written when it stopped right after its 20th product.
    state = {"bookmarks": {"products": {"replication_key": "modified",
                                        "replication_key_value": stop["modified"],
                                        "boundary_ids": [stop["id"]]}}}
    resumed = run_tap(plytix_config, state=state)
    assert resumed.ids("products") == [p["id"] for p in products[20:]]


def test_rows_sharing_the_bookmark_time_are_not_lost(plytix_config):
    full = run_tap(plytix_config)
    products = full.records["products"]
    # A bookmark whose timestamp two rows share, only one of them emitted so far.
    first, second = products[10], products[11]
    state = {"bookmarks": {"products": {"replication_key": "modified",
                                        "replication_key_value": first["modified"],
                                        "boundary_ids": ["someone-else"]}}}
    resumed = run_tap(plytix_config, state=state)
    assert resumed.ids("products")[:2] == [first["id"], second["id"]]


def test_over_ten_thousand_matches_splits_the_window(plytix_config, plytix_admin):
    plytix_admin.settings(max_ordered_results=12)
    run = run_tap({**plytix_config, "page_size": 5})
    state = plytix_admin.state()
    ids = run.ids("products")
    assert sorted(ids) == sorted(p["id"] for p in state["products"])
    assert len(ids) == len(set(ids))
    modified = [r["modified"] for r in run.records["products"]]
    assert modified == sorted(modified)
    assert run.tap.streams["products"].windows_split > 0
    statuses = [r["status"] for r in plytix_admin.requests()["recent"]
                if r["route"] == "POST /api/v1/products/search"]
    assert 428 in statuses


def test_attributes_beyond_the_column_limit_come_in_batches_merged_by_id(plytix_config,
                                                                         plytix_admin):
    reference = run_tap(plytix_config)
    plytix_admin.settings(max_columns=10)
    plytix_admin.clear_requests()
    config = {**plytix_config, "max_columns_per_search": 10, "page_size": 20}
    batched = run_tap(config)
    assert sorted(batched.records["products"], key=lambda r: r["id"]) == \
        sorted(reference.records["products"], key=lambda r: r["id"])
    n_products = len(reference.records["products"])
    columns = 14 + len(reference.records["product_attributes"])  # core + custom
    batches = -(-columns // 10)
    pages = -(-n_products // 20)
    assert routes(plytix_admin)["POST /api/v1/products/search"] == pages * batches
    # never one GET per product
    assert "GET /api/v1/products/{product_id}" not in routes(plytix_admin)


def test_attributes_setting_selects_typed_columns(plytix_config):
    run = run_tap({**plytix_config, "attributes": ["color", "price", "media_gallery"]})
    record = run.records["products"][1]
    assert set(record["attributes"]) == {"color", "price", "media_gallery"}
    schema = run.tap.streams["products"].schema["properties"]["attributes"]["properties"]
    assert schema["price"]["type"] == ["number", "null"]
    assert schema["media_gallery"]["type"] == ["array", "null"]
    assert schema["color"]["type"] == ["string", "null"]
