"""One sync at a time: `sync-lock acquire`, run by a stand-in for `meltano run` as its parent.

The lock lives as long as the process that ran `acquire` (in a real run: `meltano`), so the
stand-in here is a small Python parent that runs `acquire`, says whether it got the lock, and
then sleeps like a sync in progress until it is killed.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PARENT = """
import subprocess, sys, time
done = subprocess.run([sys.executable, "-m", "sync_lock.cli", "acquire"],
                      capture_output=True, text=True)
print(done.returncode, flush=True)
print(done.stderr.strip().splitlines()[-1] if done.stderr.strip() else "", flush=True)
if done.returncode == 0 and "twice" in sys.argv:
    again = subprocess.run([sys.executable, "-m", "sync_lock.cli", "acquire"],
                           capture_output=True, text=True)
    print(again.returncode, flush=True)
    print(again.stderr.strip().splitlines()[-1], flush=True)
time.sleep(float(sys.argv[1]))
"""


class Sync:
    """A stand-in `meltano run` that took (or was refused) the lock."""

    def __init__(
        self, database: str, *, hold: float = 60, wait: float = 0, twice: bool = False
    ) -> None:
        env = {
            **os.environ,
            "PYTHONPATH": str(ROOT / "deploy" / "sync-lock"),
            "SYNC_LOCK_DATABASE": database,
            "SYNC_LOCK_WAIT_SECONDS": str(wait),
            "MELTANO_ENVIRONMENT": "postgres",
        }
        args = [sys.executable, "-c", PARENT, str(hold)] + (["twice"] if twice else [])
        self.process = subprocess.Popen(args, stdout=subprocess.PIPE, text=True, env=env)
        assert self.process.stdout is not None
        self.code = int(self.process.stdout.readline())
        self.message = self.process.stdout.readline().strip()
        if twice and self.code == 0:
            self.again_code = int(self.process.stdout.readline())
            self.again_message = self.process.stdout.readline().strip()

    def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)


@pytest.fixture
def syncs() -> Iterator[list[Sync]]:
    started: list[Sync] = []
    yield started
    for sync in started:
        if sync.process.poll() is None:
            sync.kill()


def duckdb_path(tmp_path: Path) -> str:
    return str(tmp_path / "output" / "warehouse.duckdb")


@pytest.fixture(params=["duckdb", "postgres"])
def database(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "duckdb":
        return duckdb_path(tmp_path)
    return request.getfixturevalue("pg_url")


def test_a_second_sync_stops_naming_the_running_one(database: str, syncs: list[Sync]) -> None:
    first = Sync(database)
    syncs.append(first)
    assert first.code == 0, first.message
    assert first.message.startswith("sync lock taken for environment postgres")
    second = Sync(database)
    syncs.append(second)
    assert second.code == 3
    assert second.message.startswith(
        f"another sync is running in environment postgres (meltano pid {first.process.pid} on "
    )
    assert "this one stops before any write" in second.message
    assert "setting wait_seconds" in second.message


def test_a_killed_sync_leaves_no_stale_lock(database: str, syncs: list[Sync]) -> None:
    first = Sync(database)
    syncs.append(first)
    assert first.code == 0, first.message
    first.kill()
    started = time.monotonic()
    after = Sync(database)
    syncs.append(after)
    assert after.code == 0, after.message
    assert time.monotonic() - started < 5


def test_a_sync_that_waits_runs_after_the_first_ends(database: str, syncs: list[Sync]) -> None:
    first = Sync(database, hold=2)
    syncs.append(first)
    assert first.code == 0, first.message
    started = time.monotonic()
    second = Sync(database, wait=30)
    syncs.append(second)
    assert second.code == 0, second.message
    assert first.process.wait(timeout=5) == 0  # the first had ended when the second got it
    assert 0.5 < time.monotonic() - started < 20


def test_the_same_run_takes_it_again(database: str, syncs: list[Sync]) -> None:
    """`meltano run extract plan`: each job starts with acquire, in one meltano process."""
    run = Sync(database, twice=True)
    syncs.append(run)
    assert run.code == 0, run.message
    assert run.again_code == 0, run.again_message
    assert run.again_message.startswith("sync lock already held by this run")
    other = Sync(database)
    syncs.append(other)
    assert other.code == 3


def test_the_lock_file_sits_beside_the_duckdb_warehouse(tmp_path: Path, syncs: list[Sync]) -> None:
    first = Sync(duckdb_path(tmp_path))
    syncs.append(first)
    assert first.code == 0
    lock_file = tmp_path / "output" / "warehouse.duckdb.sync.lock"
    assert lock_file.read_text().split()[0].endswith(f":{first.process.pid}")


def test_an_unreachable_postgres_names_the_setting_without_the_password(syncs: list[Sync]) -> None:
    refused = Sync("postgresql://sync:s3cret-pw@127.0.0.1:1/warehouse")
    syncs.append(refused)
    assert refused.code == 3
    assert refused.message.startswith(
        "setting 'database' (postgresql://sync:***@127.0.0.1:1/warehouse): cannot take the "
        "sync lock"
    )
    assert "s3cret-pw" not in refused.message
