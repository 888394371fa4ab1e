"""The Postgres warehouse: where it is (libpq variables, documented defaults), created if missing.

Every piece of the production path (the loader, dbt, tap-warehouse, the lock, Meltano's
system database) finds the warehouse the same way: the standard libpq variables PGHOST,
PGPORT, PGUSER, PGPASSWORD and PGDATABASE, each defaulting to the development server
(`postgresql://postgres@127.0.0.1:5432/pim_dam_sync`).
"""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit

import psycopg
from pim_dam_core.postgres_url import DEFAULTS, completed_url, redacted, settings, url
from psycopg import sql

__all__ = ["DEFAULTS", "completed_url", "ensure_database", "redacted", "settings", "url"]


def ensure_database(address: str) -> bool:
    """Create the URL's database when it does not exist yet (True when created).

    Connects to the server's `postgres` maintenance database for that; a user without
    CREATEDB gets Postgres's own one-line refusal.
    """
    try:
        with psycopg.connect(address, connect_timeout=10):
            return False
    except psycopg.OperationalError as error:
        if "does not exist" not in str(error):
            raise
    name = urlsplit(address).path.lstrip("/")
    maintenance = urlunsplit(urlsplit(address)._replace(path="/postgres"))
    with psycopg.connect(maintenance, autocommit=True, connect_timeout=10) as connection:
        try:
            connection.execute(sql.SQL("create database {}").format(sql.Identifier(name)))
        except psycopg.errors.DuplicateDatabase:  # created by another process meanwhile
            return False
    return True


def main() -> None:
    """`python -m sync_lock.postgres`: create the warehouse database if missing (deploy/)."""
    address = url()
    created = ensure_database(address)
    print(f"warehouse database {'created' if created else 'present'}: {redacted(address)}")


if __name__ == "__main__":
    main()
