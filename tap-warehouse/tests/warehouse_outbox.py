"""What the tap-warehouse tests share on DuckDB and Postgres: the outbox rows and the tap run."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

TAP = Path(sys.executable).parent / "tap-warehouse"


def create_outbox(
    execute: Callable[[str], object],
    *,
    text: str,
    json_type: str,
    keywords: str,
    first: Sequence[str] = (),
) -> None:
    """The four outbox tables with the column types one engine's dbt build gives them; the
    same rows on every engine (`first`: statements run before them), out of key order, with a
    `note` column the contract leaves out."""
    execute("create schema outbox")
    execute(f"create table outbox.plytix_products (sku {text}, attributes {json_type})")
    for statement in first:
        execute(statement)
    execute("""insert into outbox.plytix_products values
            ('B-2', '{"imagery_status": "Complete", "image_credit": null}'),
            ('A-1', '{"image_allowed_channels": ["webshop"]}')""")
    execute(
        "create table outbox.plytix_product_media "
        f"(sku {text}, attribute_label {text}, assets {json_type})"
    )
    execute("""insert into outbox.plytix_product_media values
            ('A-1', 'thumbnail', '[{"source_id": "I0000a", "url": "http://x/a.jpg",
              "filename": "a.jpg", "checksum": "1-2-3"}]'),
            ('A-1', 'amazon_images', '[]')""")
    execute(
        f"create table outbox.photoshelter_media_metadata (media_id {text}, "
        f"iptc {json_type}, keywords {keywords}, custom_metadata json, note {text})"
    )
    execute("""insert into outbox.photoshelter_media_metadata values
            ('I0000a', '{"title": "Tee"}', '["sku:A-1", "style:A"]', '{"Color": "Black"}',
             'not in the contract')""")
    execute(
        "create table outbox.photoshelter_galleries "
        f"(name {text}, parent {text}, description {text}, media_ids {json_type})"
    )


PRODUCT_RECORDS = [
    ("products", {"sku": "A-1", "attributes": {"image_allowed_channels": ["webshop"]}}),
    (
        "products",
        {"sku": "B-2", "attributes": {"imagery_status": "Complete", "image_credit": None}},
    ),
]
"""(stream, record) of the outbox's products, as the tap streams them (byte order of sku)."""
MEDIA_RECORDS = [
    ("product_media", {"sku": "A-1", "attribute_label": "amazon_images", "assets": []}),
    (
        "product_media",
        {
            "sku": "A-1",
            "attribute_label": "thumbnail",
            "assets": [
                {
                    "source_id": "I0000a",
                    "url": "http://x/a.jpg",
                    "filename": "a.jpg",
                    "checksum": "1-2-3",
                }
            ],
        },
    ),
    (
        "media_metadata",
        {
            "media_id": "I0000a",
            "iptc": {"title": "Tee"},
            "keywords": ["sku:A-1", "style:A"],
            "custom_metadata": {"Color": "Black"},
        },
    ),
]
"""(stream, record) of the outbox's product_media and media_metadata rows, JSON decoded and
without the `note` column."""


def run_tap(
    config_dir: Path, config: dict, *args: str, env: Mapping[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """tap-warehouse as Meltano starts it: a config file, its messages on stdout."""
    config_path = config_dir / "config.json"
    config_path.write_text(json.dumps(config))
    return subprocess.run(
        [str(TAP), "--config", str(config_path), *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env=env,
    )


def messages(stdout: str) -> list[dict]:
    return [json.loads(line) for line in stdout.splitlines() if line.startswith("{")]
