"""Reading outbox tables from the warehouse.

The tap only needs "all rows of one table, as dicts", so the warehouse sits behind this
small interface: a DuckDB file (the embedded default) or a Postgres database (production,
setting `database` = `postgresql://...`), both holding the same outbox models built by dbt.
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from collections.abc import Iterator
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path
from typing import Any

import duckdb
import psycopg
from pim_dam_core.postgres_url import completed_url, redacted

IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
POSTGRES_SCHEMES = ("postgresql://", "postgres://")


class WarehouseError(Exception):
    """The warehouse cannot be read as configured (one line, names the setting or table)."""


def quoted(name: str) -> str:
    """A checked identifier: outbox names come from code and settings, never from data."""
    if not IDENTIFIER.match(name):
        raise WarehouseError(f"not a plain SQL identifier: {name!r}")
    return f'"{name}"'


class WarehouseReader(ABC):
    """Both warehouses' reading: a table's columns, then its rows in key order, in batches.

    A subclass says how to connect, where the data is (for messages), its parameter marker,
    how to sort by a key column and which cursor streams rows without holding the table.
    """

    placeholder = "?"

    def __init__(self, batch_size: int = 1000) -> None:
        self.batch_size = batch_size

    @abstractmethod
    def connect(self) -> Any:
        """An open read-only connection (a context manager that closes it)."""

    @abstractmethod
    def location(self) -> str:
        """Where the data is, for messages (never with a password)."""

    def order_term(self, column: str) -> str:
        return quoted(column)

    def streaming_cursor(self, connection: Any) -> AbstractContextManager[Any]:
        return nullcontext(connection)

    def columns(self, schema: str, table: str) -> list[str]:
        marker = self.placeholder
        with self.connect() as connection:
            found = connection.execute(  # the marker is a class constant, not data
                "select column_name from information_schema.columns "  # noqa: S608
                f"where table_schema = {marker} and table_name = {marker} "
                "order by ordinal_position",
                [schema, table],
            ).fetchall()
        if not found:
            raise WarehouseError(
                f"table {schema}.{table} not found in {self.location()}: build the outbox "
                "models first (meltano run plan) or check setting 'schema'"
            )
        return [name for (name,) in found]

    def rows(
        self, schema: str, table: str, columns: list[str], order_by: list[str]
    ) -> Iterator[dict[str, Any]]:
        select = ", ".join(quoted(c) for c in columns)
        order = ", ".join(self.order_term(c) for c in order_by) or "1"
        sql = f"select {select} from {quoted(schema)}.{quoted(table)} order by {order}"  # noqa: S608 - identifiers checked
        with self.connect() as connection, self.streaming_cursor(connection) as cursor:
            cursor.execute(sql)
            while batch := cursor.fetchmany(self.batch_size):
                for values in batch:
                    yield dict(zip(columns, values, strict=True))


class DuckDBReader(WarehouseReader):
    """Read-only access to a DuckDB file (so a running loader or dbt is never disturbed)."""

    def __init__(self, database: str, batch_size: int = 1000) -> None:
        super().__init__(batch_size)
        self.database = database

    def location(self) -> str:
        return self.database

    def connect(self) -> duckdb.DuckDBPyConnection:
        if not self.database:
            raise WarehouseError("setting 'database' is empty: give the path of the DuckDB file")
        if not Path(self.database).is_file():
            raise WarehouseError(
                f"setting 'database': no DuckDB file at {self.database}; run the extract and "
                "plan jobs first (meltano run extract plan)"
            )
        try:
            return duckdb.connect(self.database, read_only=True)
        except duckdb.Error as error:
            raise WarehouseError(
                f"setting 'database': cannot open {self.database}: {str(error).splitlines()[0]}"
            ) from None


class PostgresReader(WarehouseReader):
    """Read-only access to a Postgres warehouse: one read-only transaction per table.

    A single snapshot per table means a dbt build running at the same time is never seen
    half-done; read-only means the tap cannot write to the warehouse whatever the SQL. The
    PG* variables fill in what the URL leaves out (as in deploy/sync-lock).
    """

    placeholder = "%s"

    def __init__(self, url: str, batch_size: int = 1000) -> None:
        super().__init__(batch_size)
        self.url = completed_url(url)

    def location(self) -> str:
        return redacted(self.url)

    def connect(self) -> psycopg.Connection:
        try:
            connection = psycopg.connect(self.url, connect_timeout=15)
        except psycopg.Error as error:
            first = (str(error).strip().splitlines() or [type(error).__name__])[0]
            raise WarehouseError(
                f"setting 'database': cannot connect to {self.location()}: {first}"
            ) from None
        connection.read_only = True
        return connection

    def order_term(self, column: str) -> str:
        # byte order, as DuckDB sorts, so both warehouses send records in the same order
        return f'{quoted(column)}::text collate "C"'

    def streaming_cursor(self, connection: Any) -> AbstractContextManager[Any]:
        # a named (server-side) cursor: rows come batch by batch, not as one result
        return connection.cursor(name="outbox")


def reader_for(database: str, batch_size: int = 1000) -> WarehouseReader:
    """The reader the `database` setting names: a postgresql:// URL or a DuckDB file path."""
    if database.startswith(POSTGRES_SCHEMES):
        return PostgresReader(database, batch_size)
    return DuckDBReader(database, batch_size)
