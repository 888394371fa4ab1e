"""What each searchable resource exposes: field kinds for filters, columns and ordering."""

from __future__ import annotations

from typing import Any

from emulators.plytix.search import Resource
from emulators.plytix.store import Store

ATTRIBUTE_KINDS = {
    "TextAttribute": "text", "MultilineAttribute": "text", "HtmlAttribute": "text",
    "UrlAttribute": "text", "DropdownAttribute": "text", "IntAttribute": "number",
    "DecimalAttribute": "number", "CompletenessAttribute": "number", "DateAttribute": "date",
    "BooleanAttribute": "bool", "MultiSelectAttribute": "list", "MediaAttribute": "ref",
    "MediaGalleryAttribute": "refs",
}
PRODUCT_KINDS = {
    "id": "text", "sku": "text", "label": "text", "status": "text", "created": "date",
    "modified": "date", "num_variations": "number", "product_level": "number",
    "product_family_id": "text", "product_family_model_id": "text", "product_type": "text",
    "gtin": "text", "thumbnail": "ref", "assets": "refs", "categories": "list",
    "_parent_id": "text", "relationships": "list", "overwritten_attributes": "list",
}
ASSET_KINDS = {
    "id": "text", "filename": "text", "url": "text", "thumbnail": "text", "file_type": "text",
    "file_size": "number", "content_type": "text", "extension": "text", "created": "date",
    "modified": "date", "file_modified": "date", "assigned": "bool", "categories": "list",
    "n_products": "number", "public": "bool", "status": "text", "checksum": "text",
}
ATTRIBUTE_DEFINITION_KINDS = {"id": "text", "name": "text", "label": "text",
                              "type_class": "text", "groups": "list", "options": "list"}
GROUP_KINDS = {"id": "text", "name": "text", "attribute_labels": "list", "order": "number"}
FAMILY_KINDS = {"id": "text", "name": "text", "created": "date", "modified": "date"}
CATEGORY_KINDS = {"id": "text", "name": "text", "slug": "text", "path": "list",
                  "parents_ids": "list", "n_children": "number", "order": "number"}
RELATIONSHIP_KINDS = {"id": "text", "name": "text", "label": "text", "symmetric": "bool"}


def _plain(item: dict[str, Any], field: str) -> Any:
    return item.get(field)


def products(store: Store) -> Resource:
    def kind_of_custom(field: str) -> str | None:
        if not field.startswith("attributes."):
            return None
        attribute = store.attribute_by_label(field[len("attributes."):])
        return ATTRIBUTE_KINDS.get(attribute["type_class"]) if attribute else None

    def read(product: dict[str, Any], field: str) -> Any:
        if field.startswith("attributes."):
            return product["attributes"].get(field[len("attributes."):])
        if field == "relationships":
            return [link["relationship_label"] for link in product["relationships"]]
        return product.get(field)

    return Resource("product", PRODUCT_KINDS, read, ("id", "sku"), kind_of_custom)


def assets(store: Store) -> Resource:
    def read(asset: dict[str, Any], field: str) -> Any:
        if field == "n_products":
            return len(store.asset_links.get(asset["id"], ()))
        if field == "assigned":
            return bool(store.asset_links.get(asset["id"]))
        return asset.get(field)

    return Resource("asset", ASSET_KINDS, read)


def definitions(name: str, kinds: dict[str, str]) -> Resource:
    return Resource(name, kinds, _plain)
