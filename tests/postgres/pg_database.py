"""A throw-away Postgres database per test: created on the machine's server, dropped after.

The server is found at PG_TEST_URL (default `postgresql://postgres@127.0.0.1:5432/postgres`,
the development and CI machines' server); without one, tests that need it are skipped.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import psycopg
import pytest

ADMIN_URL = os.environ.get("PG_TEST_URL", "postgresql://postgres@127.0.0.1:5432/postgres")


def server_error() -> str | None:
    """Why no Postgres server answers (None when one does)."""
    try:
        with psycopg.connect(ADMIN_URL, connect_timeout=3) as connection:
            connection.execute("select 1")
    except psycopg.Error as error:
        return (str(error).strip().splitlines() or [type(error).__name__])[0]
    return None


def url_of(name: str) -> str:
    """ADMIN_URL with another database name."""
    return ADMIN_URL.rsplit("/", 1)[0] + "/" + name


def require_server() -> None:
    error = server_error()
    if error is not None:
        pytest.skip(f"no Postgres server at {ADMIN_URL} ({error}); set PG_TEST_URL")


def drop(name: str) -> None:
    with psycopg.connect(ADMIN_URL, autocommit=True) as connection:
        connection.execute(f'drop database if exists "{name}" with (force)')


@contextmanager
def scratch_database(prefix: str = "pim_dam_test") -> Iterator[str]:
    """A new empty database's URL; the database is dropped afterwards, whatever happened."""
    require_server()
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(ADMIN_URL, autocommit=True) as connection:
        connection.execute(f'create database "{name}"')
    try:
        yield url_of(name)
    finally:
        drop(name)
