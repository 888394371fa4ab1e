"""The ready-to-paste Meltano entries list every setting, with secrets marked sensitive."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from tap_photoshelter.tap import CONNECTION_SETTINGS, TAP_SETTINGS
from target_photoshelter.target import TARGET_SETTINGS

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(("own_settings", "path"), [
    (TAP_SETTINGS, "tap-photoshelter/meltano-plugin.yml"),
    (TARGET_SETTINGS, "target-photoshelter/meltano-plugin.yml"),
])
def test_meltano_entry_lists_every_setting(own_settings, path):
    """The plugin's own settings (the SDK's built-in ones are Meltano capabilities)."""
    [entry] = yaml.safe_load((ROOT / path).read_text())
    settings = {s["name"]: s for s in entry["settings"]}
    schema = {**CONNECTION_SETTINGS.to_dict()["properties"],
              **own_settings.to_dict()["properties"]}
    assert set(settings) == set(schema)
    for name, prop in schema.items():
        assert bool(settings[name].get("sensitive")) == bool(prop.get("secret")), name
        assert settings[name]["description"]
