"""tap-plytix as a real command: errors in one line naming the setting, no secret leaks."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import requests

from emulators.runtime import DEMO_CREDENTIALS

TAP = str(Path(sys.executable).parent / "tap-plytix")


def run_cli(tmp_path, config, *args, timeout=120, env=None):
    path = tmp_path / "config.json"
    path.write_text(json.dumps(config))
    return subprocess.run(
        [TAP, "--config", str(path), *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
        env={**os.environ, **(env or {})},
    )


def error_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith("tap-plytix: error:")]


def test_wrong_password_fails_in_one_line_naming_the_settings(tmp_path, plytix_config):
    secret = "not-the-password-123"
    result = run_cli(tmp_path, {**plytix_config, "api_password": secret})
    assert result.returncode == 1
    [line] = error_lines(result.stderr)
    assert "api_key and api_password" in line and "401" in line
    assert secret not in result.stderr + result.stdout


def test_unknown_attribute_in_the_setting_is_named(tmp_path, plytix_config):
    result = run_cli(tmp_path, {**plytix_config, "attributes": ["color", "colour_x"]}, "--discover")
    assert result.returncode == 1
    [line] = error_lines(result.stderr)
    assert "'colour_x'" in line and "setting attributes" in line


def test_expired_access_token_is_reported_as_such_without_leaking_it(
    tmp_path, plytix_config, plytix_admin, emulators
):
    token = requests.post(
        f"{emulators.plytix_url}/auth/api/get-token", json=DEMO_CREDENTIALS["plytix"], timeout=10
    ).json()["data"][0]["access_token"]
    plytix_admin.advance_clock(1000)
    config = {k: v for k, v in plytix_config.items() if k not in ("api_key", "api_password")}
    result = run_cli(tmp_path, {**config, "access_token": token})
    assert result.returncode == 1
    [line] = error_lines(result.stderr)
    assert "access_token" in line and "cannot be renewed" in line
    assert token not in result.stderr + result.stdout


def test_logs_never_hold_the_password_or_the_token(tmp_path, plytix_config, plytix_admin):
    plytix_admin.fault(route="POST /api/v2/products/search", status=503, count=1)
    result = run_cli(tmp_path, {**plytix_config, "page_size": 20}, env={"LOGLEVEL": "DEBUG"})
    assert result.returncode == 0, result.stderr[-2000:]
    assert "RECORD" in result.stdout
    output = result.stderr + result.stdout
    assert plytix_config["api_password"] not in output
    assert "eyJ" not in output  # no JWT, neither in logs nor in records/state
    assert "HTTP 503 on POST /api/v2/products/search" in result.stderr


def test_about_lists_every_setting_and_marks_secrets(tmp_path):
    result = subprocess.run(
        [TAP, "--about", "--format", "json"], capture_output=True, text=True, timeout=60, check=True
    )
    about = json.loads(result.stdout)
    properties = about["settings"]["properties"]
    for name in (
        "api_key",
        "api_password",
        "access_token",
        "api_url",
        "auth_url",
        "start_date",
        "page_size",
        "max_columns_per_search",
        "requests_per_10s",
        "requests_per_hour",
        "attributes",
    ):
        assert properties[name].get("description"), name
    for name in ("api_key", "api_password", "access_token"):
        assert properties[name].get("secret") is True


def test_discover_types_custom_attributes(tmp_path, plytix_config):
    result = run_cli(tmp_path, plytix_config, "--discover")
    assert result.returncode == 0, result.stderr[-2000:]
    streams = {s["tap_stream_id"]: s for s in json.loads(result.stdout)["streams"]}
    assert set(streams) == {
        "products",
        "product_assets",
        "assets",
        "product_attributes",
        "product_families",
        "product_categories",
        "asset_categories",
        "source_account",
    }
    attributes = streams["products"]["schema"]["properties"]["attributes"]["properties"]
    assert attributes["weight_g"]["type"] == ["integer", "null"]
    assert attributes["is_bundle"]["type"] == ["boolean", "null"]
    assert attributes["launch_date"]["format"] == "date"
    assert attributes["material"]["type"] == ["array", "null"]
    assert streams["products"]["replication_key"] == "modified"


def test_a_server_echoing_the_credentials_never_gets_them_into_errors_or_state(
    tmp_path, plytix_config, plytix_admin
):
    key, password = "key-Yt62pLm", "pw-Rr8vNc4xKq"
    plytix_admin.settings(api_key=key, api_password=password)
    plytix_admin.fault(
        route="POST /api/v2/products/search",
        status=400,
        count=1,
        body={
            "error": {
                "msg": f"bad request from {key}/{password}",
                "errors": [{"field": "filters", "msg": password}],
            }
        },
    )
    result = run_cli(
        tmp_path,
        {**plytix_config, "api_key": key, "api_password": password},
        env={"LOGLEVEL": "DEBUG"},
    )
    assert result.returncode == 1
    [line] = error_lines(result.stderr)
    assert "bad request from ***/***" in line
    states = [json.loads(x) for x in result.stdout.splitlines() if '"STATE"' in x]
    assert states  # the streams synced before products left their state
    output = result.stdout + result.stderr
    assert key not in output and password not in output and "eyJ" not in output
