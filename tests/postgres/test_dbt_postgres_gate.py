"""The settings gate on Postgres: a bad setting stops `dbt build` before any outbox is built,
with the one line that names the setting, word for word as on DuckDB
(tests/transform/test_settings_gate.py)."""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from pg_database import scratch_database
from pg_dbt import copy_landing, dbt, pg_dbt_env

from emulators import catalog

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "transform"))
from landing_fixture import build  # tests/transform's landing, shared

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def landing(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build(tmp_path_factory.mktemp("gate") / "warehouse.duckdb", catalog.build("small", 42))


@pytest.fixture
def landed(landing: Path) -> Iterator[str]:
    """A database of this test's own holding the fixed landing."""
    with scratch_database() as pg_url:
        copy_landing(landing, pg_url)
        yield pg_url


def gate_error(done: subprocess.CompletedProcess[str]) -> str:
    found = re.search(r"Error in model preflight_settings \(.*\)\n\s*(.+)", done.stdout)
    assert found, done.stdout[-3000:]
    return found[1]


def outbox_tables(pg_url: str) -> list[str]:
    with psycopg.connect(pg_url) as connection:
        return [
            t
            for (t,) in connection.execute(
                "select table_name from information_schema.tables where table_schema = 'outbox'"
            ).fetchall()
        ]


@pytest.mark.parametrize(
    ("env", "expected"),
    [
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
            {"SYNC_FILE_NAME_PATTERN": "^(?P<sku>[A-Z-+)_"},
            "setting file_name_pattern of dbt-duckdb: does not compile (",
        ),
        (
            {
                "SYNC_FILE_NAME_PATTERN": r"^(?P<code>[A-Z]+-\d+)_(?P<seq>\d+)\.jpg$",
                "SYNC_MATCH_RULES": "sku,keyword",
            },
            "setting match_rules of dbt-duckdb: unknown rule(s) sku; allowed: custom_field, "
            "trans_ref, keyword, file_name, gallery | setting file_name_pattern of dbt-duckdb: has "
            "no named group `sku`",
        ),
    ],
)
def test_a_bad_setting_stops_before_any_outbox_is_built(
    tmp_path: Path, landed: str, env: dict[str, str], expected: str
) -> None:
    done = dbt("postgres", {**pg_dbt_env(landed), **env}, tmp_path, "build")
    assert done.returncode != 0
    assert expected in gate_error(done)
    assert outbox_tables(landed) == []
    assert "Database Error" not in done.stdout


def test_the_gate_passes_the_default_settings(tmp_path: Path, landed: str) -> None:
    done = dbt("postgres", pg_dbt_env(landed), tmp_path, "build", "--select", "+preflight_settings")
    assert done.returncode == 0, done.stdout[-3000:]
    with psycopg.connect(landed) as connection:
        assert connection.execute("select status from marts.preflight_settings").fetchall() == [
            ("ok",)
        ]
