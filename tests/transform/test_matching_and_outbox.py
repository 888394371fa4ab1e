"""The dbt models on the seeded catalogue: each hard case ends where the rules say."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
from dbt_runner import dbt, rows
from landing_fixture import build

from emulators.catalog import Catalog


def media_of(warehouse: Path, sku: str) -> dict[str, list[str]]:
    """What the outbox asks Plytix to hold for one product: attribute -> media ids."""
    found = rows(
        warehouse,
        "select attribute_label, assets from outbox.plytix_product_media where sku = ?",
        sku,
    )
    return {r["attribute_label"]: [a["source_id"] for a in json.loads(r["assets"])] for r in found}


def metadata_of(warehouse: Path, media_id: str) -> dict | None:
    found = rows(
        warehouse, "select * from outbox.photoshelter_media_metadata where media_id = ?", media_id
    )
    if not found:
        return None
    return {k: json.loads(v) if k != "media_id" else v for k, v in found[0].items()}


def test_ambiguous_image_is_reported_and_linked_nowhere(built: Path, seeded: Catalog) -> None:
    media_id = seeded.hard_cases["ambiguous_media_id"]
    reported = rows(built, "select * from marts.report_ambiguous_media")
    assert [(r["media_id"], sorted(r["identifiers"])) for r in reported] == [
        (media_id, sorted(seeded.hard_cases["ambiguous_skus"]))
    ]
    every_asset = [
        a["source_id"]
        for r in rows(built, "select assets from outbox.plytix_product_media")
        for a in json.loads(r["assets"])
    ]
    assert media_id not in every_asset
    assert metadata_of(built, media_id) is None


def test_unknown_sku_is_reported(built: Path, seeded: Catalog) -> None:
    reported = rows(built, "select media_id, identifier, match_rule from marts.report_unknown_skus")
    assert {
        "media_id": seeded.hard_cases["unknown_sku_media_id"],
        "identifier": seeded.hard_cases["unknown_sku"],
        "match_rule": "trans_ref",
    } in reported
    assert seeded.hard_cases["unknown_sku_media_id"] in {
        r["media_id"] for r in rows(built, "select media_id from marts.report_unmatched_media")
    }


def test_messy_trans_ref_matches_after_normalisation(built: Path, seeded: Catalog) -> None:
    matches = rows(
        built,
        "select sku, match_rule from marts.media_product_matches where media_id = ?",
        seeded.hard_cases["messy_sku_media_id"],
    )
    assert matches == [{"sku": seeded.hard_cases["messy_sku"], "match_rule": "trans_ref"}]


def test_multi_sku_shot_links_to_both_products(built: Path, seeded: Catalog) -> None:
    media_id = seeded.hard_cases["multi_sku_media_id"]
    for sku in seeded.hard_cases["multi_skus"]:
        assert any(media_id in ids for ids in media_of(built, sku).values()), sku
        assert media_id not in media_of(built, sku).get("thumbnail", []), "never hero unmarked"
    keywords = metadata_of(built, media_id)["keywords"]
    assert {f"sku:{s}" for s in seeded.hard_cases["multi_skus"]} <= set(keywords)


def test_style_image_set_fans_out_to_every_variant(built: Path, seeded: Catalog) -> None:
    style_media = set(seeded.hard_cases["style_media_ids"])
    for sku in seeded.hard_cases["style_variant_skus"]:
        media = media_of(built, sku)
        assert set(media["thumbnail"]) | set(media["media_gallery"]) == style_media, sku
    for media_id in style_media:
        keywords = metadata_of(built, media_id)["keywords"]
        assert f"style:{seeded.hard_cases['style_code']}" in keywords
        assert not [k for k in keywords if k.startswith("sku:")], "no variant SKU on a style shot"


def test_expired_image_is_in_no_channel_and_webshop_only_image_only_on_webshop(
    built: Path, seeded: Catalog
) -> None:
    media = media_of(built, seeded.hard_cases["expired_sku"])
    expired, webshop_only = (
        seeded.hard_cases["expired_media_id"],
        seeded.hard_cases["webshop_only_media_id"],
    )
    assert all(expired not in ids for ids in media.values())
    assert webshop_only in media["webshop_images"]
    assert webshop_only not in media["amazon_images"] + media["wholesale_images"]
    assert webshop_only in media["media_gallery"]


def test_rejected_and_pending_images_never_flow(built: Path, seeded: Catalog) -> None:
    media = media_of(built, seeded.hard_cases["expired_sku"])
    flowing = {m for ids in media.values() for m in ids}
    assert seeded.hard_cases["rejected_media_id"] not in flowing
    assert seeded.hard_cases["pending_media_id"] not in flowing


def test_products_without_imagery_are_reported_not_written(built: Path, seeded: Catalog) -> None:
    reported = {
        r["sku"]: r["reason"]
        for r in rows(built, "select sku, reason from marts.report_products_without_imagery")
    }
    for sku in seeded.hard_cases["skus_without_imagery"]:
        assert reported.get(sku) == "no image matched"
        assert media_of(built, sku) == {}


def test_ready_for_creative_products_get_a_handoff_gallery(built: Path, seeded: Catalog) -> None:
    galleries = {
        r["name"].split(" ")[0]: r
        for r in rows(built, "select * from outbox.photoshelter_galleries")
    }
    handoff = seeded.hard_cases["handoff"]
    expected = set(seeded.hard_cases["ready_for_creative_skus"])
    products = {p["sku"]: p for p in seeded.products}
    # the existing hand-off gallery lacks the images matched to its product since: it is topped up
    assert set(galleries) == expected
    for sku, gallery in galleries.items():
        assert gallery["parent"] == f"Launches/{products[sku]['attributes']['season']}"
        assert gallery["name"] == f"{sku} {products[sku]['label']}"
    assert handoff["untagged_media_id"] in json.loads(galleries[handoff["sku"]]["media_ids"])


def test_untagged_final_in_handoff_gallery_matches_by_membership(
    built: Path, seeded: Catalog
) -> None:
    handoff = seeded.hard_cases["handoff"]
    matches = rows(
        built,
        "select sku, match_rule from marts.media_product_matches where media_id = ?",
        handoff["untagged_media_id"],
    )
    assert matches == [{"sku": handoff["sku"], "match_rule": "gallery"}]
    assert f"sku:{handoff['sku']}" in metadata_of(built, handoff["untagged_media_id"])["keywords"]


def test_colour_without_a_photoshelter_tag_is_reported_not_planned(
    built: Path, seeded: Catalog
) -> None:
    missing = seeded.hard_cases["missing_color_tag"]
    planned = [
        json.loads(r["custom_metadata"])
        for r in rows(built, "select custom_metadata from outbox.photoshelter_media_metadata")
    ]
    assert planned and all(p.get("Color") != missing for p in planned)
    assert any("Color" in p for p in planned), "colours that have a tag are still written"
    reported = rows(built, "select field_name, tag_name, images from marts.report_missing_tags")
    assert [(r["field_name"], r["tag_name"]) for r in reported] == [("Color", missing)]
    teal_skus = {p["sku"] for p in seeded.products if p["attributes"].get("color") == missing}
    teal_media = rows(
        built,
        "select distinct media_id from marts.media_product_matches where sku in (select unnest(?))",
        sorted(teal_skus),
    )
    assert reported[0]["images"] == len(teal_media) > 0
    keywords = [
        metadata_of(built, m["media_id"])["keywords"]
        for m in teal_media
        if metadata_of(built, m["media_id"])
    ]
    assert keywords and all(any(k.startswith(("sku:", "style:")) for k in ks) for ks in keywords)


def test_rights_attributes_summarise_the_usable_images(built: Path, seeded: Catalog) -> None:
    sku = seeded.hard_cases["expired_sku"]
    found = rows(built, "select attributes from outbox.plytix_products where sku = ?", sku)
    attributes = json.loads(found[0]["attributes"])
    assert attributes["image_allowed_channels"] == ["webshop", "amazon", "wholesale"]
    assert attributes["imagery_status"] in ("Complete", "Rights expiring")
    assert attributes["image_rights_expiry"] >= str(seeded.today)


def test_hero_is_the_marked_image_then_alternates_by_sequence(built: Path) -> None:
    heroes = rows(
        built,
        """
        select m.sku, r.file_name, r.is_marked_hero
        from intermediate.int_product_images_ranked r
        join marts.media_product_matches m using (media_id, product_id)
        where r.is_hero and r.file_name not like 'DSC%' and r.file_name not like 'IMG%'""",
    )
    assert heroes and all(h["file_name"].endswith("_hero.jpg") for h in heroes)
    sequences = rows(
        built,
        """
        select product_id, list(sequence order by position) as seqs
        from intermediate.int_product_images_ranked where not is_hero and sequence is not null
        group by product_id""",
    )
    assert sequences and all(s["seqs"] == sorted(s["seqs"]) for s in sequences)


def test_package_lists_what_is_missing(built: Path) -> None:
    packages = rows(built, "select * from marts.product_packages")
    incomplete = [p for p in packages if not p["is_complete"]]
    assert incomplete and all(p["incomplete_reasons"] for p in incomplete)
    assert all(not p["incomplete_reasons"] for p in packages if p["is_complete"])
    assert any(
        r.startswith("missing attribute: description")
        for p in incomplete
        for r in p["incomplete_reasons"]
    )


def test_image_taken_out_or_gallery_deleted_no_longer_counts(
    tmp_path: Path, seeded: Catalog
) -> None:
    """The loader only upserts: landed rows of an earlier read must not match by membership."""
    handoff = seeded.hard_cases["handoff"]
    warehouses = {
        case: build(tmp_path / f"{case}.duckdb", seeded)
        for case in ("taken_out", "gallery_deleted")
    }
    with duckdb.connect(str(warehouses["taken_out"])) as connection:
        # the gallery was read again after the image left: its old membership row stays
        connection.execute(
            "update tap_photoshelter.galleries set membership_version = 'v2' where id = ?",
            [handoff["gallery_id"]],
        )
    with duckdb.connect(str(warehouses["gallery_deleted"])) as connection:
        connection.execute(
            "update tap_photoshelter.galleries set read_at = read_at - "
            "interval 1 hour where id = ?",
            [handoff["gallery_id"]],
        )
    for case, warehouse in warehouses.items():
        done = dbt(warehouse, "build")
        assert done.returncode == 0, done.stdout[-5000:]
        assert (
            rows(
                warehouse,
                "select sku from marts.media_product_matches where media_id = ?",
                handoff["untagged_media_id"],
            )
            == []
        ), case
        assert rows(
            warehouse,
            "select media_id from marts.report_unmatched_media where media_id = ?",
            handoff["untagged_media_id"],
        ), case
    assert (
        rows(
            warehouses["gallery_deleted"],
            "select * from staging.stg_photoshelter__galleries where gallery_id = ?",
            handoff["gallery_id"],
        )
        == []
    )
    planned = rows(
        warehouses["gallery_deleted"],
        "select media_ids from outbox.photoshelter_galleries where name like ?",
        f"{handoff['sku']} %",
    )
    assert len(planned) == 1, "a deleted hand-off gallery is planned again"
    assert handoff["untagged_media_id"] not in json.loads(planned[0]["media_ids"])
