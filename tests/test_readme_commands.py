"""Every command the READMEs show is one that Meltano or make accepts, checked by the tool.

So the READMEs cannot drift from Meltano (or the Makefile) again. Each command shown in
backquotes or in a code block of README.md and transform/README.md is run in a copy of the
project, without syncing anything:
- `meltano ... run <jobs>` with `--dry-run`: Meltano parses the blocks, finds every job and
  plugin and explains what it would run;
- `meltano ... schedule run <schedule>` likewise (a placeholder is tried with every schedule);
- `meltano config|schedule list|state list ...` as shown;
- `meltano invoke <plugin> <command>` with `--help` after it: the plugin's own CLI must know
  the command (an unknown one is an error before any help is printed);
- `make <target> [VAR=value]` with `-n`: the target exists and its recipe expands.
Mentions that are not commands (`meltano ...`, a bare `meltano run`) are left out by name.
"""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from sync_project import MELTANO, ROOT, base_env, meltano_installed

READMES = (ROOT / "README.md", ROOT / "transform" / "README.md")
NOT_COMMANDS = {
    "meltano ...",
    "meltano run ...",
    "meltano run",
    "meltano config",
    "meltano run --force",
}  # prose mentions of a command or an option


def shown_commands() -> list[str]:
    """`meltano ...` and `make ...` in backquotes or at the start of a code-block line."""
    found: list[str] = []
    for readme in READMES:
        text = readme.read_text()
        found += re.findall(r"`((?:meltano|make) [^`]+)`", text)
        for block in re.findall(r"^```[^\n]*\n(.*?)^```", text, re.MULTILINE | re.DOTALL):
            found += [
                line.split("#")[0].strip()
                for line in block.splitlines()
                if re.match(r"(meltano|make) ", line)
            ]
    return sorted(set(found) - NOT_COMMANDS)


def schedules() -> list[str]:
    return [s["name"] for s in yaml.safe_load((ROOT / "meltano.yml").read_text())["schedules"]]


def checked_form(command: str) -> list[list[str]]:
    """The argument lists that check `command` without running a sync."""
    words = shlex.split(command)
    if words[0] == "make":
        return [["make", "-n", "-C", str(ROOT), *words[1:]]]
    rest = words[1:]
    head = [w for w in rest if w.startswith("--environment")]
    body = [w for w in rest if not w.startswith("--environment")]
    if body[0] == "run":
        return [[*head, "run", "--dry-run", *body[1:]]]
    if body[:2] == ["schedule", "run"]:
        names = schedules() if body[2] == "<schedule>" else [body[2]]
        return [[*head, "schedule", "run", name, *body[3:], "--dry-run"] for name in names]
    if body[0] == "invoke":
        return [[*head, *body, "--help"]]
    if body[0] in ("config", "schedule", "state"):
        return [rest]
    raise AssertionError(f"{command}: no way to check this kind of command yet")


@pytest.fixture(scope="module")
def copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The project as cloned (meltano.yml and transform/): `config set` changes the copy."""
    root = tmp_path_factory.mktemp("readme")
    shutil.copy(ROOT / "meltano.yml", root / "meltano.yml")
    shutil.copytree(
        ROOT / "transform",
        root / "transform",
        ignore=shutil.ignore_patterns("target", "logs", "dbt_packages"),
    )
    return root


def test_the_readmes_show_the_commands_a_new_user_types():
    commands = shown_commands()
    for expected in (
        "make install",
        "make demo",
        "make check",
        "make setup APPLY=1",
        "meltano run sync",
        "meltano run extract plan",
        "meltano --environment=prod run sync",
    ):
        assert expected in commands, expected


@pytest.mark.parametrize("command", shown_commands())
def test_every_command_the_readmes_show_is_accepted(command: str, copy: Path):
    for args in checked_form(command):
        if args[0] == "make":
            done = subprocess.run(args, capture_output=True, text=True, timeout=120, check=False)
        else:
            if "invoke" in args:
                meltano_installed()  # `--help` runs the plugin's own executable
            done = subprocess.run(
                [str(MELTANO), *args],
                cwd=copy,
                env=base_env(),
                capture_output=True,
                text=True,
                timeout=300,
                check=False,
            )
        assert done.returncode == 0, f"{' '.join(args)}:\n{(done.stdout + done.stderr)[-2000:]}"
