"""Secrets never reach logs, errors, the relayed state or the outcomes file, even when the
server echoes them back in an error message."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from target_plytix_helpers import singer_lines

TARGET = str(Path(sys.executable).parent / "target-plytix")
KEY, PASSWORD = "key-Zq81xVb", "pw-Hm3k9Pq2sWx"


def test_a_server_echoing_the_password_never_gets_it_into_outcomes_state_or_logs(
    tmp_path, target_config, plytix_admin, skus
):
    plytix_admin.settings(api_key=KEY, api_password=PASSWORD)
    echo = {
        "error": {
            "msg": f"rejected for api_key={KEY} password={PASSWORD}",
            "errors": [{"field": "label", "msg": f"not for {PASSWORD}"}],
        }
    }
    plytix_admin.fault(route="PATCH /api/v2/products/{product_id}", status=422, body=echo, count=1)
    config = {**target_config, "api_key": KEY, "api_password": PASSWORD}
    path = tmp_path / "config.json"
    path.write_text(json.dumps(config))
    lines = singer_lines(
        [
            ("products", {"sku": skus[0], "label": "refused"}),
            ("products", {"sku": skus[1], "label": "written"}),
        ],
        state={"bookmark": "b-1"},
    )
    result = subprocess.run(
        [TARGET, "--config", str(path)],
        input=lines,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={**os.environ, "LOGLEVEL": "DEBUG"},
    )
    assert result.returncode == 0, result.stderr[-2000:]
    outcomes = Path(config["outcomes_path"]).read_text()
    [refused] = [
        json.loads(x) for x in outcomes.splitlines() if json.loads(x)["outcome"] == "rejected"
    ]
    assert "rejected for api_key=*** password=***" in refused["reason"]
    assert [json.loads(x) for x in result.stdout.splitlines()] == [{"bookmark": "b-1"}]
    everything = result.stdout + result.stderr + outcomes
    assert PASSWORD not in everything and KEY not in everything
    assert "eyJ" not in everything  # no token (the emulator's look like JWTs)
