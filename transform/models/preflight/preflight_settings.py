"""The gate every model waits for: the settings that name things must fit the landed accounts.

A wrong setting must stop the plan before any outbox is built, with one line naming the
setting and what is wrong, not as a raw SQL error later or, worse, as a plan that quietly
unpublishes a catalogue (an approval value that never matches empties every image slot).
A Python model, because a pattern that does not compile can only be caught in Python.
"""

from __future__ import annotations

import json
import re
from typing import Any

RULES = ("custom_field", "trans_ref", "keyword", "file_name", "gallery")
def setting(name: str) -> str:
    """How a message names a setting: `meltano config set dbt-duckdb <name> ...` changes it."""
    return f"setting {name} of dbt-duckdb"


def check_rules(value: str) -> list[str]:
    rules = [r.strip() for r in value.split(",") if r.strip()]
    unknown = [r for r in rules if r not in RULES]
    if unknown:
        return [f"{setting('match_rules')}: unknown rule(s) {', '.join(unknown)}; "
                f"allowed: {', '.join(RULES)}"]
    if not rules:
        return [f"{setting('match_rules')}: empty; allowed: {', '.join(RULES)}"]
    return []


def check_pattern(pattern: str) -> list[str]:
    try:
        compiled = re.compile(pattern)
    except re.error as error:
        return [f"{setting('file_name_pattern')}: does not compile ({error})"]
    if "sku" not in compiled.groupindex:
        return [f"{setting('file_name_pattern')}: has no named group `sku` "
                "(write it as (?P<sku>...); `view` and `seq` are optional)"]
    return []


def check_fields(values: dict[str, Any], fields: dict[str, list[str]]) -> list[str]:
    """approval_field is a PhotoShelter field and approval_value one of its tags.

    (identifier_field may be absent: the custom_field rule then matches nothing.)
    """
    problems = []
    if values["approval_field"] not in fields:
        near = [f for f in fields if f.lower() == values["approval_field"].lower()]
        hint = f" (did you mean {near[0]!r}? names are case-sensitive)" if near else ""
        problems.append(f"{setting('approval_field')}: PhotoShelter has no custom field "
                        f"{values['approval_field']!r}{hint}; fields: {', '.join(sorted(fields))}")
    tags = fields.get(values["approval_field"])
    if tags is not None and values["approval_value"] not in tags:
        problems.append(f"{setting('approval_value')}: {values['approval_value']!r} is not a tag "
                        f"of PhotoShelter field {values['approval_field']!r} (tags, "
                        f"case-sensitive: {', '.join(tags)})")
    return problems


def check_read_attributes(values: dict[str, Any], columns: set[str]) -> list[str]:
    """The Plytix attributes the models read as columns of the landed products."""
    problems = []
    for name in ("style_attribute", "color_attribute", "size_attribute", "season_attribute",
                 "launch_status_attribute", "launch_date_attribute"):
        if f"attributes__{values[name]}".lower() not in columns:
            problems.append(f"{setting(name)}: Plytix attribute {values[name]!r} is not in the "
                            "landed products (create it in Plytix, or set the setting to the "
                            "account's own label)")
    return problems


def check_packages(values: dict[str, Any], columns: set[str]) -> list[str]:
    """`Scope=attribute,...;...` naming attributes Plytix has; the completeness attribute too."""
    problems = []
    name = "package_required_attributes"
    for group in (g.strip() for g in values[name].split(";")):
        if not group:
            continue
        scope, equals, labels = group.partition("=")
        wanted = [label.strip() for label in labels.split(",") if label.strip()]
        if not equals or not scope.strip() or not wanted:
            problems.append(f"{setting(name)}: {group!r} is not `Scope=attribute,attribute` "
                            "(scope: a Plytix family, a category, or * for every product)")
            continue
        unknown = [label for label in wanted if f"attributes__{label}".lower() not in columns]
        if unknown:
            problems.append(f"{setting(name)}: Plytix attribute(s) {', '.join(unknown)} "
                            f"(required for {scope.strip()!r}) not in the landed products")
    completeness = values["launch_completeness_attribute"].strip()
    if completeness and f"attributes__{completeness}".lower() not in columns:
        problems.append(f"{setting('launch_completeness_attribute')}: Plytix attribute "
                        f"{completeness!r} is not in the landed products")
    return problems


def model(dbt: Any, session: Any) -> Any:
    dbt.config(materialized="table")
    settings = dbt.ref("preflight_setting_values")
    values = dict(zip(settings.columns, settings.fetchone(), strict=True))
    fields = {name: [t["name"] for t in json.loads(tags or "[]")]
              for name, tags in dbt.source("photoshelter", "metadata_fields")
              .project("name, tags").fetchall()}
    columns = {c.lower() for c in dbt.source("plytix", "products").columns}
    problems = (check_rules(values["match_rules"]) + check_pattern(values["file_name_pattern"])
                + check_fields(values, fields) + check_read_attributes(values, columns)
                + check_packages(values, columns))
    if problems:
        raise ValueError(" | ".join(problems))
    return session.sql("select 'ok' as status, "
                       f"{len(values)} as settings_checked")
