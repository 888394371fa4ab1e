"""One definition of each setting: the connector's `config_jsonschema`, as `--about` prints it.

The ready-to-paste `meltano-plugin.yml` entry and the project's `meltano.yml` entry of each
connector are checked against it: the same setting names (the SDK's built-in settings may be
declared or not), `kind` fitting the JSON type, `sensitive` exactly for the secrets, the
defaults, and the settings the connector requires in every `settings_group_validation` group
(Meltano's notion of required: `meltano config list` shows them so).
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tomllib
from functools import cache
from pathlib import Path

import pytest
import singer_sdk.helpers.capabilities as sdk_capabilities
import yaml

ROOT = Path(__file__).resolve().parents[2]


def connector_folders() -> list[str]:
    root = tomllib.loads((ROOT / "pyproject.toml").read_text())
    return [m for m in root["tool"]["uv"]["workspace"]["members"] if re.match(r"(tap|target)-", m)]


# The settings the SDK adds to every tap or target according to its capabilities
SDK_BUILTIN = {
    name
    for constant, schema in vars(sdk_capabilities).items()
    if constant.endswith("_CONFIG") and isinstance(schema, dict)
    for name in schema.get("properties", {})
}

KINDS_FOR_TYPE = {
    "string": {"string", "options", "date_iso8601", "email", "file"},
    "integer": {"integer"},
    "number": {"decimal", "integer"},
    "boolean": {"boolean"},
    "array": {"array"},
    "object": {"object"},
}


@cache
def about(executable: str) -> dict:
    done = subprocess.run(
        [str(Path(sys.executable).with_name(executable)), "--about", "--format=json"],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return json.loads(done.stdout)["settings"]


def pasted_entry(folder: str) -> dict:
    block = yaml.safe_load((ROOT / folder / "meltano-plugin.yml").read_text())
    entries = [p for kind in block.values() for p in kind] if isinstance(block, dict) else block
    [entry] = [p for p in entries if p["name"] == folder]
    return entry


def project_entry(folder: str) -> dict:
    project = yaml.safe_load((ROOT / "meltano.yml").read_text())
    [entry] = [p for kind in project["plugins"].values() for p in kind if p["name"] == folder]
    return entry


def json_type(prop: dict) -> str:
    types = prop["type"]
    return next(t for t in ([types] if isinstance(types, str) else types) if t != "null")


ENTRIES = [
    pytest.param(folder, where, id=f"{folder}-{where}")
    for folder in connector_folders()
    for where in ("meltano-plugin.yml", "meltano.yml")
]


def entry_of(folder: str, where: str) -> dict:
    return pasted_entry(folder) if where == "meltano-plugin.yml" else project_entry(folder)


@pytest.mark.parametrize(("folder", "where"), ENTRIES)
def test_entry_declares_each_setting_of_the_connector_and_no_other(folder, where):
    properties = about(folder)["properties"]
    declared = [s["name"] for s in entry_of(folder, where)["settings"]]
    assert len(declared) == len(set(declared)), f"{where}: a setting declared twice"
    assert sorted(set(declared) - set(properties)) == [], f"{where}: unknown to {folder}"
    assert sorted(set(properties) - SDK_BUILTIN - set(declared)) == [], (
        f"{where}: settings of {folder} missing"
    )


@pytest.mark.parametrize(("folder", "where"), ENTRIES)
def test_each_setting_has_the_kind_and_sensitivity_of_its_schema(folder, where):
    """`kind: string` + `sensitive: true` for a secret (Meltano 4 has no `kind: password`)."""
    properties = about(folder)["properties"]
    for setting in entry_of(folder, where)["settings"]:
        prop = properties[setting["name"]]
        assert setting.get("kind") in KINDS_FOR_TYPE[json_type(prop)], (
            f"{where}: {setting['name']} is {json_type(prop)}, kind {setting.get('kind')}"
        )
        assert bool(setting.get("sensitive")) == bool(prop.get("secret")), (
            f"{where}: {setting['name']} sensitive"
        )
        assert setting.get("description"), f"{where}: {setting['name']} has no description"


@pytest.mark.parametrize("folder", connector_folders())
def test_pasted_entry_defaults_are_the_connectors(folder):
    """The project's meltano.yml may set its own values (paths); the pasted entry may not."""
    properties = about(folder)["properties"]
    for setting in pasted_entry(folder)["settings"]:
        if "value" in setting:
            assert setting["value"] == properties[setting["name"]].get("default"), setting["name"]


@pytest.mark.parametrize(("folder", "where"), ENTRIES)
def test_required_settings_are_in_every_validation_group(folder, where):
    required = set(about(folder).get("required", []))
    entry = entry_of(folder, where)
    groups = entry.get("settings_group_validation", [])
    declared = {s["name"] for s in entry["settings"]}
    if required:
        assert groups, f"{where}: {folder} requires {sorted(required)}: no validation group"
    for group in groups:
        assert set(group) <= declared, f"{where}: group {group} names undeclared settings"
        assert required <= set(group), f"{where}: group {group} lacks {sorted(required)}"


@pytest.mark.parametrize("folder", connector_folders())
def test_project_entry_and_pasted_entry_agree(folder):
    """Same kinds, sensitivity and validation groups in both places."""
    pasted, project = pasted_entry(folder), project_entry(folder)
    assert project.get("settings_group_validation") == pasted.get("settings_group_validation")
    mine = {s["name"]: s for s in project["settings"]}
    for setting in pasted["settings"]:
        ours = mine[setting["name"]]
        assert (ours.get("kind"), bool(ours.get("sensitive"))) == (
            setting.get("kind"),
            bool(setting.get("sensitive")),
        ), setting["name"]
    for key in ("namespace", "executable"):
        assert project[key] == pasted[key], key
    assert set(project["capabilities"]) == set(pasted["capabilities"])
