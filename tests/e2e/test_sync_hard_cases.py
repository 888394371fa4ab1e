"""`meltano run sync` on the seeded brand: every planted hard case ends as the rules say.

One module-wide arrangement: a dry run (`extract plan`), then `sync`, then `sync` again.
Each test reads the remote state the emulators hold afterwards.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import duckdb
import pytest
from remote_services import Remote
from sync_project import Project

from emulators.catalog import Catalog

pytestmark = pytest.mark.e2e


@dataclass
class Runs:
    dry_run_writes: dict[str, dict[str, int]]
    dry_run_outbox: dict[str, int]
    first_writes: dict[str, dict[str, int]]
    second_writes: dict[str, dict[str, int]]
    plytix: dict[str, Any]
    photoshelter: dict[str, Any]
    landed: dict[str, int]


def outbox_counts(project: Project) -> dict[str, int]:
    with duckdb.connect(str(project.warehouse), read_only=True) as connection:
        return {
            t: connection.execute(f"select count(*) from outbox.{t}").fetchone()[0]  # noqa: S608
            for t in (
                "plytix_products",
                "plytix_product_media",
                "photoshelter_media_metadata",
                "photoshelter_galleries",
            )
        }


@pytest.fixture(scope="module")
def runs(project: Project, remote: Remote) -> Runs:
    remote.clear_requests()
    project.run("extract", "plan")
    dry_run_writes, dry_run_outbox = remote.writes(), outbox_counts(project)
    remote.clear_requests()
    project.run("sync")
    first_writes = remote.writes()
    plytix, photoshelter = remote.plytix_state(), remote.ps_state()
    with duckdb.connect(str(project.warehouse), read_only=True) as connection:
        landed = {
            t: connection.execute(f"select count(*) from {t}").fetchone()[0]  # noqa: S608
            for t in (
                "tap_plytix.products",
                "tap_plytix.product_attributes",
                "tap_photoshelter.media",
                "tap_photoshelter.metadata_fields",
            )
        }
    remote.clear_requests()
    project.run("sync")
    return Runs(
        dry_run_writes, dry_run_outbox, first_writes, remote.writes(), plytix, photoshelter, landed
    )


def linked_anywhere(remote: Remote, runs: Runs, media_id: str) -> list[str]:
    return [
        f"{p['sku']}/{label}"
        for p in runs.plytix["products"]
        for label, ids in remote.product_media(p["sku"], runs.plytix).items()
        if media_id in ids
    ]


def test_dry_run_writes_nothing_and_the_outbox_says_what_would_be_written(runs: Runs) -> None:
    assert runs.dry_run_writes == {"plytix": {}, "photoshelter": {}}
    assert all(n > 0 for n in runs.dry_run_outbox.values()), runs.dry_run_outbox
    assert runs.first_writes["plytix"] and runs.first_writes["photoshelter"]


def test_extract_lands_every_row(runs: Runs, seeded: Catalog) -> None:
    assert runs.landed == {
        "tap_plytix.products": len(seeded.products),
        "tap_plytix.product_attributes": len(seeded.attributes),
        "tap_photoshelter.media": len(seeded.media),
        "tap_photoshelter.metadata_fields": len(seeded.metadata_fields),
    }


def test_second_sync_makes_zero_write_requests(runs: Runs) -> None:
    assert runs.second_writes == {"plytix": {}, "photoshelter": {}}


def test_ambiguous_image_is_linked_nowhere_and_left_untagged(
    remote: Remote, runs: Runs, seeded: Catalog, project: Project
) -> None:
    media_id = seeded.hard_cases["ambiguous_media_id"]
    assert linked_anywhere(remote, runs, media_id) == []
    assert sorted(
        k for k in remote.keywords(media_id, runs.photoshelter) if k.startswith("sku:")
    ) == sorted(f"sku:{s}" for s in seeded.hard_cases["ambiguous_skus"])
    assert media_id in (project.workdir / "report.html").read_text()


def test_unknown_sku_image_is_reported_and_untouched(
    remote: Remote, runs: Runs, seeded: Catalog, project: Project
) -> None:
    media_id = seeded.hard_cases["unknown_sku_media_id"]
    assert linked_anywhere(remote, runs, media_id) == []
    assert not [k for k in remote.keywords(media_id, runs.photoshelter) if ":" in k]
    assert seeded.hard_cases["unknown_sku"] in (project.workdir / "report.html").read_text()


def test_messy_trans_ref_image_reaches_its_product(
    remote: Remote, runs: Runs, seeded: Catalog
) -> None:
    media_id, sku = seeded.hard_cases["messy_sku_media_id"], seeded.hard_cases["messy_sku"]
    media = remote.product_media(sku, runs.plytix)
    assert media_id in media["media_gallery"] or media_id in media["thumbnail"]
    assert f"sku:{sku}" in remote.keywords(media_id, runs.photoshelter)


def test_multi_sku_shot_is_linked_to_both_products(
    remote: Remote, runs: Runs, seeded: Catalog
) -> None:
    media_id = seeded.hard_cases["multi_sku_media_id"]
    linked = {place.split("/")[0] for place in linked_anywhere(remote, runs, media_id)}
    assert linked == set(seeded.hard_cases["multi_skus"])
    assert {f"sku:{s}" for s in seeded.hard_cases["multi_skus"]} <= set(
        remote.keywords(media_id, runs.photoshelter)
    )


def test_style_shot_fans_out_to_every_variant(remote: Remote, runs: Runs, seeded: Catalog) -> None:
    style_media = seeded.hard_cases["style_media_ids"]
    for sku in seeded.hard_cases["style_variant_skus"]:
        media = remote.product_media(sku, runs.plytix)
        assert media["thumbnail"] == [style_media[0]], sku
        assert set(media["media_gallery"]) == set(style_media[1:]), sku
    for media_id in style_media:
        keywords = remote.keywords(media_id, runs.photoshelter)
        assert f"style:{seeded.hard_cases['style_code']}" in keywords
        assert not [k for k in keywords if k.startswith("sku:")]


def test_expired_image_is_in_no_channel_gallery(
    remote: Remote, runs: Runs, seeded: Catalog
) -> None:
    media = remote.product_media(seeded.hard_cases["expired_sku"], runs.plytix)
    assert media["amazon_images"], "the other images of the product are there"
    assert all(seeded.hard_cases["expired_media_id"] not in ids for ids in media.values())


def test_webshop_only_image_is_only_in_the_webshop_attribute(
    remote: Remote, runs: Runs, seeded: Catalog
) -> None:
    media_id = seeded.hard_cases["webshop_only_media_id"]
    places = linked_anywhere(remote, runs, media_id)
    sku = seeded.hard_cases["expired_sku"]
    assert sorted(places) == [f"{sku}/media_gallery", f"{sku}/webshop_images"]
    rights = remote.product(sku, runs.plytix)["attributes"]
    assert sorted(rights["image_allowed_channels"]) == ["amazon", "webshop", "wholesale"]


def test_rejected_and_pending_images_never_reach_plytix(
    remote: Remote, runs: Runs, seeded: Catalog
) -> None:
    for key in ("rejected_media_id", "pending_media_id"):
        assert linked_anywhere(remote, runs, seeded.hard_cases[key]) == [], key


def test_products_without_imagery_are_left_as_they_were(
    remote: Remote, runs: Runs, seeded: Catalog, project: Project
) -> None:
    seeded_products = {p["sku"]: p for p in seeded.products}
    report = (project.workdir / "report.html").read_text()
    for sku in seeded.hard_cases["skus_without_imagery"]:
        now = remote.product(sku, runs.plytix)
        assert now["attributes"] == seeded_products[sku]["attributes"], sku
        assert f'data-sku="{sku}"' in report


def test_ready_for_creative_products_get_one_handoff_gallery_each(
    remote: Remote, runs: Runs, seeded: Catalog
) -> None:
    galleries = remote.galleries(runs.photoshelter)
    products = {p["sku"]: p for p in seeded.products}
    for sku in seeded.hard_cases["ready_for_creative_skus"]:
        product = products[sku]
        key = (f"Launches/{product['attributes']['season']}", f"{sku} {product['label']}")
        assert key in galleries, key
    names = [name for _, name in galleries]
    assert len(names) == len(set(names)), "no gallery made twice"


def test_untagged_final_in_handoff_gallery_gets_its_sku_and_reaches_plytix(
    remote: Remote, runs: Runs, seeded: Catalog
) -> None:
    handoff = seeded.hard_cases["handoff"]
    media_id = handoff["untagged_media_id"]
    assert f"sku:{handoff['sku']}" in remote.keywords(media_id, runs.photoshelter)
    assert {p.split("/")[0] for p in linked_anywhere(remote, runs, media_id)} == {handoff["sku"]}


def test_colour_without_a_tag_is_reported_and_the_rest_still_written(
    remote: Remote, runs: Runs, seeded: Catalog, project: Project
) -> None:
    missing = seeded.hard_cases["missing_color_tag"]
    teal_skus = {p["sku"] for p in seeded.products if p["attributes"].get("color") == missing}
    # both syncs' outcomes: the report step sets the previous run's files aside
    outcomes = [
        json.loads(line)
        for path in (project.workdir / "outcomes").rglob("target-photoshelter.jsonl")
        for line in path.read_text().splitlines()
    ]
    assert outcomes and not [o for o in outcomes if o["outcome"] == "rejected"]
    tagged = [
        m["id"]
        for m in seeded.media
        if any(f"sku:{sku}" in remote.keywords(m["id"], runs.photoshelter) for sku in teal_skus)
    ]
    assert tagged, "images of a colour PhotoShelter has no tag for still get their SKUs"
    for media_id in tagged:
        assert "Color" not in remote.custom_metadata(media_id, runs.photoshelter)
    report = (project.workdir / "report.html").read_text()
    assert "PhotoShelter tags missing" in report and f"<td>{missing}</td>" in report


def test_rights_attributes_are_written(remote: Remote, runs: Runs, seeded: Catalog) -> None:
    attributes = remote.product(seeded.hard_cases["messy_sku"], runs.plytix)["attributes"]
    assert attributes["imagery_status"] in ("Complete", "Rights expiring", "Missing hero")
    expiry = attributes["image_rights_expiry"]
    assert expiry is None or expiry >= str(date.today() - timedelta(days=1))
    assert attributes["image_usage_terms"]
