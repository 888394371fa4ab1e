"""Run dbt on the project in transform/ against a given warehouse file; read it back."""

from __future__ import annotations

import subprocess
from pathlib import Path

import duckdb
from sync_project import ROOT, base_env, dbt_executable


def dbt(
    warehouse: Path,
    *args: str,
    env: dict[str, str] | None = None,
    timeout: float = 600,
) -> subprocess.CompletedProcess[str]:
    """`dbt <args>` on the project in transform/, against `warehouse`."""
    project = ROOT / "transform"
    return subprocess.run(
        [
            str(dbt_executable()),
            *args,
            "--project-dir",
            str(project),
            "--profiles-dir",
            str(project),
            "--target-path",
            str(warehouse.parent / "dbt-target"),
            "--log-path",
            str(warehouse.parent / "dbt-logs"),
        ],
        env={**base_env(), "DBT_DUCKDB_WAREHOUSE_PATH": str(warehouse), **(env or {})},
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def rows(warehouse: Path, sql: str, *params: object) -> list[dict]:
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        cursor = connection.execute(sql, list(params))
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
