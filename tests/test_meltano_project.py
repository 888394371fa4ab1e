"""meltano.yml in the form Meltano 4 reads and writes (the connectors' settings against their
`--about`: tests/packaging/test_settings_match.py)."""

from __future__ import annotations

import difflib
import os
import re
import shlex
import socket
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
CONNECTORS = ["tap-plytix", "target-plytix", "tap-photoshelter", "target-photoshelter"]


def project_plugins() -> dict[str, dict]:
    project = yaml.safe_load((ROOT / "meltano.yml").read_text())
    return {p["name"]: p for kind in project["plugins"].values() for p in kind}


@pytest.mark.parametrize("name", CONNECTORS)
def test_no_decimal_setting_is_expected_from_the_environment(name):
    """Meltano 4.4.1 cannot pass a decimal read from an environment variable to a plugin."""
    for setting in project_plugins()[name]["settings"]:
        if setting.get("kind") == "decimal":
            assert "environment variable" in setting["description"], setting["name"]


def test_every_plugin_is_a_custom_entry_that_installs_offline():
    for name, plugin in project_plugins().items():
        assert "variant" not in plugin, name
        if "inherit_from" in plugin:
            assert plugin["inherit_from"] in project_plugins(), name
        else:
            assert plugin.get("pip_url") and plugin.get("namespace"), name


MELTANO = Path(sys.executable).with_name("meltano")


def meltano_on_copy(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """`meltano <args>` in a copy of the project (only meltano.yml: `config` needs no more)."""
    if not (tmp_path / "meltano.yml").exists():
        (tmp_path / "meltano.yml").write_text((ROOT / "meltano.yml").read_text())
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MELTANO_", "DBT_", "SYNC_"))}
    env["MELTANO_SEND_ANONYMOUS_USAGE_STATS"] = "false"
    return subprocess.run(
        [str(MELTANO), *args],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_no_setting_uses_the_kind_meltano_4_dropped():
    """`kind: password` is gone in Meltano 4: the first `config set` would rewrite the file."""
    for name, plugin in project_plugins().items():
        for setting in plugin.get("settings", []):
            assert setting.get("kind") != "password", f"{name}.{setting['name']}"


def test_meltano_config_set_changes_only_the_one_setting(tmp_path: Path):
    """meltano.yml stays in the form Meltano 4.4.1 writes: a `config set` adds its lines only."""
    before = (ROOT / "meltano.yml").read_text().splitlines()
    done = meltano_on_copy(
        tmp_path, "config", "set", "dbt-duckdb", "match_rules", "trans_ref,keyword"
    )
    assert done.returncode == 0, done.stderr[-2000:]
    after = (tmp_path / "meltano.yml").read_text().splitlines()
    changes = [
        line
        for line in difflib.unified_diff(before, after, lineterm="", n=0)
        if line[:1] in "+-" and not line.startswith(("+++", "---"))
    ]
    assert changes == ["+    config:", "+      match_rules: trans_ref,keyword"], (
        "meltano.yml is not in Meltano's own form; `meltano config set` rewrote:\n"
        + "\n".join(changes[:40])
    )


def readme_commands(pattern: str) -> list[str]:
    """Every `meltano ...` command shown in backquotes in the READMEs of this area."""
    found = []
    for readme in (ROOT / "README.md", ROOT / "transform" / "README.md"):
        found += re.findall(r"`(meltano [^`]+)`", readme.read_text())
    return [command for command in found if re.match(pattern, command)]


def test_readme_config_commands_run_on_meltano_4(tmp_path: Path):
    """The READMEs' `meltano config` commands are Meltano 4 syntax (`config set <plugin> ...`)."""
    commands = readme_commands(r"meltano (--environment=\S+ )?config ")
    assert commands
    for command in commands:
        done = meltano_on_copy(tmp_path, *shlex.split(command)[1:])
        assert done.returncode == 0, f"{command}: {done.stderr[-1500:]}"


def test_demo_with_a_busy_port_says_so_in_one_line():
    """`make demo` while something holds a port: one line naming the way out, no traceback."""
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        env = {**os.environ, "DEMO_PLYTIX_PORT": str(port), "DEMO_PHOTOSHELTER_PORT": "0"}
        done = subprocess.run(
            ["bash", str(ROOT / "scripts" / "demo.sh")],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
    assert done.returncode == 1
    assert done.stderr.strip().splitlines() == [
        f"port 127.0.0.1:{port} is in use (emulators already running? `make emulators` or "
        "another demo): stop that process or choose another port with DEMO_PLYTIX_PORT"
    ]
    assert "installing" not in done.stdout


def test_meltano_config_list_shows_every_name_the_sync_reads_and_writes(tmp_path: Path):
    done = meltano_on_copy(tmp_path, "config", "list", "dbt-duckdb", "--all")
    assert done.returncode == 0, done.stderr[-1500:]
    for name in (
        "style_attribute",
        "color_attribute",
        "size_attribute",
        "season_attribute",
        "launch_status_attribute",
        "launch_date_attribute",
        "rights_expiry_attribute",
        "rights_usage_terms_attribute",
        "rights_credit_attribute",
        "rights_channels_attribute",
        "rights_markets_attribute",
        "imagery_status_attribute",
        "imagery_status_complete",
        "imagery_status_missing_hero",
        "imagery_status_none",
        "imagery_status_expiring",
        "custom_fields",
        "identifier_field",
        "approval_field",
        "approval_value",
        "gallery_attribute",
        "channels",
        "package_required_attributes",
        "launch_completeness_attribute",
    ):
        assert re.search(
            rf"^{name} \[env: DBT_DUCKDB_{name.upper()}\].*current value: ",
            done.stdout,
            re.MULTILINE,
        ), name
