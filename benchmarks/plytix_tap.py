"""Benchmark tap-plytix against the Plytix emulator.

Measures: product searches per 1,000 products against the minimum (pages x column batches)
on v2 and v1 side by side, records per second and peak RSS with rate limits off, the
achieved request rate against the allowed one with the default limits on, and a no-change
incremental run.

    .venv/bin/python benchmarks/plytix_tap.py [--size demo|large] [--append]
"""

from __future__ import annotations

import argparse
import json
import math
import tempfile
from pathlib import Path

from plytix_common import BIN, Emulators, append_results, run_measured, table

from emulators.runtime import DEMO_CREDENTIALS, AdminClient


def tap(config: dict, state: dict | None = None) -> tuple[float, float, list[dict]]:
    folder = Path(tempfile.mkdtemp())
    (folder / "config.json").write_text(json.dumps(config))
    args = [str(BIN / "tap-plytix"), "--config", str(folder / "config.json")]
    if state is not None:
        (folder / "state.json").write_text(json.dumps(state))
        args += ["--state", str(folder / "state.json")]
    seconds, rss, out = run_measured(args)
    return seconds, rss, [json.loads(line) for line in out.splitlines()]


def last_state(messages: list[dict]) -> dict:
    return [m["value"] for m in messages if m["type"] == "STATE"][-1]


def config_for(emulators: Emulators, **extra: object) -> dict:
    return {
        **DEMO_CREDENTIALS["plytix"],
        "auth_url": emulators.plytix_url,
        "api_url": emulators.plytix_url,
        **extra,
    }


def unlimited(size: str, generation: str) -> list[tuple[str, str, str]]:
    """A full sync and a no-change run with limits off, on an account serving `generation`
    for products (v1: the emulator's v2 switched off, `api_version: auto` falls back)."""
    emulators = Emulators(size, rate_limits=False)
    try:
        admin = AdminClient(emulators.plytix_url)
        admin.settings(v2_enabled=generation == "v2")
        config = config_for(emulators, requests_per_10s=0, requests_per_hour=0)
        seconds, rss, messages = tap(config)
        products = sum(1 for m in messages if m["type"] == "RECORD" and m["stream"] == "products")
        attributes = sum(
            1 for m in messages if m["type"] == "RECORD" and m["stream"] == "product_attributes"
        )
        records = sum(1 for m in messages if m["type"] == "RECORD")
        log = admin.requests()
        by_route = log["by_route"]
        search = f"POST /api/{generation}/products/search"
        product_requests = by_route.get(search, 0)
        family_lookups = family_searches(log, search)
        cap = {"v2": 50, "v1": 20}[generation]
        columns = 12 + (generation == "v1") + attributes  # core (+ num_variations on v1)
        minimum = math.ceil(products / 100) * math.ceil(columns / cap)
        admin.clear_requests()
        _, _, again = tap(config, last_state(messages))
        no_change = admin.requests()["by_route"]
        re_emitted = sum(
            1 for m in again if m["type"] == "RECORD" and m["stream"] in ("products", "assets")
        )
    finally:
        emulators.stop()
    streams = {
        "products": search,
        "assets": "POST /api/v1/assets/search",
        "product_categories": "POST /api/v1/categories/product/search",
    }
    return [
        (f"products ({size}, {generation}, cap {cap}, {columns} columns)", f"{products}", ""),
        (
            f"product searches per 1,000 products ({generation})",
            f"{1000 * product_requests / products:.1f} (minimum {1000 * minimum / products:.1f})",
            "<= 1.05 x minimum",
        ),
        (f"of which product_family_id lookups ({generation})", family_lookups, ""),
        (f"all requests for the full sync ({generation})", f"{sum(by_route.values())}", ""),
        (f"records per second (limits off, {generation})", f"{records / seconds:.0f}", ""),
        (f"peak RSS of the tap ({generation})", f"{rss:.0f} MB", "< 200 MB, flat"),
        (f"no-change run ({generation}): products/assets records emitted", f"{re_emitted}", "0"),
        *(
            (f"no-change run ({generation}): {name} requests", f"{no_change.get(route, 0)}", "<= 2")
            for name, route in streams.items()
        ),
    ]


def family_searches(log: dict, search: str) -> str:
    """Product searches filtered by `product_family_id` (v1 rows answer the family as null,
    so the tap asks per family), when the admin log's recent window holds the whole run."""
    if log["total"] > len(log["recent"]):
        return "n/a (run longer than the request log's window)"
    return str(
        sum(
            1
            for r in log["recent"]
            if r["route"] == search and "product_family_id" in json.dumps(r.get("body"))
        )
    )


def paced(size: str) -> list[tuple[str, str, str]]:
    emulators = Emulators(size, rate_limits=True)
    try:
        admin = AdminClient(emulators.plytix_url)
        config = config_for(emulators, page_size=10, requests_per_10s=20)
        seconds, _, _ = tap(config)
        recent = admin.requests()
        api = sum(n for route, n in recent["by_route"].items() if "/auth/" not in route)
        throttled = sum(1 for r in recent["recent"] if r["status"] == 429)
    finally:
        emulators.stop()
    allowed = 20 / 10
    return [
        ("paced run: API requests", f"{api}", ""),
        (
            "achieved rate / allowed (20 per 10 s)",
            f"{api / seconds / allowed:.2f}",
            ">= 0.9 (long runs)",
        ),
        ("429 answers", f"{throttled}", "0"),
    ]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", default="demo", choices=["small", "demo", "large"])
    parser.add_argument("--append", action="store_true", help="append to benchmarks/RESULTS.md")
    args = parser.parse_args()
    rows = unlimited(args.size, "v2") + unlimited(args.size, "v1") + paced("demo")
    text = table(f"tap-plytix, catalogue {args.size}", rows)
    print(text)
    if args.append:
        append_results("tap-plytix", text)


if __name__ == "__main__":
    main()
