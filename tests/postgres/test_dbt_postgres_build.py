"""`dbt build` on Postgres gives the rows `dbt build` gives on DuckDB, from the same landing.

The fixed test landing (tests/transform/landing_fixture.py, the seeded `small` catalogue) is
written to a DuckDB file, made to look as after an earlier sync (`as_after_a_sync`: so that
the plan guards measure something), and copied into a Postgres database of the test's own;
dbt-duckdb and dbt-postgres then build every model and run every dbt test (`dbt build`), and
each model's rows must be the same on both: marts, outbox, and the layers under them. No
column is left out: the landing is fixed, so nothing differs by run.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb
import psycopg
import pytest
from pg_database import scratch_database
from pg_dbt import copy_landing, dbt, pg_dbt_env

from emulators import catalog

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "transform"))
from landing_fixture import build  # tests/transform's landing, shared

pytestmark = pytest.mark.e2e
LAYERS = ("staging", "intermediate", "marts", "outbox")
OUTBOX = (
    "plytix_products",
    "plytix_product_media",
    "photoshelter_media_metadata",
    "photoshelter_galleries",
)
MARTS = (
    "product_imagery",
    "product_packages",
    "plan_guards",
    "media_product_matches",
    "report_ambiguous_media",
    "report_missing_tags",
    "report_unmatched_media",
    "report_unknown_skus",
    "report_products_without_imagery",
)


def comparable(value: Any) -> Any:
    """One value as both engines' rows can be compared: lists keep their order, objects
    (DuckDB structs, Postgres jsonb) compare by key, numbers to 6 places."""
    if isinstance(value, list | tuple):
        return tuple(comparable(v) for v in value)
    if isinstance(value, dict):
        return tuple(sorted((k, comparable(v)) for k, v in value.items()))
    if isinstance(value, float | Decimal):
        return round(float(value), 6)
    return value


@dataclass
class Built:
    duckdb_file: Path
    pg_url: str
    duckdb_run: subprocess.CompletedProcess[str]
    postgres_run: subprocess.CompletedProcess[str]

    def tables(self, schema: str) -> list[str]:
        with duckdb.connect(str(self.duckdb_file), read_only=True) as connection:
            return [
                t
                for (t,) in connection.execute(
                    "select table_name from information_schema.tables where table_schema = ? "
                    "order by 1",
                    [schema],
                ).fetchall()
            ]

    def rows(self, schema: str, table: str) -> tuple[list[tuple], list[tuple]]:
        """The table's rows on DuckDB and on Postgres, comparable and in one order."""
        with (
            duckdb.connect(str(self.duckdb_file), read_only=True) as d,
            psycopg.connect(self.pg_url) as p,
        ):
            columns = d.execute(
                "select column_name, data_type from information_schema.columns "
                "where table_schema = ? and table_name = ? order by ordinal_position",
                [schema, table],
            ).fetchall()
            select = ", ".join(f'"{name}"' for name, _ in columns)
            sql = f'select {select} from "{schema}"."{table}"'  # noqa: S608 - catalog names
            on_duckdb = [
                tuple(
                    json.loads(v) if kind == "JSON" and isinstance(v, str) else v
                    for v, (_, kind) in zip(row, columns, strict=True)
                )
                for row in d.execute(sql).fetchall()
            ]
            on_postgres = p.execute(sql).fetchall()
        return (
            sorted((comparable(r) for r in on_duckdb), key=repr),
            sorted((comparable(r) for r in on_postgres), key=repr),
        )


def as_after_a_sync(warehouse: Path) -> None:
    """Two of the landed Plytix assets named as the sync names its uploads (so the slots
    holding them hold synced images, which the plan replaces) and an imagery status on six
    products (some of which the plan changes); the other assets stay foreign."""
    with duckdb.connect(str(warehouse)) as connection:
        media = [
            m
            for (m,) in connection.execute(
                "select id from tap_photoshelter.media order by id limit 2"
            ).fetchall()
        ]
        assets = [
            a
            for (a,) in connection.execute(
                "select id from tap_plytix.assets order by id limit 2"
            ).fetchall()
        ]
        for n, (media_id, asset_id) in enumerate(zip(media, assets, strict=True)):
            connection.execute(
                "update tap_plytix.assets set filename = ? where id = ?",
                [f"{media_id}__0000000{n}__shot.jpg", asset_id],
            )
        connection.execute(
            "update tap_plytix.products set attributes__imagery_status = 'Complete' "
            "where id in (select id from tap_plytix.products order by id limit 6)"
        )


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Built]:
    work = tmp_path_factory.mktemp("dbt-both")
    landing = build(work / "warehouse.duckdb", catalog.build("small", 42))
    as_after_a_sync(landing)
    with scratch_database() as pg_url:
        copy_landing(landing, pg_url)
        on_duckdb = dbt(
            "duckdb", {"DBT_DUCKDB_WAREHOUSE_PATH": str(landing)}, work / "duckdb", "build"
        )
        on_postgres = dbt("postgres", pg_dbt_env(pg_url), work / "postgres", "build")
        yield Built(landing, pg_url, on_duckdb, on_postgres)


def test_dbt_build_passes_every_model_and_test_on_both_engines(built: Built) -> None:
    for run in (built.duckdb_run, built.postgres_run):
        assert run.returncode == 0, run.stdout[-5000:]
    # the same nodes ran on both (models, data tests, unit tests), none skipped
    summaries = [
        next(line for line in run.stdout.splitlines() if "Done. PASS=" in line).split("Done. ", 1)[
            1
        ]
        for run in (built.duckdb_run, built.postgres_run)
    ]
    assert summaries[0] == summaries[1], summaries
    assert " ERROR=0 SKIP=0 " in summaries[0], summaries[0]


@pytest.mark.parametrize("schema", LAYERS)
def test_every_model_holds_the_same_rows_on_duckdb_and_postgres(built: Built, schema: str) -> None:
    tables = built.tables(schema)
    if schema == "outbox":
        assert sorted(tables) == sorted(OUTBOX)
    if schema == "marts":
        assert set(MARTS) <= set(tables), tables
    for table in tables:
        on_duckdb, on_postgres = built.rows(schema, table)
        assert on_postgres == on_duckdb, f"{schema}.{table}"


def test_the_compared_rows_are_not_trivial(built: Built) -> None:
    """A comparison of empty tables or zero measures would prove nothing."""
    for schema, table in [("outbox", t) for t in OUTBOX] + [("marts", t) for t in MARTS]:
        on_duckdb, _ = built.rows(schema, table)
        assert on_duckdb, f"{schema}.{table}: no rows"
    with duckdb.connect(str(built.duckdb_file), read_only=True) as connection:
        guards = dict(connection.execute("select guard, changed from marts.plan_guards").fetchall())
    assert all(changed > 0 for changed in guards.values()), guards
