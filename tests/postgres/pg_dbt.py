"""dbt on both engines from one landing: the fixed test landing copied into Postgres, and
`dbt` of the Meltano utilities dbt-duckdb and dbt-postgres on the project in transform/.

The DuckDB landing (tests/transform/landing_fixture.py) is the reference; each of its tables
is created in Postgres with the column types target-postgres gives (JSON held as text in
DuckDB becomes jsonb, as target-postgres lands arrays and objects), and the same rows.
"""

from __future__ import annotations

import subprocess
from pathlib import Path
from urllib.parse import urlsplit

import duckdb
import psycopg
from sync_project import run_dbt

LANDING_SCHEMAS = ("tap_plytix", "tap_photoshelter")
PG_TYPES = {
    "VARCHAR": "text",
    "BIGINT": "bigint",
    "INTEGER": "integer",
    "DOUBLE": "double precision",
    "BOOLEAN": "boolean",
    "TIMESTAMP": "timestamp",
    "DATE": "date",
}


def is_json_column(connection: duckdb.DuckDBPyConnection, table: str, column: str) -> bool:
    """A text column whose every value is a JSON array or object (and holds at least one)."""
    found, non_json = connection.execute(
        f'select count("{column}"), count(*) filter (where "{column}" is not null and '  # noqa: S608 - catalog names
        f"left(ltrim(\"{column}\"), 1) not in ('[', '{{')) from {table}"
    ).fetchone()
    return found > 0 and non_json == 0


def copy_landing(warehouse: Path, pg_url: str) -> None:
    """Every landing table of the DuckDB file `warehouse` into the database at `pg_url`."""
    with (
        duckdb.connect(str(warehouse), read_only=True) as duck,
        psycopg.connect(pg_url, autocommit=True) as pg,
    ):
        for schema in LANDING_SCHEMAS:
            pg.execute(f'create schema if not exists "{schema}"')
            tables = [
                t
                for (t,) in duck.execute(
                    "select table_name from information_schema.tables where table_schema = ? "
                    "order by 1",
                    [schema],
                ).fetchall()
            ]
            for table in tables:
                qualified = f'"{schema}"."{table}"'
                columns = duck.execute(
                    "select column_name, data_type from information_schema.columns "
                    "where table_schema = ? and table_name = ? order by ordinal_position",
                    [schema, table],
                ).fetchall()
                types = {
                    name: (
                        "jsonb"
                        if kind == "VARCHAR" and is_json_column(duck, qualified, name)
                        else PG_TYPES[kind]
                    )
                    for name, kind in columns
                }
                pg.execute(
                    f"create table {qualified} ("
                    + ", ".join(f'"{n}" {t}' for n, t in types.items())
                    + ")"
                )
                names = ", ".join(f'"{n}"' for n in types)
                rows = duck.execute(f"select {names} from {qualified}")  # noqa: S608
                with pg.cursor().copy(f"copy {qualified} ({names}) from stdin") as copy:
                    while batch := rows.fetchmany(10_000):
                        for row in batch:
                            copy.write_row(row)


def pg_dbt_env(pg_url: str) -> dict[str, str]:
    """What makes transform/profiles.yml choose the Postgres target on `pg_url`."""
    parts = urlsplit(pg_url)
    return {
        "DBT_POSTGRES_WAREHOUSE_PATH": pg_url,
        "PGHOST": parts.hostname or "",
        "PGPORT": str(parts.port or 5432),
        "PGUSER": parts.username or "",
        "PGDATABASE": parts.path.strip("/"),
    }


def dbt(
    adapter: str,
    env: dict[str, str],
    work: Path,
    *args: str,
    timeout: float = 900,
) -> subprocess.CompletedProcess[str]:
    """`dbt <args>` of the Meltano utility dbt-<adapter>, its files under `work`."""
    return run_dbt(
        adapter,
        args,
        env=env,
        target_path=work / "target",
        log_path=work / "logs",
        timeout=timeout,
    )
