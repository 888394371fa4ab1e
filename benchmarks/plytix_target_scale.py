"""target-plytix at scale: peak RSS and throughput by input size on the `large` catalogue.

A realistic outbox: every product gets a `products` record (rights attributes), one in ten
also a `product_media` gallery of two new PhotoShelter photos (which Plytix downloads).
Limits are off, so the run is bound by the two emulators and the target itself. Each size
runs on a freshly reset account. `--profile N` instead profiles an in-process run of N
products and prints where the time goes (waiting on HTTP vs the target's own code).

    .venv/bin/python benchmarks/plytix_target_scale.py [--sizes 1000 10000 100000] [--append]
    .venv/bin/python benchmarks/plytix_target_scale.py --profile 2000
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import pstats
import tempfile
import time
from pathlib import Path
from typing import Any

from plytix_common import BIN, Emulators, append_results, run_measured, table

from emulators.runtime import DEMO_CREDENTIALS, AdminClient

MEDIA_EVERY = 10
PHOTOS_PER_GALLERY = 2


def singer_input(photoshelter_url: str, skus: list[str], media: list[str]) -> tuple[str, int, int]:
    """(input text, records, photos) for these products."""
    lines: list[dict[str, Any]] = [
        {
            "type": "SCHEMA",
            "stream": s,
            "key_properties": ["sku"],
            "schema": {"type": "object", "properties": {}},
        }
        for s in ("products", "product_media")
    ]
    photos = 0
    for n, sku in enumerate(skus):
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
        if n % MEDIA_EVERY == 0:
            picked = [media[(photos + k) % len(media)] for k in range(PHOTOS_PER_GALLERY)]
            photos += PHOTOS_PER_GALLERY
            lines.append(
                {
                    "type": "RECORD",
                    "stream": "product_media",
                    "record": {
                        "sku": sku,
                        "attribute_label": "webshop_images",
                        "assets": [
                            {
                                "source_id": m,
                                "filename": f"{m}.jpg",
                                "checksum": "v0",
                                "url": f"{photoshelter_url}/img-get2/{m}/fit=800x800",
                            }
                            for m in picked
                        ],
                    },
                }
            )
        if n % 5000 == 4999:
            lines.append({"type": "STATE", "value": {"done": n + 1}})
    lines.append({"type": "STATE", "value": {"done": len(skus)}})
    records = sum(1 for line in lines if line["type"] == "RECORD")
    return "\n".join(json.dumps(line) for line in lines) + "\n", records, photos


def config_for(emulators: Emulators, folder: Path) -> dict[str, Any]:
    return {
        **DEMO_CREDENTIALS["plytix"],
        "auth_url": emulators.plytix_url,
        "api_url": f"{emulators.plytix_url}/api/v1",
        "requests_per_10s": 0,
        "requests_per_hour": 0,
        "outcomes_path": str(folder / "outcomes.jsonl"),
    }


def catalogue(emulators: Emulators) -> tuple[list[str], list[str]]:
    skus = [p["sku"] for p in AdminClient(emulators.plytix_url).state()["products"]]
    media = list(emulators_media(emulators))
    return skus, media


def emulators_media(emulators: Emulators) -> list[str]:
    state = AdminClient(emulators.photoshelter_url).call("GET", "state")
    return [m["id"] for m in state["media"]][:20000]


def measure(emulators: Emulators, skus: list[str], media: list[str], size: int) -> dict[str, float]:
    admin = AdminClient(emulators.plytix_url)
    admin.reset()
    admin.settings(requests_per_10s=0, requests_per_hour=0)
    text, records, photos = singer_input(emulators.photoshelter_url, skus[:size], media)
    folder = Path(tempfile.mkdtemp())
    (folder / "config.json").write_text(json.dumps(config_for(emulators, folder)))
    admin.clear_requests()
    seconds, rss, _ = run_measured(
        [str(BIN / "target-plytix"), "--config", str(folder / "config.json")], stdin=text
    )
    by_route = admin.requests()["by_route"]
    outcomes = sum(1 for _ in (folder / "outcomes.jsonl").open())
    return {
        "products": size,
        "records": records,
        "photos": photos,
        "seconds": seconds,
        "rss": rss,
        "requests": sum(by_route.values()),
        "outcomes": outcomes,
        "asset_posts": by_route.get("POST /api/v1/assets", 0),
        "patches": sum(
            n
            for route, n in by_route.items()
            if route.startswith("PATCH /api/v") and route.endswith("/products/{product_id}")
        ),
    }


def profile(emulators: Emulators, skus: list[str], media: list[str], size: int) -> str:
    """In-process cProfile of one run: share of time spent waiting for HTTP answers."""
    from target_plytix.target import TargetPlytix

    admin = AdminClient(emulators.plytix_url)
    admin.reset()
    admin.settings(requests_per_10s=0, requests_per_hour=0)
    folder = Path(tempfile.mkdtemp())
    text, records, _ = singer_input(emulators.photoshelter_url, skus[:size], media)
    target = TargetPlytix(config=config_for(emulators, folder), parse_env_config=False)
    profiler = cProfile.Profile()
    started = time.monotonic()
    profiler.enable()
    target.listen(file_input=io.StringIO(text))
    profiler.disable()
    seconds = time.monotonic() - started
    stats = pstats.Stats(profiler)
    waiting = sum(
        v[3]
        for k, v in stats.stats.items()  # type: ignore[attr-defined]
        if k[2]
        in (
            "<method 'recv_into' of '_socket.socket' objects>",
            "<method 'sendall' of '_socket.socket' objects>",
        )
    )
    by_route = admin.requests()["by_route"]
    assets = by_route.get("POST /api/v1/assets", 0)
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(12)
    return (
        f"{records} records in {seconds:.2f} s = {records / seconds:.0f} records/s; "
        f"in socket send/receive {waiting:.2f} s ({100 * waiting / seconds:.0f}%); "
        f"{sum(by_route.values())} requests, {assets} asset creations\n{out.getvalue()}"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000])
    parser.add_argument("--profile", type=int, default=0)
    parser.add_argument("--catalog", default="large")
    parser.add_argument("--append", action="store_true")
    args = parser.parse_args()
    started = time.monotonic()
    emulators = Emulators(args.catalog, rate_limits=False)
    ready = time.monotonic() - started
    try:
        skus, media = catalogue(emulators)
        if args.profile:
            print(profile(emulators, skus, media, args.profile))
            return
        results = [measure(emulators, skus, media, min(size, len(skus))) for size in args.sizes]
    finally:
        emulators.stop()
    rows = [("emulators ready", f"{ready:.1f} s", "")]
    for r in results:
        n = f"{r['products']:,} products"
        rows += [
            (f"{n}: records in / outcomes", f"{r['records']:,} / {r['outcomes']:,}", "equal"),
            (f"{n}: PATCH / asset creations", f"{r['patches']:,} / {r['asset_posts']:,}", ""),
            (f"{n}: wall time", f"{r['seconds']:.0f} s", ""),
            (f"{n}: records per second", f"{r['records'] / r['seconds']:.0f}", ""),
            (f"{n}: requests per second", f"{r['requests'] / r['seconds']:.0f}", ""),
            (f"{n}: peak RSS of the target", f"{r['rss']:.0f} MB", "flat"),
        ]
    text = table(f"target-plytix at scale, catalogue {args.catalog}, limits off", rows)
    print(text)
    if args.append:
        append_results("target-plytix at scale", text)


if __name__ == "__main__":
    main()
