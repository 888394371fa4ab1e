"""dbt-postgres builds the dbt project's models with the rows dbt-duckdb builds.

The same seeded catalogue lands in both warehouses through Meltano (target-duckdb and
target-postgres); each adapter then runs `dbt build` (every model in adapter-neutral SQL or
`adapter.dispatch` macros of transform/macros/, every data and unit test) and every row of
every staging, intermediate, mart and outbox model must agree. Columns that hold times or
the emulators' addresses differ by run and are left out, and so are the gates' own tables.
(tests/postgres/test_dbt_postgres_build.py does the same on the fixed landing, every column.)
"""

from __future__ import annotations

import json
import os
import subprocess
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb
import psycopg
import pytest
from pg_meltano import postgres_env, project
from sync_project import ROOT, Project, meltano_installed

from emulators.runtime import RunningEmulators

pytestmark = pytest.mark.e2e
# each layer and the fewest models it holds
LAYERS = {"staging": 10, "intermediate": 10, "marts": 9, "outbox": 4}
GATES = {"landing_accounts", "preflight_settings"}  # what landed when and where: by run
RUN_DEPENDENT = {"link_url", "modified", "modified_at", "read_at", "membership_version"}


def dbt(adapter: str, env: dict[str, str], target_path: Path) -> None:
    executable = meltano_installed() / "utilities" / f"dbt-{adapter}" / "venv" / "bin" / "dbt"
    done = subprocess.run(
        [
            str(executable),
            "build",
            "--project-dir",
            str(ROOT / "transform"),
            "--profiles-dir",
            str(ROOT / "transform"),
            "--target-path",
            str(target_path),
        ],
        env={**os.environ, **env, "DBT_LOG_PATH": str(target_path / "logs")},
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-4000:]


def normalised(row: tuple) -> tuple:
    def one(value: Any) -> Any:
        if isinstance(value, list | tuple):
            return tuple(one(v) for v in value)
        if isinstance(value, dict):  # a DuckDB struct, a Postgres jsonb object
            return tuple(
                sorted(
                    (k, one(v)) for k, v in value.items() if k not in RUN_DEPENDENT and k != "url"
                )
            )
        if isinstance(value, float | Decimal):
            return round(float(value), 6)
        return value

    return tuple(one(v) for v in row)


def test_every_model_holds_the_same_rows_on_duckdb_and_postgres(
    tmp_path: Path, running: RunningEmulators, pg_url: str
) -> None:
    duck = Project(tmp_path / "duckdb", running)
    duck.run("tap-plytix", "target-duckdb", "tap-photoshelter", "target-duckdb")
    pg = project(tmp_path / "postgres", running, pg_url)
    pg.meltano(
        "--environment=postgres",
        "run",
        "tap-plytix",
        "target-postgres",
        "tap-photoshelter",
        "target-postgres",
    )
    dbt("duckdb", {"DBT_DUCKDB_WAREHOUSE_PATH": str(duck.warehouse)}, tmp_path / "t-duck")
    dbt(
        "postgres",
        {**postgres_env(pg_url), "DBT_POSTGRES_WAREHOUSE_PATH": pg_url},
        tmp_path / "t-pg",
    )

    with duckdb.connect(str(duck.warehouse), read_only=True) as d, psycopg.connect(pg_url) as p:
        for schema, fewest in LAYERS.items():
            models = [
                m
                for (m,) in d.execute(
                    "select table_name from information_schema.tables where table_schema = ? "
                    "order by 1",
                    [schema],
                ).fetchall()
                if m not in GATES
            ]
            assert len(models) >= fewest, models
            for model in models:
                columns = [
                    (c, kind)
                    for (c, kind) in d.execute(
                        "select column_name, data_type from information_schema.columns "
                        "where table_schema = ? and table_name = ? order by ordinal_position",
                        [schema, model],
                    ).fetchall()
                    if c not in RUN_DEPENDENT
                ]
                select = ", ".join(f'"{c}"' for c, _ in columns)
                sql = f"select {select} from {schema}.{model}"  # noqa: S608 - catalog names
                # DuckDB hands JSON columns over as text, Postgres jsonb as objects
                duck_rows = [
                    tuple(
                        json.loads(v) if kind == "JSON" and isinstance(v, str) else v
                        for v, (_, kind) in zip(row, columns, strict=True)
                    )
                    for row in d.execute(sql).fetchall()
                ]
                on_duckdb = sorted((normalised(r) for r in duck_rows), key=repr)
                on_postgres = sorted((normalised(r) for r in p.execute(sql).fetchall()), key=repr)
                if schema != "marts":
                    assert on_duckdb, f"{schema}.{model}: no rows on DuckDB"
                assert on_postgres == on_duckdb, f"{schema}.{model}"
