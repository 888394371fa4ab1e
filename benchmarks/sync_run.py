"""Wall time and requests of `meltano run sync` against the emulators, then of a re-run.

    .tools/bin/uv run --frozen python benchmarks/sync_run.py --catalog demo --limits off
    .tools/bin/uv run --frozen python benchmarks/sync_run.py --catalog small --limits free

`--limits off` turns the emulated rate limits off (and the connectors' own pacing);
`free` keeps the emulators' defaults (Plytix free plan: 20 requests / 10 s, 2,000 / hour);
`paid` sets Plytix to 50 / 10 s and 5,000 / hour on both sides. `--plytix v1` is an account
that does not serve v2 (the emulator's `v2_enabled: false`; the connectors on `api_version:
auto` fall back). Results go to benchmarks/out/sync_run-<catalog>-<limits>[-v1].json.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT))

from sync_project import Project, meltano_installed, write_requests  # noqa: E402

from emulators.runtime import AdminClient, start  # noqa: E402

PAID = {"requests_per_10s": 50, "requests_per_hour": 5000}


def requests_of(admin: AdminClient) -> dict[str, int]:
    log = admin.requests()
    top = sorted(log["by_route"].items(), key=lambda item: -item[1])[:6]
    return {
        "total": log["total"],
        "writes": sum(write_requests(log).values()),
        "top_routes": dict(top),
    }


def timed_sync(project: Project, admins: dict[str, AdminClient]) -> dict[str, object]:
    for admin in admins.values():
        admin.clear_requests()
    started = time.monotonic()
    project.run("sync")
    seconds = round(time.monotonic() - started, 1)
    return {"seconds": seconds, **{name: requests_of(a) for name, a in admins.items()}}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--catalog", default="demo", choices=["small", "demo", "large"])
    parser.add_argument("--limits", default="off", choices=["off", "free", "paid"])
    parser.add_argument(
        "--plytix",
        default="v2",
        choices=["v2", "v1"],
        help="API generation the Plytix account serves for products",
    )
    parser.add_argument(
        "--reruns",
        type=int,
        default=1,
        help="no-change re-runs after the first sync (the first of them still "
        "reads back what the first sync wrote)",
    )
    args = parser.parse_args()
    meltano_installed()
    running = start(
        args.catalog,
        42,
        rate_limits=args.limits != "off",
        plytix_settings={
            **(PAID if args.limits == "paid" else {}),
            "v2_enabled": args.plytix == "v2",
        },
    )
    admins = {
        "plytix": AdminClient(running.plytix_url),
        "photoshelter": AdminClient(running.photoshelter_url),
    }
    pacing = (
        {}
        if args.limits == "off"
        else {
            f"{side}_PLYTIX_{name}": str(value)
            for side in ("TAP", "TARGET")
            for name, value in (
                {"REQUESTS_PER_10S": 20, "REQUESTS_PER_HOUR": 2000}
                if args.limits == "free"
                else {"REQUESTS_PER_10S": 50, "REQUESTS_PER_HOUR": 5000}
            ).items()
        }
    )
    try:
        with tempfile.TemporaryDirectory(prefix="sync-bench-") as workdir:
            project = Project(Path(workdir), running, extra_env=pacing)
            result = {
                "catalog": args.catalog,
                "limits": args.limits,
                "plytix": args.plytix,
                "first_sync": timed_sync(project, admins),
            }
            for n in range(1, args.reruns + 1):
                result[f"no_change_rerun_{n}"] = timed_sync(project, admins)
    finally:
        running.stop()
    out = ROOT / "benchmarks" / "out"
    out.mkdir(parents=True, exist_ok=True)
    suffix = "" if args.plytix == "v2" else "-v1"
    path = out / f"sync_run-{args.catalog}-{args.limits}{suffix}.json"
    path.write_text(json.dumps(result, indent=2))
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except subprocess.SubprocessError as error:
        print(f"benchmark failed: {error}", file=sys.stderr)
        sys.exit(1)
