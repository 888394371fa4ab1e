"""`sync-lock require-full-sync`: the frequent job runs only on a warehouse a full sync filled.

The 5-minute job (`sync-frequent`) extracts with `tap-plytix-frequent`, which leaves out the
streams that change slowly (attribute definitions, categories, families) to stay within the
Plytix plan's hourly budget; the plan reads them from the last full sync's landing. On a
warehouse that no full sync has filled yet, this check stops the job before any extraction
with one line saying what to run instead (deploy/run-schedule.sh then runs the full job).
"""

from __future__ import annotations

import sys
from pathlib import Path

import psycopg

from sync_lock.postgres import completed_url, redacted

POSTGRES_SCHEMES = ("postgresql://", "postgres://")
SCHEMA = "tap_plytix"
FULL_SYNC_TABLES = ("product_attributes", "product_categories", "product_families")
"""What the plan reads that only the full job's `tap-plytix` lands."""
EXIT_NO_FULL_SYNC = 4


def missing_tables(database: str) -> list[str]:
    """The FULL_SYNC_TABLES the warehouse does not hold (schema-qualified)."""
    if database.startswith(POSTGRES_SCHEMES):
        with psycopg.connect(completed_url(database), connect_timeout=10) as connection:
            found = {
                name
                for (name,) in connection.execute(
                    "select table_name from information_schema.tables where table_schema = %s",
                    [SCHEMA],
                ).fetchall()
            }
    elif not Path(database).exists():
        found = set()
    else:
        import duckdb  # the DuckDB path only (pip_url of the sync-lock plugin)

        with duckdb.connect(database, read_only=True) as connection:
            found = {
                name
                for (name,) in connection.execute(
                    "select table_name from information_schema.tables where table_schema = ?",
                    [SCHEMA],
                ).fetchall()
            }
    return [f"{SCHEMA}.{name}" for name in FULL_SYNC_TABLES if name not in found]


def main(database: str, environment: str) -> None:
    if not database:
        sys.exit(
            "setting 'database' is empty: the warehouse's postgresql:// URL or the path "
            "of its DuckDB file"
        )
    try:
        missing = missing_tables(database)
    except psycopg.Error as error:
        first = (str(error).strip().splitlines() or [type(error).__name__])[0]
        sys.exit(
            f"setting 'database' ({redacted(database)}): cannot read the warehouse: "
            f"{redacted(first)}"
        )
    if not missing:
        print(f"full sync found in the warehouse of environment {environment}", file=sys.stderr)
        return
    print(
        f"no full sync yet in the warehouse of environment {environment} "
        f"({redacted(database)} has no {', '.join(missing)}): the frequent job reads "
        f"Plytix's attributes, categories and families from the last full sync, so run the "
        f"full job first (`meltano run sync`, `sync-postgres` on Postgres, or the hourly "
        f"schedule); this run stops before any extraction",
        file=sys.stderr,
    )
    sys.exit(EXIT_NO_FULL_SYNC)
