"""dbt build time (models + tests) on the `large` catalogue, on DuckDB or on Postgres.

    .tools/bin/uv run --frozen python benchmarks/sync_dbt_large.py [--catalog large]
        [--target duckdb|postgres] [--timeout SECONDS]

The landing is made from the seeded catalogue in the shape the taps and target-duckdb
give (tests/transform/landing_fixture.py), so this measures the transform alone. With
`--target postgres` that landing is copied into a scratch database on the machine's server
(PG_TEST_URL, tests/postgres/pg_dbt.py: the column types target-postgres gives) and the
Meltano utility dbt-postgres builds it there; the database is dropped afterwards. Results go
to benchmarks/out/sync_dbt-<catalog>[-postgres].json.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [
    str(ROOT / "tests" / "transform"),
    str(ROOT / "tests" / "postgres"),
    str(ROOT / "tests"),
    str(ROOT),
]

from dbt_runner import dbt, rows  # noqa: E402
from landing_fixture import build  # noqa: E402

from emulators import catalog  # noqa: E402

OUTBOX = (
    "plytix_products",
    "plytix_product_media",
    "photoshelter_media_metadata",
    "photoshelter_galleries",
)


class BuildFailed(Exception):
    """A dbt build exited non-zero (the message is the end of its output)."""


def built_twice(build: Callable[[], subprocess.CompletedProcess[str]]) -> dict:
    """The seconds of a first build and of a second one on the same warehouse."""
    results = {}
    for run in ("first", "second"):
        started = time.monotonic()
        done = build()
        results[f"{run}_build_seconds"] = round(time.monotonic() - started, 1)
        if done.returncode != 0:
            raise BuildFailed(done.stdout[-4000:])
    return results


def on_duckdb(warehouse: Path, timeout: float) -> dict:
    """The landing in `warehouse` built twice in place."""
    results = built_twice(lambda: dbt(warehouse, "build", timeout=timeout))
    results["warehouse_mb"] = round(warehouse.stat().st_size / 1e6, 1)
    results["outbox_rows"] = {
        t: rows(warehouse, f"select count(*) as n from outbox.{t}")[0]["n"]  # noqa: S608
        for t in OUTBOX
    }
    return results


def on_postgres(warehouse: Path, workdir: Path, timeout: float) -> dict:
    """The landing in `warehouse` copied to a scratch Postgres database, built twice there."""
    import psycopg
    from pg_database import scratch_database
    from pg_dbt import copy_landing, pg_dbt_env
    from pg_dbt import dbt as adapter_dbt

    results: dict = {}
    with scratch_database("pim_dam_bench") as pg_url:
        started = time.monotonic()
        copy_landing(warehouse, pg_url)
        results["copy_to_postgres_seconds"] = round(time.monotonic() - started, 1)
        results |= built_twice(
            lambda: adapter_dbt("postgres", pg_dbt_env(pg_url), workdir, "build", timeout=timeout)
        )
        with psycopg.connect(pg_url) as connection:
            results["outbox_rows"] = {
                t: connection.execute(f"select count(*) from outbox.{t}").fetchone()[0]  # noqa: S608
                for t in OUTBOX
            }
            results["warehouse_mb"] = round(
                connection.execute("select pg_database_size(current_database())").fetchone()[0]
                / 1e6,
                1,
            )
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--catalog", default="large", choices=["small", "demo", "large"])
    parser.add_argument("--target", default="duckdb", choices=["duckdb", "postgres"])
    parser.add_argument(
        "--timeout", type=float, default=3600, help="seconds one dbt build may take"
    )
    args = parser.parse_args()
    if args.target == "postgres":
        from pg_database import ADMIN_URL, server_error

        if unreachable := server_error():
            print(f"sync_dbt_large: skipped, no Postgres server at {ADMIN_URL}: {unreachable}")
            return 0
    started = time.monotonic()
    seeded = catalog.build(args.catalog, 42)
    with tempfile.TemporaryDirectory(prefix="dbt-bench-") as workdir:
        warehouse = build(Path(workdir) / "warehouse.duckdb", seeded)
        landed = round(time.monotonic() - started, 1)
        try:
            if args.target == "postgres":
                measured = on_postgres(warehouse, Path(workdir), args.timeout)
            else:
                measured = on_duckdb(warehouse, args.timeout)
        except BuildFailed as failed:
            print(failed, file=sys.stderr)
            return 1
    return report(args, seeded, {"target": args.target, "landing_seconds": landed, **measured})


def report(args: argparse.Namespace, seeded: catalog.Catalog, measured: dict) -> int:
    result = {
        "catalog": args.catalog,
        "products": len(seeded.products),
        "media": len(seeded.media),
        **measured,
    }
    out = ROOT / "benchmarks" / "out"
    out.mkdir(parents=True, exist_ok=True)
    suffix = "" if args.target == "duckdb" else f"-{args.target}"
    (out / f"sync_dbt-{args.catalog}{suffix}.json").write_text(json.dumps(result, indent=2))
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
