"""The 5-minute job `sync-frequent`: within the Plytix plan's budget, and still correct.

It extracts Plytix through `tap-plytix-frequent` (products, product assets, assets and the
account; no attribute definitions, categories or families, which the hourly full sync keeps
in the warehouse). Checked against the emulators' request logs: it stops before any request
on a warehouse no full sync has filled; a run where nothing changed makes exactly the
Plytix requests listed below (8: 96 an hour at 12 runs, 4.8 % of the free plan's 2,000)
and writes nothing; an image approved in PhotoShelter becomes its product's hero in Plytix
on the next frequent run. Run time on a shared 2-core machine: 8-12 minutes.
"""

from __future__ import annotations

from collections import Counter

import duckdb
import pytest
from remote_services import Remote
from sync_project import Project

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(1800)]

PLAN_HOURLY_BUDGET = 2000
RUNS_AN_HOUR = 12
NO_CHANGE_PLYTIX_REQUESTS = Counter(
    {
        # Meltano's catalog discovery (a process of its own: its own token)
        "POST /auth/api/get-token": 2,
        "POST /api/v1/attributes/product/search": 2,
        # the sync: one incremental search per stream since its bookmark
        "GET /api/v1/filters/asset": 1,
        "POST /api/v1/assets/search": 1,
        "GET /api/v1/filters/product": 1,
        "POST /api/v2/products/search": 1,
    }
)


def requests_made(log: dict) -> Counter:
    recent = log["recent"]
    assert len(recent) == log["total"], "request log overflowed"
    return Counter(f"{r['method']} {r['path']}" for r in recent)


FULL_SYNC_ONLY = {
    table: f"select max(_sdc_batched_at), count(*) from tap_plytix.{table}"  # noqa: S608
    for table in ("product_attributes", "product_categories", "product_families")
}


def landed(project: Project) -> dict[str, list]:
    """When each table only the full sync lands was last written, and its rows."""
    with duckdb.connect(str(project.warehouse), read_only=True) as connection:
        return {
            table: connection.execute(query).fetchall() for table, query in FULL_SYNC_ONLY.items()
        }


def test_on_a_warehouse_no_full_sync_filled_it_stops_before_any_request(
    project: Project, remote: Remote
) -> None:
    remote.clear_requests()
    done = project.run("sync-frequent", check=False)
    assert done.returncode != 0
    output = done.stdout + done.stderr
    assert "no full sync yet in the warehouse of environment dev" in output, output[-3000:]
    assert "tap_plytix.product_attributes" in output
    assert remote.plytix.requests()["total"] == 0
    assert remote.photoshelter.requests()["total"] == 0


@pytest.fixture(scope="module")
def after_full_sync(project: Project, remote: Remote) -> Remote:
    """A full sync, then a first frequent run (it starts its own bookmarks: reads everything)."""
    project.run("sync")
    project.run("sync-frequent")
    return remote


def test_a_no_change_run_makes_8_plytix_requests_and_writes_nothing(
    after_full_sync: Remote, project: Project
) -> None:
    remote = after_full_sync
    before = landed(project)
    remote.clear_requests()
    project.run("sync-frequent")

    made = requests_made(remote.plytix.requests())
    assert made == NO_CHANGE_PLYTIX_REQUESTS
    assert sum(made.values()) * RUNS_AN_HOUR <= 0.05 * PLAN_HOURLY_BUDGET
    assert remote.writes() == {"plytix": {}, "photoshelter": {}}
    # what the frequent job leaves out stays as the full sync landed it
    assert landed(project) == before


def test_an_approved_image_is_its_products_hero_after_the_next_frequent_run(
    after_full_sync: Remote, project: Project
) -> None:
    remote = after_full_sync
    state = remote.plytix_state()
    product = next(p for p in state["products"] if not p.get("thumbnail") and p.get("sku"))
    approved = remote.upload_media(
        file_name=f"{product['sku']}_hero.jpg", custom_metadata={"Status": "Approved"}
    )
    edited = next(p for p in state["products"] if p.get("sku") and p is not product)
    remote.patch_product(edited["sku"], {"color": "Navy"})

    project.run("sync-frequent")

    assert remote.product_media(product["sku"]).get("thumbnail") == [approved["id"]]
    # the edit landed where the plan reads Plytix (the full sync's schema)
    with duckdb.connect(str(project.warehouse), read_only=True) as connection:
        assert connection.execute(
            "select attributes__color from tap_plytix.products where sku = ?", [edited["sku"]]
        ).fetchall() == [("Navy",)]
        assert not connection.execute(
            "select 1 from information_schema.schemata where schema_name = 'tap_plytix_frequent'"
        ).fetchall()
