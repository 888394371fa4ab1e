"""`check`: read both accounts and the settings, and say row by row what is OK or how to fix it.

Never writes: Plytix gets a token, a one-row product search (the API generation probe), the
filter table and the attribute and category searches; PhotoShelter a login, the binding, the
tap's listing detection (a bookmark in the future) and the field list, then a logout.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from pim_dam_check import photoshelter, plytix
from pim_dam_check.config import SyncConfig
from pim_dam_check.requirements import (
    CATEGORY,
    NAME_SETTINGS,
    RULES,
    attribute_needs,
    csv,
    field_needs,
    pairs,
    setting,
)
from pim_dam_check.rows import FAIL, OK, Row

SECTION = "settings"
RE2_UNSUPPORTED = re.compile(r"\(\?<?[=!]|\\[1-9]")
"""Look-arounds and back-references: Python compiles them, DuckDB's RE2 (dbt) does not."""


@dataclass
class Findings:
    config: SyncConfig
    rows: list[Row] = field(default_factory=list)
    plytix: plytix.PlytixAccount | None = None
    photoshelter: photoshelter.PhotoShelterAccount | None = None

    @property
    def blockers(self) -> int:
        return sum(r.blocker for r in self.rows)

    def close(self) -> None:
        if self.photoshelter is not None:
            self.photoshelter.close()


def check_rules(value: Any) -> Row:
    rules = csv(value)
    unknown = [r for r in rules if r not in RULES]
    if unknown or not rules:
        what = f"unknown rule(s) {', '.join(unknown)}" if unknown else "empty"
        return Row(
            SECTION,
            "match_rules",
            FAIL,
            f"{setting('match_rules')}: {what}; allowed: {', '.join(RULES)}",
        )
    return Row(SECTION, "match_rules", OK, ", ".join(rules))


def check_pattern(pattern: Any) -> Row:
    item = "file_name_pattern"
    try:
        compiled = re.compile(str(pattern or ""))
    except re.error as error:
        return Row(SECTION, item, FAIL, f"{setting(item)}: does not compile ({error})")
    if "sku" not in compiled.groupindex:
        return Row(
            SECTION,
            item,
            FAIL,
            f"{setting(item)}: has no named group `sku` (write it "
            "as (?P<sku>...); `view` and `seq` are optional)",
        )
    if RE2_UNSUPPORTED.search(str(pattern)):
        return Row(
            SECTION,
            item,
            FAIL,
            f"{setting(item)}: uses a look-around or a "
            "back-reference, which DuckDB's regular expressions (RE2) do not support",
        )
    groups = ", ".join(sorted(compiled.groupindex))
    return Row(SECTION, item, OK, f"compiles; groups {groups}")


def check_pairs(names: dict[str, Any]) -> list[Row]:
    rows = []
    for name in ("channels", "custom_fields"):
        bad = [f"{a}:{b}" for a, b in pairs(names.get(name)) if not a or not b]
        if bad:
            rows.append(
                Row(
                    SECTION,
                    name,
                    FAIL,
                    f"{setting(name)}: {', '.join(bad)} is not a `left:right` pair",
                )
            )
    if not csv(names.get("markets")):
        rows.append(Row(SECTION, "markets", FAIL, f"{setting('markets')}: empty"))
    return rows


def check_present(names: dict[str, Any]) -> list[Row]:
    """A name setting without a value (an older meltano.yml, or one unset by hand)."""
    return [
        Row(
            SECTION,
            name,
            FAIL,
            f"{setting(name)} has no value: the sync and this check "
            f"cannot know the name; meltano config set dbt-duckdb {name} <value>",
        )
        for name in NAME_SETTINGS
        if str(names.get(name) or "").strip() == ""
    ]


def tags_wanted(config: SyncConfig, account: plytix.PlytixAccount) -> dict[str, list[str]]:
    """PhotoShelter field -> the values the sync may write into it (Plytix options or
    category names)."""
    wanted: dict[str, list[str]] = {}
    for field_name, source in pairs(config.names.get("custom_fields")):
        if source == CATEGORY:
            wanted[field_name] = list(account.categories)
            continue
        row = account.attributes.get(source)
        if row and row.get("options"):
            wanted[field_name] = [str(o) for o in row["options"]]
    return wanted


def run(config: SyncConfig) -> Findings:
    """Every row of the table (the caller closes the PhotoShelter session: `close`)."""
    names = config.names
    found = Findings(config)
    found.rows += [
        check_rules(names.get("match_rules")),
        check_pattern(names.get("file_name_pattern")),
        *check_pairs(names),
        *check_present(names),
    ]
    found.plytix = plytix.inspect(config.of("tap-plytix"), config.of("target-plytix"))
    found.rows += found.plytix.rows
    if found.plytix.client is not None:
        before = len(found.plytix.rows)
        plytix.check_attributes(attribute_needs(names), found.plytix)
        found.rows += found.plytix.rows[before:]
    found.photoshelter = photoshelter.inspect(
        config.of("tap-photoshelter"), config.of("target-photoshelter")
    )
    found.rows += found.photoshelter.rows
    if found.photoshelter.client is not None:
        before = len(found.photoshelter.rows)
        photoshelter.check_fields(
            field_needs(names), found.photoshelter, tags_wanted(config, found.plytix)
        )
        photoshelter.check_collection(
            str(names.get("handoff_collection") or ""), found.photoshelter
        )
        found.rows += found.photoshelter.rows[before:]
    if config.environment == "prod":
        for row in found.rows:
            if (
                row.blocker
                and row.item.endswith(" credentials")
                and ("required" in row.detail or "set api_key" in row.detail)
            ):
                side = "PLYTIX" if "plytix" in row.item else "PHOTOSHELTER"
                row.detail += (
                    f" (prod takes the credentials from {side}_* variables in the "
                    "environment or in .env: see the README, prod)"
                )
    return found
