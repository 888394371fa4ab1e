"""tap-warehouse streams the outbox tables of a DuckDB file as contract-shaped records."""

from __future__ import annotations

import json
import re
from pathlib import Path

import duckdb
import pytest
from pim_dam_contracts import CONTRACTS
from warehouse_outbox import MEDIA_RECORDS, PRODUCT_RECORDS, create_outbox, messages, run_tap


def outbox(path: Path) -> Path:
    with duckdb.connect(str(path)) as connection:
        create_outbox(connection.execute, text="varchar", json_type="json", keywords="json")
    return path


def test_streams_every_outbox_table_with_json_decoded(tmp_path: Path) -> None:
    database = outbox(tmp_path / "w.duckdb")
    done = run_tap(tmp_path, {"database": str(database)})
    assert done.returncode == 0, done.stderr[-3000:]
    records = {}
    for message in messages(done.stdout):
        if message["type"] == "RECORD":
            records.setdefault(message["stream"], []).append(message["record"])
    assert [
        (stream, record)
        for stream in ("products", "product_media", "media_metadata")
        for record in records[stream]
    ] == [*PRODUCT_RECORDS, *MEDIA_RECORDS]
    assert "galleries" not in records
    schemas = {m["stream"]: m for m in messages(done.stdout) if m["type"] == "SCHEMA"}
    assert set(schemas) == {"products", "product_media", "media_metadata", "galleries"}
    assert schemas["product_media"]["key_properties"] == ["sku", "attribute_label"]
    assert schemas["galleries"]["key_properties"] == ["parent", "name"]


def test_discovery_names_the_contract_streams(tmp_path: Path) -> None:
    done = run_tap(tmp_path, {"database": str(tmp_path / "absent.duckdb")}, "--discover")
    assert done.returncode == 0, done.stderr[-2000:]
    streams = {s["tap_stream_id"] for s in json.loads(done.stdout)["streams"]}
    assert streams == {"products", "product_media", "media_metadata", "galleries"} == set(CONTRACTS)


def test_stream_schemas_are_the_contracts_with_keys_required(tmp_path: Path) -> None:
    done = run_tap(tmp_path, {"database": str(tmp_path / "absent.duckdb")}, "--discover")
    assert done.returncode == 0, done.stderr[-2000:]
    for stream in json.loads(done.stdout)["streams"]:
        contract = CONTRACTS[stream["tap_stream_id"]]
        schema = stream["schema"]
        assert stream["key_properties"] == list(contract.key_properties)
        assert set(schema["required"]) == {*contract.required, *contract.key_properties}
        for name, spec in contract.document["properties"].items():
            nullable = name not in contract.key_properties
            assert schema["properties"][name] == (
                spec if nullable else {**spec, "type": [t for t in spec["type"] if t != "null"]}
            )


def test_missing_file_names_the_setting(tmp_path: Path) -> None:
    done = run_tap(tmp_path, {"database": str(tmp_path / "absent.duckdb")})
    assert done.returncode != 0
    assert "setting 'database': no DuckDB file at" in done.stderr


@pytest.mark.parametrize("schema", ["staging"])
def test_missing_outbox_table_names_table_and_setting(tmp_path: Path, schema: str) -> None:
    database = outbox(tmp_path / "w.duckdb")
    done = run_tap(tmp_path, {"database": str(database), "schema": schema})
    assert done.returncode != 0
    assert re.search(rf"table {schema}\.(plytix|photoshelter)_\w+ not found", done.stderr)
    assert "setting 'schema'" in done.stderr
