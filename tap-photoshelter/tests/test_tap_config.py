"""Bad settings: one line naming the setting, exit 1, no traceback, no request made."""

from __future__ import annotations

from pathlib import Path

import pytest
from config_cases import Failed, run_all

from emulators.runtime import DEMO_CREDENTIALS

GOOD = {**DEMO_CREDENTIALS["photoshelter"], "api_url": "http://127.0.0.1:9/psapi/v4.0"}
WITHOUT = {
    name: {k: v for k, v in GOOD.items() if k != name} for name in ("api_key", "email", "password")
}

CASES = {
    "api_key missing": (WITHOUT["api_key"], "setting api_key is required"),
    "email missing": (
        WITHOUT["email"],
        "setting email is required (or set access_token instead of email and password)",
    ),
    "password missing": (
        WITHOUT["password"],
        "setting password is required (or set access_token instead of email and password)",
    ),
    "api_key of the wrong shape": (
        {**GOOD, "api_key": "short"},
        "setting api_key must be a PhotoShelter API key: 11 characters",
    ),
    "api_key a number": ({**GOOD, "api_key": 12345678901}, "setting api_key must be text"),
    "api_url not http": (
        {**GOOD, "api_url": "ftp://127.0.0.1/psapi/v4.0"},
        "setting api_url must be an https URL, got 'ftp://127.0.0.1/psapi/v4.0'",
    ),
    "api_url without host": (
        {**GOOD, "api_url": "https:///psapi/v4.0"},
        "setting api_url has no host: 'https:///psapi/v4.0'",
    ),
    "api_url with a bad port": (
        {**GOOD, "api_url": "https://ps.example:99999/psapi"},
        "setting api_url has an invalid port: 'https://ps.example:99999/psapi'",
    ),
    "api_url with a password in it": (
        {**GOOD, "api_url": "https://u:pw@ps.example/psapi"},
        "setting api_url must not carry a user name or password",
    ),
    "api_url plain http to another host": (
        {**GOOD, "api_url": "http://ps.example/psapi/v4.0"},
        "setting api_url uses plain http to 'ps.example': use https, or set allow_insecure "
        "if the network in between is trusted",
    ),
    "api_url a number": ({**GOOD, "api_url": 42}, "setting api_url must be text, got 42"),
    "per_page text": (
        {**GOOD, "per_page": "many"},
        "setting per_page must be a whole number, got 'many'",
    ),
    "per_page too big": (
        {**GOOD, "per_page": 5000},
        "setting per_page must be between 1 and 1000, got 5000",
    ),
    "max_retries negative": (
        {**GOOD, "max_retries": -1},
        "setting max_retries must be a whole number >= 0, got -1",
    ),
    "request_timeout zero": (
        {**GOOD, "request_timeout": 0},
        "setting request_timeout must be a number > 0, got 0",
    ),
    "allow_insecure text": (
        {**GOOD, "allow_insecure": "yes"},
        "setting allow_insecure must be true or false, got 'yes'",
    ),
    "start_date not a date": (
        {**GOOD, "start_date": "last tuesday"},
        "setting start_date must be an ISO 8601 date or date-time",
    ),
    "image_link_size not WxH": (
        {**GOOD, "image_link_size": "big"},
        "setting image_link_size must match ^[1-9]",
    ),
    "galleries not a list": (
        {**GOOD, "galleries": "G0000abc"},
        "setting galleries must be a list, got 'G0000abc'",
    ),
    "galleries with a blank entry": (
        {**GOOD, "galleries": ["G0000abc", " "]},
        "setting galleries[1] must match",
    ),
}


BROKEN_JSON = "{api_key: "
MORE = {
    "several bad settings": ({**WITHOUT["api_key"], "per_page": "x", "allow_insecure": 1}, ()),
    "discovery": (WITHOUT["api_key"], ("--discover",)),
    "debug": (WITHOUT["api_key"], ("--log-level", "debug")),
    "config not JSON": (BROKEN_JSON, ()),
    "config file missing": (None, ("--config", "/nonexistent/tap.json")),
}


@pytest.fixture(scope="module")
def failures(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Failed]:
    folder = tmp_path_factory.mktemp("tap-config")
    cases = {name: (config, ()) for name, (config, _) in CASES.items()}
    return run_all("tap-photoshelter", {**cases, **MORE}, folder)


@pytest.mark.parametrize("case", list(CASES))
def test_bad_setting_is_one_line_naming_it(case, failures):
    expected = CASES[case][1]
    failed = failures[case]
    assert failed.returncode == 1
    assert failed.last_line.startswith(f"tap-photoshelter: error: {expected}")
    assert "Traceback" not in failed.stderr
    errors = [line for line in failed.stderr.splitlines() if "error" in line.lower()]
    assert errors == [failed.last_line]


def test_secret_values_are_never_echoed(failures):
    assert "12345678901" not in failures["api_key a number"].stderr
    assert "pw@" not in failures["api_url with a password in it"].stderr
    for failed in failures.values():
        assert DEMO_CREDENTIALS["photoshelter"]["password"] not in failed.stderr


def test_of_several_bad_settings_the_first_in_schema_order_is_named(failures):
    assert failures["several bad settings"].last_line == (
        "tap-photoshelter: error: setting api_key is required"
    )


def test_discovery_stops_on_a_bad_setting_too(failures):
    failed = failures["discovery"]
    assert failed.returncode == 1
    assert failed.last_line == "tap-photoshelter: error: setting api_key is required"


def test_config_file_that_is_not_json_or_missing(failures):
    for case, expected in (
        ("config not JSON", "is not valid JSON: Expecting property name"),
        ("config file missing", "--config /nonexistent/tap.json: no such file"),
    ):
        failed = failures[case]
        assert failed.returncode == 1
        assert expected in failed.last_line
        assert failed.last_line.startswith("tap-photoshelter: error: --config ")
        assert "Traceback" not in failed.stderr


def test_log_level_debug_adds_the_traceback(failures):
    quiet, debug = failures["api_key missing"], failures["debug"]
    assert "Traceback" not in quiet.stderr
    assert "Traceback (most recent call last)" in debug.stderr
    assert (
        debug.last_line
        == quiet.last_line
        == ("tap-photoshelter: error: setting api_key is required")
    )


def test_no_request_is_made_with_a_bad_setting(emulators, photoshelter_admin, tmp_path: Path):
    config = {**GOOD, "api_url": emulators.photoshelter_api_url, "per_page": 0}
    [failed] = run_all("tap-photoshelter", {"p": (config, ())}, tmp_path).values()
    assert failed.last_line == (
        "tap-photoshelter: error: setting per_page must be between 1 and 1000, got 0"
    )
    assert photoshelter_admin.requests()["total"] == 0
