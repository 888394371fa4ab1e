"""Edits on either side flow through on the next `sync` and touch only what changed.

Arranged once: the seeded brand synced. Each test then makes one edit the way a person
would, runs `sync`, and checks the remote state and which records the writes went to (a
sync after a sync writes nothing, see test_sync_hard_cases, so every write is the edit's).
"""

from __future__ import annotations

import re
from datetime import date, timedelta

import duckdb
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
    return {
        "plytix": remote.write_paths("plytix"),
        "photoshelter": remote.write_paths("photoshelter"),
    }


def written_products(paths: list[str]) -> set[str]:
    return {m.group(1) for p in paths if (m := PRODUCT_PATH.search(p))}


def written_media(paths: list[str]) -> set[str]:
    return {m.group(1) for p in paths if (m := MEDIA_PATH.search(p))}


def in_use(remote: Remote, sku: str) -> set[str]:
    return {m for ids in remote.product_media(sku).values() for m in ids}


def test_new_approved_image_reaches_its_product(
    settled: Remote, project: Project, seeded: Catalog
) -> None:
    sku = "HD-1001-BLK-L"
    product_id = settled.product(sku)["id"]
    new = settled.upload_media(file_name=f"{sku}_07.jpg", custom_metadata={"Status": "Approved"})

    writes = sync_after(project, settled)

    media = settled.product_media(sku)
    assert new["id"] in media["media_gallery"]
    assert all(
        new["id"] in media[a] for a in ("webshop_images", "amazon_images", "wholesale_images")
    )
    assert written_products(writes["plytix"]) == {product_id}
    assert written_media(writes["photoshelter"]) == {new["id"]}
    assert f"sku:{sku}" in settled.keywords(new["id"])


def test_expired_image_leaves_amazon_gallery(
    settled: Remote, project: Project, seeded: Catalog
) -> None:
    sku = "HD-1001-BLK-M"
    product_id = settled.product(sku)["id"]
    media_id = settled.product_media(sku)["amazon_images"][-1]
    settled.edit_media(media_id, license_expiration=str(date.today() - timedelta(days=1)))

    writes = sync_after(project, settled)

    assert media_id not in in_use(settled, sku)
    assert settled.product_media(sku)["amazon_images"], "the other images stay"
    assert written_products(writes["plytix"]) == {product_id}
    assert writes["photoshelter"] == []


def test_rejected_image_leaves_plytix(settled: Remote, project: Project, seeded: Catalog) -> None:
    sku = "HD-1001-BLK-XS"
    product_id = settled.product(sku)["id"]
    media_id = settled.product_media(sku)["media_gallery"][0]
    settled.edit_media(media_id, custom_metadata={"Status": "Rejected"})

    writes = sync_after(project, settled)

    assert media_id not in in_use(settled, sku)
    assert written_products(writes["plytix"]) == {product_id}
    assert writes["photoshelter"] == []


def test_colour_change_in_plytix_retags_its_images(
    settled: Remote, project: Project, seeded: Catalog
) -> None:
    sku = seeded.hard_cases["messy_sku"]
    # every image matched to the product carries its SKU since the first sync
    images = {
        m["id"]
        for m in settled.ps_state()["media"]
        if f"sku:{sku}" in settled.keywords(m["id"], {"media": [m]})
    }
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
    settled: Remote, project: Project, seeded: Catalog
) -> None:
    sku = "PK-1006-WHT-XS"
    product = settled.product(sku)
    assert product["attributes"]["launch_status"] != "Ready for creative"
    images = {
        m["id"]
        for m in seeded.media
        if sku in m["file_name"] + m["iptc"]["trans_ref"] + m["iptc"]["keywords"]
    }
    settled.patch_product(sku, {"launch_status": "Ready for creative"})

    writes = sync_after(project, settled)

    galleries = settled.galleries()
    key = (f"Launches/{product['attributes']['season']}", f"{sku} {product['label']}")
    assert key in galleries
    assert set(galleries[key]["media_ids"]) >= {
        m for m in images if settled.custom_metadata(m).get("Status") != "Rejected"
    }
    assert writes["plytix"] == []
    assert written_media(writes["photoshelter"]) <= images
    for media_id in written_media(writes["photoshelter"]):
        assert "launch:Ready for creative" in settled.keywords(media_id)


def test_deleted_handoff_gallery_is_made_again_and_an_image_taken_out_stops_counting(
    settled: Remote, project: Project, seeded: Catalog
) -> None:
    """The warehouse loader only upserts: what was deleted upstream must not linger as current."""
    handoff = seeded.hard_cases["handoff"]
    product = settled.product(handoff["sku"])
    key = (f"Launches/{product['attributes']['season']}", f"{handoff['sku']} {product['label']}")
    before = settled.galleries()[key]
    other = next(
        g
        for (path, _), g in settled.galleries().items()
        if not path.startswith("Launches") and len(g["media_ids"]) >= 2
    )
    leaving = other["media_ids"][0]
    settled.photoshelter.call("DELETE", f"galleries/{before['id']}")
    settled.photoshelter.call("DELETE", f"galleries/{other['id']}/media/{leaving}")

    sync_after(project, settled)

    remade = settled.galleries()[key]
    assert remade["id"] != before["id"]
    assert set(remade["media_ids"]) == set(before["media_ids"])
    assert [g["media_ids"] for g in settled.ps_state()["galleries"] if g["id"] == other["id"]] == [
        other["media_ids"][1:]
    ], "not the sync's gallery"
    with duckdb.connect(str(project.warehouse), read_only=True) as connection:
        landed, current = (
            {
                r[0]
                for r in connection.execute(
                    f"select media_id from {table} "  # noqa: S608
                    "where gallery_id = ?",
                    [other["id"]],
                ).fetchall()
            }
            for table in (
                "tap_photoshelter.gallery_media",
                "staging.stg_photoshelter__gallery_media",
            )
        )
        assert leaving in landed, "the loader keeps the row of the earlier read"
        assert current == set(other["media_ids"][1:])
        assert connection.execute(
            "select count(*) from staging.stg_photoshelter__galleries where gallery_id = ?",
            [before["id"]],
        ).fetchone() == (0,)
