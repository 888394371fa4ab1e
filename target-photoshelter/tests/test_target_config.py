"""Bad settings of the target: one line naming the setting, exit 1, no traceback."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "tap-photoshelter" / "tests"))

from config_cases import Failed, run_all

from emulators.runtime import DEMO_CREDENTIALS

GOOD = {**DEMO_CREDENTIALS["photoshelter"], "api_url": "http://127.0.0.1:9/psapi/v4.0"}

CASES = {
    "api_key missing": (
        {k: v for k, v in GOOD.items() if k != "api_key"},
        "setting api_key is required",
    ),
    "plain http to another host": (
        {**GOOD, "api_url": "http://ps.example/psapi/v4.0"},
        "setting api_url uses plain http to 'ps.example'",
    ),
    "no managed prefix": (
        {**GOOD, "managed_keyword_prefixes": []},
        "setting managed_keyword_prefixes must hold at least one prefix",
    ),
    "prefix with a space": (
        {**GOOD, "managed_keyword_prefixes": ["sku: x"]},
        "setting managed_keyword_prefixes[0] must match ",
    ),
    "prefixes not a list": (
        {**GOOD, "managed_keyword_prefixes": 7},
        "setting managed_keyword_prefixes must be a list, got 7",
    ),
    "dry_run text": (
        {**GOOD, "dry_run": "maybe"},
        "setting dry_run must be true or false, got 'maybe'",
    ),
    "outcomes_path not writable": (
        {**GOOD, "outcomes_path": "/proc/1/nope/outcomes.jsonl"},
        "setting outcomes_path: cannot append to '/proc/1/nope/outcomes.jsonl'",
    ),
}


@pytest.fixture(scope="module")
def failures(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Failed]:
    folder = tmp_path_factory.mktemp("target-config")
    return run_all(
        "target-photoshelter", {name: (config, ()) for name, (config, _) in CASES.items()}, folder
    )


@pytest.mark.parametrize("case", list(CASES))
def test_bad_setting_is_one_line_naming_it(case, failures):
    failed = failures[case]
    assert failed.returncode == 1
    assert failed.last_line.startswith(f"target-photoshelter: error: {CASES[case][1]}")
    assert "Traceback" not in failed.stderr
    assert DEMO_CREDENTIALS["photoshelter"]["password"] not in failed.stderr
