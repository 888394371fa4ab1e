"""JSON schemas of the tap's streams (the warehouse-facing conventions of the project)."""

from __future__ import annotations

from typing import Any

from photoshelter_api.formats import IPTC_FIELDS, column_name
from singer_sdk import typing as th

IPTC = th.ObjectType(*(th.Property(name, th.StringType) for name in IPTC_FIELDS))

CUSTOM_METADATA_RAW = th.ArrayType(
    th.ObjectType(
        th.Property("field_id", th.StringType),
        th.Property("field_name", th.StringType),
        th.Property("tag_id", th.StringType),
        th.Property("tag_name", th.StringType),
    )
)


def media_schema(fields: list[dict[str, Any]]) -> dict[str, Any]:
    """The media schema, with one `custom_metadata` property per organisation field."""
    custom = th.ObjectType(
        *(th.Property(column_name(f["name"]), th.StringType) for f in fields),
        additional_properties=False,
    )
    return th.PropertiesList(
        th.Property("id", th.StringType, required=True),
        th.Property("file_name", th.StringType),
        th.Property("file_size", th.IntegerType),
        th.Property("width", th.IntegerType),
        th.Property("height", th.IntegerType),
        th.Property("rating", th.IntegerType),
        th.Property("flagged", th.BooleanType),
        th.Property("model_released", th.BooleanType),
        th.Property("property_released", th.BooleanType),
        th.Property("focal_point_x", th.NumberType),
        th.Property("focal_point_y", th.NumberType),
        th.Property("media_type", th.StringType),
        th.Property("organization_id", th.StringType),
        th.Property("photographer_id", th.StringType),
        th.Property("created_at", th.DateTimeType),
        th.Property("modified_at", th.DateTimeType, required=True),
        th.Property("license_expiration", th.DateType),
        th.Property("iptc", IPTC),
        th.Property("keywords", th.ArrayType(th.StringType)),
        th.Property("custom_metadata", custom),
        th.Property("custom_metadata_raw", CUSTOM_METADATA_RAW),
        th.Property("link_url", th.StringType),
        th.Property("gallery_ids", th.ArrayType(th.StringType)),
    ).to_dict()


GALLERIES = th.PropertiesList(
    th.Property("id", th.StringType, required=True),
    th.Property("name", th.StringType),
    th.Property("description", th.StringType),
    th.Property("parent_ids", th.ArrayType(th.StringType)),
    th.Property("paths", th.ArrayType(th.StringType)),
    th.Property("media_count", th.IntegerType),
    th.Property("is_public", th.BooleanType),
    th.Property("created_at", th.DateTimeType),
    th.Property("modified_at", th.DateTimeType),
    th.Property(
        "read_at",
        th.DateTimeType,
        description="When this run read the galleries; older rows are deleted ones",
    ),
    th.Property(
        "membership_version",
        th.StringType,
        description="The `gallery_media` rows of this version are the current ones",
    ),
).to_dict()

COLLECTIONS = th.PropertiesList(
    th.Property("id", th.StringType, required=True),
    th.Property("name", th.StringType),
    th.Property("description", th.StringType),
    th.Property("parent_id", th.StringType),
    th.Property("path", th.StringType),
    th.Property("created_at", th.DateTimeType),
    th.Property("modified_at", th.DateTimeType),
).to_dict()

GALLERY_MEDIA = th.PropertiesList(
    th.Property("gallery_id", th.StringType, required=True),
    th.Property("media_id", th.StringType, required=True),
    th.Property("position", th.IntegerType),
    th.Property(
        "membership_version",
        th.StringType,
        description="The gallery's `membership_version` when this row was read",
    ),
).to_dict()

METADATA_FIELDS = th.PropertiesList(
    th.Property("id", th.StringType, required=True),
    th.Property("name", th.StringType),
    th.Property("column_name", th.StringType),
    th.Property(
        "tags",
        th.ArrayType(
            th.ObjectType(
                th.Property("id", th.StringType),
                th.Property("name", th.StringType),
            )
        ),
    ),
).to_dict()
