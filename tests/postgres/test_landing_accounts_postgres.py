"""The landing-accounts gate on Postgres: the same refusal as on DuckDB
(tests/transform/test_landing_accounts_gate.py), naming the database instead of the file."""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import psycopg
import pytest
from pg_database import scratch_database
from pg_dbt import copy_landing, dbt, pg_dbt_env

from emulators import catalog

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "transform"))
from landing_fixture import build  # tests/transform's landing, shared

pytestmark = pytest.mark.e2e


@pytest.fixture
def landed(tmp_path: Path) -> Iterator[str]:
    landing = build(tmp_path / "warehouse.duckdb", catalog.build("small", 42))
    with scratch_database() as pg_url:
        copy_landing(landing, pg_url)
        yield pg_url


def test_a_prod_plan_refuses_dev_rows_and_a_dev_plan_passes(tmp_path: Path, landed: str) -> None:
    refused = dbt(
        "postgres", {**pg_dbt_env(landed), "MELTANO_ENVIRONMENT": "prod"}, tmp_path, "build"
    )
    assert refused.returncode != 0
    found = re.search(r"(landing accounts: .+)", refused.stdout)
    assert found, refused.stdout[-3000:]
    database = urlsplit(landed).path.strip("/")
    assert found[1].startswith(
        f"landing accounts: the warehouse database {database} holds rows "
        "landed in environment 'dev', not 'prod'. "
    )
    with psycopg.connect(landed) as connection:
        assert connection.execute(
            "select count(*) from information_schema.tables where table_schema = 'outbox'"
        ).fetchone() == (0,)

    passed = dbt(
        "postgres",
        {**pg_dbt_env(landed), "MELTANO_ENVIRONMENT": "dev"},
        tmp_path,
        "build",
        "--select",
        "landing_accounts",
    )
    assert passed.returncode == 0, passed.stdout[-3000:]
    with psycopg.connect(landed) as connection:
        assert connection.execute(
            "select side, environment from marts.landing_accounts order by side"
        ).fetchall() == [("PhotoShelter", "dev"), ("Plytix", "dev")]
