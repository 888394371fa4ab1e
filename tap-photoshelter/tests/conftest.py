"""Run tap-photoshelter as a real subprocess against the PhotoShelter emulator."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from ps_tap_helpers import HONOURED

from emulators.runtime import DEMO_CREDENTIALS, AdminClient, RunningEmulators

TAP = str(Path(sys.executable).with_name("tap-photoshelter"))


@dataclass
class TapRun:
    returncode: int
    stdout: str
    stderr: str
    records: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    states: list[dict[str, Any]] = field(default_factory=list)

    @property
    def state(self) -> dict[str, Any]:
        return self.states[-1] if self.states else {}

    def ids(self, stream: str) -> list[str]:
        return [r["id"] for r in self.records.get(stream, [])]


@pytest.fixture
def ps_config(emulators: RunningEmulators) -> dict[str, Any]:
    return {
        **DEMO_CREDENTIALS["photoshelter"],
        "api_url": emulators.photoshelter_api_url,
        "per_page": 100,
        "backoff_seconds": 0.05,
    }


@pytest.fixture
def honoured_admin(photoshelter_admin: AdminClient) -> AdminClient:
    """The emulator's admin API after a reset, with `HONOURED` set (the incremental plan)."""
    photoshelter_admin.settings(**HONOURED)
    return photoshelter_admin


@pytest.fixture
def run_tap(tmp_path: Path) -> Callable[..., TapRun]:
    def run(
        config: dict[str, Any],
        state: dict[str, Any] | None = None,
        args: tuple[str, ...] = (),
        env: dict[str, str] | None = None,
    ) -> TapRun:
        config_file = tmp_path / "tap-config.json"
        config_file.write_text(json.dumps(config))
        command = [TAP, "--config", str(config_file), *args]
        if state is not None:
            state_file = tmp_path / "tap-state.json"
            state_file.write_text(json.dumps(state))
            command += ["--state", str(state_file)]
        done = subprocess.run(
            command,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
            env={**os.environ, **(env or {})},
        )
        result = TapRun(done.returncode, done.stdout, done.stderr)
        for line in done.stdout.splitlines():
            if not line.startswith("{"):
                continue
            message = json.loads(line)
            if message.get("type") == "RECORD":
                result.records.setdefault(message["stream"], []).append(message["record"])
            elif message.get("type") == "STATE":
                result.states.append(message["value"])
        return result

    return run
