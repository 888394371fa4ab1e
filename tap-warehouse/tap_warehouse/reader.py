"""Reading outbox tables from the warehouse.

The tap only needs "all rows of one table, as dicts", so the warehouse sits behind this
small interface: DuckDB today; a Postgres or Snowflake reader is another class with the same
two methods and the same outbox models built by dbt.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Protocol

import duckdb

IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


class WarehouseError(Exception):
    """The warehouse cannot be read as configured (one line, names the setting or table)."""


class WarehouseReader(Protocol):
    def columns(self, schema: str, table: str) -> list[str]: ...

    def rows(self, schema: str, table: str, columns: list[str],
             order_by: list[str]) -> Iterator[dict[str, Any]]: ...


def quoted(name: str) -> str:
    """A checked identifier: outbox names come from code and settings, never from data."""
    if not IDENTIFIER.match(name):
        raise WarehouseError(f"not a plain SQL identifier: {name!r}")
    return f'"{name}"'


class DuckDBReader:
    """Read-only access to a DuckDB file (so a running loader or dbt is never disturbed)."""

    def __init__(self, database: str, batch_size: int = 1000) -> None:
        self.database = database
        self.batch_size = batch_size

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
            raise WarehouseError(f"setting 'database': cannot open {self.database}: "
                                 f"{str(error).splitlines()[0]}") from None

    def columns(self, schema: str, table: str) -> list[str]:
        with self.connect() as connection:
            found = connection.execute(
                "select column_name from information_schema.columns "
                "where table_schema = ? and table_name = ? order by ordinal_position",
                [schema, table],
            ).fetchall()
        if not found:
            raise WarehouseError(
                f"table {schema}.{table} not found in {self.database}: build the outbox "
                "models first (meltano run plan) or check setting 'schema'"
            )
        return [name for (name,) in found]

    def rows(self, schema: str, table: str, columns: list[str],
             order_by: list[str]) -> Iterator[dict[str, Any]]:
        select = ", ".join(quoted(c) for c in columns)
        order = ", ".join(quoted(c) for c in order_by) or "1"
        sql = f"select {select} from {quoted(schema)}.{quoted(table)} order by {order}"  # noqa: S608 - identifiers checked
        with self.connect() as connection:
            cursor = connection.execute(sql)
            while batch := cursor.fetchmany(self.batch_size):
                for values in batch:
                    yield dict(zip(columns, values, strict=True))
