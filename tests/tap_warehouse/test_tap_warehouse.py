"""tap-warehouse streams the outbox tables of a DuckDB file as contract-shaped records."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

TAP = Path(sys.executable).parent / "tap-warehouse"


def outbox(path: Path) -> Path:
    with duckdb.connect(str(path)) as connection:
        connection.execute("create schema outbox")
        connection.execute("create table outbox.plytix_products (sku varchar, attributes json)")
        connection.execute("""insert into outbox.plytix_products values
            ('B-2', '{"imagery_status": "Complete", "image_credit": null}'),
            ('A-1', '{"image_allowed_channels": ["webshop"]}')""")
        connection.execute("create table outbox.plytix_product_media "
                           "(sku varchar, attribute_label varchar, assets json)")
        connection.execute("""insert into outbox.plytix_product_media values
            ('A-1', 'thumbnail', '[{"source_id": "I0000a", "url": "http://x/a.jpg",
              "filename": "a.jpg", "checksum": "1-2-3"}]'),
            ('A-1', 'amazon_images', '[]')""")
        connection.execute("create table outbox.photoshelter_media_metadata (media_id varchar, "
                           "iptc json, keywords json, custom_metadata json, note varchar)")
        connection.execute("""insert into outbox.photoshelter_media_metadata values
            ('I0000a', '{"title": "Tee"}', '["sku:A-1", "style:A"]', '{"Color": "Black"}',
             'not in the contract')""")
        connection.execute("create table outbox.photoshelter_galleries "
                           "(name varchar, parent varchar, description varchar, media_ids json)")
    return path


def run_tap(config: dict, *args: str) -> subprocess.CompletedProcess[str]:
    config_path = Path(config.pop("_dir")) / "config.json"
    config_path.write_text(json.dumps(config))
    return subprocess.run([str(TAP), "--config", str(config_path), *args], capture_output=True,
                          text=True, timeout=120, check=False)


def messages(stdout: str) -> list[dict]:
    return [json.loads(line) for line in stdout.splitlines() if line.startswith("{")]


def test_streams_every_outbox_table_with_json_decoded(tmp_path: Path) -> None:
    database = outbox(tmp_path / "w.duckdb")
    done = run_tap({"_dir": tmp_path, "database": str(database)})
    assert done.returncode == 0, done.stderr[-3000:]
    records = {}
    for message in messages(done.stdout):
        if message["type"] == "RECORD":
            records.setdefault(message["stream"], []).append(message["record"])
    assert [(stream, record) for stream in ("products", "product_media", "media_metadata")
            for record in records[stream]] == [
        ("products", {"sku": "A-1", "attributes": {"image_allowed_channels": ["webshop"]}}),
        ("products", {"sku": "B-2", "attributes": {"imagery_status": "Complete",
                                                   "image_credit": None}}),
        ("product_media", {"sku": "A-1", "attribute_label": "amazon_images", "assets": []}),
        ("product_media", {"sku": "A-1", "attribute_label": "thumbnail", "assets": [
            {"source_id": "I0000a", "url": "http://x/a.jpg", "filename": "a.jpg",
             "checksum": "1-2-3"}]}),
        ("media_metadata", {"media_id": "I0000a", "iptc": {"title": "Tee"},
                            "keywords": ["sku:A-1", "style:A"],
                            "custom_metadata": {"Color": "Black"}}),
    ]
    assert "galleries" not in records
    schemas = {m["stream"]: m for m in messages(done.stdout) if m["type"] == "SCHEMA"}
    assert set(schemas) == {"products", "product_media", "media_metadata", "galleries"}
    assert schemas["product_media"]["key_properties"] == ["sku", "attribute_label"]
    assert schemas["galleries"]["key_properties"] == ["parent", "name"]


def test_discovery_names_the_contract_streams(tmp_path: Path) -> None:
    done = run_tap({"_dir": tmp_path, "database": str(tmp_path / "absent.duckdb")}, "--discover")
    assert done.returncode == 0, done.stderr[-2000:]
    streams = {s["tap_stream_id"] for s in json.loads(done.stdout)["streams"]}
    assert streams == {"products", "product_media", "media_metadata", "galleries"}


def test_missing_file_names_the_setting(tmp_path: Path) -> None:
    done = run_tap({"_dir": tmp_path, "database": str(tmp_path / "absent.duckdb")})
    assert done.returncode != 0
    assert "setting 'database': no DuckDB file at" in done.stderr


@pytest.mark.parametrize("schema", ["staging"])
def test_missing_outbox_table_names_table_and_setting(tmp_path: Path, schema: str) -> None:
    database = outbox(tmp_path / "w.duckdb")
    done = run_tap({"_dir": tmp_path, "database": str(database), "schema": schema})
    assert done.returncode != 0
    assert re.search(rf"table {schema}\.(plytix|photoshelter)_\w+ not found", done.stderr)
    assert "setting 'schema'" in done.stderr
