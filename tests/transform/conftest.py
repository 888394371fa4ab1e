"""dbt on a warehouse landed from the seeded catalogue (no emulators, no taps)."""

from __future__ import annotations

from pathlib import Path

import pytest
from dbt_runner import dbt
from landing_fixture import build

from emulators import catalog


@pytest.fixture(scope="session")
def seeded() -> catalog.Catalog:
    return catalog.build("small", 42)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory, seeded: catalog.Catalog) -> Path:
    """The seeded landing, with every model and dbt test built (`dbt build` passed)."""
    warehouse = build(tmp_path_factory.mktemp("dbt") / "warehouse.duckdb", seeded)
    done = dbt(warehouse, "build")
    assert done.returncode == 0, done.stdout[-5000:]
    return warehouse
