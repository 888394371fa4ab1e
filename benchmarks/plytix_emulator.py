"""Start-up time, memory and search latency of the Plytix emulator per catalogue size.

Runs each size in a fresh process (so RSS is that size's alone) and prints one JSON line
per size: `python benchmarks/plytix_emulator.py [small demo large]`.
"""

from __future__ import annotations

import gc
import json
import statistics
import subprocess
import sys
import time

import psutil
import requests


def measure(size: str) -> dict:
    from emulators import catalog
    from emulators.core import serve
    from emulators.plytix.app import PlytixEmulator
    from emulators.runtime import NO_LIMITS

    process = psutil.Process()
    rss_before = process.memory_info().rss
    started = time.perf_counter()
    seeded = catalog.build(size, 42)
    built = time.perf_counter()
    emulator = PlytixEmulator(seeded)
    server = serve(emulator)
    ready = time.perf_counter()
    rss_with_catalog = process.memory_info().rss
    del seeded  # the emulator keeps its own store, not the catalogue
    gc.collect()
    emulator.set_start_settings(NO_LIMITS["plytix"])
    base = server.base_url
    http = requests.Session()
    token = http.post(
        f"{base}/auth/api/get-token",
        json={"api_key": "demo-key", "api_password": "demo-password"},
        timeout=10,
    ).json()["data"][0]["access_token"]
    http.headers["Authorization"] = f"Bearer {token}"
    products = emulator.store.products.values()
    stamps = sorted(p["modified"] for p in products)
    # A bookmark leaving ~5,000 newer products (under the 10,000 ordered-result cap).
    from emulators.plytix.timefmt import iso

    bookmark = iso(stamps[max(0, len(stamps) - 5000)]) if stamps else "2026-01-01T00:00:00Z"

    def timed(body: dict) -> float:
        t0 = time.perf_counter()
        response = http.post(f"{base}/api/v1/products/search", json=body, timeout=60)
        response.raise_for_status()
        return time.perf_counter() - t0

    incremental = {
        "filters": [[{"field": "modified", "operator": "gt", "value": bookmark}]],
        "attributes": ["sku", "label", "modified", "attributes.color"],
        "pagination": {"page": 3, "page_size": 100, "order": "modified"},
    }
    unordered = {
        "filters": [[{"field": "attributes.color", "operator": "eq", "value": "navy"}]],
        "pagination": {"page": 2, "page_size": 100},
    }
    incremental_s = [timed(incremental) for _ in range(5)]
    unordered_s = [timed(unordered) for _ in range(5)]
    result = {
        "size": size,
        "products": len(emulator.store.products),
        "assets": len(emulator.store.assets),
        "catalog_build_s": round(built - started, 3),
        "emulator_load_s": round(ready - built, 3),
        "rss_with_catalog_mb": round(rss_with_catalog / 2**20, 1),
        "rss_emulator_only_mb": round(process.memory_info().rss / 2**20, 1),
        "rss_before_mb": round(rss_before / 2**20, 1),
        "search_modified_gt_ordered_ms": round(statistics.median(incremental_s) * 1000, 1),
        "search_attribute_eq_unordered_ms": round(statistics.median(unordered_s) * 1000, 1),
    }
    server.shutdown()
    return result


def main(sizes: list[str]) -> None:
    for size in sizes:
        out = subprocess.run(
            [sys.executable, __file__, "--one", size], capture_output=True, text=True, check=True
        )
        print(out.stdout.strip(), flush=True)


if __name__ == "__main__":
    if sys.argv[1:2] == ["--one"]:
        print(json.dumps(measure(sys.argv[2])))
    else:
        main(sys.argv[1:] or ["small", "demo", "large"])
