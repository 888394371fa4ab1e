"""target-plytix against the Plytix emulator: exact final state, idempotence, no duplicates."""

from __future__ import annotations

from target_plytix.asset_names import checksum_tag
from target_plytix_helpers import photo, product_by_sku, run_target, writes


def gallery_ids(product, label):
    return [ref["id"] for ref in product["attributes"].get(label) or []]


def asset_names(admin):
    return {a["id"]: a["filename"] for a in admin.state()["assets"]}


def test_products_record_sets_exactly_its_fields(target_config, plytix_admin, skus):
    sku = skus[0]
    before = product_by_sku(plytix_admin, sku)
    record = {
        "sku": f"  {sku} ",
        "label": "Renamed tee",
        "status": "Completed",
        "attributes": {
            "image_credit": "Mei Lin",
            "image_allowed_channels": ["webshop"],
            "image_rights_expiry": "2027-06-30",
            "price": 19.5,
            "description": None,
        },
        "categories": ["Apparel/Outerwear"],
    }
    run = run_target(target_config, [("products", record)])
    after = product_by_sku(plytix_admin, sku)
    assert run.by_outcome() == {"updated": 1}
    assert after["label"] == "Renamed tee" and after["status"] == "Completed"
    expected = {k: v for k, v in before["attributes"].items() if k != "description"}
    expected.update(
        image_credit="Mei Lin",
        image_allowed_channels=["webshop"],
        image_rights_expiry="2027-06-30",
        price=19.5,
    )
    assert after["attributes"] == expected
    outerwear = next(
        c["id"]
        for c in plytix_admin.state()["product_categories"]
        if c["path"] == ["Apparel", "Outerwear"]
    )
    assert after["categories"] == [*before["categories"], outerwear]
    assert writes(plytix_admin) == {
        "PATCH /api/v2/products/{product_id}": 1,
        "POST /api/v2/products/{product_id}/categories": 1,
    }


def test_replace_patch_semantics_lose_no_attribute(target_config, plytix_admin, skus):
    plytix_admin.settings(patch_mode="replace")
    sku = skus[1]
    before = product_by_sku(plytix_admin, sku)
    assert len(before["attributes"]) > 5
    run_target(
        target_config, [("products", {"sku": sku, "attributes": {"image_credit": "Tom Becker"}})]
    )
    after = product_by_sku(plytix_admin, sku)
    assert after["attributes"] == {**before["attributes"], "image_credit": "Tom Becker"}


def test_media_records_set_thumbnail_and_gallery_with_one_patch(
    target_config, plytix_admin, emulators, skus, media_ids
):
    sku = skus[2]
    hero, *alternates = media_ids[:5]
    records = [
        (
            "product_media",
            {"sku": sku, "attribute_label": "thumbnail", "assets": [photo(emulators, hero)]},
        ),
        (
            "product_media",
            {
                "sku": sku,
                "attribute_label": "webshop_images",
                "assets": [photo(emulators, m) for m in [hero, *alternates]],
            },
        ),
        (
            "products",
            {
                "sku": sku,
                "attributes": {
                    "image_rights_expiry": "2027-01-31",
                    "image_allowed_markets": ["EU", "UK"],
                },
            },
        ),
    ]
    run = run_target(target_config, records)
    assert run.by_outcome() == {"created": 2, "updated": 1}
    after = product_by_sku(plytix_admin, sku)
    names = asset_names(plytix_admin)
    gallery = gallery_ids(after, "webshop_images")
    assert [names[a].split("__")[0] for a in gallery] == [hero, *alternates]
    assert after["thumbnail"] == {"id": gallery[0]}
    assert names[gallery[0]] == f"{hero}__{checksum_tag('v0')}__{hero}.jpg"
    assert after["attributes"]["image_allowed_markets"] == ["EU", "UK"]
    assert writes(plytix_admin) == {
        "POST /api/v1/assets": 5,
        "PATCH /api/v2/products/{product_id}": 1,
    }


def test_the_same_input_twice_writes_nothing_the_second_time(
    target_config, plytix_admin, emulators, skus, media_ids
):
    records = [
        (
            "product_media",
            {
                "sku": skus[3],
                "attribute_label": "media_gallery",
                "assets": [photo(emulators, m) for m in media_ids[:3]],
            },
        ),
        (
            "product_media",
            {
                "sku": skus[3],
                "attribute_label": "packshot",
                "assets": [photo(emulators, media_ids[3])],
            },
        ),
        (
            "products",
            {
                "sku": skus[4],
                "label": "Same again",
                "attributes": {"weight_g": 321, "is_bundle": True},
            },
        ),
    ]
    run_target(target_config, records)
    plytix_admin.clear_requests()
    second = run_target(target_config, records)
    assert second.by_outcome() == {"unchanged": 3}
    assert writes(plytix_admin) == {}


def test_assets_are_never_duplicated_even_after_losing_every_cache(
    target_config, plytix_admin, emulators, skus, media_ids
):
    shared = [photo(emulators, m) for m in media_ids[:3]]
    run_target(
        target_config,
        [("product_media", {"sku": skus[5], "attribute_label": "media_gallery", "assets": shared})],
    )
    count = len(plytix_admin.state()["assets"])
    # A new target process (nothing cached) puts the same photos on another product.
    plytix_admin.clear_requests()
    run = run_target(
        target_config,
        [("product_media", {"sku": skus[6], "attribute_label": "amazon_images", "assets": shared})],
    )
    assert run.by_outcome() == {"updated": 1}
    assert len(plytix_admin.state()["assets"]) == count
    assert "POST /api/v1/assets" not in writes(plytix_admin)
    assert gallery_ids(product_by_sku(plytix_admin, skus[5]), "media_gallery") == gallery_ids(
        product_by_sku(plytix_admin, skus[6]), "amazon_images"
    )


def test_gallery_reorder_shrink_and_clear(target_config, plytix_admin, emulators, skus, media_ids):
    sku = skus[7]

    def set_gallery(ids):
        return run_target(
            target_config,
            [
                (
                    "product_media",
                    {
                        "sku": sku,
                        "attribute_label": "webshop_images",
                        "assets": [photo(emulators, m) for m in ids],
                    },
                )
            ],
        )

    def sources():
        names = asset_names(plytix_admin)
        product = product_by_sku(plytix_admin, sku)
        return [names[a].split("__")[0] for a in gallery_ids(product, "webshop_images")]

    set_gallery(media_ids[:4])
    assert sources() == media_ids[:4]
    set_gallery([media_ids[2], media_ids[0], media_ids[3], media_ids[1]])
    assert sources() == [media_ids[2], media_ids[0], media_ids[3], media_ids[1]]
    set_gallery([media_ids[3], media_ids[1]])
    assert sources() == [media_ids[3], media_ids[1]]
    run = set_gallery([])
    assert sources() == [] and run.by_outcome() == {"updated": 1}
    assert "webshop_images" not in product_by_sku(plytix_admin, sku)["attributes"]


def test_a_changed_checksum_replaces_the_content_not_the_asset(
    target_config, plytix_admin, photoshelter_admin, emulators, skus, media_ids
):
    sku, media_id = skus[8], media_ids[0]
    run_target(
        target_config,
        [
            (
                "product_media",
                {"sku": sku, "attribute_label": "packshot", "assets": [photo(emulators, media_id)]},
            )
        ],
    )
    asset_id = product_by_sku(plytix_admin, sku)["attributes"]["packshot"]["id"]
    old = next(a for a in plytix_admin.state()["assets"] if a["id"] == asset_id)
    photoshelter_admin.call("POST", f"media/{media_id}/file", {})  # a new version upstream
    plytix_admin.clear_requests()
    run = run_target(
        target_config,
        [
            (
                "product_media",
                {
                    "sku": sku,
                    "attribute_label": "packshot",
                    "assets": [photo(emulators, media_id, checksum="v1")],
                },
            )
        ],
    )
    new = next(a for a in plytix_admin.state()["assets"] if a["id"] == asset_id)
    assert run.by_outcome() == {"updated": 1}
    assert new["checksum"] != old["checksum"]
    assert new["filename"] == f"{media_id}__{checksum_tag('v1')}__{media_id}.jpg"
    assert writes(plytix_admin) == {
        "PUT /api/v1/assets/{asset_id}/content": 1,
        "PATCH /api/v1/assets/{asset_id}": 1,
    }
    assert product_by_sku(plytix_admin, sku)["attributes"]["packshot"] == {"id": asset_id}


def test_link_mode_reaches_the_same_state_with_one_call_per_link(
    target_config, plytix_admin, emulators, skus, media_ids
):
    config = {**target_config, "media_write_mode": "link"}
    sku = skus[9]
    gallery = media_ids[:4]
    records = [
        (
            "product_media",
            {"sku": sku, "attribute_label": "thumbnail", "assets": [photo(emulators, gallery[0])]},
        ),
        (
            "product_media",
            {
                "sku": sku,
                "attribute_label": "amazon_images",
                "assets": [photo(emulators, m) for m in gallery],
            },
        ),
    ]
    run_target(config, records)
    names = asset_names(plytix_admin)
    product = product_by_sku(plytix_admin, sku)
    assert [names[a].split("__")[0] for a in gallery_ids(product, "amazon_images")] == gallery
    assert names[product["thumbnail"]["id"]].startswith(gallery[0])
    assert writes(plytix_admin)["POST /api/v2/products/{product_id}/assets"] == 5
    # reorder: keep the longest prefix in place, relink the rest
    plytix_admin.clear_requests()
    reordered = [gallery[0], gallery[2], gallery[1], gallery[3]]
    run_target(
        config,
        [
            (
                "product_media",
                {
                    "sku": sku,
                    "attribute_label": "amazon_images",
                    "assets": [photo(emulators, m) for m in reordered],
                },
            )
        ],
    )
    product = product_by_sku(plytix_admin, sku)
    names = asset_names(plytix_admin)
    assert [names[a].split("__")[0] for a in gallery_ids(product, "amazon_images")] == reordered
    assert names[product["thumbnail"]["id"]].startswith(gallery[0])
    assert writes(plytix_admin) == {
        "DELETE /api/v2/products/{product_id}/assets/{asset_id}": 2,
        "POST /api/v2/products/{product_id}/assets": 2,
    }


def test_unknown_sku_is_created_only_when_asked(target_config, plytix_admin, emulators, media_ids):
    records = [
        (
            "products",
            {
                "sku": "NEW-0001",
                "label": "New thing",
                "status": "Draft",
                "attributes": {"color": "Red"},
            },
        ),
        (
            "product_media",
            {
                "sku": "NEW-0001",
                "attribute_label": "thumbnail",
                "assets": [photo(emulators, media_ids[0])],
            },
        ),
    ]
    refused = run_target(target_config, records)
    assert refused.by_outcome() == {"rejected": 2}
    assert "unknown SKU 'NEW-0001'" in refused.outcomes[0]["reason"]
    created = run_target({**target_config, "create_missing_products": True}, records)
    assert created.by_outcome() == {"created": 2}
    product = product_by_sku(plytix_admin, "NEW-0001")
    assert product["attributes"] == {"color": "Red"} and product["thumbnail"]


def test_dry_run_reads_but_writes_nothing(target_config, plytix_admin, emulators, skus, media_ids):
    plytix_admin.clear_requests()
    run = run_target(
        {**target_config, "dry_run": True},
        [
            ("products", {"sku": skus[0], "label": "Would change"}),
            (
                "product_media",
                {
                    "sku": skus[0],
                    "attribute_label": "media_gallery",
                    "assets": [photo(emulators, media_ids[0])],
                },
            ),
        ],
    )
    assert run.by_outcome() == {"updated": 1, "created": 1}
    assert all(line["dry_run"] for line in run.outcomes)
    assert writes(plytix_admin) == {}
