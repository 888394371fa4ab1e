"""Config mistakes stop the plan before any outbox is built, naming the setting.

The gate is the dbt model `preflight_settings`, which every model waits for: when it fails,
`dbt build` (the `plan` step) builds no outbox table, so `apply` has nothing to send.
"""

from __future__ import annotations

import re
from pathlib import Path

import duckdb
import pytest
import yaml
from dbt_runner import dbt
from landing_fixture import build
from sync_project import ROOT

from emulators.catalog import Catalog

OUTBOX = (
    "plytix_products",
    "plytix_product_media",
    "photoshelter_media_metadata",
    "photoshelter_galleries",
)


def outbox_tables(warehouse: Path) -> list[str]:
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        return [
            r[0]
            for r in connection.execute(
                "select table_name from information_schema.tables where table_schema = 'outbox'"
            ).fetchall()
        ]


@pytest.fixture
def landed(tmp_path: Path, seeded: Catalog) -> Path:
    return build(tmp_path / "warehouse.duckdb", seeded)


def gate_error(done) -> str:
    """The gate's message: the line dbt prints under the gate model's error."""
    found = re.search(r"Error in model preflight_settings \(.*\)\n\s*(.+)", done.stdout)
    assert found, done.stdout[-3000:]
    return found[1]


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        (
            {"SYNC_APPROVAL_FIELD": "Approval"},
            "setting approval_field of dbt-duckdb: PhotoShelter has no custom field 'Approval'",
        ),
        (
            {"SYNC_APPROVAL_FIELD": "status"},
            "setting approval_field of dbt-duckdb: PhotoShelter has no custom field 'status' "
            "(did you mean 'Status'? names are case-sensitive)",
        ),
        (
            {"SYNC_APPROVAL_VALUE": "approved"},
            "setting approval_value of dbt-duckdb: 'approved' is not a tag of PhotoShelter field "
            "'Status' (tags, case-sensitive: Approved, Pending, Rejected)",
        ),
        (
            {"SYNC_MATCH_RULES": "sku,keywords,file_name"},
            "setting match_rules of dbt-duckdb: unknown rule(s) sku, keywords; allowed: "
            "custom_field, trans_ref, keyword, file_name, gallery",
        ),
        (
            {"SYNC_FILE_NAME_PATTERN": "^(?P<sku>[A-Z-+)_"},
            "setting file_name_pattern of dbt-duckdb: does not compile (",
        ),
        (
            {"SYNC_FILE_NAME_PATTERN": r"^(?P<code>[A-Z]+-\d+)_(?P<seq>\d+)\.jpg$"},
            "setting file_name_pattern of dbt-duckdb: has no named group `sku`",
        ),
        (
            {"SYNC_STYLE_ATTRIBUTE": "style_number"},
            "setting style_attribute of dbt-duckdb: Plytix attribute 'style_number' is not in the "
            "landed products",
        ),
    ],
)
def test_a_bad_setting_stops_before_any_outbox_is_built(
    landed: Path, env: dict[str, str], expected: str
) -> None:
    done = dbt(landed, "build", env=env)
    assert done.returncode != 0
    assert expected in gate_error(done)
    assert outbox_tables(landed) == []
    # no raw SQL error reaches the user
    assert "Binder Error" not in done.stdout


def test_the_gate_passes_the_default_settings_and_lists_every_problem(landed: Path) -> None:
    done = dbt(
        landed,
        "build",
        "--select",
        "+preflight_settings",
        env={"SYNC_APPROVAL_VALUE": "approved", "SYNC_MATCH_RULES": "sku,keyword"},
    )
    message = gate_error(done)
    assert "setting approval_value" in message and "setting match_rules" in message
    done = dbt(landed, "build", "--select", "+preflight_settings")
    assert done.returncode == 0, done.stdout[-3000:]


def test_every_name_dbt_reads_from_the_environment_is_a_meltano_setting() -> None:
    """`meltano config list dbt-duckdb` shows every rule and name, with dbt's own default."""
    project = yaml.safe_load((ROOT / "meltano.yml").read_text())
    utility = next(p for p in project["plugins"]["utilities"] if p["name"] == "dbt-duckdb")
    settings = {s["env"]: s for s in utility["settings"] if "env" in s}
    dbt_vars = (ROOT / "transform" / "dbt_project.yml").read_text()
    found = re.findall(r"env_var\('(SYNC_[A-Z_]+)', '((?:[^']|'')*)'\)", dbt_vars)
    assert len(found) >= 30
    for env, default in found:
        assert env in settings, f"{env} is read by dbt but is no setting of dbt-duckdb"
        value = settings[env].get("value")
        value = str(value).lower() if isinstance(value, bool) else str(value)
        assert value == default.replace("\\\\", "\\"), env
