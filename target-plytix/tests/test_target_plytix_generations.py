"""target-plytix against the strict emulator: API v2 and v1, 409 adoption, format changes,
`attribute_label` on links, SKU lookup counts, writes per product, and the answers a real
account may give (HTML pages, 410, 422)."""

from __future__ import annotations

import json
import math
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
import requests
from plytix_api import PlytixClient, RetriesExhaustedError
from target_plytix_helpers import photo, product_by_sku, run_target, singer_lines, writes

TARGET = str(Path(sys.executable).parent / "target-plytix")
GENERATIONS = {"v2": {}, "v1": {"v2_enabled": False}}
"""Emulator settings per generation: v1 is an account that does not serve v2 (404)."""
JPEG = b"\xff\xd8\xff\xe0" + b"j" * 2000
PNG = b"\x89PNG\r\n\x1a\n" + b"p" * 3000


def requests_to(admin: Any, route: str) -> list[dict[str, Any]]:
    return [r for r in admin.requests()["recent"] if r["route"] == route]


def product_route(generation: str, rest: str = "") -> str:
    return f"/api/{generation}/products{rest}"


@pytest.fixture(params=list(GENERATIONS))
def generation(request: pytest.FixtureRequest, plytix_admin: Any) -> str:
    plytix_admin.settings(**GENERATIONS[request.param])
    return request.param


# --- both generations ------------------------------------------------------------------
def test_media_and_attributes_in_one_write_per_product_then_none(
    generation, target_config, plytix_admin, emulators, skus, media_ids
):
    """Per changed product exactly one PATCH on the generation's path, media in its shape;
    the write is read back; the same input again writes nothing."""
    chosen = skus[:3]
    records: list[tuple[str, dict[str, Any]]] = []
    for n, sku in enumerate(chosen):
        records += [
            ("products", {"sku": sku, "attributes": {"image_credit": f"Studio {n}"}}),
            (
                "product_media",
                {
                    "sku": sku,
                    "attribute_label": "thumbnail",
                    "assets": [photo(emulators, media_ids[n])],
                },
            ),
            (
                "product_media",
                {
                    "sku": sku,
                    "attribute_label": "media_gallery",
                    "assets": [photo(emulators, m) for m in media_ids[n : n + 3]],
                },
            ),
            (
                "product_media",
                {
                    "sku": sku,
                    "attribute_label": "packshot",
                    "assets": [photo(emulators, media_ids[n + 4])],
                },
            ),
        ]
    plytix_admin.clear_requests()
    run = run_target(target_config, records)
    assert set(run.by_outcome()) <= {"created", "updated"}, run.outcomes
    patch_route = f"PATCH {product_route(generation, '/{product_id}')}"
    # the minimum: each new image created once, then one PATCH per changed product
    assert writes(plytix_admin) == {
        "POST /api/v1/assets": len(set(media_ids[:7])),
        patch_route: len(chosen),
    }
    other = "v1" if generation == "v2" else "v2"
    assert not [
        r
        for r in plytix_admin.requests()["by_route"]
        if f"/api/{other}/products" in r and not r.endswith("/search")
    ]
    assets = {a["id"]: a for a in plytix_admin.state()["assets"]}
    for patch in requests_to(plytix_admin, patch_route):
        gallery = patch["body"]["attributes"]["media_gallery"]
        packshot = patch["body"]["attributes"]["packshot"]
        if generation == "v2":
            assert all(isinstance(i, str) for i in gallery) and len(packshot) == 1
        else:
            assert all(set(ref) == {"id"} for ref in gallery) and set(packshot) == {"id"}
    for n, sku in enumerate(chosen):
        product = product_by_sku(plytix_admin, sku)
        gallery_names = [
            assets[ref["id"]]["filename"].split("__")[0]
            for ref in product["attributes"]["media_gallery"]
        ]
        assert gallery_names == media_ids[n : n + 3]
        assert product["attributes"]["image_credit"] == f"Studio {n}"
        assert assets[product["thumbnail"]["id"]]["filename"].startswith(f"{media_ids[n]}__")
    summary = run.target.writer
    assert summary.verified == len(chosen) and summary.not_kept == 0
    assert all(o.get("verified") is True for o in run.outcomes)
    plytix_admin.clear_requests()
    again = run_target(target_config, records)
    assert again.by_outcome() == {"unchanged": len(records)}
    assert writes(plytix_admin) == {}


def test_v1_products_answer_with_the_deprecation_header_and_v2_is_preferred(
    target_config, plytix_admin, skus
):
    """auto asks v2 once; with v2 served, no product call goes to v1."""
    plytix_admin.clear_requests()
    run_target(target_config, [("products", {"sku": skus[0], "label": "v2 please"})])
    routes = plytix_admin.requests()["by_route"]
    assert routes["POST /api/v2/products/search"] >= 2  # the probe, then the lookup
    assert not [
        r for r in routes if r.startswith(("POST /api/v1/products", "PATCH /api/v1/products"))
    ]
    assert product_by_sku(plytix_admin, skus[0])["label"] == "v2 please"


def test_api_version_v1_on_an_account_where_v1_products_are_gone_fails_naming_the_setting(
    target_config, plytix_admin, skus, tmp_path
):
    plytix_admin.settings(v1_products="gone")
    config = {**target_config, "api_version": "v1"}
    path = tmp_path / "config.json"
    path.write_text(json.dumps(config))
    lines = singer_lines([("products", {"sku": skus[0], "label": "x"})], state={"b": 1})
    done = subprocess.run(
        [TARGET, "--config", str(path)],
        input=lines,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 1
    last = done.stderr.strip().splitlines()[-1]
    assert last.startswith("target-plytix: error: Plytix 410 on POST /api/v1/products/search")
    assert "set api_version to auto or v2" in last
    assert '"b": 1' not in done.stdout
    assert product_by_sku(plytix_admin, skus[0])["label"] != "x"


# --- SKU lookups -----------------------------------------------------------------------
@pytest.mark.parametrize("per_search", [20, 50])
def test_sku_lookups_on_v1_are_or_groups_of_eq_per_100_skus(
    per_search, target_config, plytix_admin, skus
):
    """v1 has no `sku in`: 100 SKUs take ceil(100 / sku_eq_per_search) searches per column
    batch, each an OR of `sku eq` groups; no search carries `in` on `sku` or any `id` filter."""
    plytix_admin.settings(v2_enabled=False)
    wanted = [*skus, *(f"NOPE-{n:03d}" for n in range(100 - len(skus)))][:100]
    records = [
        ("products", {"sku": sku, "attributes": {"image_credit": "Lookup"}}) for sku in wanted
    ]
    config = {
        **target_config,
        "patch_semantics": "merge",
        "verify_writes": False,
        "sku_eq_per_search": per_search,
    }
    plytix_admin.clear_requests()
    run = run_target(config, records)
    searches = [
        r
        for r in requests_to(plytix_admin, "POST /api/v1/products/search")
        if r["body"].get("filters")
    ]
    assert len(searches) == math.ceil(100 / per_search)  # 5 or 2 per 100 SKUs, 1 batch
    for search in searches:
        groups = search["body"]["filters"]
        assert 1 <= len(groups) <= per_search
        assert all(
            g == [{"field": "sku", "operator": "eq", "value": g[0]["value"]}] for g in groups
        )
    assert sorted(g[0]["value"] for s in searches for g in s["body"]["filters"]) == sorted(wanted)
    assert run.by_outcome()["rejected"] == 100 - len(skus)
    assert run.target.writer.cache.lookups == len(searches)


def test_column_batches_follow_the_generation_cap_and_repeat_the_sku_search(
    generation, target_config, plytix_admin, skus
):
    """replace semantics read every writable attribute: columns in batches of 20 (v1) or 50
    (v2), each batch filtered by SKU again (product `id` is not filterable on v1)."""
    plytix_admin.clear_requests()
    run_target(
        {**target_config, "verify_writes": False},
        [("products", {"sku": sku, "attributes": {"image_credit": "Cols"}}) for sku in skus[:10]],
    )
    route = f"POST {product_route(generation, '/search')}"
    searches = [r for r in requests_to(plytix_admin, route) if r["body"].get("filters")]
    cap = {"v2": 50, "v1": 20}[generation]
    columns = sum(len(s["body"]["attributes"]) for s in searches)
    assert all(len(s["body"]["attributes"]) <= cap for s in searches)
    assert len(searches) == math.ceil(columns / cap)
    assert all(c["field"] == "sku" for s in searches for g in s["body"]["filters"] for c in g)


# --- assets ---------------------------------------------------------------------------
class ImageHost:
    """A loopback image host whose bytes the test changes (Plytix fetches from it)."""

    def __init__(self) -> None:
        self.body = JPEG
        host = self

        class Handler(BaseHTTPRequestHandler):
            def _head(self) -> None:
                self.send_response(200)
                self.send_header(
                    "Content-Type", "image/png" if host.body.startswith(b"\x89") else "image/jpeg"
                )
                self.send_header("Content-Length", str(len(host.body)))
                self.end_headers()

            def do_HEAD(self) -> None:
                self._head()

            def do_GET(self) -> None:
                self._head()
                self.wfile.write(host.body)

            def log_message(self, *args: Any) -> None:
                """Quiet."""

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/shoot/photo-1"


@pytest.fixture
def image_host() -> Iterator[ImageHost]:
    host = ImageHost()
    yield host
    host.server.shutdown()
    host.server.server_close()


def test_an_asset_plytix_already_holds_is_adopted_not_duplicated(
    target_config, plytix_admin, emulators, skus, image_host
):
    """POST /assets answers 409 "Asset already exists": the target takes that asset (renamed
    to carry the source id), links it, and a re-run finds it by name without a POST."""
    token = requests.post(
        f"{emulators.plytix_url}/auth/api/get-token",
        timeout=30,
        json={"api_key": "demo-key", "api_password": "demo-password"},
    ).json()["data"][0]["access_token"]
    existing = requests.post(
        f"{emulators.plytix_api_url}/assets",
        timeout=30,
        headers={"Authorization": f"Bearer {token}"},
        json={"url": image_host.url, "filename": "hand-upload.jpg"},
    ).json()["data"][0]["id"]
    before = len(plytix_admin.state()["assets"])
    record = (
        "product_media",
        {
            "sku": skus[0],
            "attribute_label": "media_gallery",
            "assets": [
                {
                    "source_id": "S-adopt",
                    "url": image_host.url,
                    "filename": "photo-1.jpg",
                    "checksum": "c1",
                }
            ],
        },
    )
    plytix_admin.clear_requests()
    run = run_target(target_config, [record])
    assert run.by_outcome() == {"updated": 1}, run.outcomes
    assert [r["status"] for r in requests_to(plytix_admin, "POST /api/v1/assets")] == [409]
    state = plytix_admin.state()
    assert len(state["assets"]) == before
    adopted = next(a for a in state["assets"] if a["id"] == existing)
    assert adopted["filename"].startswith("S-adopt__")
    assert product_by_sku(plytix_admin, skus[0])["attributes"]["media_gallery"] == [
        {"id": existing}
    ]
    assert run.target.writer.adopted == 1
    plytix_admin.clear_requests()
    again = run_target(target_config, [record])
    assert again.by_outcome() == {"unchanged": 1}
    assert writes(plytix_admin) == {}


@pytest.mark.parametrize(
    "new_name", ["photo-1.png", "photo-1.jpg"], ids=["extension-says-so", "only-the-bytes-say-so"]
)
def test_a_new_file_of_another_format_becomes_a_new_asset(
    new_name, target_config, plytix_admin, skus, image_host
):
    """A changed checksum replaces the content, except when the format changes (Plytix
    answers 400 on `content_type`): then a new asset takes the source id and the product's
    slot, and the old one loses the source id from its name (found by it never again)."""

    def record(checksum: str, filename: str) -> tuple[str, dict[str, Any]]:
        return (
            "product_media",
            {
                "sku": skus[0],
                "attribute_label": "media_gallery",
                "assets": [
                    {
                        "source_id": "S-fmt",
                        "url": image_host.url,
                        "filename": filename,
                        "checksum": checksum,
                    }
                ],
            },
        )

    first = run_target(target_config, [record("c1", "photo-1.jpg")])
    assert first.by_outcome() == {"created": 1}
    [old] = [a for a in plytix_admin.state()["assets"] if a["filename"].startswith("S-fmt__")]
    image_host.body = PNG
    plytix_admin.clear_requests()
    second = run_target(target_config, [record("c2", new_name)])
    assert second.by_outcome() == {"updated": 1}, second.outcomes
    assets = plytix_admin.state()["assets"]
    [new] = [a for a in assets if a["filename"].startswith("S-fmt__")]
    assert new["id"] != old["id"] and new["content_type"] == "image/png"
    renamed = next(a for a in assets if a["id"] == old["id"])
    assert renamed["filename"].startswith("replaced-S-fmt-")
    assert product_by_sku(plytix_admin, skus[0])["attributes"]["media_gallery"] == [
        {"id": new["id"]}
    ]
    creates = requests_to(plytix_admin, "POST /api/v1/assets")
    assert len(creates) == 1 and "content" in creates[0]["body"] and "url" not in creates[0]["body"]
    puts = requests_to(plytix_admin, "PUT /api/v1/assets/{asset_id}/content")
    assert [p["status"] for p in puts] == ([] if new_name.endswith(".png") else [400])
    assert second.target.writer.replaced_by_new == 1
    plytix_admin.clear_requests()
    assert run_target(target_config, [record("c2", new_name)]).by_outcome() == {"unchanged": 1}
    assert writes(plytix_admin) == {}


def test_every_link_carries_attribute_label(
    generation, target_config, plytix_admin, emulators, skus, media_ids
):
    records = [
        (
            "product_media",
            {
                "sku": skus[0],
                "attribute_label": "thumbnail",
                "assets": [photo(emulators, media_ids[0])],
            },
        ),
        (
            "product_media",
            {
                "sku": skus[0],
                "attribute_label": "media_gallery",
                "assets": [photo(emulators, m) for m in media_ids[1:4]],
            },
        ),
        (
            "product_media",
            {
                "sku": skus[0],
                "attribute_label": "packshot",
                "assets": [photo(emulators, media_ids[5])],
            },
        ),
    ]
    config = {**target_config, "media_write_mode": "link"}
    plytix_admin.clear_requests()
    run = run_target(config, records)
    assert run.by_outcome() == {"created": 3}
    links = requests_to(plytix_admin, f"POST {product_route(generation, '/{product_id}/assets')}")
    assert len(links) == 5
    assert sorted(link["body"]["attribute_label"] for link in links) == ["media_gallery"] * 3 + [
        "packshot",
        "thumbnail",
    ]
    assert all(set(link["body"]) == {"id", "attribute_label"} for link in links)


# --- what a real account may answer ---------------------------------------------------
HTML_PAGE = "<html><head><title>400 Bad Request</title></head><body>nginx</body></html>"


def test_an_html_error_page_rejects_the_record_in_one_line_and_the_run_goes_on(
    target_config, plytix_admin, skus
):
    plytix_admin.fault(
        route="PATCH /api/v2/products/{product_id}", status=400, body=HTML_PAGE, count=1
    )
    run = run_target(
        target_config,
        [
            ("products", {"sku": skus[0], "label": "page"}),
            ("products", {"sku": skus[1], "label": "written"}),
        ],
    )
    [rejected] = [o for o in run.outcomes if o["outcome"] == "rejected"]
    assert rejected["key"]["sku"] == skus[0] and "\n" not in rejected["reason"]
    assert rejected["reason"].startswith("Plytix refused the write: Plytix 400 on PATCH")
    assert "<html>" not in rejected["reason"]
    assert product_by_sku(plytix_admin, skus[1])["label"] == "written"


def test_an_html_page_with_a_5xx_is_retried(target_config, plytix_admin, skus):
    plytix_admin.fault(
        route="PATCH /api/v2/products/{product_id}",
        status=502,
        body=HTML_PAGE.replace("400 Bad Request", "502 Bad Gateway"),
        count=2,
    )
    run = run_target(target_config, [("products", {"sku": skus[0], "label": "after 502"})])
    assert run.by_outcome() == {"updated": 1}
    assert product_by_sku(plytix_admin, skus[0])["label"] == "after 502"


def test_a_refused_operator_ends_in_one_line_naming_the_settings(
    target_config, plytix_admin, skus, tmp_path
):
    refusal = {
        "error": {
            "msg": "Operator not allowed",
            "errors": [{"field": "sku", "msg": "operator in is not allowed"}],
        }
    }
    plytix_admin.fault(route="POST /api/v2/products/search", status=422, body=refusal, count=1)
    path = tmp_path / "config.json"
    path.write_text(json.dumps({**target_config, "api_version": "v2"}))
    done = subprocess.run(
        [TARGET, "--config", str(path)],
        capture_output=True,
        text=True,
        input=singer_lines([("products", {"sku": skus[0], "label": "x"})]),
        timeout=120,
        check=False,
    )
    assert done.returncode == 1
    last = done.stderr.strip().splitlines()[-1]
    assert last.startswith("target-plytix: error: Plytix 422 on POST /api/v2/products/search")
    assert "sku_eq_per_search" in last and "api_version" in last


def test_a_field_plytix_did_not_keep_rejects_its_record(target_config, plytix_admin, skus):
    """The server ignores what it does not take; the read-back sees it and says which field."""
    plytix_admin.fault(
        route="PATCH /api/v2/products/{product_id}",
        status=200,
        body={"data": [{"id": product_by_sku(plytix_admin, skus[0])["id"]}]},
        count=1,
    )
    run = run_target(
        target_config,
        [
            ("products", {"sku": skus[0], "label": "lost"}),
            ("products", {"sku": skus[1], "label": "kept"}),
        ],
    )
    outcomes = {o["key"]["sku"]: o for o in run.outcomes}
    assert outcomes[skus[0]]["outcome"] == "rejected"
    assert "label not as written" in outcomes[skus[0]]["reason"]
    assert outcomes[skus[1]]["outcome"] == "updated"
    assert run.target.writer.verified == 2 and run.target.writer.not_kept == 1


def test_a_403_stops_the_run_in_one_line_naming_the_setting(
    target_config, plytix_admin, skus, tmp_path
):
    forbidden = {"error": {"msg": "Forbidden: this API key may not modify products"}}
    plytix_admin.fault(
        route="PATCH /api/v2/products/{product_id}", status=403, body=forbidden, count=1
    )
    path = tmp_path / "config.json"
    path.write_text(json.dumps(target_config))
    done = subprocess.run(
        [TARGET, "--config", str(path)],
        capture_output=True,
        text=True,
        input=singer_lines([("products", {"sku": skus[0], "label": "x"})], state={"b": 1}),
        timeout=120,
        check=False,
    )
    assert done.returncode == 1
    last = done.stderr.strip().splitlines()[-1]
    assert last.startswith("target-plytix: error: Plytix 403 on PATCH /api/v2/products/")
    assert "api_key" in last and '"b": 1' not in done.stdout


def test_a_product_deleted_since_the_lookup_is_rejected_with_plytix_words(
    target_config, plytix_admin, skus
):
    gone = {
        "error": {
            "msg": "No results found for None",
            "errors": [{"field": "id", "msg": "product does not exist"}],
        }
    }
    plytix_admin.fault(route="PATCH /api/v2/products/{product_id}", status=404, body=gone, count=1)
    run = run_target(
        target_config,
        [
            ("products", {"sku": skus[0], "label": "late"}),
            ("products", {"sku": skus[1], "label": "fine"}),
        ],
    )
    outcomes = {o["key"]["sku"]: o for o in run.outcomes}
    assert outcomes[skus[0]]["outcome"] == "rejected"
    assert (
        "404" in outcomes[skus[0]]["reason"]
        and "product does not exist" in outcomes[skus[0]]["reason"]
    )
    assert outcomes[skus[1]]["outcome"] == "updated"


def test_assets_are_found_by_listing_where_filename_like_is_not_allowed(
    target_config, plytix_admin, emulators, skus, media_ids
):
    """An account whose asset filters cannot be read (the documented table has no `like` on
    `filename`): assets are found in a listing of every asset, once per run, listed again
    after a create that got no answer; still no duplicate, and nothing to write on a re-run."""
    plytix_admin.fault(route="GET /api/v1/filters/asset", status=404, count=10)
    plytix_admin.fault(route="POST /api/v1/assets", action="drop", count=1)
    records = [
        (
            "product_media",
            {
                "sku": skus[0],
                "attribute_label": "media_gallery",
                "assets": [photo(emulators, m) for m in media_ids[:3]],
            },
        )
    ]
    before = len(plytix_admin.state()["assets"])
    plytix_admin.clear_requests()
    run = run_target(target_config, records)
    assert run.by_outcome() == {"created": 1}, run.outcomes
    listings = requests_to(plytix_admin, "POST /api/v1/assets/search")
    assert len(listings) == 2  # once for the run, once after the create with no answer
    assert not any(r["body"].get("filters") for r in listings)
    assert len(plytix_admin.state()["assets"]) == before + 3
    plytix_admin.clear_requests()
    assert run_target(target_config, records).by_outcome() == {"unchanged": 1}
    assert writes(plytix_admin) == {}


def test_products_written_before_a_failed_write_keep_their_outcome(
    target_config, plytix_admin, skus, monkeypatch
):
    """A write that fails after its retries fails the run; the products written before it
    still get their outcome line (not verified), the failed one none (no state either)."""
    original = PlytixClient.request

    def fail_after_first_patch(self, method, path, **kwargs):
        answer = original(self, method, path, **kwargs)
        if method == "PATCH" and "/products/" in path:
            plytix_admin.fault(route="PATCH /api/v2/products/{product_id}", status=503, count=50)
        return answer

    monkeypatch.setattr(PlytixClient, "request", fail_after_first_patch)
    with pytest.raises(RetriesExhaustedError):
        run_target(
            {**target_config, "max_retries": 1},
            [
                ("products", {"sku": skus[0], "label": "first"}),
                ("products", {"sku": skus[1], "label": "second"}),
            ],
        )
    lines = [json.loads(x) for x in Path(target_config["outcomes_path"]).read_text().splitlines()]
    assert [(o["key"]["sku"], o["outcome"]) for o in lines] == [(skus[0], "updated")]
    assert product_by_sku(plytix_admin, skus[0])["label"] == "first"


def test_a_missing_product_is_created_in_one_post_and_read_back(
    generation, target_config, plytix_admin, emulators, media_ids
):
    """create_missing_products: one POST on the generation's path (v2 answers ids only), the
    media in the generation's shape, the product read back; a re-run writes nothing."""
    records = [
        (
            "products",
            {
                "sku": "NEW-0002",
                "label": "Made here",
                "status": "Draft",
                "attributes": {"color": "Red"},
            },
        ),
        (
            "product_media",
            {
                "sku": "NEW-0002",
                "attribute_label": "media_gallery",
                "assets": [photo(emulators, m) for m in media_ids[:2]],
            },
        ),
    ]
    config = {**target_config, "create_missing_products": True}
    plytix_admin.clear_requests()
    run = run_target(config, records)
    assert run.by_outcome() == {"created": 2}
    route = f"POST {product_route(generation)}"
    [post] = requests_to(plytix_admin, route)
    assert post["status"] == 201 and post["body"]["sku"] == "NEW-0002"
    gallery = post["body"]["attributes"]["media_gallery"]
    assert (
        all(isinstance(i, str) for i in gallery)
        if generation == "v2"
        else all(set(ref) == {"id"} for ref in gallery)
    )
    product = product_by_sku(plytix_admin, "NEW-0002")
    assert product["label"] == "Made here" and product["attributes"]["color"] == "Red"
    assert len(product["attributes"]["media_gallery"]) == 2
    assert run.target.writer.verified == 1
    plytix_admin.clear_requests()
    assert run_target(config, records).by_outcome() == {"unchanged": 2}
    assert writes(plytix_admin) == {}


def test_an_account_serving_neither_generation_fails_naming_api_url(
    target_config, plytix_admin, skus, tmp_path
):
    plytix_admin.settings(v1_products="gone", v2_enabled=False)
    path = tmp_path / "config.json"
    path.write_text(json.dumps(target_config))
    done = subprocess.run(
        [TARGET, "--config", str(path)],
        capture_output=True,
        text=True,
        input=singer_lines([("products", {"sku": skus[0], "label": "x"})]),
        timeout=120,
        check=False,
    )
    assert done.returncode == 1
    last = done.stderr.strip().splitlines()[-1]
    assert "Plytix 410 on POST /api/v1/products/search" in last and "check api_url" in last


def test_a_202_with_any_body_is_success_not_retried(target_config, plytix_admin, skus, image_host):
    """`PUT /assets/{id}/content` answers 202; a body that is not JSON ("Accepted") is still
    success: one PUT, no retry, the record updated."""

    def record(checksum: str) -> tuple[str, dict[str, Any]]:
        return (
            "product_media",
            {
                "sku": skus[0],
                "attribute_label": "packshot",
                "assets": [
                    {
                        "source_id": "S-202",
                        "url": image_host.url,
                        "filename": "photo-1.jpg",
                        "checksum": checksum,
                    }
                ],
            },
        )

    assert run_target(target_config, [record("c1")]).by_outcome() == {"created": 1}
    image_host.body = JPEG + b"more"
    plytix_admin.fault(
        route="PUT /api/v1/assets/{asset_id}/content", status=202, body="Accepted", count=1
    )
    plytix_admin.clear_requests()
    run = run_target(target_config, [record("c2")])
    assert run.by_outcome() == {"updated": 1}
    assert [
        r["status"] for r in requests_to(plytix_admin, "PUT /api/v1/assets/{asset_id}/content")
    ] == [202]


def test_an_asset_create_answered_without_the_asset_is_found_by_name(
    target_config, plytix_admin, skus, image_host
):
    """A 201 whose body carries no asset (only what the docs promise is relied on): the
    asset is found by its name, linked, and not created twice."""
    token = requests.post(
        f"{target_config['auth_url']}/auth/api/get-token",
        timeout=30,
        json={"api_key": "demo-key", "api_password": "demo-password"},
    ).json()["data"][0]["access_token"]
    name = "S-thin__" + "photo-1.jpg"
    made = requests.post(
        f"{target_config['api_url']}/assets",
        timeout=30,
        headers={"Authorization": f"Bearer {token}"},
        json={"url": image_host.url, "filename": name},
    ).json()["data"][0]
    plytix_admin.call("DELETE", "requests")
    # the target's own create is answered 201 {"data": []} (after the asset above exists)
    plytix_admin.fault(route="POST /api/v1/assets", status=201, body={"data": []}, count=1)
    before = len(plytix_admin.state()["assets"])
    record = (
        "product_media",
        {
            "sku": skus[0],
            "attribute_label": "media_gallery",
            "assets": [{"source_id": "S-thin", "url": image_host.url, "filename": "photo-1.jpg"}],
        },
    )
    # the cache starts empty, so the first lookup must miss: hide the asset from that search
    plytix_admin.fault(
        route="POST /api/v1/assets/search",
        status=200,
        body={
            "data": [],
            "pagination": {
                "page": 1,
                "page_size": 100,
                "order": None,
                "count": 0,
                "total_count": 0,
            },
        },
        count=1,
    )
    run = run_target(target_config, [record])
    assert run.by_outcome() == {"created": 1}, run.outcomes
    assert len(plytix_admin.state()["assets"]) == before
    assert product_by_sku(plytix_admin, skus[0])["attributes"]["media_gallery"] == [
        {"id": made["id"]}
    ]


def test_a_product_create_answered_without_an_id_is_looked_up_by_sku(
    target_config, plytix_admin, monkeypatch
):
    """The create happened but its answer carried no id: the product is found by its SKU and
    the record is created (once)."""
    original = PlytixClient.data

    def thin_create_answer(self, method, path, **kwargs):
        answer = original(self, method, path, **kwargs)
        return [] if method == "POST" and path.endswith("/products") else answer

    monkeypatch.setattr(PlytixClient, "data", thin_create_answer)
    config = {**target_config, "create_missing_products": True}
    run = run_target(config, [("products", {"sku": "NEW-0003", "label": "Thin answer"})])
    assert run.by_outcome() == {"created": 1}
    made = [p for p in plytix_admin.state()["products"] if p["sku"] == "NEW-0003"]
    assert len(made) == 1 and made[0]["label"] == "Thin answer"
    assert run.outcomes[0]["product_id"] == made[0]["id"]
