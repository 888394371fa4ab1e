"""tap-photoshelter's `source_account` record: the run's environment and bound organisation."""

from __future__ import annotations

import json


def test_the_run_records_its_environment_and_organisation(ps_config, photoshelter_admin, run_tap):
    run = run_tap(ps_config, env={"MELTANO_ENVIRONMENT": "dev"})
    assert run.returncode == 0, run.stderr[-2000:]
    [record] = run.records["source_account"]
    organisation = photoshelter_admin.state()["organization"]["id"]
    host = ps_config["api_url"].split("//")[1].split("/")[0]
    assert {k: record[k] for k in ("environment", "api_host", "account", "account_from")} == {
        "environment": "dev",
        "api_host": host,
        "account": organisation,
        "account_from": "organisation the session is bound to",
    }
    text = json.dumps(record)
    assert ps_config["api_key"] not in text and ps_config["password"] not in text
