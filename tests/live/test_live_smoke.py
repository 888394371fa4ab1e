"""Read-only smoke tests against the real Plytix and PhotoShelter accounts (`make live-check`).

Each asks the least that shows the connectors' assumptions hold for this account: auth, the
API generation, the filter table, one page of each listing, the definitions the sync reads,
what the account honours and which write paths it answers (a probe that changes nothing),
and `check` itself. Sandbox writes only with LIVE_*_SANDBOX_* set, restored afterwards.
"""

from __future__ import annotations

import time

import pytest
from live_accounts import ENV, ROOT, photoshelter_config, plytix_config
from photoshelter_api import paths
from photoshelter_api.client import attributes, data_list
from photoshelter_api.write_probe import probe_write_paths
from pim_dam_check import check, config
from pim_dam_check.rows import OK, render
from plytix_api import COLUMN_CAPS
from tap_photoshelter.library_cache import LibraryCache
from tap_photoshelter.listing import probe_media_listing

pytestmark = pytest.mark.live
TYPE_CLASSES = {
    "TextAttribute",
    "MultilineAttribute",
    "HtmlAttribute",
    "IntAttribute",
    "DecimalAttribute",
    "DropdownAttribute",
    "MultiSelectAttribute",
    "DateAttribute",
    "UrlAttribute",
    "BooleanAttribute",
    "MediaAttribute",
    "MediaGalleryAttribute",
    "CompletenessAttribute",
}
MARKER = "pim-dam-sync live check"


# --- Plytix ----------------------------------------------------------------------------------
def test_plytix_generation_and_column_cap(plytix):
    generation = plytix.generation()
    assert generation in ("v2", "v1")
    assert plytix.column_cap() == COLUMN_CAPS[generation]


def test_plytix_filter_table_has_an_incremental_field(plytix):
    plan = plytix.filter_plan("product")
    assert {"gt", "gte"} & set(plan.operators.get("modified", ())), plan.describe()


def test_plytix_one_page_of_products_and_assets(plytix):
    page = plytix.search_page(
        plytix.product_path("/search"),
        {"attributes": ["sku", "modified"], "pagination": {"page": 1, "page_size": 5}},
    )
    assert isinstance(page.get("data"), list)
    assert all(row.get("id") and "sku" in row for row in page["data"])
    assets = plytix.search_page("/assets/search", {"pagination": {"page": 1, "page_size": 5}})
    assert isinstance(assets.get("data"), list)


def test_plytix_attribute_definitions_are_typed(plytix):
    rows = list(
        plytix.search_all(
            "/attributes/product/search", attributes=["label", "name", "type_class", "options"]
        )
    )
    assert all(row.get("label") for row in rows)
    assert {row.get("type_class") for row in rows} <= TYPE_CLASSES


def test_plytix_sandbox_product_label_written_and_restored(plytix):
    sku = ENV.get("LIVE_PLYTIX_SANDBOX_SKU")
    if not sku:
        pytest.skip("LIVE_PLYTIX_SANDBOX_SKU not set: no write to Plytix")
    rows = plytix.data(
        "POST",
        "/products/search",
        json={
            "filters": [[{"field": "sku", "operator": "eq", "value": sku}]],
            "attributes": ["sku", "label"],
            "pagination": {"page": 1, "page_size": 2},
        },
    )
    assert len(rows) == 1, f"LIVE_PLYTIX_SANDBOX_SKU {sku!r} names {len(rows)} products"
    product_id, original = rows[0]["id"], rows[0].get("label")
    try:
        plytix.call("PATCH", f"/products/{product_id}", json={"label": MARKER})
        now = plytix.data("GET", f"/products/{product_id}")[0]
        assert now.get("label") == MARKER
    finally:
        plytix.call("PATCH", f"/products/{product_id}", json={"label": original})
    assert plytix.data("GET", f"/products/{product_id}")[0].get("label") == original


# --- PhotoShelter ----------------------------------------------------------------------------
def test_photoshelter_login_and_organisation(photoshelter):
    org_id = photoshelter.org_id
    assert org_id in {o["id"] for o in photoshelter.session.organizations()}
    if ENV.get("PHOTOSHELTER_ORG_ID"):
        assert org_id == ENV["PHOTOSHELTER_ORG_ID"]


def test_photoshelter_one_page_of_media_and_galleries(photoshelter):
    media = data_list(
        photoshelter.get(paths.MEDIA, {"org_id": photoshelter.org_id, "page": 1, "per_page": 5}),
        paths.MEDIA,
    )
    assert all(item.get("id") for item in media)
    galleries = data_list(
        photoshelter.get(paths.GALLERIES, {"page": 1, "per_page": 5}), paths.GALLERIES
    )
    assert all(attributes(g).get("name") is not None for g in galleries)


def test_photoshelter_fields_have_tags(photoshelter):
    fields = LibraryCache(photoshelter, 100).fields()
    assert all(isinstance(f["tags"], list) and f["name"] for f in fields)


def test_photoshelter_listing_detection_says_what_the_account_honours(photoshelter):
    behaviour = probe_media_listing(photoshelter, per_page=5)
    assert behaviour["modify_start"] in (
        "honoured",
        "ignored",
        "refused",
        "untested (the library is empty)",
    ), behaviour
    assert behaviour["include"] in ("honoured", "ignored", "refused", "untested"), behaviour


def test_photoshelter_write_probe_changes_nothing(photoshelter):
    _, verdicts = probe_write_paths(photoshelter)
    assert {v.setting for v in verdicts} == set(paths.DEFAULT_WRITE_PATHS)


def test_photoshelter_sandbox_gallery_written_and_restored(photoshelter):
    gallery_id = ENV.get("LIVE_PHOTOSHELTER_SANDBOX_GALLERY")
    if not gallery_id:
        pytest.skip("LIVE_PHOTOSHELTER_SANDBOX_GALLERY not set: no write to PhotoShelter")
    original = (
        attributes(photoshelter.get(paths.gallery(gallery_id))["data"]).get("description") or ""
    )
    marker = f"{MARKER} {int(time.time())}"
    try:
        photoshelter.request(
            "PATCH", paths.gallery_update(gallery_id), json=paths.gallery_update_body(marker)
        )
        now = attributes(photoshelter.get(paths.gallery(gallery_id))["data"])
        assert now.get("description") == marker
    finally:
        photoshelter.request(
            "PATCH", paths.gallery_update(gallery_id), json=paths.gallery_update_body(original)
        )
    after = attributes(photoshelter.get(paths.gallery(gallery_id))["data"])
    assert (after.get("description") or "") == original


# --- check, read-only, against these accounts -------------------------------------------------
def test_check_reads_both_accounts():
    tap_plytix, tap_photoshelter = plytix_config(), photoshelter_config()
    names = config.plugin_config(
        config.meltano_executable(ROOT),
        ROOT,
        "prod",
        "dbt-duckdb",
        {**ENV, "MELTANO_SEND_ANONYMOUS_USAGE_STATS": "false"},
    )
    settings = config.SyncConfig(
        "prod",
        {
            "tap-plytix": tap_plytix,
            "target-plytix": tap_plytix,
            "tap-photoshelter": tap_photoshelter,
            "target-photoshelter": tap_photoshelter,
            "dbt-duckdb": names,
        },
    )
    found = check.run(settings)
    found.close()
    print(render(found.rows))
    rows = {row.item: row for row in found.rows}
    assert rows["tap-plytix credentials"].status == OK, rows["tap-plytix credentials"]
    assert rows["tap-photoshelter credentials"].status == OK
