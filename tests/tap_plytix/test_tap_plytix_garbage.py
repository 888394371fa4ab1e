"""Upstream garbage: HTML error pages, odd envelopes, rows of unexpected types, missing
fields and huge values. The tap retries what a retry can fix, and reports (id and reason)
and skips a row it cannot read while the rest of its page flows on."""

from __future__ import annotations

import json
import logging

from tests.tap_plytix.conftest import run_tap

SEARCH = "POST /api/v1/products/search"
HTML = "<!DOCTYPE html><html><body><h1>502 Bad Gateway</h1><p>nginx</p></body></html>"


def test_html_error_pages_and_odd_envelopes_are_retried(plytix_config, plytix_admin):
    reference = run_tap(plytix_config)
    plytix_admin.fault(route=SEARCH, status=502, body=HTML, count=2,
                       headers={"Content-Type": "text/html"})
    plytix_admin.fault(route="POST /api/v1/assets/search", status=200, body=HTML, count=1)
    plytix_admin.fault(route="POST /api/v1/categories/product/search", status=200,
                       body='{"data": {"not": "a list"}}', count=1)
    plytix_admin.fault(route="POST /api/v1/categories/file/search", status=200,
                       body="[1, 2, 3]", count=1)
    run = run_tap(plytix_config)
    for stream in ("products", "product_assets", "assets", "product_categories",
                   "asset_categories", "product_families", "product_attributes"):
        assert run.records[stream] == reference.records[stream], stream
    assert run.tap.client.stats["malformed_bodies"] == 3
    assert run.tap.client.stats["status_502"] == 2


def test_rows_that_cannot_be_read_are_reported_and_the_rest_of_the_page_flows(
        plytix_config, plytix_admin, caplog):
    config = {**plytix_config, "page_size": 25}
    reference = run_tap(config)
    stream = reference.tap.streams["products"]
    page = reference.tap.client.search_page(stream.search_path, {
        "attributes": stream.columns,
        "pagination": {"page": 1, "page_size": 25, "order": "modified"}})
    rows = page["data"]
    assert [r["id"] for r in rows] == reference.ids("products")[:25]
    huge_text = "Long copy. " * 100_000  # 1.1 MB in one attribute: kept, not a problem
    planted = {
        1: ("not an object", lambda r: "<tr><td>row</td></tr>"),
        2: ("attributes.weight_g expects a whole number (64-bit), got 'heavy'",
            lambda r: {**r, "attributes": {**r["attributes"], "weight_g": "heavy"}}),
        3: ("modified is missing", lambda r: {k: v for k, v in r.items() if k != "modified"}),
        4: ("the row has no id", lambda r: {**r, "id": None}),
        5: ("label expects text, got {'en': 'Tee'}", lambda r: {**r, "label": {"en": "Tee"}}),
        6: ("attributes.price expects a finite number, got '12,50'",
            lambda r: {**r, "attributes": {**r["attributes"], "price": "12,50"}}),
        7: ("attributes.weight_g expects a whole number (64-bit), got 1000000000000000000000",
            lambda r: {**r, "attributes": {**r["attributes"], "weight_g": 10**21}}),
        8: ("created expects a date-time, got 'yesterday'",
            lambda r: {**r, "created": "yesterday"}),
        9: ("cannot be read", lambda r: {**r, "attributes": ["not", "a", "map"]}),
        10: ("num_variations expects a whole number (64-bit), got 'three'",
             lambda r: {**r, "num_variations": "three"}),
    }
    for n, (_, plant) in planted.items():
        rows[n] = plant(rows[n])
    rows[11]["attributes"]["description"] = huge_text
    plytix_admin.fault(route=SEARCH, status=200, body=json.dumps(page), count=1)

    with caplog.at_level(logging.WARNING):
        run = run_tap(config)

    skipped = {reference.ids("products")[n] for n in planted}
    assert run.ids("products") == [i for i in reference.ids("products") if i not in skipped]
    assert run.tap.streams["products"].bad_rows == len(planted)
    reports = [r.getMessage() for r in caplog.records if "skipped the row" in r.getMessage()]
    assert len(reports) == len(planted)
    for n, (reason, _) in planted.items():
        row_id = reference.ids("products")[n] if n not in (1, 4) else None
        assert any(reason in line and (row_id is None or row_id in line)
                   for line in reports), (reason, reports)
    emitted = {r["id"]: r for r in run.records["products"]}
    assert emitted[rows[11]["id"]]["attributes"]["description"] == huge_text
    # the page's media links still flow, for exactly the emitted products
    assert run.records["product_assets"] == [
        link for link in reference.records["product_assets"] if link["product_id"] in emitted]


def test_an_odd_definition_row_is_skipped_not_fatal(plytix_config, plytix_admin, caplog):
    reference = run_tap(plytix_config)
    categories = reference.tap.client.search_page("/categories/product/search", {
        "attributes": ["name", "slug", "path", "parents_ids", "n_children", "order"],
        "pagination": {"page": 1, "page_size": 100}})
    categories["data"][0]["order"] = "first"
    plytix_admin.fault(route="POST /api/v1/categories/product/search", status=200,
                       body=json.dumps(categories), count=1)
    with caplog.at_level(logging.WARNING):
        run = run_tap(plytix_config)
    assert run.ids("product_categories") == reference.ids("product_categories")[1:]
    assert any("order expects a whole number" in r.getMessage() for r in caplog.records)
