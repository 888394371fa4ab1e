"""The `postgres` Meltano environment pointed at a test's database and emulators."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

from sync_project import ROOT, Project

from emulators.runtime import DEMO_CREDENTIALS, RunningEmulators


def postgres_env(pg_url: str) -> dict[str, str]:
    """The `postgres` environment on this test's database: warehouse and system database."""
    parts = urlsplit(pg_url)
    plytix, photoshelter = DEMO_CREDENTIALS["plytix"], DEMO_CREDENTIALS["photoshelter"]
    return {
        "PGHOST": parts.hostname or "",
        "PGPORT": str(parts.port or 5432),
        "PGUSER": parts.username or "",
        "PGDATABASE": parts.path.strip("/"),
        "MELTANO_DATABASE_URI": pg_url.replace("postgresql://", "postgresql+psycopg://", 1),
        "TAP_WAREHOUSE_DATABASE": pg_url,
        "SYNC_LOCK_DATABASE": pg_url,
        "SYNC_REPORT_WAREHOUSE_PATH": pg_url,
        "PLYTIX_API_KEY": plytix["api_key"],
        "PLYTIX_API_PASSWORD": plytix["api_password"],
        "PHOTOSHELTER_API_KEY": photoshelter["api_key"],
        "PHOTOSHELTER_EMAIL": photoshelter["email"],
        "PHOTOSHELTER_PASSWORD": photoshelter["password"],
    }


def project(tmp_path: Path, running: RunningEmulators, pg_url: str, root: Path = ROOT) -> Project:
    return Project(tmp_path, running, extra_env=postgres_env(pg_url), root=root)
