"""`setup`: create what the settings name and the accounts lack, where the APIs allow it.

Plytix attributes (with their type and options) and missing dropdown options; PhotoShelter
tags. A PhotoShelter field, a Plytix attribute of the wrong type, or a setting that names a
value that does not exist is a step for a person, said plainly. A dry run unless `apply`;
idempotent (a second run finds nothing to do).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from photoshelter_api import ConnectorError

from pim_dam_check import photoshelter, plytix
from pim_dam_check.check import Findings, tags_wanted
from pim_dam_check.requirements import OPTION_TYPES, attribute_needs, field_needs, setting

LABEL = re.compile(r"^[a-z][a-z0-9_]*$")


@dataclass
class Action:
    what: str
    do: Callable[[], Any]


@dataclass
class Plan:
    actions: list[Action]
    manual: list[str]


def plan(found: Findings) -> Plan:
    names = found.config.names
    actions: list[Action] = []
    manual: list[str] = []
    account = found.plytix
    if account is not None and account.client is not None:
        client = account.client
        for need in attribute_needs(names):
            row = account.attributes.get(need.label)
            where = ", ".join(setting(s) for s in dict.fromkeys(need.settings))
            if row is None and not LABEL.match(need.label):
                manual.append(
                    f"Plytix: {need.label!r} ({where}) is not a valid attribute "
                    "label (snake_case): fix the setting"
                )
            elif row is None:
                options = f" with options {', '.join(need.options)}" if need.options else ""
                actions.append(
                    Action(
                        f"Plytix: create attribute {need.label} ({need.create_type}{options})",
                        lambda n=need: plytix.create_attribute(client, n),
                    )
                )
            elif row.get("type_class") not in need.types:
                manual.append(
                    f"Plytix: attribute {need.label} is {row.get('type_class')}, the "
                    f"sync needs {' or '.join(need.types)}: create one of that type "
                    f"in Plytix (Settings > Attributes) and set {where} to its label"
                )
            else:
                current = [str(o) for o in row.get("options") or []]
                missing = (
                    [o for o in need.options if o not in current]
                    if row.get("type_class") in OPTION_TYPES
                    else []
                )
                if missing:
                    actions.append(
                        Action(
                            f"Plytix: add option(s) {', '.join(map(repr, missing))} "
                            f"to {need.label}",
                            lambda r=row, m=missing: plytix.add_options(client, r, m),
                        )
                    )
    ps = found.photoshelter
    if ps is not None and ps.client is not None and account is not None:
        wanted = tags_wanted(found.config, account)
        for need in field_needs(names):
            row = ps.fields.get(need.name)
            where = ", ".join(setting(s) for s in dict.fromkeys(need.settings))
            if row is None:
                optional = (
                    ""
                    if need.blocker
                    else (
                        " (optional: without it the custom_field rule of match_rules matches "
                        "nothing)"
                    )
                )
                manual.append(
                    f"PhotoShelter: field {need.name!r} ({where}){optional}: "
                    f"{photoshelter.UI_FIELD}"
                    + (
                        f", with the tags {', '.join(wanted[need.name])}"
                        if wanted.get(need.name)
                        else ""
                    )
                    + "; then run make setup again"
                )
                continue
            tags = [str(t.get("name")) for t in row.get("tags") or []]
            for value in need.tags:
                if value not in tags:
                    manual.append(
                        f"PhotoShelter: {value!r} is not a tag of {need.name!r}: set "
                        f"{setting('approval_value')} to the tag your approvers use "
                        f"({', '.join(tags) or 'none'}); setup does not create "
                        "approval tags"
                    )
            for value in wanted.get(need.name) or []:
                if value not in tags:
                    actions.append(
                        Action(
                            f"PhotoShelter: create tag {value!r} in field {need.name!r}",
                            lambda r=row, v=value: photoshelter.create_tag(ps.client, r, v),
                        )
                    )
    return Plan(actions, manual)


def apply(steps: Plan) -> list[str]:
    """Run every action; one line per failure (the rest still run)."""
    failures = []
    for action in steps.actions:
        try:
            action.do()
        except ConnectorError as error:
            failures.append(f"{action.what}: {error}")
    return failures
