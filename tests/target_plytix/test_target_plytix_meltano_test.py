"""`meltano config test target-plytix`: the target takes Meltano's test stream, asks Plytix
once with the configured credentials, writes nothing and prints no line Meltano reads as a
failure (Meltano fails a loader test on any output line holding "error" or "exception")."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from meltano.core.plugin_test_service import LoaderTestService

from tests.target_plytix.conftest import writes

TARGET = str(Path(sys.executable).parent / "target-plytix")


def meltano_test_messages() -> str:
    """Exactly what Meltano 4 sends a loader under `meltano config test`."""
    service = LoaderTestService(SimpleNamespace(capabilities=["about", "stream-maps"]))
    return "".join(line + "\n" for line in service._generate_test_messages(
        "meltano_test_stream"))


def run_cli(config: dict[str, Any], tmp_path: Path) -> subprocess.CompletedProcess[str]:
    path = tmp_path / "config.json"
    path.write_text(json.dumps(config))
    return subprocess.run([TARGET, "--config", str(path)], input=meltano_test_messages(),
                          capture_output=True, text=True, timeout=120, check=False)


def test_meltano_test_stream_is_accepted_checked_and_not_written(target_config, plytix_admin,
                                                                 tmp_path):
    outcomes = Path(target_config["outcomes_path"])
    outcomes.write_text('{"previous": "run"}\n')
    plytix_admin.clear_requests()
    done = run_cli(target_config, tmp_path)
    output = done.stdout + done.stderr
    assert done.returncode == 0, output
    assert "error" not in output.lower() and "exception" not in output.lower(), output
    assert "meltano_test_stream: Plytix accepted the credentials" in done.stderr
    routes = plytix_admin.requests()["by_route"]
    assert routes.get("POST /auth/api/get-token") == 1
    assert sum(n for r, n in routes.items() if r.endswith("/search")) == 1
    assert writes(plytix_admin) == {}
    assert outcomes.read_text() == '{"previous": "run"}\n', "the last sync's outcomes stay"
    state = [json.loads(line) for line in done.stdout.splitlines() if line.strip()]
    assert state[-1]["bookmarks"]["meltano_test_stream"] == {"last_record": 1}


def test_meltano_test_with_wrong_credentials_fails_in_one_line(target_config, plytix_admin,
                                                               tmp_path):
    done = run_cli({**target_config, "api_password": "wrong"}, tmp_path)
    assert done.returncode == 1
    lines = done.stderr.strip().splitlines()
    assert lines[-1].startswith("target-plytix: error: ")
    assert "api_password" in lines[-1] and "wrong" not in lines[-1]
    assert "Traceback" not in done.stderr
