"""JSON schemas of the streams, including typed columns for Plytix custom attributes."""

from __future__ import annotations

from typing import Any

from plytix_api.values import MEDIA_GALLERY, MEDIA_SINGLE
from singer_sdk import typing as th

MEDIA_TYPES = (MEDIA_SINGLE, MEDIA_GALLERY)

ATTRIBUTE_TYPES: dict[str, th.JSONTypeHelper] = {
    "TextAttribute": th.StringType(),
    "MultilineAttribute": th.StringType(),
    "HtmlAttribute": th.StringType(),
    "UrlAttribute": th.StringType(),
    "DropdownAttribute": th.StringType(),
    "IntAttribute": th.IntegerType(),
    "DecimalAttribute": th.NumberType(),
    "CompletenessAttribute": th.NumberType(),
    "BooleanAttribute": th.BooleanType(),
    "DateAttribute": th.DateType(),
    "MultiSelectAttribute": th.ArrayType(th.StringType),
    MEDIA_SINGLE: th.StringType(),
    MEDIA_GALLERY: th.ArrayType(th.StringType),
}
"""Plytix type_class -> JSON schema type of the column; media hold asset ids."""


def attribute_property(definition: dict[str, Any]) -> th.Property:
    """The typed property of one custom attribute (unknown types are kept as text)."""
    kind = ATTRIBUTE_TYPES.get(definition.get("type_class", ""), th.StringType())
    return th.Property(definition["label"], kind, description=definition.get("name"))


def products_schema(definitions: list[dict[str, Any]]) -> dict[str, Any]:
    return th.PropertiesList(
        th.Property("id", th.StringType, required=True),
        th.Property("sku", th.StringType),
        th.Property("label", th.StringType),
        th.Property("status", th.StringType),
        th.Property("created", th.DateTimeType),
        th.Property("modified", th.DateTimeType, required=True),
        th.Property("num_variations", th.IntegerType),
        th.Property(
            "product_level", th.IntegerType, description="0 single product, 1 parent, 2 variant"
        ),
        th.Property(
            "_parent_id",
            th.StringType,
            description="Parent product id of a variant (v1 `_parent_id`, v2 `parent_id`)",
        ),
        th.Property("product_family_id", th.StringType),
        th.Property("product_family_model_id", th.StringType),
        th.Property("product_type", th.StringType),
        th.Property("gtin", th.StringType),
        th.Property("categories", th.ArrayType(th.StringType), description="Category ids"),
        th.Property("thumbnail", th.StringType, description="Asset id of the thumbnail"),
        th.Property("assets", th.ArrayType(th.StringType), description="Linked asset ids"),
        th.Property(
            "attributes",
            th.ObjectType(
                *[attribute_property(d) for d in definitions], additional_properties=False
            ),
        ),
    ).to_dict()


ASSETS_SCHEMA = th.PropertiesList(
    th.Property("id", th.StringType, required=True),
    th.Property("filename", th.StringType),
    th.Property("url", th.StringType),
    th.Property("thumbnail", th.StringType),
    th.Property("file_type", th.StringType),
    th.Property("file_size", th.IntegerType),
    th.Property("content_type", th.StringType),
    th.Property("extension", th.StringType),
    th.Property("created", th.DateTimeType),
    th.Property("modified", th.DateTimeType, required=True),
    th.Property("file_modified", th.DateTimeType),
    th.Property("assigned", th.BooleanType),
    th.Property("categories", th.ArrayType(th.StringType), description="Asset category ids"),
    th.Property("n_products", th.IntegerType),
    th.Property("public", th.BooleanType),
    th.Property("status", th.StringType),
).to_dict()

PRODUCT_ASSETS_SCHEMA = th.PropertiesList(
    th.Property("product_id", th.StringType, required=True),
    th.Property("sku", th.StringType),
    th.Property(
        "attribute_label",
        th.StringType,
        required=True,
        description="`thumbnail` or the label of a media / media gallery attribute",
    ),
    th.Property("asset_id", th.StringType, required=True),
    th.Property("position", th.IntegerType, description="0-based order inside the attribute"),
    th.Property(
        "product_modified",
        th.DateTimeType,
        description="`modified` of the product row these links were read from: rows "
        "older than the product's current `modified` are stale",
    ),
).to_dict()

PRODUCT_ATTRIBUTES_SCHEMA = th.PropertiesList(
    th.Property("id", th.StringType, required=True),
    th.Property("label", th.StringType),
    th.Property("name", th.StringType),
    th.Property("type_class", th.StringType),
    th.Property("groups", th.ArrayType(th.StringType)),
    th.Property("options", th.ArrayType(th.StringType)),
).to_dict()

PRODUCT_FAMILIES_SCHEMA = th.PropertiesList(
    th.Property("id", th.StringType, required=True),
    th.Property("name", th.StringType),
    th.Property("created", th.DateTimeType),
    th.Property("modified", th.DateTimeType, required=True),
    th.Property(
        "attributes",
        th.ArrayType(
            th.ObjectType(
                th.Property("id", th.StringType),
                th.Property("label", th.StringType),
                th.Property(
                    "attribute_level",
                    th.StringType,
                    description="parent_level, variant_level or no_level",
                ),
            )
        ),
    ),
).to_dict()

CATEGORIES_SCHEMA = th.PropertiesList(
    th.Property("id", th.StringType, required=True),
    th.Property("name", th.StringType),
    th.Property("slug", th.StringType),
    th.Property("path", th.ArrayType(th.StringType)),
    th.Property("parents_ids", th.ArrayType(th.StringType)),
    th.Property("n_children", th.IntegerType),
    th.Property(
        "order",
        th.StringType,
        description="Position among siblings, as Plytix writes "
        "it (text; a number is kept as its text)",
    ),
).to_dict()
