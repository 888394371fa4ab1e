"""The Meltano project under test: install once, run `meltano` against given emulators.

Every run gets its own warehouse file, state, outcomes and report under a work folder, so
tests never see each other's data. The plugin virtualenvs and Meltano's run files live in a
folder of this test session (not the repository's `.meltano/`), so a `meltano` started by
hand or by another test session at the same time cannot swap a plugin or a cached catalog
under a running test.
"""

from __future__ import annotations

import atexit
import functools
import os
import shutil
import subprocess
import sys
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from emulators.runtime import RunningEmulators

ROOT = Path(__file__).resolve().parents[1]
MELTANO = Path(sys.executable).parent / "meltano"
CHECK_CLI = Path(sys.executable).parent / "pim-dam-check"
NO_PACING = {
    "TAP_PLYTIX_REQUESTS_PER_10S": "0",
    "TAP_PLYTIX_REQUESTS_PER_HOUR": "0",
    "TARGET_PLYTIX_REQUESTS_PER_10S": "0",
    "TARGET_PLYTIX_REQUESTS_PER_HOUR": "0",
}
SYS_DIR = Path(tempfile.mkdtemp(prefix="pim-dam-sync-meltano-"))
atexit.register(shutil.rmtree, SYS_DIR, ignore_errors=True)
AUTH_ROUTES = (
    "/auth/api/get-token",
    "/authenticate",
    "/organization/authenticate",
    "/authenticate/logout",
)


def base_env() -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("TAP_", "TARGET_", "DBT_", "SYNC_", "MELTANO_"))
    }
    env["MELTANO_SEND_ANONYMOUS_USAGE_STATS"] = "false"
    env["MELTANO_SYS_DIR_ROOT"] = str(SYS_DIR)
    env["PATH"] = f"{MELTANO.parent}{os.pathsep}{env.get('PATH', '')}"
    return env


_INSTALL_LOCK = threading.Lock()


def meltano_installed() -> Path:
    """`meltano install` once per test session, into the session's own folder.

    Thread-safe: two chaos workers asking at once must not install into one folder together
    (that leaves half-written plugin virtualenvs).
    """
    with _INSTALL_LOCK:
        return _install_once()


@functools.cache
def _install_once() -> Path:
    done = subprocess.run(
        [str(MELTANO), "install"],
        cwd=ROOT,
        env=base_env(),
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"meltano install failed:\n{done.stdout[-3000:]}{done.stderr[-3000:]}")
    return SYS_DIR


def run_dbt(
    adapter: str,
    args: tuple[str, ...],
    *,
    env: dict[str, str],
    target_path: Path,
    log_path: Path,
    timeout: float,
) -> subprocess.CompletedProcess[str]:
    """`dbt <args>` of the Meltano utility dbt-<adapter> on the project in transform/."""
    executable = meltano_installed() / "utilities" / f"dbt-{adapter}" / "venv" / "bin" / "dbt"
    project = ROOT / "transform"
    return subprocess.run(
        [
            str(executable),
            *args,
            "--project-dir",
            str(project),
            "--profiles-dir",
            str(project),
            "--target-path",
            str(target_path),
            "--log-path",
            str(log_path),
        ],
        env={**base_env(), **env},
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def warehouse_env(workdir: Path) -> dict[str, str]:
    """The settings that place every file of a run inside `workdir`."""
    warehouse = str(workdir / "warehouse.duckdb")
    outcomes = workdir / "outcomes"
    return {
        "TARGET_DUCKDB_FILEPATH": warehouse,
        "TAP_WAREHOUSE_DATABASE": warehouse,
        "SYNC_LOCK_DATABASE": warehouse,  # one sync at a time per warehouse (lock beside it)
        "DBT_DUCKDB_WAREHOUSE_PATH": warehouse,
        "SYNC_REPORT_WAREHOUSE_PATH": warehouse,
        "TARGET_PLYTIX_OUTCOMES_PATH": str(outcomes / "target-plytix.jsonl"),
        "TARGET_PHOTOSHELTER_OUTCOMES_PATH": str(outcomes / "target-photoshelter.jsonl"),
        "SYNC_REPORT_OUTCOMES_DIR": str(outcomes),
        "SYNC_REPORT_REPORT_PATH": str(workdir / "report.html"),
        # state and run records in a system database of the run's own
        "MELTANO_DATABASE_URI": f"sqlite:///{workdir / 'meltano.db'}",
    }


def emulator_env(running: RunningEmulators) -> dict[str, str]:
    return {
        "TAP_PLYTIX_AUTH_URL": running.plytix_url,
        "TAP_PLYTIX_API_URL": running.plytix_api_url,
        "TARGET_PLYTIX_AUTH_URL": running.plytix_url,
        "TARGET_PLYTIX_API_URL": running.plytix_api_url,
        "TAP_PHOTOSHELTER_API_URL": running.photoshelter_api_url,
        "TARGET_PHOTOSHELTER_API_URL": running.photoshelter_api_url,
    }


def run_check_cli(
    args: tuple[str, ...], *, cwd: Path, env: dict[str, str]
) -> subprocess.CompletedProcess[str]:
    """`pim-dam-check <args>` as `make check` / `make setup` run it: it may fail, but never
    with a traceback or with the demo password in what it prints."""
    done = subprocess.run(
        [str(CHECK_CLI), *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert "demo-password" not in done.stdout + done.stderr
    assert "Traceback" not in done.stderr, done.stderr[-3000:]
    return done


@dataclass
class Project:
    """`meltano` in the repository, with one work folder and one pair of emulators.

    `root` runs it in another copy of the project; `own_files=False` keeps the project's own
    file settings (`output/<environment>/...` under `root`) instead of the work folder's.
    """

    workdir: Path
    running: RunningEmulators | None = None
    extra_env: dict[str, str] | None = None
    root: Path = ROOT
    own_files: bool = True

    def env(self) -> dict[str, str]:
        env = {**base_env(), **NO_PACING}
        if self.own_files:
            env.update(warehouse_env(self.workdir))
        else:  # the state and run records still in a system database of the run's own
            env["MELTANO_DATABASE_URI"] = f"sqlite:///{self.workdir / 'meltano.db'}"
        if self.running is not None:
            env.update(emulator_env(self.running))
        env.update(self.extra_env or {})
        return env

    def meltano(
        self, *args: str, check: bool = True, timeout: float = 600
    ) -> subprocess.CompletedProcess[str]:
        meltano_installed()
        self.workdir.mkdir(parents=True, exist_ok=True)
        done = subprocess.run(
            [str(MELTANO), *args],
            cwd=self.root,
            env=self.env(),
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        (self.workdir / "meltano.log").open("a").write(done.stdout + done.stderr)
        if check and done.returncode != 0:
            raise AssertionError(
                f"meltano {' '.join(args)} exited {done.returncode}:\n"
                f"{(done.stdout + done.stderr)[-6000:]}"
            )
        return done

    def run(self, *jobs: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        return self.meltano("run", *jobs, check=check)

    def pim_dam_check(self, *args: str) -> subprocess.CompletedProcess[str]:
        """`pim-dam-check <args>` in this copy of the project, with this run's settings."""
        meltano_installed()
        self.workdir.mkdir(parents=True, exist_ok=True)
        return run_check_cli(args, cwd=self.root, env=self.env())

    @property
    def warehouse(self) -> Path:
        return self.workdir / "warehouse.duckdb"


def write_requests(log: dict[str, Any]) -> dict[str, int]:
    """Calls that change remote state, by route: not GET, not a search, not a login."""
    return {
        route: n
        for route, n in log["by_route"].items()
        if not route.startswith(("GET ", "HEAD "))
        and not route.endswith("/search")
        and route.split(" ", 1)[1] not in AUTH_ROUTES
        and "/psapi/v4.0/authenticate" not in route
        and "/organization/authenticate" not in route
    }
