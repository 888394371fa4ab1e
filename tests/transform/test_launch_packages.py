"""Launch packages: what a complete package needs comes from settings, or a completeness
attribute, never from a "required" flag on Plytix families (Plytix keeps none)."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest
from dbt_runner import dbt, rows
from landing_fixture import build

from emulators.catalog import Catalog

SETTING = "setting package_required_attributes"


@pytest.fixture
def landed(tmp_path: Path, seeded: Catalog) -> Path:
    """The seeded landing with the families as Plytix serves them: no `required` flag."""
    warehouse = build(tmp_path / "warehouse.duckdb", seeded)
    with duckdb.connect(str(warehouse)) as connection:
        for family in seeded.families:
            attributes = [
                {k: v for k, v in a.items() if k != "required"} for a in family["attributes"]
            ]
            connection.execute(
                "update tap_plytix.product_families set attributes = ? where id = ?",
                [json.dumps(attributes), family["id"]],
            )
    return warehouse


def packages(warehouse: Path) -> dict[str, dict]:
    return {r["sku"]: r for r in rows(warehouse, "select * from marts.product_packages")}


def expected_missing(seeded: Catalog, product: dict, labels: list[str]) -> list[str]:
    """Labels with a value neither on the product nor on its parent."""
    parent = next((p for p in seeded.products if p["id"] == product.get("_parent_id")), None)

    def has(p: dict | None, label: str) -> bool:
        return p is not None and p["attributes"].get(label) not in (None, "", [])

    return sorted(label for label in labels if not has(product, label) and not has(parent, label))


def test_required_attributes_come_from_the_setting_per_family_and_category(
    landed: Path, seeded: Catalog
) -> None:
    category = next(c for c in seeded.categories if c["name"] == "Tops")
    done = dbt(
        landed,
        "build",
        env={"SYNC_PACKAGE_REQUIRED_ATTRIBUTES": "*=description;Footwear=material;Tops=price"},
    )
    assert done.returncode == 0, done.stdout[-3000:]
    found = packages(landed)
    families = {f["id"]: f["name"] for f in seeded.families}
    checked = 0
    for product in seeded.products:
        if product["sku"] not in found:
            continue
        labels = ["description"]
        labels += ["material"] if families.get(product["product_family_id"]) == "Footwear" else []
        labels += ["price"] if category["id"] in product["categories"] else []
        package = found[product["sku"]]
        assert package["missing_attributes"] == expected_missing(seeded, product, labels)
        assert package["decided_by"] == SETTING
        checked += 1
    assert checked > 20
    assert any(p["missing_attributes"] for p in found.values())


def test_a_completeness_attribute_decides_when_configured(landed: Path, seeded: Catalog) -> None:
    skus = sorted(p["sku"] for p in seeded.products if p["product_level"] != 1)
    with duckdb.connect(str(landed)) as connection:
        connection.execute(
            "update tap_plytix.products set attributes__completeness = "
            "case when sku = ? then 80 else 100 end",
            [skus[0]],
        )
    done = dbt(
        landed,
        "build",
        env={
            "SYNC_LAUNCH_COMPLETENESS_ATTRIBUTE": "completeness",
            "SYNC_MIN_ALTERNATES": "0",
            "SYNC_PACKAGE_REQUIRES_HERO": "false",
            "SYNC_LAUNCH_WINDOW_DAYS": "0",
        },
    )
    assert done.returncode == 0, done.stdout[-3000:]
    found = packages(landed)
    assert {p["decided_by"] for p in found.values()} == {
        "Plytix completeness attribute completeness (setting launch_completeness_attribute)"
    }
    assert found[skus[0]]["incomplete_reasons"] == [
        "Plytix completeness 80 %, 100 % needed (attribute completeness)"
    ]
    assert all(p["missing_attributes"] == [] for p in found.values())
    complete = [s for s, p in found.items() if p["is_complete"]]
    assert skus[0] not in complete and len(complete) >= len(found) - 5


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        (
            {"SYNC_PACKAGE_REQUIRED_ATTRIBUTES": "Apparel:color"},
            f"{SETTING} of dbt-duckdb: 'Apparel:color' is not `Scope=attribute,attribute`",
        ),
        (
            {"SYNC_PACKAGE_REQUIRED_ATTRIBUTES": "*=description,fabric"},
            f"{SETTING} of dbt-duckdb: Plytix attribute(s) fabric (required for '*') not in the "
            "landed products",
        ),
        (
            {"SYNC_LAUNCH_COMPLETENESS_ATTRIBUTE": "completion"},
            "setting launch_completeness_attribute of dbt-duckdb: Plytix attribute 'completion' is "
            "not in the landed products",
        ),
    ],
)
def test_a_package_setting_that_does_not_fit_stops_the_plan(
    landed: Path, env: dict[str, str], expected: str
) -> None:
    done = dbt(landed, "build", env=env)
    assert done.returncode != 0
    assert expected in done.stdout
