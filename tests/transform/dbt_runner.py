"""Run dbt on the project in transform/ against a given warehouse file; read it back."""

from __future__ import annotations

import subprocess
from pathlib import Path

import duckdb
from sync_project import run_dbt


def dbt(
    warehouse: Path,
    *args: str,
    env: dict[str, str] | None = None,
    timeout: float = 600,
) -> subprocess.CompletedProcess[str]:
    """`dbt <args>` on the project in transform/, against `warehouse`."""
    return run_dbt(
        "duckdb",
        args,
        env={"DBT_DUCKDB_WAREHOUSE_PATH": str(warehouse), **(env or {})},
        target_path=warehouse.parent / "dbt-target",
        log_path=warehouse.parent / "dbt-logs",
        timeout=timeout,
    )


def rows(warehouse: Path, sql: str, *params: object) -> list[dict]:
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        cursor = connection.execute(sql, list(params))
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
