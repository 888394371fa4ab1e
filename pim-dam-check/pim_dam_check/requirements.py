"""What the settings say the accounts must hold: Plytix attributes, PhotoShelter fields, tags.

Derived from the dbt-duckdb settings the sync itself reads (transform/dbt_project.yml), so a
renamed setting is checked under its new name. Each requirement knows the setting that names
it, whether the sync reads or writes it, the types it may have and the options it needs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pim_dam_check.config import NAMES_PLUGIN

TEXT = ("TextAttribute", "MultilineAttribute", "HtmlAttribute", "DropdownAttribute")
OPTION_TYPES = ("DropdownAttribute", "MultiSelectAttribute")
"""The types whose values must be one of their options."""
RULES = ("custom_field", "trans_ref", "keyword", "file_name", "gallery")
NAME_SETTINGS = (
    "match_rules",
    "file_name_pattern",
    "identifier_field",
    "approval_field",
    "approval_value",
    "channels",
    "markets",
    "gallery_attribute",
    "ready_for_creative",
    "style_attribute",
    "color_attribute",
    "size_attribute",
    "season_attribute",
    "launch_status_attribute",
    "launch_date_attribute",
    "rights_expiry_attribute",
    "rights_usage_terms_attribute",
    "rights_credit_attribute",
    "rights_channels_attribute",
    "rights_markets_attribute",
    "imagery_status_attribute",
    "imagery_status_complete",
    "imagery_status_missing_hero",
    "imagery_status_none",
    "imagery_status_expiring",
    "custom_fields",
)
"""The dbt-duckdb settings that name rules, attributes, fields and values (all required)."""
CATEGORY = "category"
"""In custom_fields, the product's Plytix category (not an attribute)."""


def setting(name: str) -> str:
    """How a row names a setting (the words of the dbt preflight gate)."""
    return f"setting {name} of {NAMES_PLUGIN}"


def set_command(name: str, value: str = "<value>") -> str:
    return f"meltano config set {NAMES_PLUGIN} {name} '{value}'"


@dataclass
class AttributeNeed:
    """One Plytix attribute the sync reads or writes."""

    label: str
    settings: list[str]
    use: str
    """`read` or `written`."""
    types: tuple[str, ...]
    """Accepted type_class values; the first is what setup creates."""
    options: list[str] = field(default_factory=list)
    """Options it must offer (dropdown and multi-select)."""
    why: str = ""

    @property
    def create_type(self) -> str:
        return self.types[0]


@dataclass
class FieldNeed:
    """One PhotoShelter pick-list field the sync reads or writes."""

    name: str
    settings: list[str]
    use: str
    blocker: bool
    """A missing field stops the sync (False: a rule matches nothing / values are left out)."""
    tags: list[str] = field(default_factory=list)
    """Tags it must hold exactly (case-sensitive), checked as blockers (approval_value)."""
    source: str | None = None
    """The Plytix attribute (or `category`) whose values become tags of this field."""
    why: str = ""


def csv(value: Any) -> list[str]:
    return [item.strip() for item in str(value or "").split(",") if item.strip()]


def pairs(value: Any, sep: str = ":") -> list[tuple[str, str]]:
    found = []
    for item in csv(value):
        left, _, right = item.partition(sep)
        found.append((left.strip(), right.strip()))
    return found


def attribute_needs(names: dict[str, Any]) -> list[AttributeNeed]:
    """Every Plytix attribute the settings name, merged by label (one label, several uses)."""
    needs: list[AttributeNeed] = []

    def add(
        key: str,
        use: str,
        types: tuple[str, ...],
        options: list[str] | None = None,
        why: str = "",
        label: str | None = None,
    ) -> None:
        label = label if label is not None else str(names.get(key) or "")
        if not label:
            return
        for need in needs:
            if need.label == label:
                need.settings.append(key)
                need.use = "read and written" if need.use != use else use
                need.options += [o for o in options or [] if o not in need.options]
                need.types = tuple(t for t in need.types if t in types) or need.types
                return
        needs.append(AttributeNeed(label, [key], use, types, list(options or []), why))

    add("style_attribute", "read", ("TextAttribute", *TEXT[1:]), why="style code")
    add("color_attribute", "read", TEXT, why="colour")
    add("size_attribute", "read", TEXT, why="size")
    add("season_attribute", "read", TEXT, why="season")
    ready = str(names.get("ready_for_creative") or "")
    add(
        "launch_status_attribute",
        "read",
        ("DropdownAttribute", *TEXT),
        [ready] if ready else [],
        why="launch status (ready_for_creative is an option)",
    )
    add("launch_date_attribute", "read", ("DateAttribute",), why="launch date")
    channels = pairs(names.get("channels"))
    for channel, label in channels:
        add(
            "channels",
            "written",
            ("MediaGalleryAttribute",),
            label=label,
            why=f"images of channel {channel}",
        )
    add("gallery_attribute", "written", ("MediaGalleryAttribute",), why="all approved images")
    add("rights_expiry_attribute", "written", ("DateAttribute",), why="earliest rights expiry")
    add(
        "rights_usage_terms_attribute",
        "written",
        ("MultilineAttribute", "TextAttribute", "HtmlAttribute"),
        why="usage terms",
    )
    add(
        "rights_credit_attribute",
        "written",
        ("TextAttribute", "MultilineAttribute", "HtmlAttribute"),
        why="credit line",
    )
    add(
        "rights_channels_attribute",
        "written",
        ("MultiSelectAttribute",),
        [c.lower() for c, _ in channels],
        why="channels the images are licensed for",
    )
    add(
        "rights_markets_attribute",
        "written",
        ("MultiSelectAttribute",),
        csv(names.get("markets")),
        why="markets the images are licensed for",
    )
    statuses = [
        str(names.get(k) or "")
        for k in (
            "imagery_status_complete",
            "imagery_status_missing_hero",
            "imagery_status_none",
            "imagery_status_expiring",
        )
    ]
    add(
        "imagery_status_attribute",
        "written",
        ("DropdownAttribute",),
        [s for s in statuses if s],
        why="imagery status",
    )
    for field_name, label in pairs(names.get("custom_fields")):
        if label and label != CATEGORY:
            add(
                "custom_fields",
                "read",
                ("DropdownAttribute", *TEXT, "MultiSelectAttribute"),
                label=label,
                why=f"written to PhotoShelter field {field_name!r}",
            )
    return needs


def field_needs(names: dict[str, Any]) -> list[FieldNeed]:
    """Every PhotoShelter field the settings name."""
    needs: list[FieldNeed] = []
    approval = str(names.get("approval_field") or "")
    value = str(names.get("approval_value") or "")
    if approval:
        needs.append(
            FieldNeed(
                approval,
                ["approval_field"],
                "read",
                True,
                [value] if value else [],
                why="only images whose field holds approval_value flow",
            )
        )
    identifier = str(names.get("identifier_field") or "")
    if identifier and "custom_field" in csv(names.get("match_rules")):
        needs.append(
            FieldNeed(
                identifier,
                ["identifier_field"],
                "read",
                False,
                why="the custom_field match rule reads it",
            )
        )
    for name, source in pairs(names.get("custom_fields")):
        if not name:
            continue
        known = next((n for n in needs if n.name == name), None)
        if known is not None:
            known.settings.append("custom_fields")
            known.source = source
            continue
        needs.append(
            FieldNeed(
                name,
                ["custom_fields"],
                "written",
                True,
                source=source,
                why=f"written from Plytix {source!r}",
            )
        )
    return needs
