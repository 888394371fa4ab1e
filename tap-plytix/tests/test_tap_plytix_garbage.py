"""Upstream garbage: HTML error pages, odd envelopes, rows of unexpected types, missing
fields and huge values. The tap retries what a retry can fix, emits a value it cannot read
as null (reported with id and field), and reports and skips only a row that cannot be a
record at all, while the rest of its page flows on."""

from __future__ import annotations

import json
import logging

from tap_plytix_helpers import run_tap

SEARCH = "POST /api/v2/products/search"
HTML = "<!DOCTYPE html><html><body><h1>502 Bad Gateway</h1><p>nginx</p></body></html>"


def test_html_error_pages_and_odd_envelopes_are_retried(plytix_config, plytix_admin):
    reference = run_tap(plytix_config)
    plytix_admin.fault(
        route=SEARCH, status=502, body=HTML, count=2, headers={"Content-Type": "text/html"}
    )
    plytix_admin.fault(route="POST /api/v1/assets/search", status=200, body=HTML, count=1)
    plytix_admin.fault(
        route="POST /api/v1/categories/product/search",
        status=200,
        body='{"data": {"not": "a list"}}',
        count=1,
    )
    plytix_admin.fault(
        route="POST /api/v1/categories/file/search", status=200, body="[1, 2, 3]", count=1
    )
    run = run_tap(plytix_config)
    for stream in (
        "products",
        "product_assets",
        "assets",
        "product_categories",
        "asset_categories",
        "product_families",
        "product_attributes",
    ):
        assert run.records[stream] == reference.records[stream], stream
    assert run.tap.client.stats["malformed_bodies"] == 3
    assert run.tap.client.stats["status_502"] == 2


def test_rows_that_cannot_be_read_are_reported_and_the_rest_of_the_page_flows(
    plytix_config, plytix_admin, caplog
):
    """A row that cannot be a record (not an object, no id, no `modified`, `attributes` not
    a map) is reported and skipped; a value that cannot be read as its column's type is
    emitted as null with the row (reported with the id and field, counted); loose values
    are coerced and counted."""
    config = {**plytix_config, "page_size": 25}
    reference = run_tap(config)
    stream = reference.tap.streams["products"]
    page = reference.tap.client.search_page(
        stream.path,
        {
            "attributes": stream.column_plan()[0],
            "pagination": {"page": 1, "page_size": 25, "order": "modified"},
        },
    )
    rows = page["data"]
    assert [r["id"] for r in rows] == reference.ids("products")[:25]
    huge_text = "Long copy. " * 100_000  # 1.1 MB in one attribute: kept, not a problem
    skipped = {
        1: ("not an object", lambda r: "<tr><td>row</td></tr>"),
        3: ("modified is missing", lambda r: {k: v for k, v in r.items() if k != "modified"}),
        4: ("the row has no id", lambda r: {**r, "id": None}),
        9: ("cannot be read", lambda r: {**r, "attributes": ["not", "a", "map"]}),
    }
    nulled = {
        2: (
            "attributes.weight_g",
            "not a whole number: 'heavy'",
            lambda r: {**r, "attributes": {**r["attributes"], "weight_g": "heavy"}},
        ),
        5: ("label", "not text", lambda r: {**r, "label": {"en": "Tee"}}),
        6: (
            "attributes.price",
            "not a number: '12,50'",
            lambda r: {**r, "attributes": {**r["attributes"], "price": "12,50"}},
        ),
        7: (
            "attributes.weight_g",
            "beyond 64 bits",
            lambda r: {**r, "attributes": {**r["attributes"], "weight_g": 10**21}},
        ),
        8: ("created", "not a date-time: 'yesterday'", lambda r: {**r, "created": "yesterday"}),
        10: (
            "num_variations",
            "not a whole number: 'three'",
            lambda r: {**r, "num_variations": "three"},
        ),
    }
    loose = {
        12: ("weight_g", "1250", 1250),
        13: ("price", "19.90", 19.9),
        14: ("launch_date", "2026-03-01T00:00:00", "2026-03-01"),
    }
    for n, (_, plant) in skipped.items():
        rows[n] = plant(rows[n])
    for n, (_, _, plant) in nulled.items():
        rows[n] = plant(rows[n])
    for n, (label, value, _) in loose.items():
        rows[n]["attributes"][label] = value
    rows[11]["attributes"]["description"] = huge_text
    plytix_admin.fault(route=SEARCH, status=200, body=json.dumps(page), count=1)

    with caplog.at_level(logging.WARNING):
        run = run_tap(config)

    ids = reference.ids("products")
    gone = {ids[n] for n in skipped}
    assert run.ids("products") == [i for i in ids if i not in gone]
    products = run.tap.streams["products"]
    assert products.bad_rows == len(skipped)
    reports = [r.getMessage() for r in caplog.records if "skipped the row" in r.getMessage()]
    assert len(reports) == len(skipped)
    for n, (reason, _) in skipped.items():
        row_id = ids[n] if n not in (1, 4) else None
        assert any(reason in line and (row_id is None or row_id in line) for line in reports), (
            reason,
            reports,
        )
    emitted = {r["id"]: r for r in run.records["products"]}
    nulls = [r.getMessage() for r in caplog.records if "emitted as null" in r.getMessage()]
    for n, (field, reason, _) in nulled.items():
        record = emitted[ids[n]]
        value = record["attributes"][field.split(".")[1]] if "." in field else record[field]
        assert value is None, (field, value)
        assert any(ids[n] in line and field in line and reason in line for line in nulls), (
            field,
            nulls,
        )
    assert sum(products.coercions.unreadable.values()) == len(nulled)
    for n, (label, _, want) in loose.items():
        assert emitted[ids[n]]["attributes"][label] == want
        assert products.coercions.coerced[f"attributes.{label}"] >= 1
    assert emitted[rows[11]["id"]]["attributes"]["description"] == huge_text
    # the page's media links still flow, for exactly the emitted products
    assert run.records["product_assets"] == [
        link for link in reference.records["product_assets"] if link["product_id"] in emitted
    ]


def test_an_odd_definition_row_is_skipped_not_fatal(plytix_config, plytix_admin, caplog):
    reference = run_tap(plytix_config)
    categories = reference.tap.client.search_page(
        "/categories/product/search",
        {
            "attributes": ["name", "slug", "path", "parents_ids", "n_children", "order"],
            "pagination": {"page": 1, "page_size": 100},
        },
    )
    categories["data"][0]["path"] = "not a list"
    plytix_admin.fault(
        route="POST /api/v1/categories/product/search",
        status=200,
        body=json.dumps(categories),
        count=1,
    )
    with caplog.at_level(logging.WARNING):
        run = run_tap(plytix_config)
    assert run.ids("product_categories") == reference.ids("product_categories")[1:]
    assert any("path expects a list" in r.getMessage() for r in caplog.records)
