"""Approval in PhotoShelter to hero in Plytix, and what the 5-minute schedule costs.

    .tools/bin/uv run --frozen python benchmarks/approval_latency.py --catalog demo
        [--job sync-frequent|sync]

Both emulators keep their rate limits (Plytix free plan: 20 requests / 10 s, 2,000 / hour;
PhotoShelter 600 / minute) and the connectors pace to them. After a first full sync (and a
first run of the job, which starts its own bookmarks), it measures for the job the 5-minute
schedule runs (`sync-frequent`, or `sync` for comparison):
- a no-change run (the first that writes nothing): wall time and requests (Plytix,
  PhotoShelter), and what that costs an hour at one run every 5 minutes plus the hourly
  full sync's no-change run, against the free plan's 2,000 Plytix requests an hour;
- an image approved for a product that has no hero yet: the wall time of the run that
  carries it, and whether the product's hero in Plytix is that image afterwards.
Latency under the schedule = the wait for the next run (0 to 5 minutes, 2.5 on average) +
that run's wall time. Results go to benchmarks/out/approval_latency-<catalog>-<job>.json.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "tests" / "e2e"))
sys.path.insert(0, str(ROOT))

from remote_services import Remote  # noqa: E402
from sync_project import Project, meltano_installed, write_requests  # noqa: E402

from emulators.runtime import AdminClient, start  # noqa: E402

FREE_PACING = {
    f"{side}_PLYTIX_{name}": value
    for side in ("TAP", "TARGET")
    for name, value in (("REQUESTS_PER_10S", "20"), ("REQUESTS_PER_HOUR", "2000"))
}
INTERVAL_MINUTES = 5
FREE_PLAN_HOURLY = 2000


def counts(admin: AdminClient) -> dict[str, int]:
    log = admin.requests()
    return {"total": log["total"], "writes": sum(write_requests(log).values())}


def timed(project: Project, remote: Remote, job: str, *, check: bool = True) -> dict[str, object]:
    remote.clear_requests()
    started = time.monotonic()
    project.run(job, check=check)
    return {
        "seconds": round(time.monotonic() - started, 1),
        "plytix": counts(remote.plytix),
        "photoshelter": counts(remote.photoshelter),
    }


def product_without_hero(remote: Remote) -> dict:
    """A product the sync has given no hero yet (no thumbnail), with a SKU files can name."""
    state = remote.plytix_state()
    return next(p for p in state["products"] if not p.get("thumbnail") and p.get("sku"))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--catalog", default="demo", choices=["small", "demo", "large"])
    parser.add_argument("--job", default="sync-frequent", choices=["sync-frequent", "sync"])
    args = parser.parse_args()
    meltano_installed()
    running = start(args.catalog, 42, rate_limits=True)
    remote = Remote(running)
    try:
        with tempfile.TemporaryDirectory(prefix="approval-bench-") as workdir:
            project = Project(Path(workdir), running, extra_env=FREE_PACING)
            # the first full sync, then runs of the job until one writes nothing (rejects
            # are retried; the job's first run starts its own bookmarks)
            project.run("sync", check=False)
            if args.job != "sync":
                project.run(args.job, check=False)
            for _ in range(3):
                no_change = timed(project, remote, args.job, check=False)
                if not (
                    no_change["plytix"]["writes"]  # type: ignore[index]
                    or no_change["photoshelter"]["writes"]
                ):  # type: ignore[index]
                    break
            hourly = (
                timed(project, remote, "sync", check=False) if args.job != "sync" else no_change
            )
            product = product_without_hero(remote)
            approved = remote.upload_media(
                file_name=f"{product['sku']}_hero.jpg", custom_metadata={"Status": "Approved"}
            )
            carrying = timed(project, remote, args.job)
            hero = remote.product_media(product["sku"]).get("thumbnail", [])
    finally:
        running.stop()
    runs_an_hour = 60 // INTERVAL_MINUTES
    frequent_runs = runs_an_hour if args.job == "sync" else runs_an_hour - 1

    def an_hour(side: str) -> int:
        """The job's no-change runs of an hour, one of them replaced by the full sync's."""
        return (
            no_change[side]["total"] * frequent_runs  # type: ignore[index]
            + hourly[side]["total"] * (runs_an_hour - frequent_runs)
        )  # type: ignore[index]

    result = {
        "catalog": args.catalog,
        "job": args.job,
        "limits": "free plan (emulated and paced)",
        "no_change_run": no_change,
        "no_change_full_sync": hourly,
        "schedule_every_5_min": {
            "frequent_job_plytix_requests_an_hour": no_change["plytix"]["total"]  # type: ignore[index]
            * runs_an_hour,
            "frequent_job_share_of_free_plan_hourly_budget": round(
                no_change["plytix"]["total"]
                * runs_an_hour  # type: ignore[index]
                / FREE_PLAN_HOURLY,
                4,
            ),
            "with_the_hourly_full_sync_plytix_requests_an_hour": an_hour("plytix"),
            "photoshelter_requests_an_hour": an_hour("photoshelter"),
        },
        "approval": {
            "sku": product["sku"],
            "media_id": approved["id"],
            "hero_after_sync": hero == [approved["id"]],
            "sync": carrying,
            "latency_seconds_average": round(INTERVAL_MINUTES * 60 / 2 + carrying["seconds"], 1),
            "latency_seconds_worst": round(INTERVAL_MINUTES * 60 + carrying["seconds"], 1),
        },
    }
    out = ROOT / "benchmarks" / "out"
    out.mkdir(parents=True, exist_ok=True)
    (out / f"approval_latency-{args.catalog}-{args.job}.json").write_text(
        json.dumps(result, indent=2)
    )
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
