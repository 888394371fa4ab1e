"""deploy/run-schedule.sh: what cron or the systemd timer runs, once per tick."""

from __future__ import annotations

import subprocess
import uuid
from pathlib import Path

import psycopg
import pytest
from pg_database import ADMIN_URL, drop, require_server, url_of
from sync_project import MELTANO, ROOT, Project, meltano_installed, write_requests

from emulators.runtime import AdminClient, RunningEmulators

pytestmark = pytest.mark.e2e
SCRIPT = ROOT / "deploy" / "run-schedule.sh"


def run_schedule(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    meltano_installed()
    return subprocess.run(["bash", str(SCRIPT), *args], cwd="/", env={**env, "MELTANO":
                          str(MELTANO)}, capture_output=True, text=True, timeout=900,
                          check=False)


def test_the_frequent_schedule_syncs_and_its_next_tick_writes_nothing(
        tmp_path: Path, running: RunningEmulators) -> None:
    project = Project(tmp_path, running)
    first = run_schedule(project.env(), "sync-frequent", "dev")
    assert first.returncode == 0, (first.stdout + first.stderr)[-4000:]
    assert "sync lock taken for environment dev" in first.stderr
    plytix = AdminClient(running.plytix_url)
    photoshelter = AdminClient(running.photoshelter_url)
    assert write_requests(plytix.requests()), "the first tick synced nothing"
    plytix.clear_requests()
    photoshelter.clear_requests()
    second = run_schedule(project.env(), "sync-frequent", "dev")
    assert second.returncode == 0, (second.stdout + second.stderr)[-4000:]
    assert write_requests(plytix.requests()) == {}
    assert write_requests(photoshelter.requests()) == {}


def test_on_postgres_it_creates_the_database_and_keeps_meltano_records_there(
        tmp_path: Path) -> None:
    require_server()
    name = f"pim_dam_schedule_{uuid.uuid4().hex[:8]}"
    host_port = ADMIN_URL.split("@", 1)[1].rsplit("/", 1)[0]
    env = {**Project(tmp_path).env(), "PGHOST": host_port.split(":")[0],
           "PGPORT": host_port.split(":")[1], "PGUSER": "postgres", "PGDATABASE": name}
    env.pop("MELTANO_DATABASE_URI")
    try:
        done = run_schedule(env, "no-such-schedule", "postgres")
        assert f"warehouse database created: postgresql://postgres@{host_port}/{name}" \
            in done.stdout
        assert done.returncode != 0  # Meltano: no such schedule, after opening its database
        with psycopg.connect(url_of(name)) as connection:
            tables = {t for (t,) in connection.execute(
                "select table_name from information_schema.tables "
                "where table_schema = 'public'").fetchall()}
        assert {"runs", "state"} <= tables, tables
    finally:
        drop(name)
