"""What each searchable resource exposes: field kinds, and the operators each field allows.

Kinds drive how a value compares (text, number, date, ...); the operator rules are what
`GET /filters/{product|asset|relationships}` lists and what strict `operator_rules` enforce
(docs/apis/plytix.md, section 4): `sku` has no `in`, product `id` is not filterable,
`modified`/`created` take comparisons but no `bte`, `status` takes eq/in/!in, multi-selects
in/!in. v2 searches reuse these resources (only the column cap differs, see `Generation`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from emulators.plytix.search import Resource
from emulators.plytix.store import Store, product_type

ATTRIBUTE_KINDS = {
    "TextAttribute": "text",
    "MultilineAttribute": "text",
    "HtmlAttribute": "text",
    "UrlAttribute": "text",
    "DropdownAttribute": "text",
    "IntAttribute": "number",
    "DecimalAttribute": "number",
    "CompletenessAttribute": "number",
    "DateAttribute": "date",
    "BooleanAttribute": "bool",
    "MultiSelectAttribute": "list",
    "MediaAttribute": "ref",
    "MediaGalleryAttribute": "refs",
}
PRODUCT_KINDS = {
    "id": "text",
    "sku": "text",
    "label": "text",
    "status": "text",
    "created": "date",
    "modified": "date",
    "num_variations": "number",
    "product_level": "number",
    "product_family_id": "text",
    "product_family_model_id": "text",
    "product_type": "text",
    "gtin": "text",
    "thumbnail": "ref",
    "assets": "refs",
    "categories": "list",
    "_parent_id": "text",
    "relationships": "list",
    "overwritten_attributes": "list",
    "static_lists": "list",
}
ASSET_KINDS = {
    "id": "text",
    "filename": "text",
    "url": "text",
    "thumbnail": "text",
    "file_type": "text",
    "file_size": "number",
    "content_type": "text",
    "extension": "text",
    "created": "date",
    "modified": "date",
    "file_modified": "date",
    "assigned": "bool",
    "categories": "list",
    "n_products": "number",
    "n_catalogs": "number",
    "has_custom_thumb": "bool",
    "public": "bool",
    "status": "text",
    "checksum": "text",
}
ATTRIBUTE_DEFINITION_KINDS = {
    "id": "text",
    "name": "text",
    "label": "text",
    "type_class": "text",
    "groups": "list",
    "options": "list",
}
GROUP_KINDS = {"id": "text", "name": "text", "attribute_labels": "list", "order": "number"}
FAMILY_KINDS = {
    "id": "text",
    "name": "text",
    "created": "date",
    "modified": "date",
    "total_attributes": "number",
    "total_models": "number",
    "total_products": "number",
}
CATEGORY_KINDS = {
    "id": "text",
    "name": "text",
    "slug": "text",
    "path": "list",
    "parents_ids": "list",
    "n_children": "number",
    "order": "text",
    "created": "date",
    "modified": "date",
}
RELATIONSHIP_KINDS = {
    "id": "text",
    "name": "text",
    "label": "text",
    "symmetric": "bool",
    "created": "date",
    "modified": "date",
}

EXISTS = ("exists", "!exists")
TEXT = (*EXISTS, "eq", "!eq", "like", "!like", "text_search")
CHOICE = (*EXISTS, "eq", "!eq", "in", "!in")
"""Ids, dropdowns and other closed values."""
NUMBER = (*EXISTS, "eq", "!eq", "gt", "gte", "lt", "lte", "bte")
STAMP = (*EXISTS, "eq", "gt", "gte", "lt", "lte")
"""`created`, `modified` (as /filters lists them: no `bte`, no `last_days`)."""
DATE = (*EXISTS, "eq", "gt", "gte", "lt", "lte", "bte", "last_days")
BOOLEAN = (*EXISTS, "eq")
MULTI_SELECT = ("in", "!in")
LISTED = (*EXISTS, "in", "!in")
MEDIA = EXISTS
KIND_RULES = {
    "text": TEXT,
    "number": NUMBER,
    "date": DATE,
    "bool": BOOLEAN,
    "list": LISTED,
    "ref": MEDIA,
    "refs": MEDIA,
}
FILTER_TYPES = {
    "text": "text",
    "number": "number",
    "date": "date",
    "bool": "boolean",
    "list": "multiselect",
    "ref": "media",
    "refs": "media_gallery",
}
"""`filter_type` in `/filters` rows, by kind (the real names are not recorded)."""
ATTRIBUTE_FILTER_TYPES = {
    "DropdownAttribute": "dropdown",
    "HtmlAttribute": "html",
    "UrlAttribute": "url",
    "CompletenessAttribute": "completeness",
}

PRODUCT_RULES: dict[str, tuple[str, ...] | None] = {
    "id": None,
    "sku": (*EXISTS, "like", "eq", "!eq"),
    "status": ("eq", "in", "!in"),
    "created": STAMP,
    "modified": STAMP,
    "product_family_id": CHOICE,
    "product_family_model_id": CHOICE,
    "product_type": ("eq", "in", "!in"),
    "_parent_id": CHOICE,
    "gtin": TEXT,
    "categories": LISTED,
    "relationships": LISTED,
    "static_lists": LISTED,
    "overwritten_attributes": None,
}
ASSET_RULES: dict[str, tuple[str, ...] | None] = {
    "id": ("eq", "!eq", "in", "!in"),
    "created": STAMP,
    "modified": STAMP,
    "file_modified": STAMP,
    "file_type": ("eq", "in", "!in"),
    "extension": CHOICE,
    "content_type": CHOICE,
    "status": ("eq", "in", "!in"),
    "checksum": None,
}
DEFINITION_RULES: dict[str, tuple[str, ...] | None] = {
    "id": ("eq", "!eq", "in", "!in"),
    "created": STAMP,
    "modified": STAMP,
}
PRODUCT_OPTIONS = {
    "status": ["Draft", "Completed", "Archived"],
    "product_type": ["PARENT", "VARIANT", "SINGLE"],
}


def _rules(
    kinds: dict[str, str],
    special: dict[str, tuple[str, ...] | None],
    dynamic: Callable[[str], tuple[str, ...] | None] | None = None,
) -> Callable[[str], tuple[str, ...] | None]:
    def allowed(field: str) -> tuple[str, ...] | None:
        if field in special:
            return special[field]
        if field in kinds:
            return KIND_RULES[kinds[field]]
        return dynamic(field) if dynamic else None

    return allowed


def attribute_rules(attribute: dict[str, Any]) -> tuple[str, ...]:
    """Operators a custom attribute takes, by its type."""
    type_class = attribute["type_class"]
    if type_class == "DropdownAttribute":
        return CHOICE
    if type_class == "MultiSelectAttribute":
        return MULTI_SELECT
    return KIND_RULES[ATTRIBUTE_KINDS[type_class]]


def _plain(item: dict[str, Any], field: str) -> Any:
    return item.get(field)


def products(store: Store) -> Resource:
    labels = store.labels()

    def kind_of_custom(field: str) -> str | None:
        if not field.startswith("attributes."):
            return None
        attribute = labels.get(field[len("attributes.") :])
        return ATTRIBUTE_KINDS.get(attribute["type_class"]) if attribute else None

    def custom_rules(field: str) -> tuple[str, ...] | None:
        attribute = (
            labels.get(field[len("attributes.") :]) if field.startswith("attributes.") else None
        )
        return attribute_rules(attribute) if attribute else None

    def read(product: dict[str, Any], field: str) -> Any:
        if field.startswith("attributes."):
            return product["attributes"].get(field[len("attributes.") :])
        if field == "relationships":
            return [link["relationship_label"] for link in product["relationships"]]
        if field == "product_type":
            return product_type(product)
        return product.get(field)

    return Resource(
        "product",
        PRODUCT_KINDS,
        read,
        ("id", "sku"),
        kind_of_custom,
        _rules(PRODUCT_KINDS, PRODUCT_RULES, custom_rules),
    )


def assets(store: Store) -> Resource:
    def read(asset: dict[str, Any], field: str) -> Any:
        if field == "n_products":
            return len(store.asset_links.get(asset["id"], ()))
        if field == "assigned":
            return bool(store.asset_links.get(asset["id"]))
        return asset.get(field)

    return Resource("asset", ASSET_KINDS, read, rules=_rules(ASSET_KINDS, ASSET_RULES))


def definitions(
    name: str, kinds: dict[str, str], read: Callable[[dict[str, Any], str], Any] = _plain
) -> Resource:
    return Resource(name, kinds, read, rules=_rules(kinds, DEFINITION_RULES))


def filter_listing(
    resource: Resource, properties: list[str], attributes: list[dict[str, Any]]
) -> dict[str, Any]:
    """One `/filters/...` answer item: custom attributes and core properties, each with the
    operators strict rules allow (fields that are not filterable are left out)."""

    def row(key: str, field: str, options: list[str] | None) -> dict[str, Any] | None:
        allowed = resource.allowed(field)
        if not allowed:
            return None
        entry: dict[str, Any] = {
            "filter_type": FILTER_TYPES[resource.kind(field) or "text"],
            "key": key,
            "operators": list(allowed),
        }
        if options:
            entry["options"] = list(options)
        return entry

    custom = []
    for attribute in attributes:
        entry = row(
            attribute["label"], f"attributes.{attribute['label']}", attribute.get("options")
        )
        if entry is not None:
            entry["filter_type"] = ATTRIBUTE_FILTER_TYPES.get(
                attribute["type_class"], entry["filter_type"]
            )
            custom.append(entry)
    core = [
        row(f, f, PRODUCT_OPTIONS.get(f) if resource.name == "product" else None)
        for f in properties
    ]
    return {"attributes": custom, "properties": [r for r in core if r]}
