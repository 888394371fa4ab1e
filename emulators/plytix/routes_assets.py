"""Asset routes: create from URL or base64, search, PATCH, content replace, product links."""

from __future__ import annotations

import posixpath
from typing import TYPE_CHECKING, Any

from emulators.core import HTTPError, Request, Response
from emulators.plytix import resources, serialize
from emulators.plytix.assets import (
    FileFacts,
    decode_base64,
    describe,
    download,
    multipart_file,
)
from emulators.plytix.errors import fail, invalid
from emulators.plytix.responses import API, created, data, no_content
from emulators.plytix.store import api_audit

if TYPE_CHECKING:
    from emulators.plytix.app import PlytixEmulator

FILES_HOST = "https://files.plytix.example"
ASSET_WRITABLE = ("filename", "categories")


def register(emu: PlytixEmulator) -> None:
    routes = AssetRoutes(emu)
    emu.api("POST", "/assets", routes.create, locked=False)
    emu.api("POST", "/assets/search", routes.search)
    emu.api("GET", "/assets/{asset_id}", routes.get)
    emu.api("PATCH", "/assets/{asset_id}", routes.patch)
    emu.api("DELETE", "/assets/{asset_id}", routes.delete)
    emu.api("PUT", "/assets/{asset_id}/content", routes.replace_content, locked=False)
    emu.api("GET", "/products/{product_id}/assets", routes.product_assets)
    emu.api("POST", "/products/{product_id}/assets", routes.link)
    emu.api("GET", "/products/{product_id}/assets/{asset_id}", routes.product_asset)
    emu.api("DELETE", "/products/{product_id}/assets/{asset_id}", routes.unlink)


class AssetRoutes:
    def __init__(self, emu: PlytixEmulator) -> None:
        self.emu = emu

    def _shown(self, asset: dict[str, Any]) -> dict[str, Any]:
        return serialize.asset(self.emu.store, asset)

    def _categories(self, value: Any) -> list[str]:
        known = self.emu.store.file_categories
        if not isinstance(value, list):
            raise invalid("categories", "must be a list of file category ids")
        ids = [v.get("id") if isinstance(v, dict) else v for v in value]
        for category_id in ids:
            if category_id not in known:
                raise invalid("categories", f"file category {category_id!r} does not exist")
        return list(dict.fromkeys(ids))

    # --- create and replace (downloads run outside the store lock) ------------------------
    def create(self, request: Request) -> Response:
        body = self.emu.body(request)
        filename = body.get("filename")
        if filename is not None and (not isinstance(filename, str) or not filename.strip()):
            raise invalid("filename", "must be a non-empty string")
        if "url" in body:
            if not isinstance(body["url"], str):
                raise invalid("url", "must be a string")
            with self.emu.lock:
                self._refuse_known_url(body["url"])
            facts = download(
                body["url"], filename, float(self.emu.settings["download_timeout_seconds"])
            )
        elif "content" in body:
            if filename is None:
                raise invalid("filename", "is required with content")
            facts = describe(filename, decode_base64(body["content"]))
        else:
            raise invalid("url", "send either url or filename and content (base64)")
        with self.emu.lock:
            categories = self._categories(body.get("categories", []))
            if "url" in body:
                self._refuse_known_url(body["url"])
            asset = self._store_new(facts, categories)
            if "url" in body:
                self.emu.store.asset_urls[body["url"]] = asset["id"]
            return created(self._shown(asset), f"/assets/{asset['id']}")

    def _refuse_known_url(self, url: str) -> None:
        """409 naming the asset that already holds `url` (`duplicate_asset_url: conflict`)."""
        if self.emu.settings["duplicate_asset_url"] != "conflict":
            return
        existing = self.emu.store.asset_urls.get(url)
        if existing is not None and existing in self.emu.store.assets:
            raise fail(
                409,
                "Asset already exists",
                errors=[{"field": "asset.id", "msg": existing}],
                headers={"Location": f"{API}/assets/{existing}"},
            )

    def _store_new(self, facts: FileFacts, categories: list[str]) -> dict[str, Any]:
        store = self.emu.store
        asset_id = store.new_id("asset")
        now = self.emu.stamp()
        asset = {
            "id": asset_id,
            "filename": facts.filename,
            "url": f"{FILES_HOST}/{asset_id}/{facts.filename}",
            "thumbnail": f"{FILES_HOST}/{asset_id}/thumb_{facts.filename}",
            "file_type": facts.file_type,
            "file_size": facts.file_size,
            "content_type": facts.content_type,
            "extension": facts.extension,
            "created": now,
            "modified": now,
            "file_modified": now,
            "categories": categories,
            "public": True,
            "status": "ACTIVE",
            "has_custom_thumb": False,
            "n_catalogs": 0,
            "created_user_audit": api_audit(store.seed),
            "modified_user_audit": api_audit(store.seed),
            "checksum": facts.checksum,
        }
        store.assets[asset_id] = asset
        store.asset_urls[asset["url"]] = asset_id
        store.asset_links[asset_id] = set()
        return asset

    def replace_content(self, request: Request) -> Response:
        """202; a file of another format (content type) -> 400 naming `content_type`; an
        unknown asset -> 404 naming `id` (this endpoint's saved answer)."""
        with self.emu.lock:
            if request.params["asset_id"] not in self.emu.store.assets:
                raise fail(
                    404,
                    f"No results found for {request.params['asset_id']}",
                    errors=[{"field": "id", "msg": "asset does not exist"}],
                )
        filename, payload, declared = multipart_file(request.body, request.header("content-type"))
        facts = describe(filename, payload, declared)
        with self.emu.lock:
            asset = self.emu.asset(request.params["asset_id"])
            if facts.content_type != asset["content_type"]:
                raise fail(400, "You cannot change the format type of the asset.", "content_type")
            now = self.emu.stamp()
            asset.update(
                file_size=facts.file_size,
                checksum=facts.checksum,
                content_type=facts.content_type,
                file_type=facts.file_type,
                file_modified=now,
                modified=now,
                modified_user_audit=api_audit(self.emu.store.seed),
            )
            return data([self._shown(asset)], 202)

    # --- read, change, delete -------------------------------------------------------------
    def search(self, request: Request) -> Response:
        store = self.emu.store
        return self.emu.search_response(
            resources.assets(store),
            store.assets.values(),
            self.emu.search_body(request),
            lambda a, columns: serialize.asset_row(store, a, columns),
        )

    def get(self, request: Request) -> Response:
        return data([self._shown(self.emu.asset(request.params["asset_id"]))])

    def patch(self, request: Request) -> Response:
        asset = self.emu.asset(request.params["asset_id"])
        body = self.emu.body(request)
        for key in body:
            if key not in ASSET_WRITABLE:
                raise invalid(key, "cannot be changed; PATCH changes filename and categories")
        changes: dict[str, Any] = {}
        if "filename" in body:
            changes["filename"] = _renamed(asset, body["filename"])
        if "categories" in body:
            changes["categories"] = self._categories(body["categories"])
        asset.update(changes)
        asset["modified"] = self.emu.stamp()
        asset["modified_user_audit"] = api_audit(self.emu.store.seed)
        return data([self._shown(asset)])

    def delete(self, request: Request) -> Response:
        self.emu.asset(request.params["asset_id"])
        self.emu.store.delete_asset(request.params["asset_id"])
        return no_content()

    # --- product links --------------------------------------------------------------------
    def product_assets(self, request: Request) -> Response:
        """The linked assets, thin `{filename, id, thumbnail, url}` as the collection saved."""
        product = self.emu.product(request.params["product_id"])
        store = self.emu.store
        return data(
            [serialize.linked_asset(store, a) for a in product["assets"] if a in store.assets]
        )

    def product_asset(self, request: Request) -> Response:
        """One linked asset; one that is not linked -> 404 `... is not related to ...`."""
        product = self.emu.product(request.params["product_id"])
        asset_id = request.params["asset_id"]
        if asset_id not in product["assets"] or asset_id not in self.emu.store.assets:
            raise _not_related(product, asset_id)
        return data([serialize.linked_asset(self.emu.store, asset_id)])

    def link(self, request: Request) -> Response:
        """Link an asset as `attribute_label` (required): `thumbnail` and single media
        attributes replace, galleries append, `assets` only links; the same link again 409.
        Answers `{"data": [{"id": <asset>}]}` with `Location`."""
        store = self.emu.store
        product = self.emu.product(request.params["product_id"])
        body = self.emu.body(request)
        asset_id, label = body.get("id"), body.get("attribute_label")
        if not isinstance(label, str) or not label:
            raise invalid(
                "attribute_label", "is required: thumbnail, assets or a media attribute label"
            )
        if not isinstance(asset_id, str):
            raise invalid("id", "must be the id of an asset")
        if asset_id not in store.assets:
            raise fail(
                404,
                f"Asset id {asset_id} does not exist",
                errors=[{"field": "asset.id", "msg": "asset does not exist"}],
            )
        attribute = None
        if label not in ("thumbnail", "assets"):
            attribute = store.labels().get(label)
            if attribute is None or attribute["type_class"] not in (
                "MediaAttribute",
                "MediaGalleryAttribute",
            ):
                raise invalid(
                    "attribute_label", f"{label!r} is not thumbnail, assets or a media attribute"
                )
        if _holds(product, label, asset_id):
            raise fail(
                409,
                f"Asset id {asset_id} is already linked to product attribute",
                errors=[{"field": "asset.id", "msg": "already linked"}],
            )
        store.link(product, asset_id, int(self.emu.settings["max_assets_per_product"]))
        if label == "thumbnail":
            product["thumbnail"] = {"id": asset_id}
        elif attribute is not None and attribute["type_class"] == "MediaAttribute":
            product["attributes"][label] = {"id": asset_id}
        elif attribute is not None:
            product["attributes"][label] = [*product["attributes"].get(label, []), {"id": asset_id}]
        self.emu.touch(product)
        return data([{"id": asset_id}], 201, {"Location": f"{API}/assets/{asset_id}"})

    def unlink(self, request: Request) -> Response:
        product = self.emu.product(request.params["product_id"])
        asset_id = request.params["asset_id"]
        if asset_id not in product["assets"]:
            raise _not_related(product, asset_id)
        self.emu.store.unlink(product, asset_id)
        self.emu.touch(product)
        return no_content()


def _not_related(product: dict[str, Any], asset_id: str) -> HTTPError:
    return fail(
        404, f"asset id {asset_id} is not related to product id {product['id']}", "asset_id"
    )


def _holds(product: dict[str, Any], label: str, asset_id: str) -> bool:
    """Whether the link asked for is there already (the 409 case)."""
    if label == "assets":
        return asset_id in product["assets"]
    if label == "thumbnail":
        return (product.get("thumbnail") or {}).get("id") == asset_id
    value = product["attributes"].get(label)
    refs = value if isinstance(value, list) else [value] if value else []
    return asset_id in [ref.get("id") for ref in refs]


def _renamed(asset: dict[str, Any], filename: Any) -> str:
    """The new name keeps the asset's extension, as Plytix does."""
    if not isinstance(filename, str) or not filename.strip():
        raise invalid("filename", "must be a non-empty string")
    extension = asset.get("extension") or ""
    if not extension or filename.lower().endswith(f".{extension.lower()}"):
        return filename
    stem, _ = posixpath.splitext(filename)
    return f"{stem or filename}.{extension}"
