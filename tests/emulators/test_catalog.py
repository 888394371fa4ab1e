"""The seeded catalogue: deterministic, sized as documented, with every hard case planted."""

from __future__ import annotations

import re
from collections import Counter
from datetime import date

import pytest

from emulators import catalog

TODAY = date(2026, 11, 30)


def test_same_seed_gives_the_same_catalogue_and_another_seed_does_not():
    first = catalog.build("small", 7, TODAY)
    again = catalog.build("small", 7, TODAY)
    other = catalog.build("small", 8, TODAY)
    assert first == again
    assert [p["sku"] for p in first.products] != [p["sku"] for p in other.products] or [
        m["id"] for m in first.media
    ] != [m["id"] for m in other.media]


def test_demo_size_is_about_500_products_and_2000_images():
    demo = catalog.build("demo", 42, TODAY)
    assert 400 <= len(demo.products) <= 600
    assert 1500 <= len(demo.media) <= 2500


def test_empty_has_definitions_but_no_products_or_media():
    empty = catalog.build("empty", 1, TODAY)
    assert empty.products == [] and empty.media == []
    assert empty.attributes and empty.metadata_fields and empty.organization


def test_unknown_size_names_the_choices():
    with pytest.raises(ValueError, match="unknown catalogue size 'huge'"):
        catalog.build("huge")


def test_ids_follow_each_api_format_and_are_unique():
    small = catalog.build("small", 42, TODAY)
    product_ids = [p["id"] for p in small.products]
    assert all(re.fullmatch(r"[0-9a-f]{24}", i) for i in product_ids)
    assert len(set(product_ids)) == len(product_ids)
    media_ids = [m["id"] for m in small.media]
    assert all(re.fullmatch(r"I0000[A-Za-z0-9._]{11}", i) for i in media_ids)
    assert len(set(media_ids)) == len(media_ids)
    assert len({p["sku"] for p in small.products}) == len(small.products)


def test_variants_point_at_their_parent_and_parents_count_them():
    small = catalog.build("small", 42, TODAY)
    by_id = {p["id"]: p for p in small.products}
    variants = Counter(p["_parent_id"] for p in small.products if p["product_level"] == 2)
    assert variants
    for parent_id, n in variants.items():
        assert by_id[parent_id]["product_level"] == 1
        assert by_id[parent_id]["num_variations"] == n


def test_hard_cases_are_planted_where_the_catalogue_says():
    small = catalog.build("small", 42, TODAY)
    cases = small.hard_cases
    media = {m["id"]: m for m in small.media}
    skus = {p["sku"] for p in small.products}
    ambiguous = media[cases["ambiguous_media_id"]]["iptc"]["keywords"]
    assert all(f"sku:{s}" in ambiguous for s in cases["ambiguous_skus"])
    assert cases["unknown_sku"] not in skus
    assert media[cases["unknown_sku_media_id"]]["iptc"]["trans_ref"] == cases["unknown_sku"]
    messy = media[cases["messy_sku_media_id"]]["iptc"]["trans_ref"]
    assert messy != cases["messy_sku"] and messy.strip().upper() == cases["messy_sku"]
    assert len(cases["style_variant_skus"]) >= 2
    assert all(
        f"style:{cases['style_code']}" in media[i]["iptc"]["keywords"]
        for i in cases["style_media_ids"]
    )
    assert media[cases["expired_media_id"]]["license_expiration"] < TODAY.isoformat()
    assert "channel:webshop" in media[cases["webshop_only_media_id"]]["iptc"]["keywords"]
    assert cases["skus_without_imagery"] and set(cases["skus_without_imagery"]) <= skus
    assert cases["ready_for_creative_skus"]
    handoff = next(g for g in small.galleries if g["id"] == cases["handoff"]["gallery_id"])
    assert handoff["media_ids"] == [cases["handoff"]["untagged_media_id"]]
    color_field = next(f for f in small.metadata_fields if f["name"] == "Color")
    color_tags = {t["name"] for t in color_field["tags"]}
    assert "Black" in color_tags and cases["missing_color_tag"] not in color_tags


def test_every_match_rule_and_approval_state_occurs():
    demo = catalog.build("demo", 42, TODAY)
    by_rule = Counter()
    for m in demo.media:
        if m["iptc"]["trans_ref"]:
            by_rule["trans_ref"] += 1
        elif "sku:" in m["iptc"]["keywords"]:
            by_rule["keyword"] += 1
        elif re.match(r"[A-Z]{2}-\d+", m["file_name"]):
            by_rule["file_name"] += 1
    assert min(by_rule.values()) > 100, by_rule
    status_field = next(f for f in demo.metadata_fields if f["name"] == "Status")
    tags = {t["id"]: t["name"] for t in status_field["tags"]}
    states = Counter(
        tags[m["custom_metadata"][status_field["id"]]]
        for m in demo.media
        if status_field["id"] in m["custom_metadata"]
    )
    assert set(states) == {"Approved", "Pending", "Rejected"}
    assert any(
        m["license_expiration"] and m["license_expiration"] < TODAY.isoformat() for m in demo.media
    )
