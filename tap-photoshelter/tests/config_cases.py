"""Run a plugin with bad settings, many cases at once (each a real subprocess)."""

from __future__ import annotations

import json
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

BIN = Path(sys.executable).parent


@dataclass
class Failed:
    returncode: int
    stderr: str

    @property
    def last_line(self) -> str:
        lines = self.stderr.strip().splitlines()
        return lines[-1] if lines else ""


Case = tuple[dict[str, Any] | str | None, tuple[str, ...]]
"""A config (an object, raw file text, or None for no file) and extra arguments."""


def run_all(
    executable: str, cases: dict[str, Case], folder: Path, stdin: str = ""
) -> dict[str, Failed]:
    """Each named case in its own process, two at a time; results by name."""

    def run(name: str) -> Failed:
        config, extra_args = cases[name]
        args = list(extra_args)
        if config is not None:
            config_file = folder / f"{executable}-{name.replace(' ', '_')}.json"
            config_file.write_text(config if isinstance(config, str) else json.dumps(config))
            args = ["--config", str(config_file), *args]
        done = subprocess.run(
            [str(BIN / executable), *args],
            input=stdin,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        return Failed(done.returncode, done.stderr)

    with ThreadPoolExecutor(max_workers=2) as pool:
        return dict(zip(cases, pool.map(run, cases), strict=True))
