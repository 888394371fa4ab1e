"""`target-postgres-here`: MeltanoLabs' target-postgres, on the warehouse the PG* variables name.

Meltano cannot give a setting a default that an environment variable overrides, so the
loader's connection settings left empty are filled here from PGHOST, PGPORT, PGUSER,
PGPASSWORD and PGDATABASE (defaults: the development server), the database is created when
missing, and target-postgres then runs unchanged (same arguments, stdin and exit code).
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

from sync_lock.postgres import ensure_database, settings, url

KEYS = {
    "host": "host",
    "port": "port",
    "user": "user",
    "password": "password",
    "database": "dbname",
}


def completed(config: dict) -> dict:
    """The loader's config with empty connection settings taken from PG* / the defaults."""
    found = settings()
    filled = dict(config)
    for key, name in KEYS.items():
        if filled.get(key) in (None, ""):
            filled[key] = int(found[name]) if key == "port" else found[name]
    return filled


def main() -> None:
    argv = sys.argv[1:]
    if "--config" in argv and not {"--about", "--help"} & set(argv):
        index = argv.index("--config") + 1
        config = completed(json.loads(Path(argv[index]).read_text()))
        ensure_database(
            url(
                {
                    "PGHOST": config["host"],
                    "PGPORT": str(config["port"]),
                    "PGUSER": config["user"],
                    "PGPASSWORD": config["password"] or "",
                    "PGDATABASE": config["database"],
                }
            )
        )
        with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as handle:
            json.dump(config, handle)
        Path(handle.name).chmod(0o600)
        argv[index] = handle.name
    from target_postgres.target import TargetPostgres  # installed beside it by pip_url

    sys.argv = [sys.argv[0], *argv]
    TargetPostgres.cli()


if __name__ == "__main__":
    main()
