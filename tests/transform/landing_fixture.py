"""A landed warehouse made from the seeded catalogue, in the shape the taps + target-duckdb give.

The dbt tests run on this file instead of a live extract: same tables, same column names
(flattened `iptc__*`, `attributes__*`), arrays and objects as JSON text, timestamps as
TIMESTAMP. The end-to-end tests check the same models against what the real taps land.
"""

from __future__ import annotations

import json
import re
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb
from photoshelter_api.formats import IPTC_FIELDS

from emulators.catalog import Catalog
from emulators.plytix.app import ACCOUNT as PLYTIX_ACCOUNT

ATTRIBUTE_SQL_TYPES = {
    "DecimalAttribute": "double",
    "IntAttribute": "bigint",
    "BooleanAttribute": "boolean",
    "CompletenessAttribute": "double",
}


def ts(epoch: float | None) -> datetime | None:
    return None if epoch is None else datetime.fromtimestamp(epoch, UTC).replace(tzinfo=None)


def js(value: Any) -> str | None:
    return None if value is None else json.dumps(value)


def field_column(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "_", name.lower())


def create(
    connection: duckdb.DuckDBPyConnection,
    table: str,
    columns: dict[str, str],
    rows: list[dict[str, Any]],
) -> None:
    """Create `table` and bulk-load `rows` (through a JSON-lines file: fast for `large`)."""
    connection.execute(
        f"create or replace table {table} ("
        + ", ".join(f'"{n}" {t}' for n, t in columns.items())
        + ")"
    )
    if not rows:
        return
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False) as handle:
        for row in rows:
            handle.write(json.dumps({n: row.get(n) for n in columns}, default=str) + "\n")
    spec = "{" + ", ".join(f"'{n}': '{t}'" for n, t in columns.items()) + "}"
    try:
        connection.execute(
            f"insert into {table} select * from read_json('{handle.name}', "  # noqa: S608
            f"format='newline_delimited', columns={spec})"
        )
    finally:
        Path(handle.name).unlink()


def plytix(connection: duckdb.DuckDBPyConnection, cat: Catalog) -> None:
    connection.execute("create schema if not exists tap_plytix")
    attribute_columns = {
        f"attributes__{a['label']}": ATTRIBUTE_SQL_TYPES.get(a["type_class"], "varchar")
        for a in cat.attributes
    }
    columns = {
        "id": "varchar",
        "sku": "varchar",
        "label": "varchar",
        "status": "varchar",
        "created": "timestamp",
        "modified": "timestamp",
        "num_variations": "bigint",
        "product_level": "bigint",
        "_parent_id": "varchar",
        "product_family_id": "varchar",
        "product_family_model_id": "varchar",
        "product_type": "varchar",
        "categories": "varchar",
        "thumbnail": "varchar",
        "assets": "varchar",
        **attribute_columns,
    }
    rows = []
    for p in cat.products:
        row = {k: p.get(k) for k in columns if not k.startswith("attributes__")}
        row.update(
            created=ts(p["created"]),
            modified=ts(p["modified"]),
            categories=js(p["categories"]),
            assets=js(p["assets"]),
            thumbnail=(p["thumbnail"] or {}).get("id"),
        )
        for label, value in p["attributes"].items():
            if isinstance(value, list):
                value = js([v["id"] if isinstance(v, dict) else v for v in value])
            elif isinstance(value, dict):
                value = value.get("id")
            row[f"attributes__{label}"] = value
        rows.append(row)
    create(connection, "tap_plytix.products", columns, rows)
    asset_columns = {
        "id": "varchar",
        "filename": "varchar",
        "url": "varchar",
        "thumbnail": "varchar",
        "file_type": "varchar",
        "file_size": "bigint",
        "content_type": "varchar",
        "extension": "varchar",
        "created": "timestamp",
        "modified": "timestamp",
        "file_modified": "timestamp",
        "assigned": "boolean",
        "categories": "varchar",
        "n_products": "bigint",
        "public": "boolean",
        "status": "varchar",
    }
    create(
        connection,
        "tap_plytix.assets",
        asset_columns,
        [
            {
                **a,
                "created": ts(a["created"]),
                "modified": ts(a["modified"]),
                "file_modified": ts(a["file_modified"]),
                "categories": js(a["categories"]),
            }
            for a in cat.assets
        ],
    )
    create(
        connection,
        "tap_plytix.product_families",
        {"id": "varchar", "name": "varchar", "attributes": "varchar"},
        [{**f, "attributes": js(f["attributes"])} for f in cat.families],
    )
    category_columns = {
        "id": "varchar",
        "name": "varchar",
        "slug": "varchar",
        "path": "varchar",
        "parents_ids": "varchar",
    }
    create(
        connection,
        "tap_plytix.product_categories",
        category_columns,
        [{**c, "path": js(c["path"]), "parents_ids": js(c["parents_ids"])} for c in cat.categories],
    )
    create(
        connection,
        "tap_plytix.product_attributes",
        {
            "id": "varchar",
            "label": "varchar",
            "name": "varchar",
            "type_class": "varchar",
            "groups": "varchar",
            "options": "varchar",
        },
        [{**a, "groups": js(a["groups"]), "options": js(a["options"])} for a in cat.attributes],
    )


def photoshelter(
    connection: duckdb.DuckDBPyConnection, cat: Catalog, link_base: str = "http://127.0.0.1:8702"
) -> None:
    connection.execute("create schema if not exists tap_photoshelter")
    fields = {f["id"]: f for f in cat.metadata_fields}
    tags = {t["id"]: t["name"] for f in cat.metadata_fields for t in f["tags"]}
    columns = {
        "id": "varchar",
        "file_name": "varchar",
        "file_size": "bigint",
        "width": "bigint",
        "height": "bigint",
        "rating": "bigint",
        "flagged": "boolean",
        "model_released": "boolean",
        "property_released": "boolean",
        "organization_id": "varchar",
        "photographer_id": "varchar",
        "created_at": "timestamp",
        "modified_at": "timestamp",
        "license_expiration": "varchar",
        **{f"iptc__{name}": "varchar" for name in IPTC_FIELDS},
        "keywords": "varchar",
        **{f"custom_metadata__{field_column(f['name'])}": "varchar" for f in cat.metadata_fields},
        "custom_metadata_raw": "varchar",
        "link_url": "varchar",
    }
    rows = []
    for m in cat.media:
        row = {k: m.get(k) for k in columns}
        row.update(created_at=ts(m["created_at"]), modified_at=ts(m["modified_at"]))
        for name in IPTC_FIELDS:
            row[f"iptc__{name}"] = m["iptc"].get(name)
        row["keywords"] = js([k.strip() for k in m["iptc"]["keywords"].split(",") if k.strip()])
        raw = []
        for field_id, tag_id in m["custom_metadata"].items():
            name = fields[field_id]["name"]
            row[f"custom_metadata__{field_column(name)}"] = tags[tag_id]
            raw.append(
                {
                    "field_id": field_id,
                    "field_name": name,
                    "tag_id": tag_id,
                    "tag_name": tags[tag_id],
                }
            )
        row["custom_metadata_raw"] = js(raw)
        row["link_url"] = f"{link_base}/img-get2/{m['id']}/fit=1200x1200"
        rows.append(row)
    create(connection, "tap_photoshelter.media", columns, rows)
    by_id = {c["id"]: c for c in cat.collections}

    def path(collection_id: str) -> str:
        parts = []
        node: dict[str, Any] | None = by_id[collection_id]
        while node is not None:
            parts.append(node["name"])
            node = by_id.get(node["parent_id"]) if node["parent_id"] else None
        return "/".join(reversed(parts))

    create(
        connection,
        "tap_photoshelter.collections",
        {"id": "varchar", "name": "varchar", "parent_id": "varchar", "path": "varchar"},
        [{**c, "path": path(c["id"])} for c in cat.collections],
    )
    read_at = ts(1773478800)
    create(
        connection,
        "tap_photoshelter.galleries",
        {
            "id": "varchar",
            "name": "varchar",
            "description": "varchar",
            "parent_ids": "varchar",
            "paths": "varchar",
            "created_at": "timestamp",
            "modified_at": "timestamp",
            "read_at": "timestamp",
            "membership_version": "varchar",
        },
        [
            {
                **g,
                "parent_ids": js(g["parent_ids"]),
                "paths": js([path(p) for p in g["parent_ids"]]),
                "created_at": ts(g["created_at"]),
                "modified_at": ts(g["modified_at"]),
                "read_at": read_at,
                "membership_version": f"v-{g['id']}",
            }
            for g in cat.galleries
        ],
    )
    create(
        connection,
        "tap_photoshelter.gallery_media",
        {
            "gallery_id": "varchar",
            "media_id": "varchar",
            "position": "bigint",
            "membership_version": "varchar",
        },
        [
            {
                "gallery_id": g["id"],
                "media_id": m,
                "position": n,
                "membership_version": f"v-{g['id']}",
            }
            for g in cat.galleries
            for n, m in enumerate(g["media_ids"])
        ],
    )
    create(
        connection,
        "tap_photoshelter.metadata_fields",
        {"id": "varchar", "name": "varchar", "tags": "varchar"},
        [{**f, "tags": js(f["tags"])} for f in cat.metadata_fields],
    )


def source_accounts(
    connection: duckdb.DuckDBPyConnection, cat: Catalog, environment: str = "dev"
) -> None:
    """Each tap's `source_account` row: the emulators' accounts, landed in `environment`."""
    columns = {
        "environment": "varchar",
        "api_host": "varchar",
        "account": "varchar",
        "account_from": "varchar",
        "landed_at": "timestamp",
    }
    now = datetime.now(UTC).replace(tzinfo=None)
    create(
        connection,
        "tap_plytix.source_account",
        columns,
        [
            {
                "environment": environment,
                "api_host": "127.0.0.1:8701",
                "account": PLYTIX_ACCOUNT,
                "account_from": "token claim account_id",
                "landed_at": now,
            }
        ],
    )
    create(
        connection,
        "tap_photoshelter.source_account",
        columns,
        [
            {
                "environment": environment,
                "api_host": "127.0.0.1:8702",
                "account": cat.organization["id"],
                "account_from": "organisation the session is bound to",
                "landed_at": now,
            }
        ],
    )


def build(path: Path, cat: Catalog) -> Path:
    """Write both landing schemas of `cat` into a new DuckDB file at `path`."""
    path.unlink(missing_ok=True)
    with duckdb.connect(str(path)) as connection:
        plytix(connection, cat)
        photoshelter(connection, cat)
        source_accounts(connection, cat)
    return path
