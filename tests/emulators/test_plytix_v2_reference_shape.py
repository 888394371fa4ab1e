"""Plytix emulator, API v2: `v2_reference_shape` serves references and dates as recorded
(`objects`: `{"id"}`, `...T00:00:00`) or as the collection's own v2 example writes them
(`ids`: bare id strings, `YYYY-MM-DD`), so readers can be tested under both."""

from __future__ import annotations

import pytest
from plytix_emulator_client import conditions
from plytix_v2_emulator_client import PlytixV2

COLUMNS = [
    "thumbnail",
    "assets",
    "categories",
    "attributes.media_gallery",
    "attributes.launch_date",
]


@pytest.fixture
def plytix(emulators, plytix_admin) -> PlytixV2:
    return PlytixV2(emulators, plytix_admin).login().unlimited()


@pytest.fixture
def product(plytix) -> dict:
    return next(
        p
        for p in plytix.admin.state()["products"]
        if p["attributes"].get("media_gallery")
        and p.get("thumbnail")
        and p["categories"]
        and p["attributes"].get("launch_date")
    )


def read(plytix: PlytixV2, product: dict) -> tuple[dict, dict]:
    row = plytix.search(filters=conditions(("sku", "eq", product["sku"])), attributes=COLUMNS)[
        "data"
    ][0]
    return row, plytix.product(product["id"])


def test_default_is_the_recorded_object_shape(plytix, product):
    assert plytix.admin.settings()["v2_reference_shape"] == "objects"
    for shown in read(plytix, product):
        assert shown["thumbnail"] == {"id": product["thumbnail"]["id"]}
        assert shown["assets"] == [{"id": a} for a in product["assets"]]
        assert shown["categories"] == [{"id": c} for c in product["categories"]]
        assert (
            shown["attributes"]["launch_date"] == product["attributes"]["launch_date"] + "T00:00:00"
        )
        assert shown["attributes"]["media_gallery"] == [
            r["id"] for r in product["attributes"]["media_gallery"]
        ]


def test_ids_shape_writes_bare_ids_and_plain_dates(plytix, product):
    plytix.admin.settings(v2_reference_shape="ids")
    row, full = read(plytix, product)
    for shown in (row, full):
        assert shown["thumbnail"] == product["thumbnail"]["id"]
        assert shown["assets"] == list(product["assets"])
        assert shown["categories"] == list(product["categories"])
        assert shown["attributes"]["launch_date"] == product["attributes"]["launch_date"]
        assert shown["attributes"]["media_gallery"] == [
            r["id"] for r in product["attributes"]["media_gallery"]
        ]
    bare = next(p for p in plytix.admin.state()["products"] if not p.get("thumbnail"))
    assert plytix.product(bare["id"])["thumbnail"] is None
    assert (
        plytix.v1_ok("GET", f"/products/{product['id']}")["data"][0]["thumbnail"]["id"]
        == product["thumbnail"]["id"]
    )  # v1 keeps its own expansion


def test_the_setting_refuses_other_values(plytix):
    response = plytix.admin.http.post(
        f"{plytix.admin.base_url}/_emulator/settings",
        json={"v2_reference_shape": "strings"},
        timeout=10,
    )
    assert response.status_code == 400 and "v2_reference_shape" in response.text
