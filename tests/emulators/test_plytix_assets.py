"""Plytix emulator: assets from URLs and uploads, content replace, product media links."""

from __future__ import annotations

import base64
import hashlib
import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import requests
from plytix_emulator_client import Plytix

from emulators import catalog, images

PHOTO = images.render("local-photo")


class _Files(BaseHTTPRequestHandler):
    """A tiny web server: a page, a photo served as octet-stream, and a 404."""

    def do_GET(self) -> None:
        if self.path == "/page.html":
            body, kind = b"<html><body>not an image</body></html>", "text/html"
        elif self.path == "/download/photo":
            body, kind = PHOTO, "application/octet-stream"
        else:
            self.send_error(404)
            return
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format, *args) -> None:
        """Quiet."""


@pytest.fixture(scope="module")
def web() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Files)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def stored_asset(plytix: Plytix, asset_id: str) -> dict:
    return next(a for a in plytix.admin.state()["assets"] if a["id"] == asset_id)


def new_product(plytix: Plytix, sku: str = "MEDIA-1") -> str:
    return plytix.ok("POST", "/products", 201, json={"sku": sku})["data"][0]["id"]


def new_asset(plytix: Plytix, name: str) -> str:
    content = base64.b64encode(images.render(name)).decode()
    return plytix.ok("POST", "/assets", 201, json={"filename": f"{name}.jpg", "content": content})[
        "data"
    ][0]["id"]


def test_asset_from_photoshelter_public_link_is_downloaded(plytix, emulators):
    media_id = catalog.build("small", 42).media[0]["id"]
    url = f"{emulators.photoshelter_url}/img-get2/{media_id}/fit=1200x1200"
    served = requests.get(url, timeout=10)
    assert served.status_code == 200, "the PhotoShelter emulator's public image link moved"
    response = plytix.call("POST", "/assets", json={"url": url, "filename": "P1__hero.jpg"})
    assert response.status_code == 201, response.text
    asset = response.json()["data"][0]
    assert response.headers["Location"] == f"/api/v1/assets/{asset['id']}"
    assert (asset["filename"], asset["extension"], asset["file_type"]) == (
        "P1__hero.jpg",
        "jpg",
        "IMAGES",
    )
    assert asset["file_size"] == len(served.content)
    assert asset["checksum"] == hashlib.sha256(served.content).hexdigest()
    assert asset["content_type"] == "image/jpeg"
    fetched = plytix.ok("GET", f"/assets/{asset['id']}")["data"][0]
    assert fetched["checksum"] == asset["checksum"] and fetched["n_products"] == 0


def test_asset_rows_carry_the_real_fields(plytix):
    asset_id = new_asset(plytix, "fields")
    asset = plytix.ok("GET", f"/assets/{asset_id}")["data"][0]
    assert asset["status"] == "ACTIVE"
    assert (asset["has_custom_thumb"], asset["n_catalogs"]) == (False, 0)
    assert asset["created_user_audit"]["type"] == "API"
    assert set(asset["created_user_audit"]) == {"type", "user_email", "user_id", "user_name"}
    assert asset["modified_user_audit"] == asset["created_user_audit"]
    seeded_id = next(a["id"] for a in plytix.admin.state()["assets"] if a["id"] != asset_id)
    seeded = plytix.ok("GET", f"/assets/{seeded_id}")["data"][0]
    assert seeded["created_user_audit"]["type"] == "USER"
    assert "+" not in asset["file_modified"] and not asset["file_modified"].endswith("Z")
    assert asset["modified"].endswith("+00:00")
    seeded = plytix.search("assets", attributes=["status", "file_modified"])["data"]
    assert seeded and all(row["status"] == "ACTIVE" for row in seeded)
    assert all("+" not in row["file_modified"] for row in seeded)


def test_a_url_already_held_is_409_with_the_existing_asset(plytix, web):
    url = f"{web}/download/photo"
    first = plytix.call("POST", "/assets", json={"url": url})
    assert first.status_code == 201, first.text
    asset_id = first.json()["data"][0]["id"]
    again = plytix.call("POST", "/assets", json={"url": url, "filename": "other.jpg"})
    assert again.status_code == 409
    assert again.json() == {
        "error": {"msg": "Asset already exists", "errors": [{"field": "asset.id", "msg": asset_id}]}
    }
    assert again.headers["Location"] == f"/api/v1/assets/{asset_id}"
    held = plytix.admin.state()["assets"][0]
    by_plytix_url = plytix.call("POST", "/assets", json={"url": held["url"]})
    assert by_plytix_url.status_code == 409
    assert by_plytix_url.json()["error"]["errors"][0]["msg"] == held["id"]
    assert [a["id"] for a in plytix.admin.state()["assets"]].count(asset_id) == 1
    plytix.ok("DELETE", f"/assets/{asset_id}", 204)
    assert plytix.call("POST", "/assets", json={"url": url}).status_code == 201


def test_duplicate_asset_url_allow_uploads_the_url_again(plytix, web):
    plytix.admin.settings(duplicate_asset_url="allow")
    url = f"{web}/download/photo"
    ids = {plytix.ok("POST", "/assets", 201, json={"url": url})["data"][0]["id"] for _ in range(2)}
    assert len(ids) == 2


def test_image_is_recognised_by_its_bytes_when_the_type_header_is_generic(plytix, web):
    asset = plytix.ok("POST", "/assets", 201, json={"url": f"{web}/download/photo"})["data"][0]
    assert asset["filename"] == "photo.jpg" and asset["content_type"] == "image/jpeg"
    assert asset["checksum"] == hashlib.sha256(PHOTO).hexdigest()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.mark.parametrize(
    ("path", "reason"),
    [
        ("/page.html", "not an image"),
        ("/missing.jpg", "HTTP 404"),
        (None, "could not download"),
    ],
)
def test_url_that_is_not_an_image_or_not_reachable_gets_422(plytix, web, path, reason):
    url = f"{web}{path}" if path else f"http://127.0.0.1:{free_port()}/photo.jpg"
    before = len(plytix.admin.state()["assets"])
    response = plytix.call("POST", "/assets", json={"url": url})
    assert response.status_code == 422
    error = response.json()["error"]
    assert reason in error["msg"] and error["errors"][0]["field"] == "url"
    assert len(plytix.admin.state()["assets"]) == before


def test_asset_from_base64_and_bad_base64(plytix):
    data = images.render("b64", fmt="PNG")
    asset = plytix.ok(
        "POST",
        "/assets",
        201,
        json={"filename": "b64.png", "content": base64.b64encode(data).decode()},
    )["data"][0]
    assert (asset["content_type"], asset["file_size"]) == ("image/png", len(data))
    refused = plytix.call("POST", "/assets", json={"filename": "x.jpg", "content": "%%%"})
    assert refused.status_code == 422
    assert refused.json()["error"]["errors"][0]["field"] == "content"


def test_content_replace_changes_checksum_and_file_modified(plytix):
    asset_id = new_asset(plytix, "before")
    before = stored_asset(plytix, asset_id)
    replacement = images.render("before", version=1)
    response = plytix.call(
        "PUT",
        f"/assets/{asset_id}/content",
        files={"file": ("before.jpg", replacement, "image/jpeg")},
    )
    assert response.status_code == 202, response.text
    after = stored_asset(plytix, asset_id)
    assert after["checksum"] == hashlib.sha256(replacement).hexdigest() != before["checksum"]
    assert after["file_modified"] > before["file_modified"]
    assert after["filename"] == before["filename"]


def test_content_replace_with_another_format_is_400_and_changes_nothing(plytix):
    asset_id = new_asset(plytix, "jpeg")
    before = stored_asset(plytix, asset_id)
    png = images.render("jpeg", fmt="PNG")
    response = plytix.call(
        "PUT", f"/assets/{asset_id}/content", files={"file": ("jpeg.png", png, "image/png")}
    )
    assert response.status_code == 400
    message = "You cannot change the format type of the asset."
    assert response.json() == {
        "error": {"msg": message, "errors": [{"field": "content_type", "msg": message}]}
    }
    assert stored_asset(plytix, asset_id) == before


def test_asset_patch_changes_filename_keeping_extension_and_categories_only(plytix):
    asset_id = new_asset(plytix, "rename")
    category = plytix.admin.state()["file_categories"][0]["id"]
    plytix.ok(
        "PATCH", f"/assets/{asset_id}", json={"filename": "M1__front.png", "categories": [category]}
    )
    after = stored_asset(plytix, asset_id)
    assert (after["filename"], after["categories"]) == ("M1__front.jpg", [category])
    refused = plytix.call("PATCH", f"/assets/{asset_id}", json={"file_size": 1})
    assert refused.status_code == 422


def test_gallery_link_appends_single_media_and_thumbnail_replace(plytix):
    product_id = new_product(plytix)
    a, b, c = (new_asset(plytix, name) for name in ("a", "b", "c"))
    for asset_id in (a, b):
        plytix.ok(
            "POST",
            f"/products/{product_id}/assets",
            201,
            json={"id": asset_id, "attribute_label": "amazon_images"},
        )
    for asset_id in (a, c):
        plytix.ok(
            "POST",
            f"/products/{product_id}/assets",
            201,
            json={"id": asset_id, "attribute_label": "thumbnail"},
        )
        plytix.ok(
            "POST",
            f"/products/{product_id}/assets",
            201,
            json={"id": asset_id, "attribute_label": "packshot"},
        )
    product = plytix.stored(product_id)
    assert product["attributes"]["amazon_images"] == [{"id": a}, {"id": b}]
    assert product["attributes"]["packshot"] == {"id": c}
    assert product["thumbnail"] == {"id": c}
    assert product["assets"] == [a, b, c]
    assert stored_asset(plytix, a)["n_products"] == 1


def test_linking_the_same_asset_again_is_409(plytix):
    product_id = new_product(plytix)
    asset_id = new_asset(plytix, "twice")
    body = {"id": asset_id, "attribute_label": "webshop_images"}
    plytix.ok("POST", f"/products/{product_id}/assets", 201, json=body)
    again = plytix.call("POST", f"/products/{product_id}/assets", json=body)
    assert again.status_code == 409 and again.json()["error"]["msg"]
    plytix.ok(
        "POST",
        f"/products/{product_id}/assets",
        201,
        json={"id": asset_id, "attribute_label": "thumbnail"},
    )
    assert (
        plytix.call(
            "POST",
            f"/products/{product_id}/assets",
            json={"id": asset_id, "attribute_label": "assets"},
        ).status_code
        == 409
    )


def test_link_answers_the_asset_id_with_location(plytix):
    product_id = new_product(plytix)
    asset_id = new_asset(plytix, "answer")
    response = plytix.call(
        "POST", f"/products/{product_id}/assets", json={"id": asset_id, "attribute_label": "assets"}
    )
    assert response.status_code == 201
    assert response.json() == {"data": [{"id": asset_id}]}
    assert response.headers["Location"] == f"/api/v1/assets/{asset_id}"
    assert plytix.stored(product_id)["assets"] == [asset_id]


def test_link_needs_attribute_label_and_an_existing_asset(plytix):
    product_id = new_product(plytix)
    asset_id = new_asset(plytix, "label")
    missing = plytix.call("POST", f"/products/{product_id}/assets", json={"id": asset_id})
    assert missing.status_code == 422
    assert missing.json()["error"]["errors"][0]["field"] == "attribute_label"
    unknown = plytix.call(
        "POST", f"/products/{product_id}/assets", json={"id": "0" * 24, "attribute_label": "assets"}
    )
    assert unknown.status_code == 404
    assert unknown.json()["error"]["errors"][0]["field"] == "asset.id"
    not_media = plytix.call(
        "POST", f"/products/{product_id}/assets", json={"id": asset_id, "attribute_label": "color"}
    )
    assert not_media.status_code == 422
    assert plytix.stored(product_id)["assets"] == []


def test_asset_cap_per_product_is_a_setting(plytix):
    plytix.admin.settings(max_assets_per_product=2)
    product_id = new_product(plytix)
    assets = [new_asset(plytix, f"cap{n}") for n in range(3)]
    for asset_id in assets[:2]:
        plytix.ok(
            "POST",
            f"/products/{product_id}/assets",
            201,
            json={"id": asset_id, "attribute_label": "assets"},
        )
    refused = plytix.call(
        "POST",
        f"/products/{product_id}/assets",
        json={"id": assets[2], "attribute_label": "assets"},
    )
    assert refused.status_code == 422 and "at most 2 assets" in refused.json()["error"]["msg"]
    by_patch = plytix.call(
        "PATCH",
        f"/products/{product_id}",
        json={"attributes": {"media_gallery": [{"id": a} for a in assets]}},
    )
    assert by_patch.status_code == 422
    assert plytix.stored(product_id)["assets"] == assets[:2]


def test_unlink_removes_the_asset_from_thumbnail_and_media_attributes(plytix):
    product_id = new_product(plytix)
    a, b = new_asset(plytix, "keep"), new_asset(plytix, "drop")
    plytix.ok(
        "PATCH",
        f"/products/{product_id}",
        json={
            "thumbnail": {"id": b},
            "attributes": {"webshop_images": [{"id": a}, {"id": b}], "packshot": {"id": b}},
        },
    )
    plytix.ok("DELETE", f"/products/{product_id}/assets/{b}", 204)
    product = plytix.stored(product_id)
    assert product["assets"] == [a] and product["thumbnail"] is None
    assert product["attributes"] == {"webshop_images": [{"id": a}]}
    assert plytix.call("DELETE", f"/products/{product_id}/assets/{b}").status_code == 404
    listed = plytix.ok("GET", f"/products/{product_id}/assets")["data"]
    assert [x["id"] for x in listed] == [a]


def test_deleting_an_asset_unlinks_it_everywhere(plytix):
    state = plytix.admin.state()
    linked = next(p for p in state["products"] if p["assets"])
    asset_id = linked["assets"][0]
    plytix.ok("DELETE", f"/assets/{asset_id}", 204)
    product = plytix.stored(linked["id"])
    assert asset_id not in product["assets"] and product["thumbnail"] is None
    assert plytix.call("GET", f"/assets/{asset_id}").status_code == 404
