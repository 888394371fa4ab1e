"""target-plytix refuses bad settings in one line naming the setting, and only hands Plytix
asset URLs it may fetch: https on an allowed host, never an internal address."""

from __future__ import annotations

import json
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from plytix_api import ConfigError
from target_plytix.asset_urls import AssetUrlPolicy
from target_plytix.target import TargetPlytix
from target_plytix_helpers import photo, product_by_sku, run_target, singer_lines, writes

TARGET = str(Path(sys.executable).parent / "target-plytix")
DROP = object()

CASES: list[tuple[str, dict[str, Any], str]] = [
    (
        "no credentials",
        {"api_key": DROP, "api_password": DROP},
        "set api_key and api_password, or access_token",
    ),
    ("password without key", {"api_key": DROP}, "setting api_key is required with api_password"),
    (
        "api_url malformed",
        {"api_url": "https//pim.plytix.com"},
        "setting api_url must be an https URL",
    ),
    (
        "plain http off loopback",
        {"auth_url": "http://auth.plytix.com"},
        "setting auth_url uses plain http to 'auth.plytix.com'",
    ),
    (
        "enum",
        {"sku_normalization": "casefold"},
        "setting sku_normalization must be one of none, trim, upper, lower, got 'casefold'",
    ),
    (
        "enum of media mode",
        {"media_write_mode": "both"},
        "setting media_write_mode must be one of patch, link",
    ),
    (
        "boolean as text",
        {"create_missing_products": "yes"},
        "setting create_missing_products must be true or false, got 'yes'",
    ),
    ("dry_run as number", {"dry_run": 1}, "setting dry_run must be true or false, got 1"),
    (
        "columns as text",
        {"max_columns_per_search": "fifty"},
        "setting max_columns_per_search must be a whole number",
    ),
    ("outcomes_path as number", {"outcomes_path": 5}, "setting outcomes_path must be text"),
    (
        "hosts as text",
        {"allowed_asset_hosts": "c.photoshelter.com"},
        "setting allowed_asset_hosts must be a list",
    ),
    (
        "host with a scheme",
        {"allowed_asset_hosts": ["https://c.photoshelter.com"]},
        "setting allowed_asset_hosts: 'https://c.photoshelter.com' is not a host name",
    ),
    ("retries negative", {"max_retries": -2}, "setting max_retries must be a whole number >= 0"),
    (
        "sku lookups of none",
        {"sku_eq_per_search": 0},
        "setting sku_eq_per_search must be a whole number >= 1, got 0",
    ),
    ("api generation unknown", {"api_version": "v3"}, "setting api_version must be one of"),
    ("verify as text", {"verify_writes": "no"}, "setting verify_writes must be true or false"),
]
COMMAND_CASES = ("no credentials", "plain http off loopback", "enum", "host with a scheme")


def config_for(base: dict[str, Any], change: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in {**base, **change}.items() if v is not DROP}


@pytest.mark.parametrize(("name", "change", "expected"), CASES, ids=[c[0] for c in CASES])
def test_each_bad_setting_is_refused_naming_it(name, change, expected, target_config):
    with pytest.raises(ConfigError) as refused:
        TargetPlytix(config=config_for(target_config, change), parse_env_config=False)
    assert expected in str(refused.value) and "\n" not in str(refused.value)


def test_the_command_prints_one_line_without_traceback_and_exits_1(
    tmp_path, target_config, plytix_admin
):
    def case(spec: tuple[str, dict[str, Any], str]) -> tuple[str, subprocess.CompletedProcess]:
        name, change, _ = spec
        path = tmp_path / f"{name.replace(' ', '_')}.json"
        path.write_text(json.dumps(config_for(target_config, change)))
        return name, subprocess.run(
            [TARGET, "--config", str(path)],
            capture_output=True,
            text=True,
            input=singer_lines([]),
            timeout=120,
            check=False,
        )

    plytix_admin.clear_requests()
    with ThreadPoolExecutor(max_workers=3) as pool:
        results = dict(pool.map(case, [c for c in CASES if c[0] in COMMAND_CASES]))
    for name, _, expected in CASES:
        if name not in results:
            continue
        result = results[name]
        errors = [line for line in result.stderr.splitlines() if "error" in line.lower()]
        assert result.returncode == 1
        assert errors == [f"target-plytix: error: {errors[0][len('target-plytix: error: ') :]}"]
        assert expected in errors[0] and "Traceback" not in result.stderr
    assert plytix_admin.requests()["by_route"] == {}


ATTACKS = [
    ("https://evil.example.com/a.jpg", "host 'evil.example.com' is not in allowed_asset_hosts"),
    ("https://c.photoshelter.com.evil.example/a.jpg", "is not in allowed_asset_hosts"),
    ("https://169.254.169.254/latest/meta-data/", "host '169.254.169.254' is not in"),
    ("https://10.0.0.8/internal.jpg", "host '10.0.0.8' is not in allowed_asset_hosts"),
    ("http://c.photoshelter.com/img-get2/x.jpg", "must be https (plain http only for a loopback"),
    ("https://me:secret@c.photoshelter.com/a.jpg", "must not carry a user name or password"),
    ("file:///etc/passwd", "must be an https URL"),
    ("gopher://127.0.0.1:6379/_FLUSHALL", "must be an https URL"),
    ("https://c.photoshelter.com:99999/a.jpg", "must be an https URL"),
]


def test_crafted_asset_urls_are_rejected_and_nothing_is_written(
    target_config, plytix_admin, emulators, skus, media_ids
):
    records = [
        (
            "product_media",
            {
                "sku": skus[0],
                "attribute_label": "media_gallery",
                "assets": [{**photo(emulators, media_ids[0]), "url": url}],
            },
        )
        for url, _ in ATTACKS
    ]
    before = plytix_admin.state()
    run = run_target(target_config, records)
    assert [o["outcome"] for o in run.outcomes] == ["rejected"] * len(ATTACKS)
    for outcome, (_, reason) in zip(run.outcomes, ATTACKS, strict=True):
        assert reason in outcome["reason"]
    assert "secret" not in json.dumps(run.outcomes)
    assert writes(plytix_admin) == {}
    assert plytix_admin.state()["assets"] == before["assets"]


def test_photoshelter_link_hosts_are_allowed_by_default():
    policy = AssetUrlPolicy.from_settings(None, "https://pim.plytix.com/api/v1")
    assert (
        policy.problem("https://c.photoshelter.com/img-get2/I0000abc/fit=1000x1000", "url") is None
    )
    assert policy.problem("https://ACME.PhotoShelter.com./img-get2/x", "url") is None
    assert "not in allowed_asset_hosts" in policy.problem(
        "https://photoshelter.com.evil.io/", "url"
    )


def test_loopback_needs_a_loopback_plytix_or_a_listing():
    real = AssetUrlPolicy.from_settings(None, "https://pim.plytix.com/api/v1")
    assert "'127.0.0.1' is not in allowed_asset_hosts" in real.problem(
        "http://127.0.0.1:8702/img-get2/x/fit=10x10", "url"
    )
    assert "'localhost' is not in" in real.problem("http://localhost/x.jpg", "url")
    listed = AssetUrlPolicy.from_settings(["127.0.0.1"], "https://pim.plytix.com/api/v1")
    assert listed.problem("http://127.0.0.1:8702/img-get2/x/fit=10x10", "url") is None
    assert "not in allowed_asset_hosts" in listed.problem("https://c.photoshelter.com/x", "url")
    local = AssetUrlPolicy.from_settings(None, "http://127.0.0.1:8701/api/v1")
    assert local.problem("http://127.0.0.1:8702/img-get2/x/fit=10x10", "url") is None


def test_an_explicit_host_list_is_honoured_end_to_end(
    target_config, plytix_admin, emulators, skus, media_ids
):
    """Listed: the emulator's loopback links go through; a record on another host does not."""
    config = {**target_config, "allowed_asset_hosts": ["127.0.0.1", "*.photoshelter.com"]}
    good = (
        "product_media",
        {"sku": skus[1], "attribute_label": "packshot", "assets": [photo(emulators, media_ids[1])]},
    )
    bad = (
        "product_media",
        {
            "sku": skus[2],
            "attribute_label": "packshot",
            "assets": [{**photo(emulators, media_ids[2]), "url": "https://cdn.example.net/a.jpg"}],
        },
    )
    run = run_target(config, [good, bad])
    assert {o["key"]["sku"]: o["outcome"] for o in run.outcomes} == {
        skus[1]: "created",
        skus[2]: "rejected",
    }
    assert product_by_sku(plytix_admin, skus[1])["attributes"]["packshot"]
    assert writes(plytix_admin)["POST /api/v1/assets"] == 1
