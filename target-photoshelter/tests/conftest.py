"""Run target-photoshelter as a real subprocess against the PhotoShelter emulator."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from ps_target_helpers import TARGET, TargetRun

from emulators.runtime import DEMO_CREDENTIALS, RunningEmulators


@pytest.fixture
def ps_target_config(emulators: RunningEmulators, tmp_path: Path) -> dict[str, Any]:
    return {
        **DEMO_CREDENTIALS["photoshelter"],
        "api_url": emulators.photoshelter_api_url,
        "backoff_seconds": 0.05,
        "outcomes_path": str(tmp_path / "outcomes.jsonl"),
    }


@pytest.fixture
def run_target(tmp_path: Path) -> Callable[..., TargetRun]:
    def run(config: dict[str, Any], lines: list[dict[str, Any]]) -> TargetRun:
        config_file = tmp_path / "target-config.json"
        config_file.write_text(json.dumps(config))
        outcomes = Path(config.get("outcomes_path") or "/nonexistent")
        earlier = len(outcomes.read_text().splitlines()) if outcomes.exists() else 0
        done = subprocess.run(
            [TARGET, "--config", str(config_file)],
            input="".join(json.dumps(m) + "\n" for m in lines),
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        result = TargetRun(done.returncode, done.stdout, done.stderr)
        if outcomes.exists():
            result.outcomes = [
                json.loads(line) for line in outcomes.read_text().splitlines()[earlier:]
            ]
        return result

    return run
