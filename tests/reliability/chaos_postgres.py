"""Chaos trials on the production path: `meltano run sync-postgres`, with the warehouse and
Meltano's system database (state, run records) in a Postgres database of each run history's
own, created on the machine's server and dropped when the lab stops."""

from __future__ import annotations

import sys
import uuid
from pathlib import Path

import psycopg
from chaos_process import chaos_project
from chaos_schedule import PatchConfig
from chaos_trial import Lab
from sync_project import Project

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "postgres"))
from pg_database import ADMIN_URL, drop, require_server, url_of
from pg_meltano import postgres_env

__all__ = ["PostgresLab", "require_server"]


class PostgresLab(Lab):
    """A `Lab` whose runs are `sync-postgres` in the `postgres` environment."""

    job = "sync-postgres"
    databases: list[str]

    def project(self, workdir: Path, config: PatchConfig) -> Project:
        if not hasattr(self, "databases"):
            self.databases = []
        name = f"pim_dam_chaos_{uuid.uuid4().hex[:10]}"
        with psycopg.connect(ADMIN_URL, autocommit=True) as connection:
            connection.execute(f'create database "{name}"')
        self.databases.append(name)
        project = chaos_project(workdir, self.running, config.target_patch_semantics)
        project.extra_env = {
            **(project.extra_env or {}),
            **postgres_env(url_of(name)),
            "MELTANO_ENVIRONMENT": "postgres",
        }
        return project

    def stop(self) -> None:
        super().stop()
        for name in getattr(self, "databases", []):
            drop(name)
