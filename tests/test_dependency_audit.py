"""`scripts/audit.py`: every pinned version, locked or in a plugin venv, has no known vulnerability.

The first test asks the real services (OSV, else PyPI) about the real pins, including the
plugin virtualenvs that `meltano install` made for this test session. The others give the
decision rules canned service answers, since OSV cannot be run here.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import requests
from sync_project import ROOT, meltano_installed

sys.path.insert(0, str(ROOT / "scripts"))

from audit import (
    OSV_BATCH,
    Dependency,
    Unreachable,
    audit,
    exit_status,
    installed,
    locked,
    report,
    unique,
)


def test_every_pinned_version_is_free_of_known_vulnerabilities(tmp_path: Path) -> None:
    out = tmp_path / "audit.json"
    done = subprocess.run(
        [
            sys.executable,
            str(ROOT / "scripts" / "audit.py"),
            "--venvs",
            str(meltano_installed()),
            "--json",
            str(out),
        ],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    if done.returncode == 2:
        pytest.skip(f"no vulnerability service reachable: {done.stderr.strip()}")
    print(done.stdout)
    verdicts = json.loads(out.read_text())
    assert [v for v in verdicts if v["status"] == "vulnerable"] == []
    assert done.returncode == 0, done.stdout + done.stderr
    audited = {v["dependency"]["name"]: v["dependency"]["where"] for v in verdicts}
    assert "uv.lock" in audited["meltano"]
    assert "plugin target-duckdb" in audited["target-duckdb"]
    assert "plugin dbt-duckdb" in audited["dbt-core"]
    assert "tap-plytix" not in audited, "the project's own packages are not on PyPI"


def test_the_inventory_reads_the_lock_and_plugin_venvs(tmp_path: Path) -> None:
    site = tmp_path / "loaders" / "target-x" / "venv" / "lib" / "python3.11" / "site-packages"
    for name, version, editable in (("Foo_Bar", "1.0", False), ("target-x", "0.1", True)):
        info = site / f"{name}-{version}.dist-info"
        info.mkdir(parents=True)
        (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n")
        if editable:
            (info / "direct_url.json").write_text('{"url": "file:///work/target-x"}')
    found = unique([*installed(tmp_path), Dependency("foo-bar", "1.0", "uv.lock")])
    assert found == [Dependency("foo-bar", "1.0", "")]
    assert found[0].where == "plugin target-x, uv.lock"
    assert any(d.name == "requests" for d in locked(ROOT / "uv.lock"))


def answers(osv: dict | None = None, pypi: dict | None = None):
    """A fetch that answers from canned payloads; a missing service refuses to connect."""

    def fetch(url: str, body: dict | None = None) -> dict:
        if url == OSV_BATCH and osv is not None:
            return {
                "results": [
                    {"vulns": [{"id": i} for i in osv.get(q["package"]["name"], [])]}
                    for q in body["queries"]
                ]
            }
        name = url.rstrip("/").split("/")[-2]
        if url != OSV_BATCH and pypi is not None and name in pypi:
            return pypi[name]
        raise requests.ConnectionError(f"cannot reach {url}")

    return fetch


DEPS = [Dependency("old", "1.0", "uv.lock"), Dependency("new", "2.0", "plugin dbt-duckdb")]


def test_an_osv_finding_fails_the_audit_and_names_the_package() -> None:
    verdicts = audit(DEPS, answers(osv={"old": ["PYSEC-1", "GHSA-x"]}), log=lambda _: None)
    assert [(v.dependency.name, v.status, v.vulnerabilities) for v in verdicts] == [
        ("old", "vulnerable", ["GHSA-x", "PYSEC-1"]),
        ("new", "clean", []),
    ]
    assert exit_status(verdicts, strict=False) == 1
    assert "  VULNERABLE old==1.0 (uv.lock): GHSA-x, PYSEC-1" in report(verdicts)


def test_without_osv_pypi_checks_latest_pins_and_names_older_ones_unverified() -> None:
    pypi = {
        "old": {"info": {"version": "1.4"}, "vulnerabilities": []},
        "new": {
            "info": {"version": "2.0"},
            "vulnerabilities": [
                {"id": "PYSEC-9", "withdrawn": None},
                {"id": "PYSEC-8", "withdrawn": "2026"},
            ],
        },
    }
    logged: list[str] = []
    verdicts = audit(DEPS, answers(pypi=pypi), log=logged.append)
    assert "asking PyPI instead" in logged[0]
    assert [(v.status, v.vulnerabilities) for v in verdicts] == [
        ("unverified", []),
        ("vulnerable", ["PYSEC-9"]),
    ]
    assert "pinned 1.0, latest 1.4" in verdicts[0].reason
    pypi["new"]["vulnerabilities"] = []
    verdicts = audit(DEPS, answers(pypi=pypi), log=logged.append)
    assert (exit_status(verdicts, strict=False), exit_status(verdicts, strict=True)) == (0, 1)


def test_no_service_at_all_is_an_error_not_a_pass() -> None:
    with pytest.raises(Unreachable, match="PyPI"):
        audit(DEPS, answers(), log=lambda _: None)
