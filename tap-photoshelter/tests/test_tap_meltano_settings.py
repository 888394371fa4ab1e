"""The ready-to-paste Meltano entries list every setting, with secrets marked sensitive."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from photoshelter_api.connection_settings import CONNECTION_SETTINGS
from tap_photoshelter.tap import TAP_SETTINGS
from target_photoshelter.target import TARGET_SETTINGS

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("own_settings", "path"),
    [
        (TAP_SETTINGS, "tap-photoshelter/meltano-plugin.yml"),
        (TARGET_SETTINGS, "target-photoshelter/meltano-plugin.yml"),
    ],
)
def test_meltano_entry_lists_every_setting(own_settings, path):
    """The plugin's own settings (the SDK's built-in ones are Meltano capabilities)."""
    [entry] = yaml.safe_load((ROOT / path).read_text())
    settings = {s["name"]: s for s in entry["settings"]}
    schema = {**CONNECTION_SETTINGS.to_dict()["properties"], **own_settings.to_dict()["properties"]}
    assert set(settings) == set(schema)
    for name, prop in schema.items():
        assert bool(settings[name].get("sensitive")) == bool(prop.get("secret")), name
        assert settings[name]["description"]


@pytest.mark.parametrize(
    ("kind", "name", "path"),
    [
        ("extractors", "tap-photoshelter", "tap-photoshelter/meltano-plugin.yml"),
        ("loaders", "target-photoshelter", "target-photoshelter/meltano-plugin.yml"),
    ],
)
def test_project_entry_matches_the_plugin_entry_in_meltano_4_kinds(kind, name, path):
    """meltano.yml declares what the plugin entry does, with no `kind: password` (gone in
    Meltano 4: the first `meltano config set` would rewrite every such entry)."""
    [entry] = yaml.safe_load((ROOT / path).read_text())
    project = yaml.safe_load((ROOT / "meltano.yml").read_text())
    [declared] = [p for p in project["plugins"][kind] if p["name"] == name]
    settings = {s["name"]: s for s in declared["settings"]}
    for setting in entry["settings"]:
        assert setting["kind"] != "password", setting["name"]
        mine = settings[setting["name"]]
        assert (mine["kind"], bool(mine.get("sensitive"))) == (
            setting["kind"],
            bool(setting.get("sensitive")),
        ), setting["name"]
        if "value" in setting:  # a default; the project may set its own paths
            assert mine.get("value") == setting["value"], setting["name"]
    assert all(s["kind"] != "password" for s in declared["settings"])
