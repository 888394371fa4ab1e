"""The command line: every failure is one line `<prog>: error: ...` on stderr, exit 1."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from pim_dam_core import cli
from pim_dam_core.errors import ConfigError, ConnectorError

SECRET = "cli-secret-value-42"
TINY_TAP = Path(__file__).with_name("tiny_tap.py")


def run(tmp_path, config: Any, *args: str, env: dict[str, str] | None = None) -> tuple[int, str]:
    path = tmp_path / "config.json"
    path.write_text(config if isinstance(config, str) else json.dumps(config))
    done = subprocess.run(
        [sys.executable, str(TINY_TAP), "--config", str(path), "--discover", *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={**os.environ, **(env or {})},
    )
    return done.returncode, done.stderr


@pytest.fixture(autouse=True)
def _clean_log_level(monkeypatch):
    monkeypatch.delenv("TAP_TINY_LOGLEVEL", raising=False)
    monkeypatch.delenv("LOGLEVEL", raising=False)


@pytest.mark.parametrize(
    ("config", "expected"),
    [
        (
            {"api_key": SECRET, "fail": "connector"},
            "tap-tiny: error: cannot reach the host with ***",
        ),
        (
            {"api_key": SECRET, "fail": "unexpected"},
            "tap-tiny: error: unexpected KeyError: 'odd ***' (run with --log-level debug for the "
            "traceback)",
        ),
        (
            {"api_key": SECRET, "page_size": 11},
            "tap-tiny: error: setting page_size must be between 1 and 10, got 11",
        ),
        ('{"api_key": ', "tap-tiny: error: --config "),
        ("[1, 2]", "tap-tiny: error: --config "),
    ],
)
def test_a_failure_is_one_line_without_a_secret(tmp_path, config, expected):
    code, err = run(tmp_path, config)
    assert code == 1
    errors = [line for line in err.splitlines() if "error" in line.lower()]
    assert len(errors) == 1 and errors[0].startswith(expected), err
    assert err.splitlines()[-1] == errors[0]
    assert SECRET not in err and "Traceback" not in err


def test_log_level_goes_to_the_plugin_variable_and_debug_shows_the_traceback(tmp_path):
    code, err = run(tmp_path, {"api_key": SECRET, "fail": "connector"}, "--log-level", "debug")
    assert code == 1 and "Traceback" in err
    assert err.splitlines()[-1] == "tap-tiny: error: cannot reach the host with ***"
    assert SECRET not in err


def test_an_unknown_log_level_is_refused(tmp_path):
    code, err = run(tmp_path, {"api_key": SECRET}, "--log-level=loud")
    assert code == 1 and err.startswith("tap-tiny: error: --log-level: 'loud' is not one of")


def test_generic_loglevel_still_turns_debug_on(monkeypatch):
    monkeypatch.setenv("LOGLEVEL", "debug")
    assert cli.debug_enabled("tap-tiny")


def test_a_missing_config_file_is_named(tmp_path, capsys):
    with pytest.raises(SystemExit):
        cli.run(object, "tap-tiny", ["--config", str(tmp_path / "nope.json")])
    assert (
        capsys.readouterr().err == f"tap-tiny: error: --config {tmp_path}/nope.json: no such file\n"
    )


def test_log_level_is_taken_off_the_arguments_into_the_plugin_variable(monkeypatch):
    monkeypatch.delenv("TAP_TINY_LOGLEVEL", raising=False)
    assert cli.take_log_level(
        ["--config", "c.json", "--log-level", "info", "--discover"], "tap-tiny"
    ) == ["--config", "c.json", "--discover"]
    assert os.environ["TAP_TINY_LOGLEVEL"] == "INFO"


def test_the_config_error_class_is_a_connector_error():
    assert issubclass(ConfigError, ConnectorError)
