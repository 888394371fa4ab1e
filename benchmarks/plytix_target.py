"""Benchmark target-plytix against the Plytix emulator.

A typical change per product: hero + 4 alternates (new photos from the PhotoShelter
emulator) as thumbnail and gallery, plus rights attributes. Measures requests and writes per
changed product in each media mode against the minimum the API allows, records per second
with limits off, and the achieved request rate with the default limits on.

    .venv/bin/python benchmarks/plytix_target.py [--products 40] [--append]
"""

from __future__ import annotations

import argparse
import json
import tempfile
from pathlib import Path

from plytix_common import BIN, Emulators, append_results, run_measured, table

from emulators.runtime import DEMO_CREDENTIALS, AdminClient

MINIMUM_WRITES = {"patch": 5 + 1, "link": 5 + 1 + 5 + 1}
"""5 asset creations, then one PATCH (patch) or 6 links + one PATCH for rights (link)."""


def singer_input(emulators: Emulators, skus: list[str], media: list[str]) -> tuple[str, int]:
    lines, records = [], 0
    for stream in ("products", "product_media"):
        lines.append(
            {
                "type": "SCHEMA",
                "stream": stream,
                "key_properties": ["sku"],
                "schema": {"type": "object", "properties": {}},
            }
        )
    for n, sku in enumerate(skus):
        photos = [
            {
                "source_id": media_id,
                "filename": f"{media_id}.jpg",
                "checksum": "v0",
                "url": f"{emulators.photoshelter_url}/img-get2/{media_id}/fit=1000x1000",
            }
            for media_id in media[5 * n : 5 * n + 5]
        ]
        for record in (
            {"sku": sku, "attribute_label": "thumbnail", "assets": photos[:1]},
            {"sku": sku, "attribute_label": "webshop_images", "assets": photos},
        ):
            lines.append({"type": "RECORD", "stream": "product_media", "record": record})
        lines.append(
            {
                "type": "RECORD",
                "stream": "products",
                "record": {
                    "sku": sku,
                    "attributes": {
                        "image_rights_expiry": "2027-12-31",
                        "image_allowed_channels": ["webshop", "amazon"],
                    },
                },
            }
        )
        records += 3
    lines.append({"type": "STATE", "value": {"done": True}})
    return "\n".join(json.dumps(line) for line in lines) + "\n", records


def run(
    mode: str, products: int, rate_limits: bool, generation: str = "v2", **settings: object
) -> dict[str, float]:
    """One run; `generation` v1 is an account that does not serve v2 (emulator switch)."""
    emulators = Emulators("demo", rate_limits=rate_limits)
    try:
        admin = AdminClient(emulators.plytix_url)
        admin.settings(v2_enabled=generation == "v2")
        state = admin.state()
        skus = [p["sku"] for p in state["products"] if p["product_level"] != 1][:products]
        ps = AdminClient(emulators.photoshelter_url)
        media = [m["id"] for m in ps.call("GET", "state")["media"]][: 5 * products]
        text, records = singer_input(emulators, skus, media)
        folder = Path(tempfile.mkdtemp())
        config = {
            **DEMO_CREDENTIALS["plytix"],
            "auth_url": emulators.plytix_url,
            "api_url": f"{emulators.plytix_url}/api/v1",
            "media_write_mode": mode,
            **settings,
        }
        if not rate_limits:
            config.update(requests_per_10s=0, requests_per_hour=0)
        (folder / "config.json").write_text(json.dumps(config))
        admin.clear_requests()
        seconds, rss, _ = run_measured(
            [str(BIN / "target-plytix"), "--config", str(folder / "config.json")], stdin=text
        )
        log = admin.requests()
        by_route = log["by_route"]
        api = sum(n for route, n in by_route.items() if "/auth/" not in route)
        reads = sum(
            n
            for route, n in by_route.items()
            if route.endswith("/search") or route.startswith(("GET ", "HEAD "))
        )
        product_searches = by_route.get(f"POST /api/{generation}/products/search", 0)
        throttled = sum(1 for r in log["recent"] if r["status"] == 429)
    finally:
        emulators.stop()
    return {
        "requests": api / products,
        "writes": (api - reads) / products,
        "records_per_second": records / seconds,
        "rss": rss,
        "seconds": seconds,
        "rate": api / seconds,
        "throttled": throttled,
        "product_searches_per_100": 100 * product_searches / products,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--products", type=int, default=40)
    parser.add_argument("--append", action="store_true")
    args = parser.parse_args()
    rows = []
    for generation in ("v2", "v1"):
        result = run("patch", args.products, rate_limits=False, generation=generation)
        rows += [
            (
                f"API {generation}, patch: writes per changed product",
                f"{result['writes']:.2f}",
                f"minimum {MINIMUM_WRITES['patch']}",
            ),
            (
                f"API {generation}: product searches per 100 changed products (lookup, "
                "column batches, read-back)",
                f"{result['product_searches_per_100']:.1f}",
                "",
            ),
        ]
    lookup = run("patch", 100, rate_limits=False, generation="v1", verify_writes=False)
    rows.append(
        (
            "API v1: SKU-lookup product searches per 100 SKUs (verify_writes off, "
            "sku_eq_per_search 20)",
            f"{lookup['product_searches_per_100']:.1f}",
            "minimum 5 per column batch",
        )
    )
    for mode in ("patch", "link"):
        result = run(mode, args.products, rate_limits=False)
        rows += [
            (
                f"{mode}: writes per changed product",
                f"{result['writes']:.2f}",
                f"minimum {MINIMUM_WRITES[mode]}",
            ),
            (f"{mode}: requests per changed product (with reads)", f"{result['requests']:.2f}", ""),
            (f"{mode}: records per second (limits off)", f"{result['records_per_second']:.0f}", ""),
            (f"{mode}: peak RSS", f"{result['rss']:.0f} MB", ""),
        ]
    paced = run("patch", 8, rate_limits=True)
    rows += [
        ("paced (20 per 10 s): achieved rate / allowed", f"{paced['rate'] / 2:.2f}", ">= 0.9"),
        ("paced: 429 answers", f"{paced['throttled']}", "0"),
    ]
    text = table(f"target-plytix, {args.products} changed products", rows)
    print(text)
    if args.append:
        append_results("target-plytix", text)


if __name__ == "__main__":
    main()
