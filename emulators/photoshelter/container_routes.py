"""Galleries, collections and the organisation's metadata fields: reads and writes."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from emulators.core import Request, Response
from emulators.photoshelter import edits
from emulators.photoshelter.errors import bad_request, not_found
from emulators.photoshelter.params import body_fields, id_list, page_params, page_slice
from emulators.photoshelter.serializers import (
    collection_resource,
    field_resource,
    gallery_resource,
    included,
    media_resource,
    paged,
    path_item,
    single,
    tag_resource,
)
from emulators.photoshelter.store import Collection, Gallery, MetadataField, Store

if TYPE_CHECKING:
    from emulators.photoshelter.app import PhotoShelterEmulator


def register(emu: PhotoShelterEmulator) -> None:
    def store() -> Store:
        """Looked up per call: a reset replaces the store."""
        return emu.store

    def listing(request: Request, items: list[dict[str, Any]]) -> Response:
        page, per_page = page_params(request, emu.settings)
        shown = items[page_slice(len(items), page, per_page)]
        return Response(200, paged(request, emu.base_url, shown, len(items), page, per_page))

    def gallery_of(request: Request) -> Gallery:
        gallery = store().galleries.get(request.params["gallery_id"])
        if gallery is None:
            raise not_found("gallery", request.params["gallery_id"])
        return gallery

    def collection_of(request: Request) -> Collection:
        collection = store().collections.get(request.params["collection_id"])
        if collection is None:
            raise not_found("collection", request.params["collection_id"])
        return collection

    def field_of(request: Request) -> MetadataField:
        field = store().fields.get(request.params["field_id"])
        if field is None:
            raise not_found("metadata field", request.params["field_id"])
        return field

    def by_name(request: Request) -> str | None:
        name = request.arg("name")
        return name.strip().lower() if name else None

    def descending(request: Request) -> bool:
        """`sort_by=name` (the only sort seen in use on containers) with `sort_direction`
        `ascending` (default) or `descending`; another value -> 400 naming the parameter."""
        sort_by = request.arg("sort_by") or "name"
        if sort_by != "name":
            raise bad_request(f"sort_by must be name, got {sort_by!r}")
        direction = request.arg("sort_direction") or "ascending"
        if direction not in ("ascending", "descending"):
            raise bad_request(f"sort_direction must be ascending or descending, got {direction!r}")
        return direction == "descending"

    def includes_asked(request: Request, allowed: tuple[str, ...]) -> list[str]:
        """The `include=` names of a container list (working code: `permissions,parent` and,
        on galleries, `child-count`); another name -> 400 naming it."""
        names = [n.strip() for n in (request.arg("include") or "").split(",") if n.strip()]
        for name in names:
            if name not in allowed:
                raise bad_request(
                    f"include {name!r} is not available here; available: {', '.join(allowed)}"
                )
        return list(dict.fromkeys(names))

    def with_includes(
        item: dict[str, Any], names: list[str], resolve: dict[str, Any]
    ) -> dict[str, Any]:
        """`item` plus `includes.<name>`, each its own document (`includes.parent.data.id`,
        as the working code reads it); `include_shape: bare` places the resource itself."""
        if names:
            shape = emu.settings["include_shape"]
            item["includes"] = {name: included(resolve[name](), shape) for name in names}
        return item

    def count_resource(kind: str, object_id: str, count: int) -> dict[str, Any]:
        return {
            "id": object_id,
            "type": f"{kind}-child-count",
            "attributes": {"children_count": count},
        }

    def gallery_count(gallery: Gallery) -> int:
        media = store().media
        return sum(1 for m in gallery.media_ids if m in media)

    def collection_count(collection: Collection) -> int:
        return len(sub_collections(collection)) + len(galleries_in(collection))

    def gallery_item(gallery: Gallery, names: list[str]) -> dict[str, Any]:
        collections = store().collections
        return with_includes(
            gallery_resource(gallery),
            names,
            {
                "permissions": list,
                "parent": lambda: [
                    collection_resource(collections[c])
                    for c in gallery.parent_ids
                    if c in collections
                ],
                "child-count": lambda: count_resource(
                    "gallery", gallery.id, gallery_count(gallery)
                ),
            },
        )

    def collection_item(collection: Collection, names: list[str]) -> dict[str, Any]:
        parent = store().collections.get(collection.parent_id or "")
        return with_includes(
            collection_resource(collection),
            names,
            {
                "permissions": list,
                "parent": lambda: collection_resource(parent) if parent else None,
                "child-count": lambda: count_resource(
                    "collection", collection.id, collection_count(collection)
                ),
            },
        )

    # --- galleries -------------------------------------------------------------------------
    def list_galleries(request: Request) -> Response:
        """`?parent=<collection>&include=permissions,parent,child-count&sort_by=name
        &sort_direction=descending`, as working code calls it."""
        parent, name = request.arg("parent"), by_name(request)
        if parent and parent not in store().collections:
            raise not_found("collection", parent)
        names = includes_asked(request, ("permissions", "parent", "child-count"))
        galleries = sorted(
            store().galleries.values(),
            key=lambda g: (g.name.lower(), g.id),
            reverse=descending(request),
        )
        chosen = [
            g
            for g in galleries
            if (not parent or parent in g.parent_ids) and (name is None or g.name.lower() == name)
        ]
        return listing(request, [gallery_item(g, names) for g in chosen])

    def get_gallery(request: Request) -> Response:
        return Response(200, single(gallery_resource(gallery_of(request))))

    def gallery_children(request: Request) -> Response:
        media = store().media
        return listing(
            request, [media_resource(media[m]) for m in gallery_of(request).media_ids if m in media]
        )

    def create_gallery(request: Request) -> Response:
        """`{name, description, parent}`; `parent` is ignored (a root gallery) when the
        setting `write_galleries_parent` is off, the `{name, description, is_public}` shape."""
        fields = body_fields(request)
        parent = fields.get("parent") if emu.settings["write_galleries_parent"] else None
        gallery = edits.create_gallery(
            store(),
            fields.get("name"),
            fields.get("description"),
            parent,
            emu.clock.now(),
            fields.get("is_public", False),
        )
        return Response(201, single(gallery_resource(gallery)))

    def add_gallery_parent(request: Request) -> Response:
        """Candidate write: `{parent_id}` puts the gallery in one more collection."""
        gallery = gallery_of(request)
        parent = body_fields(request).get("parent_id")
        if not parent:
            raise bad_request("parent_id is required")
        edits.add_gallery_parent(store(), gallery, parent, emu.clock.now())
        return Response(200, single(gallery_resource(gallery)))

    def update_gallery(request: Request) -> Response:
        gallery = gallery_of(request)
        edits.update_gallery(store(), gallery, body_fields(request), emu.clock.now())
        return Response(200, single(gallery_resource(gallery)))

    def add_gallery_media(request: Request) -> Response:
        """`{"media_ids": [...]}` (also JSON:API `{"data": [{"id", "type"}]}`); both candidate
        paths, `PATCH .../media` and `POST .../children`, take it."""
        gallery = gallery_of(request)
        fields = body_fields(request)
        raw = fields.get("media_ids", fields.get("media_id"))
        if raw is None and isinstance(fields.get("data"), list):
            raw = [item.get("id") if isinstance(item, dict) else item for item in fields["data"]]
        if raw is None:
            raise bad_request('body must name the media to add: {"media_ids": [...]}')
        added = edits.add_to_gallery(store(), gallery, id_list(raw, "media_ids"), emu.clock.now())
        body = single(gallery_resource(gallery))
        body["meta"]["added"] = added
        return Response(200, body)

    def remove_gallery_child(request: Request) -> Response:
        gallery = gallery_of(request)
        edits.remove_from_gallery(store(), gallery, request.params["child_id"], emu.clock.now())
        return Response(200, single(gallery_resource(gallery)))

    def gallery_child_count(request: Request) -> Response:
        """`/galleries/{id}/count` (the spelling public code uses): its media."""
        gallery = gallery_of(request)
        return Response(200, single(count_resource("gallery", gallery.id, gallery_count(gallery))))

    def gallery_cover(request: Request) -> Response:
        """The gallery's first media (an emulator choice: the UI lets a user pick it), or
        `data: null` for an empty gallery."""
        media = store().media
        first = next((media[m] for m in gallery_of(request).media_ids if m in media), None)
        return Response(200, single(media_resource(first) if first else None))

    def gallery_path(request: Request) -> Response:
        gallery = gallery_of(request)
        above = ancestors(gallery.parent_ids[0]) if gallery.parent_ids else []
        return Response(200, {"data": [*above, path_item(gallery)], "meta": {}})

    # --- collections -----------------------------------------------------------------------
    def ancestors(collection_id: str | None) -> list[dict[str, Any]]:
        """The collections from the library root down to `collection_id`."""
        chain: list[dict[str, Any]] = []
        seen: set[str] = set()
        while collection_id and collection_id not in seen and collection_id in store().collections:
            seen.add(collection_id)
            collection = store().collections[collection_id]
            chain.insert(0, path_item(collection))
            collection_id = collection.parent_id
        return chain

    def sub_collections(collection: Collection) -> list[Collection]:
        return sorted(
            (c for c in store().collections.values() if c.parent_id == collection.id),
            key=lambda c: (c.name.lower(), c.id),
        )

    def galleries_in(collection: Collection) -> list[Gallery]:
        return sorted(
            (g for g in store().galleries.values() if collection.id in g.parent_ids),
            key=lambda g: (g.name.lower(), g.id),
        )

    def collection_child_count(request: Request) -> Response:
        """`/collections/{id}/count`: its sub-collections and galleries."""
        collection = collection_of(request)
        return Response(
            200, single(count_resource("collection", collection.id, collection_count(collection)))
        )

    def collection_key_image(request: Request) -> Response:
        """The first media of the first gallery (by name) at or below the collection that
        holds one (an emulator choice), or `data: null`."""
        pending = [collection_of(request)]
        media = store().media
        while pending:
            collection = pending.pop(0)
            for gallery in galleries_in(collection):
                first = next((media[m] for m in gallery.media_ids if m in media), None)
                if first is not None:
                    return Response(200, single(media_resource(first)))
            pending.extend(sub_collections(collection))
        return Response(200, single(None))

    def collection_path(request: Request) -> Response:
        return Response(200, {"data": ancestors(collection_of(request).id), "meta": {}})

    def library(request: Request) -> Response:
        """The library root: collections without a parent and galleries in no collection,
        sorted by name (the only `sort_by` seen in use), collections first on a tie.
        `is_listed=true` (as production code calls it) keeps listed items: public
        galleries and every collection (the emulator gives collections no visibility);
        `false` the others; another value -> 400."""
        reverse = descending(request)
        listed = request.arg("is_listed")
        if listed not in (None, "true", "false"):
            raise bad_request(f"is_listed must be true or false, got {listed!r}")
        roots: list[tuple[str, int, str, dict[str, Any]]] = []
        if listed != "false":
            roots += [
                (c.name.lower(), 0, c.id, collection_resource(c))
                for c in store().collections.values()
                if c.parent_id is None
            ]
        roots += [
            (g.name.lower(), 1, g.id, gallery_resource(g))
            for g in store().galleries.values()
            if not g.parent_ids and (listed is None or g.is_public == (listed == "true"))
        ]
        roots.sort(key=lambda r: r[:3], reverse=reverse)
        return listing(request, [r[3] for r in roots])

    def list_collections(request: Request) -> Response:
        """`?include=permissions,parent&sort_by=name&sort_direction=descending`, as working
        code calls it."""
        parent, name = request.arg("parent"), by_name(request)
        if parent and parent not in store().collections:
            raise not_found("collection", parent)
        names = includes_asked(request, ("permissions", "parent", "child-count"))
        collections = sorted(
            store().collections.values(),
            key=lambda c: (c.name.lower(), c.id),
            reverse=descending(request),
        )
        chosen = [
            c
            for c in collections
            if (not parent or c.parent_id == parent) and (name is None or c.name.lower() == name)
        ]
        return listing(request, [collection_item(c, names) for c in chosen])

    def get_collection(request: Request) -> Response:
        return Response(200, single(collection_resource(collection_of(request))))

    def collection_children(request: Request) -> Response:
        """Sub-collections first, then galleries, each by name."""
        collection = collection_of(request)
        return listing(
            request,
            [collection_resource(c) for c in sub_collections(collection)]
            + [gallery_resource(g) for g in galleries_in(collection)],
        )

    def create_collection(request: Request) -> Response:
        fields = body_fields(request)
        collection = edits.create_collection(
            store(),
            fields.get("name"),
            fields.get("description"),
            fields.get("parent"),
            emu.clock.now(),
        )
        return Response(201, single(collection_resource(collection)))

    # --- metadata fields -------------------------------------------------------------------
    def list_fields(request: Request) -> Response:
        fields = [store().fields[k] for k in sorted(store().fields)]
        return listing(request, [field_resource(f) for f in fields])

    def get_field(request: Request) -> Response:
        return Response(200, single(field_resource(field_of(request))))

    def list_tags(request: Request) -> Response:
        field = field_of(request)
        return listing(request, [tag_resource(field, t) for t in field.tags])

    def create_tag(request: Request) -> Response:
        field = field_of(request)
        tag = edits.create_tag(store(), field.id, body_fields(request).get("name"))
        return Response(201, single(tag_resource(field, tag)))

    emu.api("GET", "/galleries", list_galleries)
    emu.api("POST", "/galleries", create_gallery)
    emu.api("GET", "/galleries/{gallery_id}", get_gallery)
    emu.api("PATCH", "/galleries/{gallery_id}", update_gallery)
    emu.api("GET", "/galleries/{gallery_id}/children", gallery_children)
    emu.api("GET", "/galleries/{gallery_id}/count", gallery_child_count)
    emu.api("GET", "/galleries/{gallery_id}/key_image", gallery_cover)
    emu.api("GET", "/galleries/{gallery_id}/cover", gallery_cover)
    emu.api("GET", "/galleries/{gallery_id}/path", gallery_path)
    emu.api("PATCH", "/galleries/{gallery_id}/media", add_gallery_media)
    emu.api("POST", "/galleries/{gallery_id}/children", add_gallery_media)
    emu.api("DELETE", "/galleries/{gallery_id}/children/{child_id}", remove_gallery_child)
    emu.api("POST", "/galleries/{gallery_id}/parents", add_gallery_parent)
    emu.api("GET", "/collections", list_collections)
    emu.api("POST", "/collections", create_collection)
    emu.api("GET", "/collections/{collection_id}", get_collection)
    emu.api("GET", "/collections/{collection_id}/children", collection_children)
    emu.api("GET", "/collections/{collection_id}/count", collection_child_count)
    emu.api("GET", "/collections/{collection_id}/key_image", collection_key_image)
    emu.api("GET", "/collections/{collection_id}/path", collection_path)
    emu.api("GET", "/library", library)
    emu.api("GET", "/metadata/fields", list_fields)
    emu.api("GET", "/metadata/fields/{field_id}", get_field)
    emu.api("GET", "/metadata/fields/{field_id}/tags", list_tags)
    emu.api("POST", "/metadata/fields/{field_id}/tags", create_tag)
