"""tap-plytix refuses bad settings in one line naming the setting, before any request.

Every case is checked through the tap's own construction (the same check the command runs);
one case of each kind also runs the real command in a subprocess (a few at once: the SDK
import dominates their time), where the error must be the only error output, without a
traceback, with exit code 1.
"""

from __future__ import annotations

import json
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from plytix_api import ClientSettings, ConfigError
from tap_plytix.tap import TapPlytix
from tap_plytix_helpers import routes

TAP = str(Path(sys.executable).parent / "tap-plytix")
DROP = object()
"""Marks a setting to remove from the valid config."""

CASES: list[tuple[str, dict[str, Any], str]] = [
    (
        "no credentials",
        {"api_key": DROP, "api_password": DROP},
        "set api_key and api_password, or access_token",
    ),
    (
        "key without password",
        {"api_password": DROP},
        "setting api_password is required with api_key",
    ),
    ("password without key", {"api_key": DROP}, "setting api_key is required with api_password"),
    (
        "api_url not a URL",
        {"api_url": "pim.plytix.com/api/v1"},
        "setting api_url must be an https URL, got 'pim.plytix.com/api/v1'",
    ),
    (
        "auth_url wrong scheme",
        {"auth_url": "ftp://auth.plytix.com"},
        "setting auth_url must be an https URL",
    ),
    ("api_url no host", {"api_url": "https://"}, "setting api_url has no host: 'https://'"),
    (
        "api_url bad port",
        {"api_url": "https://pim.plytix.com:99999/api/v1"},
        "setting api_url has an invalid port: 'https://pim.plytix.com:99999/api/v1'",
    ),
    (
        "plain http off loopback",
        {"api_url": "http://pim.plytix.com/api/v1"},
        "setting api_url uses plain http to 'pim.plytix.com': use https, or set allow_insecure",
    ),
    (
        "credentials in the URL",
        {"auth_url": "https://me:pw@auth.plytix.com"},
        "setting auth_url must not carry a user name or password",
    ),
    (
        "number as text",
        {"requests_per_10s": "twenty"},
        "setting requests_per_10s must be a whole number, got 'twenty'",
    ),
    (
        "negative budget",
        {"requests_per_hour": -1},
        "setting requests_per_hour must be a whole number >= 0",
    ),
    (
        "timeout zero",
        {"request_timeout": 0},
        "setting request_timeout must be a number of seconds > 0",
    ),
    (
        "boolean as text",
        {"allow_insecure": "yes"},
        "setting allow_insecure must be true or false, got 'yes'",
    ),
    ("list as text", {"attributes": "color"}, "setting attributes must be a list, got 'color'"),
    ("page_size type", {"page_size": "big"}, "setting page_size must be a whole number"),
    ("page_size range", {"page_size": 500}, "setting page_size must be between 1 and 100"),
    (
        "columns range",
        {"max_columns_per_search": 0},
        "setting max_columns_per_search must be a whole number >= 1",
    ),
    ("api_version", {"api_version": "v3"}, "setting api_version must be one of auto, v2, v1"),
    (
        "fallback wait",
        {"rate_limit_fallback_seconds": -1},
        "setting rate_limit_fallback_seconds must be a number of seconds >= 0",
    ),
    (
        "start_date",
        {"start_date": "last tuesday"},
        "setting start_date must be an ISO 8601 date or date-time",
    ),
    ("secret of the wrong type", {"api_key": 12345678}, "setting api_key must be text"),
]
COMMAND_CASES = (
    "password without key",
    "plain http off loopback",
    "number as text",
    "boolean as text",
    "start_date",
)


def run_tap(tmp_path: Path, name: str, config: Any, *args: str) -> subprocess.CompletedProcess:
    path = tmp_path / f"{name.replace(' ', '_')}.json"
    path.write_text(config if isinstance(config, str) else json.dumps(config))
    return subprocess.run(
        [TAP, "--config", str(path), *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def assert_one_line_error(result: subprocess.CompletedProcess, expected: str) -> None:
    errors = [line for line in result.stderr.splitlines() if "error" in line.lower()]
    assert result.returncode == 1, result.stderr[-1500:]
    assert errors == [errors[0]] and errors[0].startswith("tap-plytix: error: "), errors
    assert expected in errors[0], errors[0]
    assert "Traceback" not in result.stderr


def config_for(base: dict[str, Any], change: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in {**base, **change}.items() if v is not DROP}


@pytest.mark.parametrize(("name", "change", "expected"), CASES, ids=[c[0] for c in CASES])
def test_each_bad_setting_is_refused_naming_it(name, change, expected, plytix_config):
    with pytest.raises(ConfigError) as refused:
        TapPlytix(config=config_for(plytix_config, change), parse_env_config=False)
    message = str(refused.value)
    assert expected in message and "\n" not in message
    assert "12345678" not in message  # a secret's value is never echoed


def test_the_command_prints_one_line_without_traceback_and_exits_1(
    tmp_path, plytix_config, plytix_admin
):
    """One case of each kind through the real command (missing, malformed URL, wrong type)."""

    def case(spec: tuple[str, dict[str, Any], str]) -> tuple[str, subprocess.CompletedProcess]:
        name, change, _ = spec
        return name, run_tap(tmp_path, name, config_for(plytix_config, change))

    chosen = [c for c in CASES if c[0] in COMMAND_CASES]
    plytix_admin.clear_requests()
    with ThreadPoolExecutor(max_workers=3) as pool:
        results = dict(pool.map(case, chosen))
    for name, _, expected in chosen:
        assert_one_line_error(results[name], expected)
    assert routes(plytix_admin) == {}  # refused before any request


def test_a_config_file_that_is_not_json_is_named(tmp_path):
    result = run_tap(tmp_path, "broken", '{"api_key": "demo-key",')
    assert_one_line_error(result, "--config")
    assert "is not valid JSON" in result.stderr


def test_a_failing_sync_prints_only_our_line_unless_debug(tmp_path, plytix_config, plytix_admin):
    plytix_admin.fault(route="POST /api/v1/assets/search", status=500, count=10)
    config = {**plytix_config, "max_retries": 0}
    quiet = run_tap(tmp_path, "quiet", config)
    assert_one_line_error(quiet, "HTTP 500 on POST /api/v1/assets/search")
    assert "An unhandled error occurred" not in quiet.stderr

    plytix_admin.fault(route="POST /api/v1/assets/search", status=500, count=10)
    loud = run_tap(tmp_path, "loud", config, "--log-level", "debug")
    assert loud.returncode == 1
    assert "An unhandled error occurred" in loud.stderr and "Traceback" in loud.stderr
    assert loud.stderr.splitlines()[-1].startswith("tap-plytix: error: HTTP 500")


def test_an_unexpected_error_is_one_line_and_its_traceback_needs_debug(tmp_path, plytix_config):
    catalog = tmp_path / "catalog.json"
    catalog.write_text(json.dumps({"streams": "not a list"}))
    quiet = run_tap(tmp_path, "odd", plytix_config, "--catalog", str(catalog))
    assert_one_line_error(quiet, "unexpected ")
    assert "--log-level debug" in quiet.stderr
    loud = run_tap(tmp_path, "odd", plytix_config, "--catalog", str(catalog), "--log-level=debug")
    assert loud.returncode == 1 and "Traceback" in loud.stderr


@pytest.mark.parametrize("url", ["http://10.0.0.5/api/v1", "http://pim.internal/api/v1"])
def test_plain_http_needs_allow_insecure_off_loopback(url):
    config = {"api_key": "demo-key", "api_password": "demo-password", "api_url": url}
    with pytest.raises(ConfigError, match="setting api_url uses plain http"):
        ClientSettings.from_config(config)
    assert ClientSettings.from_config({**config, "allow_insecure": True}).api_url == url


@pytest.mark.parametrize(
    "url", ["http://127.0.0.1:8701/api/v1", "http://localhost:8701", "http://[::1]:8701/api/v1"]
)
def test_plain_http_is_fine_on_loopback(url):
    config = {"api_key": "demo-key", "api_password": "demo-password", "api_url": url}
    assert ClientSettings.from_config(config).api_url == url.removesuffix("/api/v1") + "/api/v1"


@pytest.mark.parametrize(
    "url",
    [
        "https://pim.example.com",
        "https://pim.example.com/",
        "https://pim.example.com/api/v1",
        "https://pim.example.com/api/v2/",
    ],
)
def test_api_url_is_a_host_or_a_generation_url_of_it(url):
    """Old configs end in /api/v1; the new default is the host; both name one account."""
    settings = ClientSettings.from_config(
        {"api_key": "k-123", "api_password": "p-123", "api_url": url}
    )
    assert settings.api_root == "https://pim.example.com"
    assert settings.api_url == "https://pim.example.com/api/v1"
