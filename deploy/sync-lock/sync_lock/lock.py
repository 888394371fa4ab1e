"""One sync at a time: a lock held for as long as the `meltano run` that took it lives.

`sync-lock acquire` is the first task of every sync job. It starts a small holder process
that takes the lock (a Postgres advisory lock on the warehouse, or an exclusive file lock
beside the DuckDB file) and keeps it until the `meltano` process that runs the job exits,
however it exits: normally, on an error, or killed. Postgres drops an advisory lock with its
session and the kernel drops a file lock with its last descriptor, so a crashed sync never
leaves a stale lock behind. A second sync then waits up to `wait_seconds`, or stops before
its first write with a message naming the running one.
"""

from __future__ import annotations

import fcntl
import json
import os
import socket
import subprocess
import sys
import time
import zlib
from dataclasses import dataclass
from pathlib import Path

import psycopg

from sync_lock.postgres import completed_url, ensure_database, redacted

POSTGRES_SCHEMES = ("postgresql://", "postgres://")
POLL_SECONDS = 0.2
APPLICATION = "pim-dam-sync lock"


class LockError(Exception):
    """The lock cannot be taken as configured (one line, names the setting)."""


@dataclass(frozen=True)
class Owner:
    """Who holds the lock: the `meltano` process of one run, on one host."""

    host: str
    pid: int
    since: str

    @property
    def tag(self) -> str:
        return f"{self.host}:{self.pid}"

    def describe(self) -> str:
        return f"meltano pid {self.pid} on {self.host}, running since {self.since}"


def lock_key(environment: str) -> int:
    """Advisory lock key of one Meltano environment (one sync at a time per environment)."""
    return zlib.crc32(f"pim-dam-sync sync {environment}".encode())


class PostgresLock:
    """pg_try_advisory_lock on the warehouse database, in the holder's own session."""

    def __init__(self, address: str, environment: str) -> None:
        self.address = completed_url(address)
        self.key = lock_key(environment)
        self.connection: psycopg.Connection | None = None

    def try_take(self, owner: Owner) -> bool:
        if self.connection is None:
            ensure_database(self.address)
            self.connection = psycopg.connect(
                self.address,
                autocommit=True,
                connect_timeout=10,
                application_name=f"{APPLICATION} {owner.tag} {owner.since}",
            )
        (taken,) = self.connection.execute("select pg_try_advisory_lock(%s)", [self.key]).fetchone()
        return bool(taken)

    def holder(self) -> Owner | None:
        with psycopg.connect(self.address, autocommit=True, connect_timeout=10) as connection:
            row = connection.execute(
                "select a.application_name from pg_locks l join pg_stat_activity a "
                "on a.pid = l.pid where l.locktype = 'advisory' and l.granted and l.classid = 0 "
                "and l.objid::bigint = %s and l.database = "
                "(select oid from pg_database where datname = current_database())",
                [self.key & 0xFFFFFFFF],
            ).fetchone()
        return parse_owner(row[0][len(APPLICATION) + 1 :]) if row and row[0] else None

    def keep_alive(self) -> None:
        assert self.connection is not None
        self.connection.execute("select 1")


class FileLock:
    """flock on `<warehouse>.sync.lock`, with the owner written inside for the message."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.handle: int | None = None

    def try_take(self, owner: Owner) -> bool:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(handle)
            return False
        os.ftruncate(handle, 0)
        os.write(handle, f"{owner.tag} {owner.since}\n".encode())
        self.handle = handle
        return True

    def holder(self) -> Owner | None:
        try:
            return parse_owner(self.path.read_text().strip())
        except OSError:
            return None

    def keep_alive(self) -> None:
        """Nothing to refresh: the kernel holds the lock while the descriptor is open."""


def parse_owner(text: str) -> Owner | None:
    try:
        tag, since = text.split(" ", 1)
        host, pid = tag.rsplit(":", 1)
        return Owner(host, int(pid), since)
    except ValueError:
        return None


def lock_for(database: str, environment: str) -> PostgresLock | FileLock:
    """The lock the warehouse setting implies: advisory on Postgres, a file beside DuckDB."""
    if not database:
        raise LockError(
            "setting 'database' is empty: the warehouse's postgresql:// URL or "
            "the path of its DuckDB file"
        )
    if database.startswith(POSTGRES_SCHEMES):
        return PostgresLock(database, environment)
    return FileLock(Path(database + ".sync.lock"))


def hold(database: str, environment: str, parent: int, wait_seconds: float) -> None:
    """The holder process: take the lock, say so on stdout, keep it while `parent` lives."""
    owner = Owner(socket.gethostname(), parent, time.strftime("%Y-%m-%dT%H:%M:%S%z"))
    started = start_time(parent)
    try:
        lock = lock_for(database, environment)
        deadline = time.monotonic() + wait_seconds
        while not lock.try_take(owner):
            running = lock.holder()
            if running is not None and running.tag == owner.tag:
                report({"state": "already", "owner": running.describe()})
                return
            # a holder whose meltano just died lets go within a poll: wait for that
            if running is not None and running.host == owner.host and not alive(running.pid):
                deadline = max(deadline, time.monotonic() + 5 * POLL_SECONDS)
            if time.monotonic() >= deadline:
                report(
                    {"state": "busy", "owner": running.describe() if running else "another sync"}
                )
                return
            time.sleep(POLL_SECONDS)
    except (LockError, psycopg.Error, OSError) as error:
        first = (str(error).strip().splitlines() or [type(error).__name__])[0]
        report({"state": "error", "message": redacted(first)})
        return
    report({"state": "taken", "owner": owner.describe()})
    sys.stdout.close()
    beat = 0.0
    while alive(parent, started):
        time.sleep(POLL_SECONDS)
        beat += POLL_SECONDS
        if beat >= 30:  # keeps an idle connection from being dropped by a proxy
            lock.keep_alive()
            beat = 0.0


def report(message: dict) -> None:
    print(json.dumps(message), flush=True)


def alive(pid: int, started: str | None = None) -> bool:
    """Whether `pid` still runs: not gone, not a zombie, and not a new process on a reused id."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return False
    except OSError:  # no /proc here: fall back to a signal 0
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            return True
        return True
    fields = stat.rsplit(")", 1)[1].split()
    return fields[0] != "Z" and (started is None or fields[19] == started)


def start_time(pid: int) -> str | None:
    """The process's start time in clock ticks since boot (None without /proc)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[19]
    except OSError:
        return None


def acquire(database: str, environment: str, wait_seconds: float) -> tuple[bool, str]:
    """Start the holder for the process that started us (`meltano`); (taken, message)."""
    holder = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "sync_lock.cli",
            "hold",
            "--parent",
            str(os.getppid()),
            "--environment",
            environment,
            "--wait-seconds",
            str(wait_seconds),
        ],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        env={**os.environ, "SYNC_LOCK_DATABASE": database},
        start_new_session=True,
        text=True,
    )
    assert holder.stdout is not None
    line = holder.stdout.readline()
    holder.stdout.close()
    answer = (
        json.loads(line)
        if line.strip()
        else {"state": "error", "message": "the lock holder exited"}
    )
    where = redacted(completed_url(database) if database.startswith(POSTGRES_SCHEMES) else database)
    if answer["state"] == "taken":
        return True, f"sync lock taken for environment {environment} ({where})"
    if answer["state"] == "already":
        return True, f"sync lock already held by this run ({answer['owner']})"
    if answer["state"] == "busy":
        return False, (
            f"another sync is running in environment {environment} "
            f"({answer['owner']}): this one stops before any write; it waited "
            f"{wait_seconds:g} s (setting wait_seconds)"
        )
    return False, f"setting 'database' ({where}): cannot take the sync lock: {answer['message']}"
