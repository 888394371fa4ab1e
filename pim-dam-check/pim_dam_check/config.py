"""The settings `check` and `setup` read: the same ones the sync uses, as Meltano resolves them.

Each plugin's configuration comes from `meltano --environment=<env> config --unsafe print
<plugin> --format=json`, so meltano.yml, the environment, `.env` and the system database all
count exactly as they do for `meltano run`. The values stay in this process: nothing here
prints them.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

PLUGINS = ("tap-plytix", "target-plytix", "tap-photoshelter", "target-photoshelter", "dbt-duckdb")
NAMES_PLUGIN = "dbt-duckdb"
"""The plugin whose settings name the rules and every Plytix attribute and PhotoShelter field."""


class SettingsUnavailable(RuntimeError):
    """Meltano could not give a plugin's configuration (one line, names the plugin)."""


@dataclass
class SyncConfig:
    """Each plugin's resolved configuration, by plugin name."""

    environment: str
    plugins: dict[str, dict[str, Any]] = field(default_factory=dict)

    def of(self, plugin: str) -> dict[str, Any]:
        return self.plugins.get(plugin, {})

    @property
    def names(self) -> dict[str, Any]:
        return self.of(NAMES_PLUGIN)


def meltano_executable(project_root: Path) -> str:
    """`meltano` on the PATH (uv run, an activated .venv), else the project's .venv."""
    found = shutil.which("meltano")
    if found:
        return found
    local = project_root / ".venv" / "bin" / "meltano"
    if local.exists():
        return str(local)
    raise SettingsUnavailable(
        "meltano is not on the PATH: run through `.tools/bin/uv run` or "
        "`source .venv/bin/activate` (see the README, First steps)"
    )


def project_root() -> Path:
    """MELTANO_PROJECT_ROOT inside a Meltano utility, else the folder holding meltano.yml."""
    if os.environ.get("MELTANO_PROJECT_ROOT"):
        return Path(os.environ["MELTANO_PROJECT_ROOT"])
    here = Path.cwd()
    for folder in (here, *here.parents):
        if (folder / "meltano.yml").exists():
            return folder
    raise SettingsUnavailable("no meltano.yml here or above: run from the project folder")


def plugin_config(
    meltano: str, root: Path, environment: str, plugin: str, env: Mapping[str, str]
) -> dict[str, Any]:
    done = subprocess.run(
        [
            meltano,
            f"--environment={environment}",
            "config",
            "--unsafe",
            "print",
            plugin,
            "--format=json",
        ],
        cwd=root,
        env=dict(env),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    if done.returncode != 0:
        lines = [line for line in (done.stdout + done.stderr).splitlines() if line.strip()]
        errors = (
            [line for line in lines if "error" in line.lower() and "melta.no" not in line]
            or lines
            or ["(no message)"]
        )
        last = (
            errors[0].split("meltano", 1)[-1].strip()
            if "[error" in errors[0]
            else errors[0].strip()
        )
        raise SettingsUnavailable(
            f"meltano could not give the settings of {plugin} in "
            f"environment {environment}: {last[:300]}"
        )
    try:
        value = json.loads(done.stdout)
    except ValueError:
        raise SettingsUnavailable(f"meltano printed no JSON for the settings of {plugin}") from None
    return value if isinstance(value, dict) else {}


def load(
    environment: str, root: Path | None = None, env: Mapping[str, str] | None = None
) -> SyncConfig:
    """Every plugin's configuration in `environment` (Meltano asked once per plugin, mostly
    in parallel: each answer takes a few seconds of start-up)."""
    root = root or project_root()
    meltano = meltano_executable(root)
    env = dict(os.environ if env is None else env)
    env.setdefault("MELTANO_SEND_ANONYMOUS_USAGE_STATS", "false")
    # inside `meltano invoke`, the utility's own environment must not leak into the others
    env.pop("MELTANO_ENVIRONMENT", None)
    # the first alone: a fresh system database is created by the first meltano that opens
    # it, and several creating it at once collide ("table job already exists")
    first, *rest = PLUGINS
    plugins = {first: plugin_config(meltano, root, environment, first, env)}
    with ThreadPoolExecutor(max_workers=len(rest)) as pool:
        futures = {p: pool.submit(plugin_config, meltano, root, environment, p, env) for p in rest}
        plugins.update({p: f.result() for p, f in futures.items()})
    return SyncConfig(environment, plugins)
