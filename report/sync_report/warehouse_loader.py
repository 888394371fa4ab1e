"""`target-duckdb-here`: target-duckdb 0.8.0, after creating the folder of its warehouse file.

target-duckdb cannot open a file in a folder that does not exist, and the warehouse lives in
`output/<environment>/`: in a fresh clone the first `meltano run` would crash. This wrapper
reads `filepath` from the config file Meltano passes, creates its folder, then hands over to
target-duckdb unchanged (same arguments, stdin and exit code).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path


def config_path(argv: list[str]) -> Path | None:
    """The file after `--config` / `-c` (or `--config=...`), as singer targets take it."""
    for index, argument in enumerate(argv):
        if argument in ("--config", "-c") and index + 1 < len(argv):
            return Path(argv[index + 1])
        if argument.startswith("--config="):
            return Path(argument.split("=", 1)[1])
    return None


def make_warehouse_folder(argv: list[str]) -> None:
    path = config_path(argv)
    if path is None or not path.is_file():
        return
    config = json.loads(path.read_text())
    filepath = str(config.get("path", config.get("filepath")) or "")
    if filepath and not filepath.startswith(("md:", "motherduck:", ":memory:")):
        Path(filepath).expanduser().parent.mkdir(parents=True, exist_ok=True)


def main() -> None:
    make_warehouse_folder(sys.argv[1:])
    from target_duckdb import main as target_duckdb_main  # installed beside it by pip_url

    target_duckdb_main()


if __name__ == "__main__":
    main()
