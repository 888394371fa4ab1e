"""What a report shows, read from the warehouse marts and the targets' outcome files."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb

POSTGRES_SCHEMES = ("postgresql://", "postgres://")
Query = Callable[[str], list[dict[str, Any]]]

KEY_FIELDS = ("sku", "media_id", "name", "key")
DEFAULT_LIMITS = {
    "max_slot_change_percent": 10,
    "max_unlinked_images": 50,
    "max_status_change_percent": 10,
}


class ReportError(Exception):
    """The report cannot be made as configured (one line, names the setting)."""


@dataclass
class Outcomes:
    """Every record outcome the targets wrote during the run, counted.

    `applied` is False when no target wrote an outcome file since `sync-report start` (a plan
    only: nothing was sent); `dry_run` when the targets ran with `dry_run: true` (they read
    and compared, wrote nothing).
    """

    counts: Counter[tuple[str, str, str]] = field(default_factory=Counter)
    rejects: list[dict[str, Any]] = field(default_factory=list)
    applied: bool = False
    dry_run: bool = False

    def total(self, outcome: str, target: str | None = None, stream: str | None = None) -> int:
        return sum(
            n
            for (t, s, o), n in self.counts.items()
            if o == outcome and target in (None, t) and stream in (None, s)
        )


@dataclass
class Guard:
    """One measure of what the plan destroys (marts.plan_guards) against its threshold."""

    name: str
    measure: str
    changed: int
    base: int | None
    setting: str
    limit: int

    @property
    def percent(self) -> float | None:
        return (
            None if self.base is None else (100.0 * self.changed / self.base if self.base else 0.0)
        )

    @property
    def tripped(self) -> bool:
        value = self.changed if self.base is None else self.percent
        return value is not None and value > self.limit

    def describe(self) -> str:
        if self.base is None:
            return f"{self.changed} {self.measure} (more than {self.setting} {self.limit})"
        return (
            f"{self.changed} of {self.base} {self.measure} ({self.percent:.0f} % > "
            f"{self.setting} {self.limit} %)"
        )


# guard -> (sync-report setting, kind of limit)
GUARD_SETTINGS = {
    "slots_emptied_or_replaced": "max_slot_change_percent",
    "images_unlinked": "max_unlinked_images",
    "imagery_status_changes": "max_status_change_percent",
}


@dataclass
class RunData:
    products: list[dict[str, Any]]
    packages: dict[str, dict[str, Any]]
    ambiguous: list[dict[str, Any]]
    unknown_skus: list[dict[str, Any]]
    unmatched: list[dict[str, Any]]
    without_imagery: list[dict[str, Any]]
    missing_tags: list[dict[str, Any]]
    matches: int
    linked_images: int
    outbox: dict[str, int]
    outcomes: Outcomes
    guards: list[Guard] = field(default_factory=list)


def query(connection: duckdb.DuckDBPyConnection, sql: str) -> list[dict[str, Any]]:
    cursor = connection.execute(sql)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def record_key(entry: dict[str, Any]) -> str:
    """The record an outcome line is about: `HD-1-S / thumbnail`, `I0000...`, `SS26 / X`."""
    key = next((entry[k] for k in KEY_FIELDS if entry.get(k)), "")
    if isinstance(key, dict):
        return " / ".join(str(v) for v in key.values())
    if entry.get("attribute_label"):
        return f"{key} / {entry['attribute_label']}"
    return str(key)


def read_outcomes(outcomes_dir: Path) -> Outcomes:
    """Outcome lines of every `<target>.jsonl` file: one JSON object per record."""
    outcomes = Outcomes()
    if not outcomes_dir.is_dir():
        return outcomes
    for path in sorted(outcomes_dir.glob("*.jsonl")):
        outcomes.applied = True
        target = path.stem
        for number, line in enumerate(path.read_text().splitlines(), start=1):
            if not line.strip():
                continue
            try:
                entry = json.loads(line)
            except ValueError:
                raise ReportError(f"{path}:{number}: not a JSON line") from None
            outcome = str(entry.get("outcome") or entry.get("status") or "unknown")
            outcomes.dry_run = outcomes.dry_run or entry.get("dry_run") is True
            stream = str(entry.get("stream") or "")
            outcomes.counts[(target, stream, outcome)] += 1
            if outcome == "rejected":
                outcomes.rejects.append(
                    {
                        "target": target,
                        "stream": stream,
                        "key": record_key(entry),
                        "reason": entry.get("reason") or "",
                    }
                )
    return outcomes


@contextmanager
def opened(warehouse: str) -> Iterator[tuple[Query, tuple[type[Exception], ...], str]]:
    """(run a query, the errors of a missing table, the warehouse for messages): the DuckDB
    file, or the Postgres database of a postgresql:// URL (parts left out come from PG*, as
    for the loader: sync_lock.postgres, installed beside this by the plugin's pip_url)."""
    if warehouse.startswith(POSTGRES_SCHEMES):
        import psycopg
        from psycopg.rows import dict_row
        from sync_lock.postgres import completed_url, redacted

        address = completed_url(warehouse)
        try:
            connection = psycopg.connect(
                address, row_factory=dict_row, autocommit=True, connect_timeout=10
            )
        except psycopg.Error as error:
            first = (str(error).strip().splitlines() or [type(error).__name__])[0]
            raise ReportError(
                f"setting 'warehouse_path' ({redacted(address)}): {redacted(first)}"
            ) from None
        with connection:

            def on_postgres(sql: str) -> list[dict[str, Any]]:
                return connection.execute(sql).fetchall()

            yield (
                on_postgres,
                (psycopg.errors.UndefinedTable, psycopg.errors.InvalidSchemaName),
                redacted(address),
            )
        return
    path = Path(warehouse)
    if not path.is_file():
        raise ReportError(
            f"setting 'warehouse_path': no DuckDB file at {path}; "
            "run `meltano run extract plan` first"
        )
    with duckdb.connect(str(path), read_only=True) as duck:

        def on_duckdb(sql: str) -> list[dict[str, Any]]:
            return query(duck, sql)

        yield on_duckdb, (duckdb.CatalogException,), str(path)


def read_guards(
    run: Query, missing: tuple[type[Exception], ...], limits: dict[str, int]
) -> list[Guard]:
    """marts.plan_guards with the thresholds of this run (none before the first plan)."""
    try:
        found = run("select * from marts.plan_guards order by guard")
    except missing:
        return []
    return [
        Guard(
            name=row["guard"],
            measure=row["measure"],
            changed=int(row["changed"] or 0),
            base=None if row["base"] is None else int(row["base"]),
            setting=GUARD_SETTINGS[row["guard"]],
            limit=limits[GUARD_SETTINGS[row["guard"]]],
        )
        for row in found
        if row["guard"] in GUARD_SETTINGS
    ]


def load(
    warehouse: Path | str, outcomes_dir: Path, limits: dict[str, int] | None = None
) -> RunData:
    """The run's report data from the warehouse: a DuckDB file or a postgresql:// URL."""
    with opened(str(warehouse)) as (run, missing, shown):
        try:
            products = run("""
                select * from marts.product_imagery where product_level <> 1
                order by season nulls last, sku""")
            packages = {
                row["product_id"]: row for row in run("select * from marts.product_packages")
            }
            ambiguous = run("select * from marts.report_ambiguous_media order by 1")
            unknown = run("select * from marts.report_unknown_skus order by 1")
            unmatched = run("select * from marts.report_unmatched_media order by 1")
            without = run("select * from marts.report_products_without_imagery order by sku")
            missing_tags = run("""select * from marts.report_missing_tags
                                  order by field_name, tag_name""")
            matches = run("""select count(distinct product_id) as products,
                                    count(distinct media_id) as images
                             from marts.media_product_matches""")[0]
            outbox = {
                table: run(f"select count(*) as n from outbox.{table}")[0]["n"]  # noqa: S608 - fixed names
                for table in (
                    "plytix_products",
                    "plytix_product_media",
                    "photoshelter_media_metadata",
                    "photoshelter_galleries",
                )
            }
        except missing as error:
            raise ReportError(
                f"{shown}: {str(error).splitlines()[0]}; run `meltano run plan` first"
            ) from None
        guards = read_guards(run, missing, limits or DEFAULT_LIMITS)
    return RunData(
        products=products,
        packages=packages,
        ambiguous=ambiguous,
        unknown_skus=unknown,
        unmatched=unmatched,
        without_imagery=without,
        missing_tags=missing_tags,
        matches=matches["products"],
        linked_images=matches["images"],
        outbox=outbox,
        outcomes=read_outcomes(outcomes_dir),
        guards=guards,
    )
