"""Where the Postgres warehouse is: the libpq variables, else the development server.

Every piece of the production path (the loader, dbt, tap-warehouse, the lock, the report)
finds the warehouse the same way: PGHOST, PGPORT, PGUSER, PGPASSWORD and PGDATABASE, each
defaulting to `postgresql://postgres@127.0.0.1:5432/pim_dam_sync`. Plain URL handling, so the
connectors need no database driver to use it.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from urllib.parse import quote, unquote, urlsplit, urlunsplit

DEFAULTS = {
    "PGHOST": "127.0.0.1",
    "PGPORT": "5432",
    "PGUSER": "postgres",
    "PGDATABASE": "pim_dam_sync",
}


def settings(env: Mapping[str, str] | None = None) -> dict[str, str]:
    """host, port, user, password, dbname: the PG* variables, else the defaults."""
    env = os.environ if env is None else env
    found = {name: env.get(name) or default for name, default in DEFAULTS.items()}
    return {
        "host": found["PGHOST"],
        "port": found["PGPORT"],
        "user": found["PGUSER"],
        "password": env.get("PGPASSWORD", ""),
        "dbname": found["PGDATABASE"],
    }


def url(env: Mapping[str, str] | None = None, *, driver: str = "") -> str:
    """The warehouse URL (`driver="psycopg"` gives SQLAlchemy's postgresql+psycopg://)."""
    parts = settings(env)
    auth = quote(parts["user"], safe="")
    if parts["password"]:
        auth += ":" + quote(parts["password"], safe="")
    scheme = "postgresql+" + driver if driver else "postgresql"
    return f"{scheme}://{auth}@{parts['host']}:{parts['port']}/{quote(parts['dbname'], safe='')}"


def completed_url(address: str, env: Mapping[str, str] | None = None) -> str:
    """A postgresql:// URL with every part it leaves out taken from PG* / the defaults.

    `postgresql://` alone is the warehouse the PG* variables name; a full URL is unchanged.
    """
    parts = urlsplit(address)
    given = settings(env)
    if parts.hostname:
        given["host"] = parts.hostname
    if parts.port:
        given["port"] = str(parts.port)
    if parts.username:
        given["user"] = unquote(parts.username)
    if parts.password is not None:
        given["password"] = unquote(parts.password)
    if parts.path.strip("/"):
        given["dbname"] = unquote(parts.path.strip("/"))
    return url(
        {
            "PGHOST": given["host"],
            "PGPORT": given["port"],
            "PGUSER": given["user"],
            "PGPASSWORD": given["password"],
            "PGDATABASE": given["dbname"],
        }
    )


def redacted(address: str) -> str:
    """A URL without its password, for messages: a secret never reaches a log."""
    parts = urlsplit(address)
    if parts.password is None:
        return address
    host = parts.netloc.rsplit("@", 1)[1]
    return urlunsplit(parts._replace(netloc=f"{parts.username}:***@{host}"))
