"""Start-up time, memory and query latency of the PhotoShelter emulator per catalogue size.

    .venv/bin/python benchmarks/photoshelter_emulator.py [small demo large]

Each size runs in its own process so RSS is that size's alone; `peak_rss_mb` is the process's
high-water mark (reset included). Latencies are the median of 5 HTTP calls (keep-alive) to a
real server on 127.0.0.1, rate limit off, every unconfirmed filter honoured (and one page
with them at their default, ignored).
"""

from __future__ import annotations

import json
import resource
import statistics
import subprocess
import sys
import time

import psutil

from emulators import catalog
from emulators.core import serve
from emulators.photoshelter.app import PhotoShelterEmulator
from emulators.photoshelter.client import PhotoShelterClient
from emulators.photoshelter.settings import PARAMETER_MODES


def median_ms(call, repeat: int = 5) -> float:
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        call()
        timings.append(time.perf_counter() - started)
    return round(statistics.median(timings) * 1000, 1)


def measure(size: str) -> dict:
    process = psutil.Process()
    rss_before = process.memory_info().rss
    started = time.perf_counter()
    seeded = catalog.build(size, 42)
    built = time.perf_counter()
    emulator = PhotoShelterEmulator(seeded)
    media_count = len(seeded.media)
    del seeded  # the emulator holds it; a reset can then free it before building the next
    ready = time.perf_counter()
    server = serve(emulator)
    emulator.set_start_settings(
        {
            "public_base_url": server.base_url,
            "rate_limit": 0,
            **dict.fromkeys(PARAMETER_MODES, "honoured"),
        }
    )
    rss = process.memory_info().rss
    ps = PhotoShelterClient.login(f"{server.base_url}/psapi/v4.0")
    newest = ps.get("/media", sort_by="date", sort_dir="desc", per_page=1)["data"][0]
    middle_page = max(1, media_count // 200)
    middle = ps.get("/media", sort_by="date", sort_dir="asc", per_page=100, page=middle_page)
    bookmark = middle["data"][0]["attributes"]["modified_at"].removesuffix(" GMT")
    queries = {
        "modify_start_page_asc": {
            "modify_start": bookmark,
            "sort_by": "date",
            "sort_dir": "asc",
            "per_page": 100,
        },
        "modify_start_page_include": {
            "modify_start": bookmark,
            "sort_by": "date",
            "sort_dir": "asc",
            "per_page": 100,
            "include": "iptc,custom-metadata,link",
        },
        "deep_page_desc": {"sort_by": "date", "per_page": 100, "page": middle_page},
        "keywords_filter": {"keywords": "view:hero", "per_page": 100},
        "trans_ref_filter": {"trans_ref": "ZZ-9999-XXX", "per_page": 100},
        "file_name_sort": {"sort_by": "file_name", "sort_dir": "asc", "per_page": 100},
    }
    latencies = {
        name: median_ms(lambda p=params: ps.get("/media", **p)) for name, params in queries.items()
    }
    latencies["single_media"] = median_ms(lambda: ps.get(f"/media/{newest['id']}"))
    library = {
        "mode": "library",
        "media_type": "image,video,audio,doc",
        "sort_by": "creation_time",
        "sort_direction": "descending",
        "per_page": 100,
    }
    latencies["library_search_deep_page"] = median_ms(
        lambda: ps.get("/search", page=middle_page, **library)
    )
    emulator.apply_settings(dict.fromkeys(PARAMETER_MODES, "ignored"))  # the defaults
    latencies["ignored_filters_page"] = median_ms(
        lambda: ps.get("/media", **queries["keywords_filter"])
    )
    startup_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started_reset = time.perf_counter()
    emulator.reset()
    reset_seconds = time.perf_counter() - started_reset
    server.shutdown()
    return {
        "size": size,
        "media": media_count,
        "catalog_build_s": round(built - started, 2),
        "emulator_store_s": round(ready - built, 2),
        "reset_s": round(reset_seconds, 2),
        "startup_s": round(ready - started, 2),
        "rss_mb": round(rss / 2**20),
        "rss_added_mb": round((rss - rss_before) / 2**20),
        "peak_rss_before_reset_mb": round(startup_peak / 1024),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "latency_ms": latencies,
    }


def main(sizes: list[str]) -> None:
    if len(sizes) == 1:
        print(json.dumps(measure(sizes[0])), flush=True)
        return
    for size in sizes:
        out = subprocess.run(
            [sys.executable, __file__, size], capture_output=True, text=True, check=True
        ).stdout
        print(out.strip(), flush=True)


if __name__ == "__main__":
    main(sys.argv[1:] or ["small", "demo", "large"])
