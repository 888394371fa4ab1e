"""A plan is built only from rows this environment landed from one account a side.

The gate is the dbt model `landing_accounts`, read from each tap's `source_account` rows
(environment, API host, account). Any other landing stops `dbt build` (the plan step) before
an outbox is built, with one line saying what was found and how to start afresh.
"""

from __future__ import annotations

import re
from pathlib import Path

import duckdb
import pytest
from dbt_runner import dbt, rows
from landing_fixture import build, source_accounts

from emulators.catalog import Catalog

OUTBOX_SCHEMA = "outbox"


def gate_error(done) -> str:
    """The gate's one line, as dbt prints it."""
    assert done.returncode != 0, done.stdout[-3000:]
    found = re.search(r"(landing accounts: .+)", done.stdout)
    assert found, done.stdout[-3000:]
    return found[1]


def outbox_tables(warehouse: Path) -> list[str]:
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        return [
            r[0]
            for r in connection.execute(
                "select table_name from information_schema.tables where table_schema = ?",
                [OUTBOX_SCHEMA],
            ).fetchall()
        ]


@pytest.fixture
def landed(tmp_path: Path, seeded: Catalog) -> Path:
    return build(tmp_path / "warehouse.duckdb", seeded)


def test_one_environment_and_one_account_a_side_pass(landed: Path, seeded: Catalog) -> None:
    done = dbt(landed, "build", "--select", "landing_accounts", env={"MELTANO_ENVIRONMENT": "dev"})
    assert done.returncode == 0, done.stdout[-3000:]
    assert rows(
        landed, "select side, environment, account from marts.landing_accounts order by side"
    ) == [
        {"side": "PhotoShelter", "environment": "dev", "account": seeded.organization["id"]},
        {"side": "Plytix", "environment": "dev", "account": "demo-account"},
    ]


def test_a_prod_plan_refuses_rows_landed_in_dev(landed: Path) -> None:
    done = dbt(landed, "build", env={"MELTANO_ENVIRONMENT": "prod"})
    assert gate_error(done) == (
        f"landing accounts: the warehouse {landed} holds rows landed in environment 'dev', "
        "not 'prod'. Plan only from a warehouse that one environment's accounts landed in: "
        "start a fresh warehouse for environment 'prod' (move that file away; on Postgres, a "
        "new database) and extract again (`meltano --environment prod run extract`)."
    )
    assert outbox_tables(landed) == []


def test_rows_of_two_environments_or_two_accounts_are_refused(
    landed: Path, seeded: Catalog
) -> None:
    with duckdb.connect(str(landed)) as connection:
        connection.execute(
            "insert into tap_plytix.source_account values "
            "('dev', 'pim.plytix.com', 'key-0123456789abcdef', "
            "'fingerprint of api_url and api_key', now())"
        )
        connection.execute(
            "insert into tap_photoshelter.source_account "
            "select 'prod', api_host, account, account_from, landed_at "
            "from tap_photoshelter.source_account"
        )
    message = gate_error(dbt(landed, "build", env={"MELTANO_ENVIRONMENT": "dev"}))
    assert (
        "holds rows from 2 Plytix accounts (demo-account at 127.0.0.1:8701, "
        "key-0123456789abcdef at pim.plytix.com); a warehouse holds one account a side; "
        "rows landed in 2 environments ('dev', 'prod')"
    ) in message
    assert outbox_tables(landed) == []


def test_a_landing_that_does_not_record_its_accounts_is_refused(landed: Path) -> None:
    with duckdb.connect(str(landed)) as connection:
        connection.execute("drop table tap_photoshelter.source_account")
        connection.execute("delete from tap_plytix.source_account")
    message = gate_error(dbt(landed, "build", "--select", "landing_accounts"))
    assert (
        "tap_plytix.source_account records no Plytix account (landed before accounts "
        "were recorded, or the tap's stream source_account is not selected); "
        "tap_photoshelter.source_account records no PhotoShelter organisation"
    ) in message
    assert "start a fresh warehouse for environment '<environment>'" in message


def test_outside_meltano_only_the_landing_must_agree_with_itself(
    landed: Path, seeded: Catalog
) -> None:
    with duckdb.connect(str(landed)) as connection:
        source_accounts(connection, seeded, environment="prod")
    done = dbt(landed, "build", "--select", "landing_accounts")
    assert done.returncode == 0, done.stdout[-3000:]


def test_one_account_read_through_another_host_is_still_one_account(landed: Path) -> None:
    """The emulators on other ports (DEMO_PLYTIX_PORT) serve the same demo account."""
    with duckdb.connect(str(landed)) as connection:
        connection.execute(
            "insert into tap_plytix.source_account select environment, "
            "'127.0.0.1:9701', account, account_from, landed_at "
            "from tap_plytix.source_account"
        )
    done = dbt(landed, "build", "--select", "landing_accounts", env={"MELTANO_ENVIRONMENT": "dev"})
    assert done.returncode == 0, done.stdout[-3000:]
