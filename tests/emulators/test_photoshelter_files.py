"""PhotoShelter emulator: derivative links, real image bytes, downloads, replaced files."""

from __future__ import annotations

import io

import pytest
import requests
from PIL import Image

from emulators import catalog
from emulators.photoshelter.client import PhotoShelterClient
from emulators.photoshelter.settings import PARAMETER_MODES

SEED = catalog.build("small", 42)


HONOURED = dict.fromkeys(PARAMETER_MODES, "honoured")


@pytest.fixture
def ps(emulators, photoshelter_admin) -> PhotoShelterClient:
    """Logged in, with every unconfirmed `GET /media` parameter honoured: these tests check
    what the filters mean; test_photoshelter_modes.py checks the other modes and defaults."""
    photoshelter_admin.settings(**HONOURED)
    return PhotoShelterClient.login(emulators.photoshelter_api_url)


def pixels(data: bytes) -> bytes:
    """The decoded RGB pixels (not the encoded bytes)."""
    image = Image.open(io.BytesIO(data))
    image.load()
    return image.convert("RGB").tobytes()


def fetch_link(ps: PhotoShelterClient, media_id: str, size: str = "400x400") -> bytes:
    link = ps.get(f"/media/{media_id}/link", image_size=size, image_mode="fit")
    url = link["data"]["attributes"]["link"]
    response = requests.get(url, timeout=10)  # public: no key, no token
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "image/jpeg"
    return response.content


def test_link_points_at_img_get2_on_the_public_base_url(ps, emulators):
    media_id = SEED.media[0]["id"]
    link = ps.get(f"/media/{media_id}/link", image_size="640x480", image_mode="fill")
    assert link["data"]["attributes"]["link"] == (
        f"{emulators.photoshelter_url}/img-get2/{media_id}/fill=640x480"
    )
    assert set(link["meta"]["rate_limit"]) == {"limit", "current", "expires"}
    bad = ps.call("GET", f"/media/{media_id}/link", params={"image_size": "big"})
    assert bad.status_code == 400 and "image_size" in bad.json()["errors"][0]["detail"]


def test_linked_images_are_real_jpegs_with_different_pixels_per_media(ps):
    first, second = SEED.media[0]["id"], SEED.media[1]["id"]
    image_a, image_b = fetch_link(ps, first), fetch_link(ps, second)
    assert Image.open(io.BytesIO(image_a)).format == "JPEG"
    assert pixels(image_a) != pixels(image_b)
    assert fetch_link(ps, first) == image_a  # stable until the file is replaced


def test_download_returns_the_original_bytes_with_a_content_type(ps):
    media = SEED.media[2]
    response = ps.call(
        "GET", f"/media/{media['id']}/download", params={"download_filetype": "original"}
    )
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "image/jpeg"
    assert media["file_name"] in response.headers["Content-Disposition"]
    assert pixels(response.content) == pixels(fetch_link(ps, media["id"]))
    assert (
        ps.call(
            "GET", f"/media/{media['id']}/download", params={"download_filetype": "tiff"}
        ).status_code
        == 400
    )


def test_download_needs_a_session_but_img_get2_does_not(ps, emulators):
    media_id = SEED.media[0]["id"]
    api = emulators.photoshelter_api_url
    no_token = requests.get(
        f"{api}/media/{media_id}/download", headers={"X-PS-Api-Key": "DEMOapikey1"}, timeout=10
    )
    assert no_token.status_code == 401
    unknown = requests.get(
        f"{emulators.photoshelter_url}/img-get2/I0000nothere1234/fit=10x10", timeout=10
    )
    assert unknown.status_code == 404
    bad_spec = requests.get(f"{emulators.photoshelter_url}/img-get2/{media_id}/huge", timeout=10)
    assert bad_spec.status_code == 404


def test_replacing_the_file_changes_pixels_size_and_modified_at(ps, photoshelter_admin):
    media_id = SEED.media[3]["id"]
    before = ps.get(f"/media/{media_id}")["data"]["attributes"]
    image_before = fetch_link(ps, media_id)
    replaced = photoshelter_admin.call("POST", f"media/{media_id}/file")
    assert replaced["version"] == 1
    after = ps.get(f"/media/{media_id}")["data"]["attributes"]
    image_after = fetch_link(ps, media_id)
    assert pixels(image_after) != pixels(image_before)
    assert after["file_size"] != before["file_size"]
    assert after["file_size"] == len(ps.call("GET", f"/media/{media_id}/download").content)
    assert after["modified_at"] > before["modified_at"]
    newest = ps.get("/media", sort_by="date", sort_dir="desc", per_page=1)["data"][0]
    assert newest["id"] == media_id


def test_download_quality_sets_the_jpeg_rendition_quality(ps):
    media_id = SEED.media[4]["id"]

    def jpeg(**params) -> bytes:
        response = ps.call(
            "GET", f"/media/{media_id}/download", params={"download_filetype": "jpeg", **params}
        )
        assert response.status_code == 200 and response.headers["Content-Type"] == "image/jpeg"
        return response.content

    low, high = jpeg(download_quality="10"), jpeg(download_quality="95")
    assert len(low) < len(high)
    assert Image.open(io.BytesIO(low)).size == Image.open(io.BytesIO(high)).size
    original = ps.call(
        "GET", f"/media/{media_id}/download", params={"download_quality": "10"}
    ).content
    assert original == ps.call("GET", f"/media/{media_id}/download").content
    for bad in ("0", "101", "best"):
        response = ps.call(
            "GET",
            f"/media/{media_id}/download",
            params={"download_filetype": "jpeg", "download_quality": bad},
        )
        assert response.status_code == 400
        assert "download_quality" in response.json()["errors"][0]["detail"]


@pytest.mark.parametrize(
    "kind, content_type, magic",
    [
        ("video", "video/mp4", b"\x00\x00\x00\x18ftyp"),
        ("audio", "audio/mpeg", b"ID3"),
        ("document", "application/pdf", b"%PDF-"),
    ],
)
def test_non_image_media_download_their_own_kind_and_preview_as_jpeg(
    ps, photoshelter_admin, kind, content_type, magic
):
    created = photoshelter_admin.call(
        "POST", "media", {"file_name": f"clip.{kind[:3]}", "media_type": kind}
    )
    response = ps.call("GET", f"/media/{created['id']}/download")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == content_type
    assert response.content.startswith(magic) and len(response.content) == created["file_size"]
    assert ps.get(f"/media/{created['id']}")["data"]["type"] == kind
    assert Image.open(io.BytesIO(fetch_link(ps, created["id"]))).format == "JPEG"
