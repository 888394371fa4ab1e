"""The key test of multi-column keys counts rows whose key has a NULL part.

`unique` on `sku || '|' || attribute_label` let two rows with a NULL part through (the
concatenation is NULL, and `unique` skips NULLs); the project's generic test
`unique_combination_of_columns` groups by the columns, so NULL parts form one group.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
from dbt_runner import dbt

KEY_TEST = "unique_combination_of_columns_plytix_product_media_sku__attribute_label"


def outbox_with(warehouse: Path, keys: list[tuple[str | None, str | None]]) -> None:
    """An `outbox.plytix_product_media` holding one record per (sku, attribute_label)."""
    with duckdb.connect(str(warehouse)) as connection:
        connection.execute("create schema outbox")
        connection.execute(
            "create table outbox.plytix_product_media "
            "(sku varchar, attribute_label varchar, assets varchar)"
        )
        connection.executemany(
            "insert into outbox.plytix_product_media values (?, ?, '[]')",
            [list(key) for key in keys],
        )


@pytest.mark.parametrize(
    ("keys", "duplicated"),
    [
        ([("HD-1001", "thumbnail"), ("HD-1001", "media_gallery"), ("HD-1002", "thumbnail")], 0),
        ([("HD-1001", "thumbnail"), ("HD-1001", "thumbnail")], 1),
        ([(None, "thumbnail"), (None, "thumbnail"), ("HD-1001", "thumbnail")], 1),
        ([("HD-1001", None), ("HD-1001", None), (None, None), (None, None)], 2),
        ([(None, "thumbnail"), (None, "media_gallery"), ("HD-1001", None)], 0),
    ],
    ids=[
        "distinct",
        "duplicate",
        "duplicate-null-sku",
        "duplicates-null-label",
        "null-parts-differ",
    ],
)
def test_a_duplicate_key_fails_the_build_even_with_a_null_part(
    tmp_path: Path, keys: list[tuple[str | None, str | None]], duplicated: int
) -> None:
    warehouse = tmp_path / "warehouse.duckdb"
    outbox_with(warehouse, keys)
    done = dbt(warehouse, "test", "--select", KEY_TEST)
    if duplicated:
        assert done.returncode == 1, done.stdout[-3000:]
        assert f"FAIL {duplicated} {KEY_TEST}" in done.stdout, done.stdout[-3000:]
    else:
        assert done.returncode == 0, done.stdout[-3000:]
        assert f"PASS {KEY_TEST}" in done.stdout, done.stdout[-3000:]


def test_the_concatenated_key_did_not_see_a_null_part(tmp_path: Path) -> None:
    """What `unique` on the concatenation ran finds no duplicate where the key test finds one."""
    warehouse = tmp_path / "warehouse.duckdb"
    outbox_with(warehouse, [(None, "thumbnail"), (None, "thumbnail")])
    with duckdb.connect(str(warehouse)) as connection:
        concatenated = connection.execute(
            "select key from (select sku || '|' || attribute_label as key "
            "from outbox.plytix_product_media) where key is not null "
            "group by key having count(*) > 1"
        ).fetchall()
    assert concatenated == []
    done = dbt(warehouse, "test", "--select", KEY_TEST)
    assert f"FAIL 1 {KEY_TEST}" in done.stdout, done.stdout[-3000:]
