"""A new user's first day: a fresh copy of the project, dev and prod, exit codes, dry runs.

Each test runs `meltano` in a copy of the project (meltano.yml and transform/, no `output/`)
with the project's own file settings, so what is checked is where the files really go.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import duckdb
import pytest
from owner_edits import CHECK_FAILS_ON_THEIR_OWN, make_account_their_own
from plytix_api import PlytixClient
from remote_services import Remote
from sync_project import ROOT, Project

from emulators.runtime import DEMO_CREDENTIALS, start

pytestmark = pytest.mark.e2e


def fresh_copy(into: Path) -> Path:
    """What `git clone` gives: the project files, no `output/`, no dbt target folder."""
    into.mkdir(parents=True)
    shutil.copy(ROOT / "meltano.yml", into / "meltano.yml")
    shutil.copytree(
        ROOT / "transform",
        into / "transform",
        ignore=shutil.ignore_patterns("target", "logs", "dbt_packages"),
    )
    return into


def prod_secrets(remote: Remote) -> dict[str, str]:
    """The `prod` environment's variables, pointed at the emulators (their demo account)."""
    plytix, photoshelter = DEMO_CREDENTIALS["plytix"], DEMO_CREDENTIALS["photoshelter"]
    return {
        "PLYTIX_API_KEY": plytix["api_key"],
        "PLYTIX_API_PASSWORD": plytix["api_password"],
        "PHOTOSHELTER_API_KEY": photoshelter["api_key"],
        "PHOTOSHELTER_EMAIL": photoshelter["email"],
        "PHOTOSHELTER_PASSWORD": photoshelter["password"],
        "PHOTOSHELTER_ORG_ID": remote.photoshelter.state()["organization"]["id"],
    }


@pytest.fixture
def remote() -> Iterator[Remote]:
    running = start("small", seed=42, rate_limits=False)  # strict, as the real services
    yield Remote(running)
    running.stop()


def count(warehouse: Path, sql: str) -> int:
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        return connection.execute(sql).fetchone()[0]


def test_fresh_copy_syncs_and_keeps_one_state_per_environment(tmp_path: Path, remote: Remote):
    root = fresh_copy(tmp_path / "clone")
    project = Project(
        tmp_path / "work",
        remote.running,
        extra_env=prod_secrets(remote),
        root=root,
        own_files=False,
    )
    project.run("sync")
    dev = root / "output" / "dev"
    assert (dev / "warehouse.duckdb").is_file()
    assert (dev / "report.html").is_file()
    assert sorted(p.name for p in (dev / "outcomes").glob("*.jsonl")) == [
        "target-photoshelter.jsonl",
        "target-plytix.jsonl",
    ]
    assert not (root / "output" / "prod").exists()
    dev_products = count(dev / "warehouse.duckdb", "select count(*) from tap_plytix.products")
    dev_modified = (dev / "warehouse.duckdb").stat().st_mtime_ns

    project.meltano("--environment=prod", "run", "sync")
    prod = root / "output" / "prod"
    assert (prod / "warehouse.duckdb").is_file() and (prod / "report.html").is_file()
    # prod landed its own rows (a full first extract: no bookmark of dev's) ...
    assert (
        count(prod / "warehouse.duckdb", "select count(*) from tap_plytix.products") == dev_products
    )
    # ... and never opened dev's files
    assert (dev / "warehouse.duckdb").stat().st_mtime_ns == dev_modified
    assert not (root / "output" / "warehouse.duckdb").exists()


def test_a_sync_with_rejected_records_exits_non_zero_and_says_why(tmp_path: Path, remote: Remote):
    project = Project(tmp_path / "work", remote.running)
    # Plytix refuses the first product writes (as it does a value it cannot store)
    remote.plytix.fault(
        route="PATCH /api/*",
        action="status",
        status=400,  # v1 or v2
        count=2,
        body={"error": {"msg": "refused by the test"}},
    )
    failed = project.run("sync", check=False)
    assert failed.returncode != 0
    said = re.search(
        r"sync-report: run failed: (\d+) record\(s\) rejected \(target-plytix "
        r"(\d+)\)",
        failed.stdout + failed.stderr,
    )
    assert said and said[1] == said[2] and int(said[1]) >= 2  # with the products' media too
    report = (project.workdir / "report.html").read_text()
    assert "Run failed" in report and "fail_on_rejects" in report
    assert "refused by the test" in report
    summary = project.meltano("invoke", "sync-report", "summary").stdout
    assert "status              FAILED" in summary
    assert f"rejects             {said[1]}" in summary
    # the rejected records stay in the outbox: the next sync writes them and succeeds
    project.run("sync")
    summary = project.meltano("invoke", "sync-report", "summary").stdout
    assert "status              OK" in summary and "rejects             0" in summary


def linked_images(remote: Remote) -> dict[str, set[str]]:
    """SKU -> the PhotoShelter images (ids) its media attributes hold in Plytix."""
    state = remote.plytix_state()
    return {
        p["sku"]: {
            m
            for images in remote.product_media(p["sku"], state).values()
            for m in images
            if not m.startswith("plytix:")
        }
        for p in state["products"]
    }


def test_an_expiry_wave_is_stopped_by_the_guards_and_let_through_by_the_setting(
    tmp_path: Path, remote: Remote
):
    project = Project(tmp_path / "work", remote.running)
    project.run("sync")
    before = linked_images(remote)
    linked = sorted({m for images in before.values() for m in images})
    assert len(linked) > 60
    # the rights of most linked images expire at once (a licence not renewed)
    yesterday = (date.today() - timedelta(days=1)).isoformat()
    wave = linked[: len(linked) * 2 // 3]
    for media_id in wave:
        remote.edit_media(media_id, license_expiration=yesterday)
    remote.clear_requests()

    stopped = project.run("sync", check=False)
    assert stopped.returncode != 0
    said = stopped.stdout + stopped.stderr
    assert "sync-report: run failed: guard images_unlinked: the plan would change" in said
    assert "more than max_unlinked_images 50" in said
    assert "SYNC_REPORT_MAX_UNLINKED_IMAGES=<higher> meltano run sync" in said
    # stopped before apply: nothing written, Plytix unchanged, and the report says so
    assert remote.writes() == {"plytix": {}, "photoshelter": {}}
    assert linked_images(remote) == before
    report = (project.workdir / "report.html").read_text()
    assert "Run failed" in report and "STOPPED" in report and 'data-mode="plan"' in report

    # intended: let this one run through
    project.extra_env = {
        "SYNC_REPORT_MAX_UNLINKED_IMAGES": "100000",
        "SYNC_REPORT_MAX_SLOT_CHANGE_PERCENT": "100",
        "SYNC_REPORT_MAX_STATUS_CHANGE_PERCENT": "100",
    }
    project.run("sync")
    after = linked_images(remote)
    state = remote.plytix_state()
    in_channels = {
        m
        for p in state["products"]
        for label, images in remote.product_media(p["sku"], state).items()
        if label.endswith("_images")
        for m in images
    }
    assert not set(wave) & in_channels  # expired images left every channel attribute
    assert after != before
    report = (project.workdir / "report.html").read_text()
    # the guard table shows what went through and under which limit
    assert "Run OK" in report and "max_unlinked_images 100000" in report
    # the next run, with the settings back to their defaults, has nothing left to stop
    project.extra_env = {}
    project.run("sync")


def test_an_approval_value_typo_stops_the_sync_before_any_write(tmp_path: Path, remote: Remote):
    """`approved` for `Approved` would plan to unpublish every image: the gate stops it."""
    project = Project(
        tmp_path / "work", remote.running, extra_env={"DBT_DUCKDB_APPROVAL_VALUE": "approved"}
    )
    remote.clear_requests()
    done = project.run("sync", check=False)
    assert done.returncode != 0
    assert (
        "setting approval_value of dbt-duckdb: 'approved' is not a tag of PhotoShelter "
        "field 'Status' (tags, case-sensitive: Approved, Pending, Rejected)"
        in done.stdout
        + done.stderr
    )
    assert remote.writes() == {"plytix": {}, "photoshelter": {}}


def outbox_tables(warehouse: Path) -> list[str]:
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        return sorted(
            r[0]
            for r in connection.execute(
                "select table_name from information_schema.tables where table_schema = 'outbox'"
            ).fetchall()
        )


def test_a_prod_plan_refuses_rows_landed_in_dev(tmp_path: Path, remote: Remote):
    """dev's warehouse copied to prod's place (or prod pointed at dev's file): the prod plan
    and the prod sync stop in dbt with the landing-accounts gate's one line, before any write;
    a fresh prod warehouse then plans from prod's own landing, and dev's stays dev's."""
    root = fresh_copy(tmp_path / "clone")
    project = Project(
        tmp_path / "work",
        remote.running,
        extra_env=prod_secrets(remote),
        root=root,
        own_files=False,
    )
    project.run("extract")
    dev, prod = root / "output" / "dev", root / "output" / "prod"
    assert not prod.exists()
    prod.mkdir(parents=True)
    shutil.copy(dev / "warehouse.duckdb", prod / "warehouse.duckdb")
    refusal = (
        f"landing accounts: the warehouse {prod / 'warehouse.duckdb'} holds rows landed "
        "in environment 'dev', not 'prod'. Plan only from a warehouse that one "
        "environment's accounts landed in: start a fresh warehouse for environment "
        "'prod' (move that file away; on Postgres, a new database) and extract again "
        "(`meltano --environment prod run extract`)."
    )
    remote.clear_requests()

    planned = project.meltano("--environment=prod", "run", "plan", check=False)
    assert planned.returncode != 0
    assert refusal in planned.stdout + planned.stderr
    assert outbox_tables(prod / "warehouse.duckdb") == []
    # the prod sync lands prod's rows beside dev's: two environments, refused as well
    synced = project.meltano("--environment=prod", "run", "sync", check=False)
    assert synced.returncode != 0
    assert "holds rows landed in 2 environments ('dev', 'prod')" in synced.stdout + synced.stderr
    assert outbox_tables(prod / "warehouse.duckdb") == []
    assert remote.writes() == {"plytix": {}, "photoshelter": {}}

    # the fix the message names: a fresh warehouse for prod, extracted again
    (prod / "warehouse.duckdb").unlink()
    dev_modified = (dev / "warehouse.duckdb").stat().st_mtime_ns
    project.meltano("--environment=prod", "run", "extract", "plan")
    assert outbox_tables(prod / "warehouse.duckdb") == [
        "photoshelter_galleries",
        "photoshelter_media_metadata",
        "plytix_product_media",
        "plytix_products",
    ]
    with duckdb.connect(str(prod / "warehouse.duckdb"), read_only=True) as connection:
        assert connection.execute(
            "select side, environment, account from marts.landing_accounts order by side"
        ).fetchall() == [
            ("PhotoShelter", "prod", prod_secrets(remote)["PHOTOSHELTER_ORG_ID"]),
            ("Plytix", "prod", "demo-account"),
        ]
    assert (dev / "warehouse.duckdb").stat().st_mtime_ns == dev_modified
    assert remote.writes() == {"plytix": {}, "photoshelter": {}}


def plytix_as_owner(remote: Remote) -> PlytixClient:
    """The account owner's own API access (what they would click in the web app)."""
    return PlytixClient.from_config(
        {
            "auth_url": remote.running.plytix_url,
            "api_url": remote.running.plytix_api_url,
            **DEMO_CREDENTIALS["plytix"],
            "requests_per_10s": 0,
            "requests_per_hour": 0,
        }
    )


def test_a_new_user_checks_sets_up_and_syncs_an_account_of_their_own(
    tmp_path: Path, remote: Remote
):
    """The README's first steps on a fresh copy, against an account that is not the demo's:
    `check` names every gap and exits 1; the settings are pointed at the account's own names
    (`meltano config set`), the one field the API cannot make is made by hand, `setup --apply`
    makes the rest; then `check` passes and `meltano run sync` links the approved images."""
    root = fresh_copy(tmp_path / "clone")
    project = Project(tmp_path / "work", remote.running, root=root, own_files=False)
    make_account_their_own(plytix_as_owner(remote), remote.photoshelter)

    checked = project.pim_dam_check("check", "--environment", "dev")
    assert checked.returncode == 1, checked.stdout[-3000:] + checked.stderr[-3000:]
    failed = {
        m[1].strip()
        for m in re.finditer(r"^\S.*?\s(attribute \S+|field \S+)\s+FAIL", checked.stdout, re.M)
    }
    assert failed == CHECK_FAILS_ON_THEIR_OWN, checked.stdout
    remote.clear_requests()
    # the sync refuses to plan on this account before anything is written
    refused = project.run("sync", check=False)
    assert refused.returncode != 0
    assert "style_attribute" in refused.stdout + refused.stderr
    assert remote.writes() == {"plytix": {}, "photoshelter": {}}

    for name, value in (
        ("style_attribute", "style_number"),
        ("approval_field", "Approval"),
        ("custom_fields", "Category:category,Colour:color,Size:size,Launch Status:launch_status"),
    ):
        project.meltano("config", "set", "dbt-duckdb", name, value)
    remote.photoshelter.call("POST", "fields", {"name": "Size", "tags": ["S", "M"]})  # the web UI
    made = project.pim_dam_check("setup", "--apply", "--environment", "dev")
    assert made.returncode == 0, made.stdout[-3000:] + made.stderr[-3000:]
    assert "check now says" in made.stdout
    assert project.pim_dam_check("check", "--environment", "dev").returncode == 0

    project.run("sync")
    linked = {sku: images for sku, images in linked_images(remote).items() if images}
    assert len(linked) > 20
    statuses = {
        p["attributes"].get("imagery_status") for p in remote.plytix_state()["products"]
    } - {None}
    assert statuses and statuses <= {
        "Complete",
        "Missing hero",
        "No approved imagery",
        "Rights expiring",
    }
    assert (root / "output" / "dev" / "warehouse.duckdb").is_file()
    remote.clear_requests()
    project.run("sync")
    assert remote.writes() == {"plytix": {}, "photoshelter": {}}
