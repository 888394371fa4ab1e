"""tap-plytix's `source_account` record: the run's environment and Plytix account, no secret."""

from __future__ import annotations

import json

from tap_plytix.account_stream import account_identity
from tap_plytix_helpers import run_tap

from emulators.plytix.app import ACCOUNT


def test_the_run_records_its_environment_and_the_token_account(plytix_config, monkeypatch):
    monkeypatch.setenv("MELTANO_ENVIRONMENT", "prod")
    run = run_tap(plytix_config)
    [record] = run.records["source_account"]
    host = plytix_config["api_url"].split("//")[1].split("/")[0]
    assert {k: record[k] for k in ("environment", "api_host", "account", "account_from")} == {
        "environment": "prod",
        "api_host": host,
        "account": ACCOUNT,
        "account_from": "token claim account_id",
    }
    text = json.dumps(record)
    assert plytix_config["api_key"] not in text and plytix_config["api_password"] not in text


def test_without_an_account_claim_the_account_is_a_fingerprint_of_host_and_key():
    one, source = account_identity({}, "pim.plytix.com", "key-Yt62pLm")
    assert source == "fingerprint of api_url and api_key"
    assert one.startswith("key-") and len(one) == 20 and "Yt62pLm" not in one
    assert account_identity({}, "pim.plytix.com", "key-Yt62pLm")[0] == one
    assert account_identity({}, "pim.plytix.com", "key-other")[0] != one
    assert account_identity({}, "127.0.0.1:8701", "key-Yt62pLm")[0] != one
    assert account_identity({"account_id": 42}, "pim.plytix.com", "k") == (
        "42",
        "token claim account_id",
    )
