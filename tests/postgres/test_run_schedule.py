"""deploy/run-schedule.sh: what cron or the systemd timer runs, once per tick."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from pathlib import Path

import duckdb
import psycopg
import pytest
from pg_database import ADMIN_URL, drop, require_server, url_of
from sync_project import MELTANO, ROOT, Project, meltano_installed, write_requests
from test_sync_lock import PARENT

from emulators.runtime import AdminClient, RunningEmulators, start

pytestmark = pytest.mark.e2e
SCRIPT = ROOT / "deploy" / "run-schedule.sh"


def run_schedule(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    meltano_installed()
    return subprocess.run(
        ["bash", str(SCRIPT), *args],
        cwd="/",
        env={**env, "MELTANO": str(MELTANO)},
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )


@pytest.mark.timeout(1800)
def test_the_frequent_schedule_syncs_and_its_next_tick_writes_nothing(
    tmp_path: Path, running: RunningEmulators
) -> None:
    """The first tick finds no full sync in the warehouse and runs the hourly one instead;
    the next is the frequent job (no categories or families read) and writes nothing."""
    project = Project(tmp_path, running)
    plytix = AdminClient(running.plytix_url)
    photoshelter = AdminClient(running.photoshelter_url)
    plytix.clear_requests()
    first = run_schedule(project.env(), "sync-frequent", "dev")
    output = first.stdout + first.stderr
    assert first.returncode == 0, output[-4000:]
    assert "no full sync yet in the warehouse of environment dev" in output
    assert "run-schedule: no full sync yet, running sync-hourly instead" in output
    assert "sync lock taken for environment dev" in output
    assert write_requests(plytix.requests()), "the first tick synced nothing"
    assert plytix.requests()["by_route"].get("POST /api/v1/categories/product/search")
    plytix.clear_requests()
    photoshelter.clear_requests()
    second = run_schedule(project.env(), "sync-frequent", "dev")
    assert second.returncode == 0, (second.stdout + second.stderr)[-4000:]
    assert "running sync-hourly instead" not in second.stdout + second.stderr
    routes = plytix.requests()["by_route"]
    assert routes.get("POST /api/v2/products/search")
    assert not [route for route in routes if "/categories/" in route or "families" in route]
    assert write_requests(plytix.requests()) == {}
    assert write_requests(photoshelter.requests()) == {}


def test_a_tick_while_another_sync_runs_exits_3_and_sends_nothing(tmp_path: Path) -> None:
    running = start("small", seed=42, rate_limits=False)  # no other test's requests
    env = Project(tmp_path, running).env()
    warehouse = env["SYNC_LOCK_DATABASE"]
    with duckdb.connect(warehouse) as connection:  # as a full sync leaves it
        connection.execute("create schema tap_plytix")
        for table in ("product_attributes", "product_categories", "product_families"):
            connection.execute(f"create table tap_plytix.{table} (id varchar)")
    holder = subprocess.Popen(  # a sync in progress: it holds the lock
        [sys.executable, "-c", PARENT, "300"],
        stdout=subprocess.PIPE,
        text=True,
        env={
            **os.environ,
            "PYTHONPATH": str(ROOT / "deploy" / "sync-lock"),
            "SYNC_LOCK_DATABASE": warehouse,
            "MELTANO_ENVIRONMENT": "dev",
        },
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "0"
        plytix = AdminClient(running.plytix_url)
        plytix.clear_requests()
        done = run_schedule(env, "sync-frequent", "dev")
        assert done.returncode == 3, (done.stdout + done.stderr)[-4000:]
        assert "another sync is running in environment dev" in done.stdout
        assert plytix.requests()["total"] == 0
    finally:
        holder.kill()
        holder.wait(timeout=10)
        running.stop()


def test_on_postgres_it_creates_the_database_and_keeps_meltano_records_there(
    tmp_path: Path,
) -> None:
    require_server()
    name = f"pim_dam_schedule_{uuid.uuid4().hex[:8]}"
    host_port = ADMIN_URL.split("@", 1)[1].rsplit("/", 1)[0]
    env = {
        **Project(tmp_path).env(),
        "PGHOST": host_port.split(":")[0],
        "PGPORT": host_port.split(":")[1],
        "PGUSER": "postgres",
        "PGDATABASE": name,
    }
    env.pop("MELTANO_DATABASE_URI")
    try:
        done = run_schedule(env, "no-such-schedule", "postgres")
        assert (
            f"warehouse database created: postgresql://postgres@{host_port}/{name}" in done.stdout
        )
        assert done.returncode != 0  # Meltano: no such schedule, after opening its database
        with psycopg.connect(url_of(name)) as connection:
            tables = {
                t
                for (t,) in connection.execute(
                    "select table_name from information_schema.tables where table_schema = 'public'"
                ).fetchall()
            }
        assert {"runs", "state"} <= tables, tables
    finally:
        drop(name)
