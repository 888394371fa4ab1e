"""The dbt tests guard the writes: a seeded conflict stops the build before any write."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
from dbt_runner import dbt, rows
from landing_fixture import build

from emulators.catalog import Catalog


def test_dbt_tests_fail_on_a_hero_shared_by_two_styles(tmp_path: Path, seeded: Catalog) -> None:
    warehouse = build(tmp_path / "warehouse.duckdb", seeded)
    media_id = seeded.hard_cases["multi_sku_media_id"]
    # The creative team marks the two-product shot as hero while neither product has
    # another hero: the shot would become the hero of two products of different styles.
    with duckdb.connect(str(warehouse)) as connection:
        connection.execute(
            "update tap_photoshelter.media set keywords = ?, file_name = ? where id = ?",
            [json.dumps(["view:hero"]), "0_group.jpg", media_id],
        )
        skus = seeded.hard_cases["multi_skus"]
        connection.execute(
            "update tap_photoshelter.media set custom_metadata_raw = '[]' where id <> ? and id in "
            "(select id from tap_photoshelter.media where iptc__trans_ref in (?, ?) "
            " or file_name like ? or file_name like ? or keywords like ? or keywords like ?)",
            [
                media_id,
                *skus,
                f"{skus[0]}_%",
                f"{skus[1]}_%",
                f'%sku:{skus[0]}"%',
                f'%sku:{skus[1]}"%',
            ],
        )
    done = dbt(warehouse, "build")
    assert done.returncode != 0
    assert "FAIL 1 assert_no_image_is_hero_of_two_products" in done.stdout
    # the outbox was built from the conflicting rows, but the plan step fails, so `meltano
    # run sync` stops before the apply step writes anything
    assert "SKIP" in done.stdout or "FAIL" in done.stdout


def test_match_rules_are_a_setting(tmp_path: Path, seeded: Catalog) -> None:
    warehouse = build(tmp_path / "warehouse.duckdb", seeded)
    done = dbt(
        warehouse,
        "run",
        "--select",
        "+media_product_matches",
        env={"SYNC_MATCH_RULES": "trans_ref,keyword"},
    )
    assert done.returncode == 0, done.stdout[-3000:]
    rules = {
        r["match_rule"]
        for r in rows(warehouse, "select distinct match_rule from marts.media_product_matches")
    }
    assert rules == {"trans_ref", "keyword"}
    file_named = [
        m["id"]
        for m in seeded.media
        if m["file_name"].endswith("_hero.jpg")
        and not m["iptc"]["trans_ref"]
        and "sku:" not in m["iptc"]["keywords"]
    ]
    matched = {
        r["media_id"] for r in rows(warehouse, "select media_id from marts.media_product_matches")
    }
    assert file_named and not set(file_named) & matched
