"""`meltano run sync` as a killable process group, with its own files and system database.

Each trial gets a work folder holding everything a run leaves behind (warehouse, Singer
state, Meltano's system directory with its job records and the plugins' config and catalog
files, dbt target and logs), so trials and other tests never share a file and a killed run
leaves its debris where the re-run finds it. Only the installed plugin virtualenvs are
shared, by symlink: Meltano writes `.meltano/run/<plugin>/tap.properties.json` in place, and
two runs in one system directory remove each other's catalog.
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import psutil
from sync_project import MELTANO, ROOT, Project, meltano_installed

from emulators.runtime import RunningEmulators

KILL_POLL_SECONDS = 0.1
PLUGIN_KINDS = ("extractors", "loaders", "utilities")
ERROR_LINE = re.compile(
    r"\b(?:tap|target)-[\w-]+: error: [^\n]*|"
    r"(?<=\] )meltano +(?:Another '[^\n]*|[^\n]* failed[^\n]*)"
)


def chaos_env(workdir: Path) -> dict[str, str]:
    """Settings of a chaos run besides those `Project` gives every run.

    The plugins' timeouts and backoffs stay at their meltano.yml values: they are `decimal`
    settings, and Meltano 4.4.1 cannot write a decimal given by an environment variable
    into a plugin's config ("Object of type Decimal is not JSON serializable").
    """
    return {
        "MELTANO_SYS_DIR_ROOT": str(private_sys_dir(workdir)),
        "MELTANO_DATABASE_URI": f"sqlite:///{workdir / 'meltano.db'}",
        "DBT_TARGET_PATH": str(workdir / "dbt-target"),
        "DBT_LOG_PATH": str(workdir / "dbt-logs"),
    }


def private_sys_dir(workdir: Path) -> Path:
    """`workdir/.meltano`, its plugin virtualenvs linked to the project's installed ones."""
    shared = meltano_installed()
    sys_dir = workdir / ".meltano"
    sys_dir.mkdir(parents=True, exist_ok=True)
    for kind in PLUGIN_KINDS:
        link = sys_dir / kind
        if not link.exists():
            link.symlink_to(shared / kind, target_is_directory=True)
    return sys_dir


def chaos_project(workdir: Path, running: RunningEmulators, target_patch_semantics: str) -> Project:
    workdir.mkdir(parents=True, exist_ok=True)
    return Project(
        workdir,
        running,
        {
            **chaos_env(workdir),
            "TARGET_PLYTIX_PATCH_SEMANTICS": target_patch_semantics,
        },
    )


@dataclass
class Attempt:
    """One `meltano run` of a trial."""

    returncode: int | None
    """None when the harness killed it."""
    seconds: float
    killed: bool = False
    timed_out: bool = False
    survivors: int = 0
    """Processes of its group still alive after the kill (must be 0)."""
    errors: list[str] = field(default_factory=list)
    """Why a failed run failed: the plugins' error lines."""

    @property
    def succeeded(self) -> bool:
        return self.returncode == 0


class GroupProcess:
    """A command in a new session, so that it and all its children form one process group."""

    def __init__(self, argv: list[str], cwd: Path, env: dict[str, str], log_path: Path) -> None:
        self.log_path = log_path
        self.started = time.monotonic()
        self.log_offset = log_path.stat().st_size if log_path.exists() else 0
        with log_path.open("a") as log:
            log.write(f"\n===== {' '.join(argv)} =====\n")
            log.flush()
            self.process = subprocess.Popen(
                argv, cwd=cwd, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )
        self.group = self.process.pid

    def elapsed(self) -> float:
        return time.monotonic() - self.started

    def running(self) -> bool:
        return self.process.poll() is None

    def wait(self, timeout: float, until: Callable[[], bool] | None = None) -> bool:
        """Wait for the exit, or for `until()` to turn true; False when time ran out."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not self.running() or (until is not None and until()):
                return True
            time.sleep(KILL_POLL_SECONDS)
        return False

    def kill(self) -> int:
        """SIGKILL the whole group; return how many of its processes survived."""
        members = self.members()
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.group, signal.SIGKILL)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(timeout=10)
        _, alive = psutil.wait_procs(members, timeout=10)
        return len([p for p in alive if p.is_running() and p.status() != psutil.STATUS_ZOMBIE])

    def members(self) -> list[psutil.Process]:
        """Live processes of the group (meltano, its plugins and their children)."""
        found = []
        for process in psutil.process_iter():
            with contextlib.suppress(psutil.Error, ProcessLookupError):
                if os.getpgid(process.pid) == self.group:
                    found.append(process)
        return found

    def attempt(self, killed: bool = False, timed_out: bool = False, survivors: int = 0) -> Attempt:
        returncode = None if killed else self.process.returncode
        return Attempt(
            returncode,
            round(self.elapsed(), 2),
            killed,
            timed_out,
            survivors,
            [] if returncode == 0 else self.errors(),
        )

    def errors(self, limit: int = 3) -> list[str]:
        """The plugins' one-line errors in this run's part of the log."""
        with self.log_path.open(errors="replace") as log:
            log.seek(self.log_offset)
            found = dict.fromkeys(m.group(0).strip()[:300] for m in ERROR_LINE.finditer(log.read()))
        return list(found)[:limit]


class SyncProcess(GroupProcess):
    """`meltano <args>` of a chaos project; its log goes to the work folder."""

    def __init__(self, project: Project, *args: str) -> None:
        meltano_installed()
        super().__init__(
            [str(MELTANO), *args], ROOT, project.env(), project.workdir / "meltano.log"
        )


def run_to_end(project: Project, timeout: float, *args: str) -> Attempt:
    """One whole run; killed (and reported as timed out) past `timeout`."""
    process = SyncProcess(project, "run", *args)
    if process.wait(timeout):
        return process.attempt()
    survivors = process.kill()
    return process.attempt(killed=True, timed_out=True, survivors=survivors)
