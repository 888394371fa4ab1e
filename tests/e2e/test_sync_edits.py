"""Edits on either side flow through on the next `sync` and touch only what changed.

Arranged once: the seeded brand synced. Each test then makes one edit the way a person
would, runs `sync`, and checks the remote state and which records the writes went to (a
sync after a sync writes nothing, see test_sync_hard_cases, so every write is the edit's).
"""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from remote_services import Remote
from sync_project import Project

from emulators.catalog import Catalog

pytestmark = pytest.mark.e2e

PRODUCT_PATH = re.compile(r"/products/([0-9a-f]{24})")
MEDIA_PATH = re.compile(r"/media/(I[0-9A-Za-z._]{15})")


@pytest.fixture(scope="module")
def settled(project: Project, remote: Remote) -> Remote:
    project.run("sync")
    return remote


def sync_after(project: Project, remote: Remote) -> dict[str, list[str]]:
    """Run `sync`; return the write calls each side received."""
    remote.clear_requests()
    project.run("sync")
    return {"plytix": remote.write_paths("plytix"),
            "photoshelter": remote.write_paths("photoshelter")}


def written_products(paths: list[str]) -> set[str]:
    return {m.group(1) for p in paths if (m := PRODUCT_PATH.search(p))}


def written_media(paths: list[str]) -> set[str]:
    return {m.group(1) for p in paths if (m := MEDIA_PATH.search(p))}


def in_use(remote: Remote, sku: str) -> set[str]:
    return {m for ids in remote.product_media(sku).values() for m in ids}


def test_new_approved_image_reaches_its_product(
        settled: Remote, project: Project, seeded: Catalog) -> None:
    sku = "HD-1001-BLK-L"
    product_id = settled.product(sku)["id"]
    new = settled.upload_media(file_name=f"{sku}_07.jpg",
                               custom_metadata={"Status": "Approved"})

    writes = sync_after(project, settled)

    media = settled.product_media(sku)
    assert new["id"] in media["media_gallery"]
    assert all(new["id"] in media[a] for a in ("webshop_images", "amazon_images",
                                               "wholesale_images"))
    assert written_products(writes["plytix"]) == {product_id}
    assert written_media(writes["photoshelter"]) == {new["id"]}
    assert f"sku:{sku}" in settled.keywords(new["id"])


def test_expired_image_leaves_amazon_gallery(
        settled: Remote, project: Project, seeded: Catalog) -> None:
    sku = "HD-1001-BLK-M"
    product_id = settled.product(sku)["id"]
    media_id = settled.product_media(sku)["amazon_images"][-1]
    settled.edit_media(media_id, license_expiration=str(date.today() - timedelta(days=1)))

    writes = sync_after(project, settled)

    assert media_id not in in_use(settled, sku)
    assert settled.product_media(sku)["amazon_images"], "the other images stay"
    assert written_products(writes["plytix"]) == {product_id}
    assert writes["photoshelter"] == []


def test_rejected_image_leaves_plytix(
        settled: Remote, project: Project, seeded: Catalog) -> None:
    sku = "HD-1001-BLK-XS"
    product_id = settled.product(sku)["id"]
    media_id = settled.product_media(sku)["media_gallery"][0]
    settled.edit_media(media_id, custom_metadata={"Status": "Rejected"})

    writes = sync_after(project, settled)

    assert media_id not in in_use(settled, sku)
    assert written_products(writes["plytix"]) == {product_id}
    assert writes["photoshelter"] == []


def test_colour_change_in_plytix_retags_its_images(
        settled: Remote, project: Project, seeded: Catalog) -> None:
    sku = seeded.hard_cases["messy_sku"]
    # every image matched to the product carries its SKU since the first sync
    images = {m["id"] for m in settled.ps_state()["media"]
              if f"sku:{sku}" in settled.keywords(m["id"], {"media": [m]})}
    assert in_use(settled, sku) <= images
    settled.patch_product(sku, {"color": "Navy"})

    writes = sync_after(project, settled)

    assert writes["plytix"] == []
    assert written_media(writes["photoshelter"]) == images
    for media_id in images:
        assert "color:Navy" in settled.keywords(media_id)
        assert "color:Black" not in settled.keywords(media_id)
        assert settled.custom_metadata(media_id)["Color"] == "Navy"


def test_ready_for_creative_opens_a_handoff_gallery(
        settled: Remote, project: Project, seeded: Catalog) -> None:
    sku = "PK-1006-WHT-XS"
    product = settled.product(sku)
    assert product["attributes"]["launch_status"] != "Ready for creative"
    images = {m["id"] for m in seeded.media
              if sku in m["file_name"] + m["iptc"]["trans_ref"] + m["iptc"]["keywords"]}
    settled.patch_product(sku, {"launch_status": "Ready for creative"})

    writes = sync_after(project, settled)

    galleries = settled.galleries()
    key = (f"Launches/{product['attributes']['season']}", f"{sku} {product['label']}")
    assert key in galleries
    assert set(galleries[key]["media_ids"]) >= {
        m for m in images if settled.custom_metadata(m).get("Status") != "Rejected"}
    assert writes["plytix"] == []
    assert written_media(writes["photoshelter"]) <= images
    for media_id in written_media(writes["photoshelter"]):
        assert "launch:Ready for creative" in settled.keywords(media_id)
