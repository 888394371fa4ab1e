"""tap-warehouse reads the outbox from a Postgres warehouse as it does from DuckDB."""

from __future__ import annotations

import os
import re
from pathlib import Path
from urllib.parse import urlsplit

import psycopg
from warehouse_outbox import MEDIA_RECORDS, PRODUCT_RECORDS, create_outbox, messages, run_tap


def outbox(url: str) -> None:
    """The outbox tables as dbt-postgres builds them (jsonb columns), rows out of key order."""
    with psycopg.connect(url) as connection:
        create_outbox(
            connection.execute,
            text="text",
            json_type="jsonb",
            keywords="text",
            first=[
                """insert into outbox.plytix_products values
                                ('b-3', '{"imagery_status": "Complete"}')"""
            ],
        )


def records(stdout: str) -> list[tuple[str, dict]]:
    return [(m["stream"], m["record"]) for m in messages(stdout) if m["type"] == "RECORD"]


def test_streams_the_outbox_from_postgres_in_byte_order(tmp_path: Path, pg_url: str) -> None:
    outbox(pg_url)
    done = run_tap(tmp_path, {"database": pg_url, "batch_size": 2})
    assert done.returncode == 0, done.stderr[-3000:]
    streamed = records(done.stdout)
    assert [
        r for s in ("products", "product_media", "media_metadata") for r in streamed if r[0] == s
    ] == [
        *PRODUCT_RECORDS,
        ("products", {"sku": "b-3", "attributes": {"imagery_status": "Complete"}}),
        *MEDIA_RECORDS,
    ]
    assert len(streamed) == 6


def test_the_tap_never_writes_to_the_warehouse(pg_url: str) -> None:
    from tap_warehouse.reader import PostgresReader

    outbox(pg_url)
    reader = PostgresReader(pg_url)
    with reader.connect() as connection:
        try:
            connection.execute("delete from outbox.plytix_products")
        except psycopg.errors.ReadOnlySqlTransaction:
            pass
        else:
            raise AssertionError("a delete went through the reader's connection")
    with psycopg.connect(pg_url) as connection:
        assert connection.execute("select count(*) from outbox.plytix_products").fetchone() == (3,)


def test_missing_outbox_names_the_table_and_setting(tmp_path: Path, pg_url: str) -> None:
    done = run_tap(tmp_path, {"database": pg_url})
    assert done.returncode != 0
    assert re.search(r"table outbox\.(plytix|photoshelter)_\w+ not found", done.stderr)
    assert "setting 'schema'" in done.stderr


def test_unreachable_server_names_the_setting_without_the_password(tmp_path: Path) -> None:
    url = "postgresql://sync:s3cret-pw@127.0.0.1:1/warehouse"
    done = run_tap(tmp_path, {"database": url})
    assert done.returncode != 0
    assert (
        "setting 'database': cannot connect to postgresql://sync:***@127.0.0.1:1/warehouse"
        in done.stderr
    )
    assert "s3cret-pw" not in done.stderr + done.stdout


def test_a_bare_url_takes_the_warehouse_from_the_pg_variables(tmp_path: Path, pg_url: str) -> None:
    """`database: postgresql://` (the postgres environment): PG* name the warehouse."""
    outbox(pg_url)
    parts = urlsplit(pg_url)
    env = {
        **os.environ,
        "PGHOST": parts.hostname or "",
        "PGPORT": str(parts.port or 5432),
        "PGUSER": parts.username or "",
        "PGDATABASE": parts.path.strip("/"),
    }
    done = run_tap(tmp_path, {"database": "postgresql://"}, env=env)
    assert done.returncode == 0, done.stderr[-3000:]
    assert len(records(done.stdout)) == 6
