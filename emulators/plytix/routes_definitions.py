"""Definition routes: attributes and their groups, families, categories, relationships,
and the `filters/*` listings of what each search accepts."""

from __future__ import annotations

import re
from collections import Counter
from typing import TYPE_CHECKING, Any

from emulators.core import Request, Response
from emulators.plytix import resources, serialize
from emulators.plytix.errors import fail, invalid, not_found
from emulators.plytix.responses import created, data, no_content

if TYPE_CHECKING:
    from emulators.plytix.app import PlytixEmulator

GROUPS = "/attribute-groups/product"
"""Attribute groups (`/attributes/product/groups` was a guess: not a real path)."""
LEVELS = ("parent_level", "variant_level", "no_level")
FAMILY_CREATE_LISTS = {
    "attributes": "no_level",
    "parent_attributes": "parent_level",
    "variant_attributes": "variant_level",
}
"""The lists a family create takes and the inheritance level each links at."""
LABEL = re.compile(r"^[a-z][a-z0-9_]*$")
OPTION_TYPES = ("DropdownAttribute", "MultiSelectAttribute")


def register(emu: PlytixEmulator) -> None:
    r = DefinitionRoutes(emu)
    emu.api("POST", f"{GROUPS}/search", r.search_groups)
    emu.api("POST", GROUPS, r.create_group)
    emu.api("GET", f"{GROUPS}/{{group_id}}", r.get_group)
    emu.api("PATCH", f"{GROUPS}/{{group_id}}", r.patch_group)
    emu.api("DELETE", f"{GROUPS}/{{group_id}}", r.delete_group)
    emu.api("POST", "/attributes/product/search", r.search_attributes)
    emu.api("POST", "/attributes/product", r.create_attribute)
    emu.api("GET", "/attributes/product/{attribute_id}", r.get_attribute)
    emu.api("PATCH", "/attributes/product/{attribute_id}", r.patch_attribute)
    emu.api("DELETE", "/attributes/product/{attribute_id}", r.delete_attribute)
    emu.api("POST", "/product_families/search", r.search_families)
    emu.api("POST", "/product_families", r.create_family)
    emu.api("GET", "/product_families/{family_id}", r.get_family)
    emu.api("PATCH", "/product_families/{family_id}", r.patch_family)
    emu.api("DELETE", "/product_families/{family_id}", r.delete_family)
    emu.api("GET", "/product_families/{family_id}/attributes", r.family_attributes)
    emu.api("POST", "/product_families/{family_id}/attributes/link", r.link_family_attributes)
    emu.api("POST", "/product_families/{family_id}/attributes/unlink", r.unlink_family_attributes)
    emu.api("POST", "/product_families/{family_id}/attributes/edit", r.edit_family_attributes)
    emu.api("GET", "/product_families/{family_id}/all_attributes", r.all_family_attributes)
    for kind in ("product", "file"):
        tree = CategoryRoutes(emu, kind)
        emu.api("POST", f"/categories/{kind}/search", tree.search)
        emu.api("POST", f"/categories/{kind}", tree.create)
        emu.api("POST", f"/categories/{kind}/{{category_id}}", tree.create)
        emu.api("PATCH", f"/categories/{kind}/{{category_id}}", tree.rename)
        emu.api("DELETE", f"/categories/{kind}/{{category_id}}", tree.delete)
    emu.api("POST", "/relationships/search", r.search_relationships)
    emu.api("POST", "/relationships", r.create_relationship)
    emu.api("GET", "/relationships/{relationship_id}", r.get_relationship)
    emu.api("PATCH", "/relationships/{relationship_id}", r.patch_relationship)
    emu.api("DELETE", "/relationships/{relationship_id}", r.delete_relationship)
    emu.api("GET", "/filters/product", r.product_filters)
    emu.api("GET", "/filters/asset", r.asset_filters)
    emu.api("GET", "/filters/relationships", r.relationship_filters)


def _snake(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_") or "attribute"


def _name(body: dict[str, Any]) -> str:
    name = body.get("name")
    if not isinstance(name, str) or not name.strip():
        raise invalid("name", "is required and must be a non-empty string")
    return name.strip()


def _only(body: dict[str, Any], allowed: tuple[str, ...]) -> None:
    for key in body:
        if key not in allowed:
            raise invalid(key, f"cannot be set here; allowed: {', '.join(allowed)}")


def _get(records: dict[str, dict[str, Any]], key: str, kind: str) -> dict[str, Any]:
    if key not in records:
        raise not_found(kind, key)
    return records[key]


class DefinitionRoutes:
    def __init__(self, emu: PlytixEmulator) -> None:
        self.emu = emu

    @property
    def store(self) -> Any:
        return self.emu.store

    def _search(
        self, name: str, kinds: dict[str, str], records: dict[str, Any], request: Request
    ) -> Response:
        return self.emu.search_response(
            resources.definitions(name, kinds),
            records.values(),
            self.emu.search_body(request),
            serialize.definition_row,
        )

    # --- attributes -----------------------------------------------------------------------
    def search_attributes(self, request: Request) -> Response:
        return self._search(
            "attribute", resources.ATTRIBUTE_DEFINITION_KINDS, self.store.attributes, request
        )

    def get_attribute(self, request: Request) -> Response:
        return data(
            [
                serialize.definition(
                    _get(self.store.attributes, request.params["attribute_id"], "Attribute")
                )
            ]
        )

    def _options(self, type_class: str, value: Any) -> list[str]:
        if value in (None, []):
            return []
        if type_class not in OPTION_TYPES:
            raise invalid("options", f"only {' and '.join(OPTION_TYPES)} take options")
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise invalid("options", "must be a list of strings")
        return list(dict.fromkeys(value))

    def _group_names(self, value: Any) -> list[str]:
        if value in (None, []):
            return []
        known = {g["name"] for g in self.store.groups.values()}
        if not isinstance(value, list) or any(v not in known for v in value):
            raise invalid("groups", f"must name existing attribute groups: {sorted(known)}")
        return list(value)

    def create_attribute(self, request: Request) -> Response:
        body = self.emu.body(request)
        _only(body, ("name", "label", "type_class", "options", "groups", "description"))
        name = _name(body)
        label = body.get("label") or _snake(name)
        if not isinstance(label, str) or not LABEL.match(label):
            raise invalid("label", f"must be snake_case letters, digits and _, got {label!r}")
        if self.store.attribute_by_label(label):
            raise fail(409, f"An attribute with label {label!r} already exists", "label")
        type_class = body.get("type_class")
        if type_class not in resources.ATTRIBUTE_KINDS or type_class == "CompletenessAttribute":
            raise invalid("type_class", f"unknown or read-only attribute type {type_class!r}")
        attribute = {
            "id": self.store.new_id("attribute"),
            "label": label,
            "name": name,
            "type_class": type_class,
            "groups": self._group_names(body.get("groups")),
            "options": self._options(type_class, body.get("options")),
        }
        self.store.attributes[attribute["id"]] = attribute
        for group in self.store.groups.values():
            if group["name"] in attribute["groups"]:
                group["attribute_labels"].append(label)
        return created(serialize.definition(attribute), f"/attributes/product/{attribute['id']}")

    def patch_attribute(self, request: Request) -> Response:
        attribute = _get(self.store.attributes, request.params["attribute_id"], "Attribute")
        body = self.emu.body(request)
        _only(body, ("name", "options", "groups", "description"))
        changes: dict[str, Any] = {}
        if "name" in body:
            changes["name"] = _name(body)
        if "options" in body:
            changes["options"] = self._options(attribute["type_class"], body["options"])
        if "groups" in body:
            changes["groups"] = self._group_names(body["groups"])
            for group in self.store.groups.values():
                labels = group["attribute_labels"]
                if group["name"] in changes["groups"] and attribute["label"] not in labels:
                    labels.append(attribute["label"])
                if group["name"] not in changes["groups"] and attribute["label"] in labels:
                    labels.remove(attribute["label"])
        attribute.update(changes)
        return data([serialize.definition(attribute)])

    def delete_attribute(self, request: Request) -> Response:
        attribute = self.store.attributes.pop(
            _get(self.store.attributes, request.params["attribute_id"], "Attribute")["id"]
        )
        label = attribute["label"]
        for product in self.store.products.values():
            product["attributes"].pop(label, None)
        for family in self.store.families.values():
            family["attributes"] = [a for a in family["attributes"] if a["label"] != label]
        for group in self.store.groups.values():
            if label in group["attribute_labels"]:
                group["attribute_labels"].remove(label)
        return no_content()

    # --- attribute groups -----------------------------------------------------------------
    def search_groups(self, request: Request) -> Response:
        return self._search("attribute group", resources.GROUP_KINDS, self.store.groups, request)

    def get_group(self, request: Request) -> Response:
        return data(
            [
                serialize.definition(
                    _get(self.store.groups, request.params["group_id"], "Attribute group")
                )
            ]
        )

    def _labels(self, value: Any) -> list[str]:
        if (
            not isinstance(value, list)
            or any(not self.store.attribute_by_label(v) for v in value if isinstance(v, str))
            or not all(isinstance(v, str) for v in value)
        ):
            raise invalid("attribute_labels", "must be a list of existing attribute labels")
        return list(dict.fromkeys(value))

    def create_group(self, request: Request) -> Response:
        body = self.emu.body(request)
        _only(body, ("name", "attribute_labels", "order"))
        name = _name(body)
        if any(g["name"] == name for g in self.store.groups.values()):
            raise fail(409, f"An attribute group named {name!r} already exists", "name")
        group = {
            "id": self.store.new_id("group"),
            "name": name,
            "attribute_labels": self._labels(body.get("attribute_labels", [])),
            "order": len(self.store.groups),
        }
        self.store.groups[group["id"]] = group
        return created(serialize.definition(group), f"{GROUPS}/{group['id']}")

    def patch_group(self, request: Request) -> Response:
        group = _get(self.store.groups, request.params["group_id"], "Attribute group")
        body = self.emu.body(request)
        _only(body, ("name", "attribute_labels", "order"))
        changes: dict[str, Any] = {}
        if "name" in body:
            changes["name"] = _name(body)
        if "attribute_labels" in body:
            changes["attribute_labels"] = self._labels(body["attribute_labels"])
        if "order" in body:
            if isinstance(body["order"], bool) or not isinstance(body["order"], int):
                raise invalid("order", "must be an integer")
            changes["order"] = body["order"]
        group.update(changes)
        return data([serialize.definition(group)])

    def delete_group(self, request: Request) -> Response:
        group = self.store.groups.pop(
            _get(self.store.groups, request.params["group_id"], "Attribute group")["id"]
        )
        for attribute in self.store.attributes.values():
            if group["name"] in attribute["groups"]:
                attribute["groups"].remove(group["name"])
        return no_content()

    # --- families -------------------------------------------------------------------------
    def _family_row(self, family: dict[str, Any]) -> dict[str, Any]:
        return serialize.definition(self._counted([family])[0])

    def _counted(self, families: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """The families with their counters (models: parent products), in one product scan."""
        products: Counter[str] = Counter()
        models: Counter[str] = Counter()
        for product in self.store.products.values():
            family_id = product["product_family_id"]
            if family_id:
                products[family_id] += 1
                models[family_id] += product["product_level"] == 1
        return [
            {
                **f,
                "total_attributes": len(f["attributes"]),
                "total_models": models[f["id"]],
                "total_products": products[f["id"]],
            }
            for f in families
        ]

    def search_families(self, request: Request) -> Response:
        counted = self._counted(list(self.store.families.values()))
        return self.emu.search_response(
            resources.definitions("product family", resources.FAMILY_KINDS),
            counted,
            self.emu.search_body(request),
            serialize.definition_row,
        )

    def get_family(self, request: Request) -> Response:
        family = _get(self.store.families, request.params["family_id"], "Product family")
        return data([self._family_row(family)])

    def _level(self, value: Any, default: str) -> str:
        if value is None:
            return default
        if value not in LEVELS:
            raise invalid("attributes_level", f"must be one of {', '.join(LEVELS)}, got {value!r}")
        return value

    def _attribute_ids(self, value: Any, field: str) -> list[dict[str, Any]]:
        """Attribute definitions named by id (labels are not accepted: the API takes ids)."""
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise invalid(field, "must be a list of attribute ids")
        found = []
        for attribute_id in dict.fromkeys(value):
            attribute = self.store.attributes.get(attribute_id)
            if attribute is None:
                raise invalid(field, f"attribute {attribute_id!r} does not exist")
            found.append(attribute)
        return found

    def _family_attributes(self, body: dict[str, Any]) -> list[dict[str, Any]]:
        """The links a family create asks for: `attributes` (`no_level`), `parent_attributes`
        (`parent_level`), `variant_attributes` (`variant_level`), each a list of attribute ids
        or of `{"label", "id"?}` objects, never both kinds in one request (as documented)."""
        labels = self.store.labels()
        kinds: set[str] = set()
        links: dict[str, dict[str, Any]] = {}
        for field, level in FAMILY_CREATE_LISTS.items():
            value = body.get(field) or []
            if not isinstance(value, list):
                raise invalid(field, "must be a list of attribute ids or of {label, id} objects")
            for item in value:
                if isinstance(item, str):
                    kinds.add("ids")
                    attribute = self.store.attributes.get(item)
                    if attribute is None:
                        raise invalid(field, f"attribute {item!r} does not exist")
                elif isinstance(item, dict) and isinstance(item.get("label"), str):
                    kinds.add("objects")
                    attribute = labels.get(item["label"])
                    if attribute is None or item.get("id", attribute["id"]) != attribute["id"]:
                        raise invalid(field, f"attribute {item!r} does not exist")
                else:
                    raise invalid(
                        field, "must be a list of attribute ids or of {label, id} objects"
                    )
                if len(kinds) > 1:
                    raise invalid(field, "ids and objects cannot be mixed in one request")
                known = links.get(attribute["id"])
                if known is not None and known["attribute_level"] != level:
                    raise invalid(field, f"attribute {attribute['label']!r} is in two lists")
                links[attribute["id"]] = {
                    "id": attribute["id"],
                    "label": attribute["label"],
                    "attribute_level": level,
                }
        return list(links.values())

    def create_family(self, request: Request) -> Response:
        """`{"name", "attributes"?, "parent_attributes"?, "variant_attributes"?}` as the
        collection documents it; other keys (such as a client's `attribute_ids`) are ignored,
        or refused under `unknown_write_keys: refuse`."""
        body = self.emu.body(request)
        if self.emu.settings["unknown_write_keys"] == "refuse":
            _only(body, ("name", *FAMILY_CREATE_LISTS))
        name = _name(body)
        if any(f["name"] == name for f in self.store.families.values()):
            raise fail(409, f"A product family named {name!r} already exists", "name")
        links = self._family_attributes(body)
        now = self.emu.stamp()
        family = {
            "id": self.store.new_id("family"),
            "name": name,
            "created": now,
            "modified": now,
            "attributes": links,
        }
        self.store.families[family["id"]] = family
        return created(self._family_row(family), f"/product_families/{family['id']}")

    def patch_family(self, request: Request) -> Response:
        family = _get(self.store.families, request.params["family_id"], "Product family")
        body = self.emu.body(request)
        if self.emu.settings["unknown_write_keys"] == "refuse":
            _only(body, ("name",))  # documented: "Any other attributes will be ignored."
        if "name" in body:
            family["name"] = _name(body)
        family["modified"] = self.emu.stamp()
        return data([self._family_row(family)])

    def delete_family(self, request: Request) -> Response:
        family = _get(self.store.families, request.params["family_id"], "Product family")
        del self.store.families[family["id"]]
        for product in list(self.store.products.values()):
            if product["product_family_id"] == family["id"]:
                product["product_family_id"] = None
                self.emu.touch(product)
        return Response(202)

    def family_attributes(self, request: Request) -> Response:
        """The attributes a family links, each with its `attribute_level` (no `required`)."""
        family = _get(self.store.families, request.params["family_id"], "Product family")
        rows = []
        for link in family["attributes"]:
            attribute = self.store.attributes.get(link["id"])
            if attribute is not None:
                rows.append(
                    {**serialize.definition(attribute), "attribute_level": link["attribute_level"]}
                )
        return data(rows)

    def all_family_attributes(self, request: Request) -> Response:
        """Every product attribute of the account; those the family links carry their
        level, the others `attribute_level: null`."""
        family = _get(self.store.families, request.params["family_id"], "Product family")
        levels = {link["id"]: link["attribute_level"] for link in family["attributes"]}
        return data(
            [
                {**serialize.definition(a), "attribute_level": levels.get(a["id"])}
                for a in self.store.attributes.values()
            ]
        )

    def _family_change(
        self, request: Request
    ) -> tuple[dict[str, Any], dict[str, Any], list[dict[str, Any]]]:
        family = _get(self.store.families, request.params["family_id"], "Product family")
        body = self.emu.body(request)
        _only(body, ("attributes", "attributes_level"))
        attributes = self._attribute_ids(body.get("attributes"), "attributes")
        if not attributes:
            raise invalid("attributes", "must name at least one attribute id")
        return family, body, attributes

    def link_family_attributes(self, request: Request) -> Response:
        family, body, attributes = self._family_change(request)
        level = self._level(body.get("attributes_level"), "no_level")
        linked = {a["id"] for a in family["attributes"]}
        for attribute in attributes:
            if attribute["id"] not in linked:
                family["attributes"].append(
                    {"id": attribute["id"], "label": attribute["label"], "attribute_level": level}
                )
                linked.add(attribute["id"])
        family["modified"] = self.emu.stamp()
        return Response(202)

    def unlink_family_attributes(self, request: Request) -> Response:
        family, _, attributes = self._family_change(request)
        gone = {a["id"] for a in attributes}
        family["attributes"] = [a for a in family["attributes"] if a["id"] not in gone]
        family["modified"] = self.emu.stamp()
        return Response(202)

    def edit_family_attributes(self, request: Request) -> Response:
        """Move linked attributes to another `attributes_level`; unlinked ones -> 422."""
        family, body, attributes = self._family_change(request)
        level = self._level(body.get("attributes_level"), "")
        if not level:
            raise invalid("attributes_level", f"is required: one of {', '.join(LEVELS)}")
        links = {a["id"]: a for a in family["attributes"]}
        for attribute in attributes:
            if attribute["id"] not in links:
                raise invalid(
                    "attributes",
                    f"attribute {attribute['id']} is not linked to family {family['name']}",
                )
        for attribute in attributes:
            links[attribute["id"]]["attribute_level"] = level
        family["modified"] = self.emu.stamp()
        return Response(202)

    # --- relationships --------------------------------------------------------------------
    def search_relationships(self, request: Request) -> Response:
        return self._search(
            "relationship", resources.RELATIONSHIP_KINDS, self.store.relationships, request
        )

    def get_relationship(self, request: Request) -> Response:
        return data(
            [
                serialize.definition(
                    _get(
                        self.store.relationships, request.params["relationship_id"], "Relationship"
                    )
                )
            ]
        )

    def create_relationship(self, request: Request) -> Response:
        body = self.emu.body(request)
        _only(body, ("name", "label", "symmetric"))
        name = _name(body)
        label = body.get("label") or _snake(name)
        if any(r["label"] == label for r in self.store.relationships.values()):
            raise fail(409, f"A relationship with label {label!r} already exists", "label")
        now = self.emu.stamp()
        relationship = {
            "id": self.store.new_id("relationship"),
            "name": name,
            "label": label,
            "symmetric": bool(body.get("symmetric", False)),
            "created": now,
            "modified": now,
        }
        self.store.relationships[relationship["id"]] = relationship
        return created(serialize.definition(relationship), f"/relationships/{relationship['id']}")

    def patch_relationship(self, request: Request) -> Response:
        relationship = _get(
            self.store.relationships, request.params["relationship_id"], "Relationship"
        )
        body = self.emu.body(request)
        _only(body, ("name",))
        if "name" in body:
            relationship["name"] = _name(body)
        relationship["modified"] = self.emu.stamp()
        return data([serialize.definition(relationship)])

    def delete_relationship(self, request: Request) -> Response:
        relationship = _get(
            self.store.relationships, request.params["relationship_id"], "Relationship"
        )
        del self.store.relationships[relationship["id"]]
        for product in self.store.products.values():
            if product["relationships"]:
                product["relationships"] = [
                    link
                    for link in product["relationships"]
                    if link["relationship_id"] != relationship["id"]
                ]
        return no_content()

    # --- filters --------------------------------------------------------------------------
    def product_filters(self, request: Request) -> Response:
        resource = resources.products(self.store)
        return data(
            [
                resources.filter_listing(
                    resource, list(resource.kinds), list(self.store.attributes.values())
                )
            ]
        )

    def asset_filters(self, request: Request) -> Response:
        resource = resources.assets(self.store)
        return data([resources.filter_listing(resource, list(resource.kinds), [])])

    def relationship_filters(self, request: Request) -> Response:
        resource = resources.definitions("relationship", resources.RELATIONSHIP_KINDS)
        return data([resources.filter_listing(resource, list(resource.kinds), [])])


class CategoryRoutes:
    """Product categories (`/categories/product`) or file categories (`/categories/file`)."""

    def __init__(self, emu: PlytixEmulator, kind: str) -> None:
        self.emu, self.kind = emu, kind

    @property
    def tree(self) -> dict[str, dict[str, Any]]:
        store = self.emu.store
        return store.categories if self.kind == "product" else store.file_categories

    def search(self, request: Request) -> Response:
        return self.emu.search_response(
            resources.definitions(f"{self.kind} category", resources.CATEGORY_KINDS),
            self.tree.values(),
            self.emu.search_body(request),
            serialize.definition_row,
        )

    def create(self, request: Request) -> Response:
        """Under `category_id` when the path names one, else at the root."""
        parent_id = request.params.get("category_id")
        parent = _get(self.tree, parent_id, "Category") if parent_id else None
        body = self.emu.body(request)
        _only(body, ("name",))
        name = _name(body)
        siblings = [
            c for c in self.tree.values() if (c["parents_ids"][-1:] or [None])[0] == parent_id
        ]
        if any(c["name"] == name for c in siblings):
            raise fail(409, f"A category named {name!r} already exists there", "name")
        path = [*(parent["path"] if parent else []), name]
        now = self.emu.stamp()
        category = {
            "id": self.emu.store.new_id(f"{self.kind}-category"),
            "name": name,
            "slug": "-".join(_snake(p).replace("_", "-") for p in path),
            "path": path,
            "parents_ids": [*parent["parents_ids"], parent["id"]] if parent else [],
            "n_children": 0,
            "order": str(len(siblings)),
            "created": now,
            "modified": now,
        }
        if parent:
            parent["n_children"] += 1
        self.tree[category["id"]] = category
        return created(serialize.definition(category), f"/categories/{self.kind}/{category['id']}")

    def rename(self, request: Request) -> Response:
        category = _get(self.tree, request.params["category_id"], "Category")
        body = self.emu.body(request)
        _only(body, ("name",))
        name = _name(body)
        depth = len(category["path"]) - 1
        for record in self.tree.values():
            if record is category or category["id"] in record["parents_ids"]:
                record["path"][depth] = name
                record["slug"] = "-".join(_snake(p).replace("_", "-") for p in record["path"])
        category["name"] = name
        category["modified"] = self.emu.stamp()
        return data([serialize.definition(category)])

    def delete(self, request: Request) -> Response:
        category = _get(self.tree, request.params["category_id"], "Category")
        gone = {
            c["id"]
            for c in self.tree.values()
            if c is category or category["id"] in c["parents_ids"]
        }
        for category_id in gone:
            del self.tree[category_id]
        if category["parents_ids"] and category["parents_ids"][-1] in self.tree:
            self.tree[category["parents_ids"][-1]]["n_children"] -= 1
        store = self.emu.store
        records = store.products.values() if self.kind == "product" else store.assets.values()
        for record in list(records):
            if gone & set(record["categories"]):
                record["categories"] = [c for c in record["categories"] if c not in gone]
                if self.kind == "product":
                    self.emu.touch(record)
                else:
                    record["modified"] = self.emu.stamp()
        return no_content()
