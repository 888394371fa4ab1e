"""dbt build time (models + tests) on the `large` catalogue, landed straight into DuckDB.

    .tools/bin/uv run --frozen python benchmarks/sync_dbt_large.py [--catalog large]

The landing is made from the seeded catalogue in the shape the taps and target-duckdb
give (tests/transform/landing_fixture.py), so this measures the transform alone. Results
go to benchmarks/out/sync_dbt-<catalog>.json.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "tests" / "transform"), str(ROOT / "tests"), str(ROOT)]

from dbt_runner import dbt, rows  # noqa: E402
from landing_fixture import build  # noqa: E402

from emulators import catalog  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--catalog", default="large", choices=["small", "demo", "large"])
    args = parser.parse_args()
    started = time.monotonic()
    seeded = catalog.build(args.catalog, 42)
    with tempfile.TemporaryDirectory(prefix="dbt-bench-") as workdir:
        warehouse = build(Path(workdir) / "warehouse.duckdb", seeded)
        landed = round(time.monotonic() - started, 1)
        results = {}
        for run in ("first", "second"):
            started = time.monotonic()
            done = dbt(warehouse, "build")
            results[f"{run}_build_seconds"] = round(time.monotonic() - started, 1)
            if done.returncode != 0:
                print(done.stdout[-4000:], file=sys.stderr)
                return 1
        outbox = {t: rows(warehouse, f"select count(*) as n from outbox.{t}")[0]["n"]  # noqa: S608
                  for t in ("plytix_products", "plytix_product_media",
                            "photoshelter_media_metadata", "photoshelter_galleries")}
        size_mb = round(warehouse.stat().st_size / 1e6, 1)
    result = {"catalog": args.catalog, "products": len(seeded.products),
              "media": len(seeded.media), "landing_seconds": landed, **results,
              "warehouse_mb": size_mb, "outbox_rows": outbox}
    out = ROOT / "benchmarks" / "out"
    out.mkdir(parents=True, exist_ok=True)
    (out / f"sync_dbt-{args.catalog}.json").write_text(json.dumps(result, indent=2))
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
