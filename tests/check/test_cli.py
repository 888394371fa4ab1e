"""`pim-dam-check` as `make check` / `make setup` run it: settings from `meltano config`
(environment variables included), a table on stdout, the exit code, no secret printed."""

from __future__ import annotations

import subprocess

import pytest
from sync_project import MELTANO, ROOT, base_env, emulator_env, run_check_cli


def run(emulators, *args, **env):
    done = run_check_cli(args, cwd=ROOT, env={**base_env(), **emulator_env(emulators), **env})
    done.flat = " ".join(done.stdout.split())  # the table wraps long details
    return done


def test_check_exit_codes_follow_the_settings_meltano_resolves(
    emulators, plytix_admin, photoshelter_admin
):
    done = run(emulators, "check", "--environment", "dev")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "check: OK" in done.flat
    assert "attribute imagery_status" in done.flat
    # a one-run override through the environment, as Meltano reads it (DBT_DUCKDB_<SETTING>)
    done = run(emulators, "check", "--environment", "dev", DBT_DUCKDB_APPROVAL_VALUE="approved")
    assert done.returncode == 1
    assert "setting approval_value of dbt-duckdb" in done.flat
    assert "blocker(s)" in done.flat


def test_setup_dry_run_then_apply_then_nothing_left(emulators, plytix_admin, photoshelter_admin):
    renamed = {"DBT_DUCKDB_IMAGERY_STATUS_ATTRIBUTE": "image_status"}
    done = run(emulators, "setup", **renamed)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "would create (dry run; make setup APPLY=1 does it)" in done.flat
    assert "Plytix: create attribute image_status (DropdownAttribute" in done.flat
    assert "PhotoShelter: create tag 'Teal' in field 'Color'" in done.flat
    assert "by hand" in done.flat and "field 'SKU'" in done.flat
    log = plytix_admin.requests()["by_route"]
    assert "POST /api/v1/attributes/product" not in log
    assert not [r for r in photoshelter_admin.requests()["by_route"] if r.endswith("/tags")]

    done = run(emulators, "setup", "--apply", **renamed)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "check now says" in done.flat and "check: OK" in done.flat
    assert plytix_admin.requests()["by_route"]["POST /api/v1/attributes/product"] == 1

    done = run(emulators, "setup", **renamed)
    assert done.returncode == 0
    assert "would create" not in done.flat


@pytest.mark.e2e
def test_meltano_utility_runs_check_in_the_active_environment(
    emulators, plytix_admin, photoshelter_admin, tmp_path
):
    """`meltano invoke pim-dam-check check`: the utility finds meltano on the PATH and reads
    the other plugins' settings of the environment Meltano runs in."""
    env = {**base_env(), **emulator_env(emulators), "MELTANO_SYS_DIR_ROOT": str(tmp_path)}
    installed = subprocess.run(
        [str(MELTANO), "install", "pim-dam-check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert installed.returncode == 0, installed.stderr[-3000:]
    done = subprocess.run(
        [str(MELTANO), "invoke", "pim-dam-check", "check"],
        cwd=ROOT,
        env={**env, "DBT_DUCKDB_MATCH_RULES": "sku,keyword"},
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    flat = " ".join(done.stdout.split())
    assert done.returncode == 1, done.stdout[-3000:] + done.stderr[-3000:]
    assert "pim-dam-check check: environment dev" in flat
    assert "setting match_rules of dbt-duckdb: unknown rule(s) sku;" in flat
    assert "demo-password" not in done.stdout + done.stderr
