"""singer-sdk's standard tap tests on an outbox in a DuckDB file (every stream, its schema,
keys and records as the SDK expects them; a gallery row too, so every stream has one)."""

from __future__ import annotations

import tempfile
from pathlib import Path

import duckdb
from singer_sdk.testing import get_tap_test_class
from tap_warehouse.tap import TapWarehouse
from warehouse_outbox import create_outbox

_FOLDER = Path(tempfile.mkdtemp(prefix="tap-warehouse-standard-"))
DATABASE = _FOLDER / "warehouse.duckdb"
with duckdb.connect(str(DATABASE)) as _connection:
    create_outbox(_connection.execute, text="varchar", json_type="json", keywords="json")
    _connection.execute("""insert into outbox.photoshelter_galleries values
        ('Launch: Tee', 'Launches', 'The launch package of A-1', '["I0000a"]')""")

TestTapWarehouse = get_tap_test_class(TapWarehouse, config={"database": str(DATABASE)})
