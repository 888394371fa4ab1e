"""The production path through `meltano --environment=postgres`, against the emulators.

Meltano's system database (state, run history) and the warehouse are one Postgres database
of each test's own; the services' URLs point at emulators started here.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psycopg
import pytest
from pg_meltano import postgres_env, project
from sync_project import (
    MELTANO,
    ROOT,
    Project,
    base_env,
    emulator_env,
    meltano_installed,
    write_requests,
)

from emulators.runtime import RunningEmulators, start

sys.path.insert(0, str(ROOT / "tests" / "reliability"))
from chaos_state import differences, normalise

pytestmark = pytest.mark.e2e
PLYTIX_STATE = "postgres:tap-plytix-to-target-postgres"
OUTBOX_TABLES = (
    "plytix_products",
    "plytix_product_media",
    "photoshelter_media_metadata",
    "photoshelter_galleries",
)


def rows(pg_url: str, sql: str, *params: str) -> list[tuple]:
    with psycopg.connect(pg_url) as connection:
        return connection.execute(sql, list(params)).fetchall()


def start_sync(sync: Project, job: str) -> subprocess.Popen[str]:
    meltano_installed()
    sync.workdir.mkdir(parents=True, exist_ok=True)
    return subprocess.Popen(
        [str(MELTANO), "--environment=postgres", "run", job],
        cwd=sync.root,
        env=sync.env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )


def test_two_syncs_started_together_one_refuses_and_nothing_is_written_twice(
    tmp_path: Path, running: RunningEmulators, pg_url: str
) -> None:
    sync = project(tmp_path, running, pg_url)
    # a deployed system database: Meltano creates its tables on the first run (two first runs
    # at once would race in that migration, not in the sync)
    sync.meltano("--environment=postgres", "state", "list")
    both = [start_sync(sync, "extract-postgres") for _ in range(2)]
    outputs = [process.communicate(timeout=600)[0] for process in both]
    codes = sorted(process.returncode for process in both)
    assert codes[0] == 0, "\n".join(o[-3000:] for o in outputs)
    assert codes[1] != 0
    refused = next(o for p, o in zip(both, outputs, strict=True) if p.returncode != 0)
    assert "another sync is running in environment postgres" in refused, refused[-3000:]
    # stopped at the lock, its first block: no tap ever started
    assert refused.count("Block run completed") == 1
    assert "tap-plytix" not in refused and "tap-photoshelter" not in refused
    products = running_state_count(running, "products")
    assert rows(pg_url, "select count(*), count(distinct id) from tap_plytix.products") == [
        (products, products)
    ]


def product_search_bodies(log: dict) -> list[str]:
    """The bodies of the product searches (v1 or v2, whichever the tap uses), as JSON text."""
    return [
        json.dumps(r["body"])
        for r in log["recent"]
        if r["method"] == "POST" and r["path"].endswith("/products/search")
    ]


def running_state_count(running: RunningEmulators, collection: str) -> int:
    from emulators.runtime import AdminClient

    return len(AdminClient(running.plytix_url).state()[collection])


def test_a_killed_sync_resumes_from_its_bookmarks_in_a_fresh_project_folder(
    tmp_path: Path, running: RunningEmulators, pg_url: str
) -> None:
    from emulators.runtime import AdminClient

    plytix = AdminClient(running.plytix_url)
    plytix.clear_requests()
    first = project(tmp_path / "first", running, pg_url)
    process = start_sync(first, "extract-postgres")
    deadline = time.monotonic() + 300
    while not rows(pg_url, "select 1 from pg_tables where tablename = 'state'") or not rows(
        pg_url, "select 1 from state where state_id = %s", PLYTIX_STATE
    ):
        assert process.poll() is None, process.communicate()[0][-3000:]
        assert time.monotonic() < deadline, "no Plytix bookmark within 300 s"
        time.sleep(0.2)
    os.killpg(process.pid, signal.SIGKILL)  # mid-run: the PhotoShelter block has started
    process.wait(timeout=30)
    first_searches = product_search_bodies(plytix.requests())
    assert first_searches
    ((state,),) = rows(
        pg_url, "select completed_state from state where state_id = %s", PLYTIX_STATE
    )
    state = state if isinstance(state, dict) else json.loads(state)
    bookmark = state["singer_state"]["bookmarks"]["products"]["replication_key_value"]
    assert not any(bookmark[:10] in body for body in first_searches)

    # a container restart: a new copy of the project and a new Meltano folder, same databases
    fresh_root = tmp_path / "fresh"
    shutil.copytree(
        ROOT,
        fresh_root,
        ignore=shutil.ignore_patterns(
            ".git",
            ".venv",
            ".tools",
            ".meltano",
            "output",
            "target",
            "logs",
            "__pycache__",
            ".pytest_cache",
            ".ruff_cache",
            "*.egg-info",
        ),
    )
    fresh_sys = Path(tempfile.mkdtemp(prefix="pim-dam-sync-fresh-", dir=tmp_path))
    env = {**base_env(), "MELTANO_SYS_DIR_ROOT": str(fresh_sys)}
    installed = subprocess.run(
        [str(MELTANO), "install"],
        cwd=fresh_root,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert installed.returncode == 0, installed.stderr[-3000:]
    plytix.clear_requests()
    again = subprocess.run(
        [str(MELTANO), "--environment=postgres", "run", "--force", "extract-postgres"],
        cwd=fresh_root,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
        env={
            **env,
            **emulator_env(running),
            **postgres_env(pg_url),
            "TAP_PLYTIX_REQUESTS_PER_10S": "0",
            "TAP_PLYTIX_REQUESTS_PER_HOUR": "0",
        },
    )
    assert again.returncode == 0, (again.stdout + again.stderr)[-4000:]
    # the bookmark from before the kill, read from Postgres: products modified since only
    resumed = product_search_bodies(plytix.requests())
    assert resumed and all(bookmark[:10] in body for body in resumed), (bookmark, resumed)
    products = running_state_count(running, "products")
    assert rows(pg_url, "select count(*), count(distinct id) from tap_plytix.products") == [
        (products, products)
    ]
    assert rows(pg_url, "select count(*) from tap_photoshelter.media")[0][0] > 0
    assert rows(pg_url, "select count(*) from state where starts_with(state_id, 'postgres:')") == [
        (2,)
    ]


# --- the whole sync on Postgres ends where the DuckDB sync ends -------------------------------
def both_states(running: RunningEmulators) -> dict:
    from emulators.runtime import AdminClient

    return {
        "plytix": AdminClient(running.plytix_url).state(),
        "photoshelter": AdminClient(running.photoshelter_url).state(),
    }


def writes(running: RunningEmulators) -> dict[str, dict[str, int]]:
    """The write calls each emulator received since its log was last cleared."""
    from emulators.runtime import AdminClient

    found = {}
    for side, url in (("plytix", running.plytix_url), ("photoshelter", running.photoshelter_url)):
        admin = AdminClient(url)
        found[side] = write_requests(admin.requests())
        admin.clear_requests()
    return found


def end_state(running: RunningEmulators, seed: dict) -> dict:
    """Both emulators' state with what differs between two runs of one seed normalised."""
    return normalise(
        seed,
        both_states(running),
        {"plytix": running.plytix_url, "photoshelter": running.photoshelter_url},
    )


@pytest.mark.timeout(2400)
def test_the_whole_sync_on_postgres_ends_as_on_duckdb_and_then_writes_nothing(
    tmp_path: Path, pg_url: str
) -> None:
    on_duckdb = start("small", seed=42, rate_limits=False)
    try:
        seed = both_states(on_duckdb)
        Project(tmp_path / "duckdb", on_duckdb).run("sync")
        duckdb_end = end_state(on_duckdb, seed)
    finally:
        on_duckdb.stop()

    on_postgres = start("small", seed=42, rate_limits=False)
    try:
        sync = project(tmp_path / "postgres", on_postgres, pg_url)
        writes(on_postgres)
        # the dry run: lands both sides and plans the outbox, sends nothing
        sync.meltano("--environment=postgres", "run", "extract-postgres", "plan-postgres")
        assert writes(on_postgres) == {"plytix": {}, "photoshelter": {}}
        planned = {
            table: rows(pg_url, f"select count(*) from outbox.{table}")[0][0]  # noqa: S608
            for table in OUTBOX_TABLES
        }
        assert all(planned.values()), planned

        sync.meltano("--environment=postgres", "run", "sync-postgres")
        first = writes(on_postgres)
        assert first["plytix"] and first["photoshelter"], first
        assert not differences(duckdb_end, end_state(on_postgres, seed))

        sync.meltano("--environment=postgres", "run", "sync-postgres")
        assert writes(on_postgres) == {"plytix": {}, "photoshelter": {}}
    finally:
        on_postgres.stop()
