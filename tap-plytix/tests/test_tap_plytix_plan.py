"""Searches planned within what `GET /filters` allows (the SKU lookup plan target-plytix uses,
the incremental operator and its fallbacks), and loose values coerced and counted."""

from __future__ import annotations

import json
import logging

import pytest
from plytix_api import FilterPlan, PlytixClient
from tap_plytix_helpers import routes, run_tap

FILTERS = "GET /api/v1/filters/product"


def product_searches(admin, generation: str) -> list[dict]:
    return [
        r
        for r in admin.requests()["recent"]
        if r["route"] == f"POST /api/{generation}/products/search"
    ]


@pytest.mark.parametrize("generation", ["v2", "v1"])
def test_sku_lookups_are_or_groups_of_eq_when_sku_in_is_not_allowed(
    plytix_config, plytix_admin, generation
):
    client = PlytixClient.from_config({**plytix_config, "api_version": generation})
    plan = client.filter_plan("product")
    assert plan.source == "GET /filters"
    assert plan.allows("sku", "eq") and not plan.allows("sku", "in")
    assert not plan.allows("id", "in")  # product id is not filterable on v1
    skus = sorted(p["sku"] for p in plytix_admin.state()["products"])
    wanted = [*skus[:45], "NO-SUCH-SKU"]
    plytix_admin.clear_requests()
    found = []
    for filters in plan.sku_lookups(wanted, eq_per_search=20):
        found += client.search_all(
            client.product_path("/search"), filters=filters, attributes=["modified"]
        )
    assert sorted(row["sku"] for row in found) == skus[:45]
    searches = product_searches(plytix_admin, generation)
    assert len(searches) == 3  # ceil(46 / 20)
    assert all(
        c["operator"] == "eq" and c["field"] == "sku"
        for s in searches
        for group in s["body"]["filters"]
        for c in group
    )
    assert all(s["status"] == 200 for s in searches)
    assert routes(plytix_admin).get(FILTERS) is None  # read once, before clear_requests


def test_sku_in_is_used_when_the_account_allows_it(plytix_config, plytix_admin):
    listing = {
        "data": [
            {
                "attributes": [],
                "properties": [
                    {"filter_type": "text", "key": "sku", "operators": ["eq", "in"]},
                    {"filter_type": "date", "key": "modified", "operators": ["gte", "lt"]},
                ],
            }
        ]
    }
    plytix_admin.fault(route=FILTERS, status=200, body=json.dumps(listing), count=1)
    client = PlytixClient.from_config(plytix_config)
    plan = client.filter_plan("product")
    lookups = plan.sku_lookups([f"S{n}" for n in range(150)])
    assert [len(f[0][0]["value"]) for f in lookups] == [100, 50]
    assert lookups[0][0][0]["operator"] == "in"


@pytest.mark.parametrize(("operators", "sent"), [(["gt", "lt"], "gt"), (["exists"], None)])
def test_the_incremental_filter_stays_within_the_allowed_operators(
    plytix_config, plytix_admin, operators, sent
):
    """`gte` is preferred; `gt` when only that is allowed; no lower bound at all when
    neither is (rows before the bookmark are then dropped by the tap: a no-change run still
    emits nothing)."""
    first = run_tap(plytix_config)
    listing = {
        "data": [
            {
                "attributes": [],
                "properties": [
                    {"filter_type": "text", "key": "sku", "operators": ["eq"]},
                    {"filter_type": "date", "key": "modified", "operators": operators},
                ],
            }
        ]
    }
    plytix_admin.fault(route=FILTERS, status=200, body=json.dumps(listing), count=1)
    plytix_admin.clear_requests()
    second = run_tap(plytix_config, state=first.state)
    assert second.records["products"] == []
    [search] = product_searches(plytix_admin, "v2")
    conditions = [c for group in search["body"].get("filters") or [] for c in group]
    assert [c["operator"] for c in conditions if c["field"] == "modified"] == (
        [sent] if sent else []
    )
    assert search["status"] == 200


def test_filters_that_cannot_be_read_fall_back_to_the_documented_table(plytix_config, plytix_admin):
    plytix_admin.fault(route=FILTERS, status=404, count=1, body={"error": {"msg": "Not found"}})
    client = PlytixClient.from_config(plytix_config)
    plan = client.filter_plan("product")
    assert plan.source == "documented v1 table" and "404" in plan.notes[0]
    assert plan.allows("modified", "gte") and not plan.allows("sku", "in")


def test_plan_reads_the_real_listing_shape():
    payload = {
        "data": [
            {
                "attributes": [
                    {
                        "filter_type": "MultiSelectAttribute",
                        "key": "material",
                        "operators": ["in", "!in"],
                        "options": ["cotton"],
                    }
                ],
                "properties": [
                    {"filter_type": "text", "key": "sku", "operators": ["eq", "like"]},
                    {"key": "odd"},
                    "not an entry",
                ],
            }
        ]
    }
    plan = FilterPlan.from_payload("product", payload)
    assert plan.allows("attributes.material", "in") and plan.allows("material", "in")
    assert plan.allows("sku", "eq") and not plan.allows("odd", "eq")


@pytest.mark.parametrize("generation", ["v2", "v1"])
def test_loose_values_are_coerced_and_counted_never_dropped(
    plytix_config, plytix_admin, generation, caplog
):
    """The emulator serves loose values by default (dates with T00:00:00, numbers as text,
    "" for empty); the records equal those of strictly typed answers, and the log counts."""
    plytix_admin.settings(v2_enabled=generation == "v2", value_types="strict")
    strict = run_tap(plytix_config)
    plytix_admin.settings(value_types="loose")
    with caplog.at_level(logging.INFO):
        loose = run_tap(plytix_config)
    assert loose.records["products"] == strict.records["products"]
    assert loose.records["assets"] == strict.records["assets"]
    coerced = loose.tap.streams["products"].coercions
    assert sum(coerced.coerced.values()) > 0 and not coerced.unreadable
    assert loose.tap.streams["products"].bad_rows == 0
    summary = [
        r.getMessage()
        for r in caplog.records
        if r.getMessage().startswith("products: ") and "values coerced" in r.getMessage()
    ]
    assert summary and str(sum(coerced.coerced.values())) in summary[-1]
