"""target-plytix with bad input, a flaky API and a crash mid-run."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import requests
from plytix_api import PlytixClient
from target_plytix_helpers import (
    photo,
    product_by_sku,
    run_target,
    singer_lines,
    writes,
)

TARGET = str(Path(sys.executable).parent / "target-plytix")
IMAGE_ROUTE = "GET /img-get2/{media_id}/{spec}"
"""The public image links Plytix fetches assets from (served by the PhotoShelter emulator)."""


def test_each_bad_record_is_rejected_with_its_reason_and_the_run_goes_on(
    target_config, plytix_admin, emulators, skus, media_ids
):
    bad = [
        ("products", {"label": "no sku"}),
        ("products", {"sku": skus[0], "attributes": {"colour_typo": "Red"}}),
        ("products", {"sku": skus[0], "attributes": {"weight_g": "heavy"}}),
        ("products", {"sku": skus[0], "attributes": {"color": "Purple"}}),
        ("products", {"sku": skus[0], "status": "Live"}),
        ("products", {"sku": "NOPE-404"}),
        (
            "product_media",
            {
                "sku": skus[0],
                "attribute_label": "media_gallery",
                "assets": [{**photo(emulators, media_ids[0]), "url": "ftp://example.com/a.jpg"}],
            },
        ),
        (
            "product_media",
            {
                "sku": skus[0],
                "attribute_label": "media_gallery",
                "assets": [photo(emulators, "I0000doesnotexis")],
            },
        ),
        (
            "product_media",
            {
                "sku": skus[0],
                "attribute_label": "price",
                "assets": [photo(emulators, media_ids[0])],
            },
        ),
        (
            "product_media",
            {
                "sku": skus[0],
                "attribute_label": "packshot",
                "assets": [photo(emulators, m) for m in media_ids[:2]],
            },
        ),
    ]
    good = ("products", {"sku": skus[1], "label": "Still written"})
    run = run_target(target_config, [*bad, good])
    reasons = [line.get("reason", "") for line in run.outcomes if line["outcome"] == "rejected"]
    assert len(reasons) == len(bad)
    for needle in (
        "sku is missing",
        "unknown attribute label 'colour_typo'",
        "attributes.weight_g expects a whole number",
        "'Purple' is not one of",
        "status must be one of",
        "unknown SKU 'NOPE-404'",
        "assets[0].url must be an https URL",
        "asset I0000doesnotexis",
        "not a media attribute",
        "packshot holds one asset",
    ):
        assert any(needle in reason for reason in reasons), (needle, reasons)
    assert product_by_sku(plytix_admin, skus[1])["label"] == "Still written"
    assert [line["outcome"] for line in run.outcomes].count("updated") == 1


def test_429_5xx_and_token_expiry_mid_run_still_converge(
    target_config, plytix_admin, emulators, skus, media_ids, monkeypatch
):
    plytix_admin.fault(
        route="PATCH /api/v2/products/{product_id}",
        status=429,
        count=2,
        headers={"Retry-After": "0.1"},
    )
    plytix_admin.fault(route="POST /api/v1/assets", status=503, count=2)
    plytix_admin.fault(route="POST /api/v2/products/search", status=500, count=1)
    sent = {"n": 0}
    original = PlytixClient.request

    def expire_mid_run(self, method, path, **kwargs):
        sent["n"] += 1
        if sent["n"] == 5:
            plytix_admin.advance_clock(901)
        return original(self, method, path, **kwargs)

    monkeypatch.setattr(PlytixClient, "request", expire_mid_run)
    records = [
        (
            "product_media",
            {
                "sku": sku,
                "attribute_label": "media_gallery",
                "assets": [photo(emulators, m) for m in media_ids[i : i + 2]],
            },
        )
        for i, sku in enumerate(skus[:4])
    ]
    run = run_target(target_config, records)
    assert run.by_outcome() == {"created": 4}
    for sku in skus[:4]:
        assert len(product_by_sku(plytix_admin, sku)["attributes"]["media_gallery"]) == 2
    statuses = [r["status"] for r in plytix_admin.requests()["recent"]]
    assert statuses.count(429) == 2 and statuses.count(503) == 2 and 401 in statuses
    assert len({a["filename"] for a in plytix_admin.state()["assets"]}) == len(
        plytix_admin.state()["assets"]
    )


def test_a_failed_write_fails_the_run_after_flushing_outcomes_and_before_state(
    target_config, plytix_admin, emulators, skus, tmp_path
):
    plytix_admin.fault(route="PATCH /api/v2/products/{product_id}", status=503, count=50)
    config = {**target_config, "max_retries": 1}
    path = tmp_path / "config.json"
    path.write_text(json.dumps(config))
    lines = singer_lines(
        [("products", {"sku": "NOPE-1"}), ("products", {"sku": skus[0], "label": "x"})],
        state={"b": 1},
    )
    result = subprocess.run(
        [TARGET, "--config", str(path)],
        input=lines,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 1
    assert "target-plytix: error: HTTP 503 on PATCH" in result.stderr
    assert '"b": 1' not in result.stdout  # no state for records that were not written
    outcomes = [json.loads(x) for x in Path(config["outcomes_path"]).read_text().splitlines()]
    assert [o["outcome"] for o in outcomes] == ["rejected"]


def test_killed_mid_run_then_rerun_converges_to_a_clean_run(
    target_config, plytix_admin, emulators, skus, media_ids, tmp_path
):
    records = [
        (
            "product_media",
            {
                "sku": sku,
                "attribute_label": "webshop_images",
                "assets": [photo(emulators, m) for m in media_ids[i % 8 : i % 8 + 3]],
            },
        )
        for i, sku in enumerate(skus[:12])
    ]
    records += [
        ("products", {"sku": sku, "attributes": {"image_credit": f"credit {i}"}})
        for i, sku in enumerate(skus[:12])
    ]
    run_target(target_config, records)
    clean = plytix_admin.state()
    plytix_admin.reset()
    plytix_admin.settings(requests_per_10s=0, requests_per_hour=0)

    config = {**target_config, "requests_per_10s": 6}  # slow enough to be killed mid-run
    path = tmp_path / "config.json"
    path.write_text(json.dumps(config))
    process = subprocess.Popen(
        [TARGET, "--config", str(path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    process.stdin.write(singer_lines(records))
    process.stdin.close()
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if writes(plytix_admin).get("POST /api/v1/assets", 0) >= 3:
            break
        time.sleep(0.05)
    os.kill(process.pid, signal.SIGKILL)
    process.wait(timeout=10)
    assert writes(plytix_admin).get("PATCH /api/v2/products/{product_id}", 0) < 12

    run_target(target_config, records)
    again = plytix_admin.state()

    def summary(state):
        names = {a["id"]: a["filename"] for a in state["assets"]}
        return (
            {
                p["sku"]: (
                    [names[r["id"]] for r in p["attributes"].get("webshop_images", [])],
                    p["attributes"].get("image_credit"),
                )
                for p in state["products"]
            },
            sorted(names.values()),
        )

    assert summary(again) == summary(clean)


def test_about_lists_every_setting_and_marks_secrets():
    result = subprocess.run(
        [TARGET, "--about", "--format", "json"],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    properties = json.loads(result.stdout)["settings"]["properties"]
    for name in (
        "api_key",
        "api_password",
        "access_token",
        "api_url",
        "auth_url",
        "requests_per_10s",
        "requests_per_hour",
        "sku_normalization",
        "create_missing_products",
        "media_write_mode",
        "patch_semantics",
        "dry_run",
        "outcomes_path",
        "allowed_asset_hosts",
    ):
        assert properties[name].get("description"), name
    assert all(properties[n].get("secret") for n in ("api_key", "api_password", "access_token"))


def test_merge_semantics_send_only_the_changed_keys(target_config, plytix_admin, skus):
    sku = skus[2]
    before = product_by_sku(plytix_admin, sku)
    run_target(
        {**target_config, "patch_semantics": "merge"},
        [("products", {"sku": sku, "attributes": {"image_credit": "Ana Ruiz"}})],
    )
    [patch] = [
        r
        for r in plytix_admin.requests()["recent"]
        if r["route"] == "PATCH /api/v2/products/{product_id}"
    ]
    assert patch["body"] == {"attributes": {"image_credit": "Ana Ruiz"}}
    assert product_by_sku(plytix_admin, sku)["attributes"] == {
        **before["attributes"],
        "image_credit": "Ana Ruiz",
    }


def test_image_host_hiccup_is_asked_again_not_rejected(
    target_config, plytix_admin, emulators, skus, media_ids, photoshelter_admin
):
    """Plytix fetching a photo meets two 502s from the image host: the asset is still made."""
    photoshelter_admin.fault(route=IMAGE_ROUTE, status=502, count=2)
    plytix_admin.clear_requests()
    run = run_target(
        target_config,
        [
            (
                "product_media",
                {
                    "sku": skus[0],
                    "attribute_label": "media_gallery",
                    "assets": [photo(emulators, media_ids[0])],
                },
            )
        ],
    )
    assert [line["outcome"] for line in run.outcomes] == ["created"]
    assert plytix_admin.requests()["by_route"]["POST /api/v1/assets"] == 3
    gallery = product_by_sku(plytix_admin, skus[0])["attributes"]["media_gallery"]
    assert len(gallery) == 1


def test_image_that_never_downloads_is_rejected_after_asking_three_times(
    target_config, plytix_admin, emulators, skus, media_ids, photoshelter_admin
):
    photoshelter_admin.fault(route=IMAGE_ROUTE, status=502, count=5)
    plytix_admin.clear_requests()
    run = run_target(
        target_config,
        [
            (
                "product_media",
                {
                    "sku": skus[0],
                    "attribute_label": "media_gallery",
                    "assets": [photo(emulators, media_ids[0])],
                },
            )
        ],
    )
    photoshelter_admin.clear_faults()
    [outcome] = run.outcomes
    assert outcome["outcome"] == "rejected" and "HTTP 502" in outcome["reason"]
    assert plytix_admin.requests()["by_route"]["POST /api/v1/assets"] == 3


def test_image_cut_short_by_its_host_is_put_in_whole(
    target_config, plytix_admin, emulators, skus, media_ids, caplog, photoshelter_admin
):
    """The image host hands Plytix half the photo with a matching length: Plytix would keep
    it for good, so the target sees the size differ and sends the whole image itself."""
    asset = photo(emulators, media_ids[0])
    whole = requests.get(asset["url"], timeout=10).content
    photoshelter_admin.fault(route=IMAGE_ROUTE, action="malformed", count=1)
    plytix_admin.clear_requests()
    run = run_target(
        target_config,
        [
            (
                "product_media",
                {"sku": skus[0], "attribute_label": "media_gallery", "assets": [asset]},
            )
        ],
    )
    assert [line["outcome"] for line in run.outcomes] == ["created"]
    [stored] = [a for a in plytix_admin.state()["assets"] if a["filename"].startswith(media_ids[0])]
    assert (stored["file_size"], stored["checksum"]) == (
        len(whole),
        hashlib.sha256(whole).hexdigest(),
    )
    by_route = plytix_admin.requests()["by_route"]
    assert by_route["POST /api/v1/assets"] == 1
    assert by_route["PUT /api/v1/assets/{asset_id}/content"] == 1
    assert any("sending the image itself" in r.getMessage() for r in caplog.records)


def test_image_that_never_comes_whole_is_rejected_and_its_asset_deleted(
    target_config, plytix_admin, emulators, skus, media_ids, photoshelter_admin
):
    photoshelter_admin.fault(route=IMAGE_ROUTE, action="malformed", count=50)
    before = product_by_sku(plytix_admin, skus[0])["attributes"].get("media_gallery")
    run = run_target(
        {**target_config, "max_retries": 1},
        [
            (
                "product_media",
                {
                    "sku": skus[0],
                    "attribute_label": "media_gallery",
                    "assets": [photo(emulators, media_ids[0])],
                },
            )
        ],
    )
    photoshelter_admin.clear_faults()
    [outcome] = run.outcomes
    assert outcome["outcome"] == "rejected"
    assert "could not be fetched whole" in outcome["reason"]
    assert [
        a for a in plytix_admin.state()["assets"] if a["filename"].startswith(media_ids[0])
    ] == []
    assert product_by_sku(plytix_admin, skus[0])["attributes"].get("media_gallery") == before
