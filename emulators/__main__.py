"""`python -m emulators`: start both emulators and print where they listen."""

from __future__ import annotations

import argparse
import contextlib
import json
import signal
import sys
import threading
import time

from emulators import catalog
from emulators.runtime import DEMO_CREDENTIALS, start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m emulators", description="Start the Plytix and PhotoShelter emulators."
    )
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--plytix-port", type=int, default=8701)
    parser.add_argument("--photoshelter-port", type=int, default=8702)
    parser.add_argument("--catalog", choices=list(catalog.SIZES), default="demo")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument(
        "--no-rate-limits",
        action="store_true",
        help="disable the rate limits of both emulators (benchmarks)",
    )
    parser.add_argument(
        "--plytix-patch-mode",
        choices=["merge", "replace"],
        default="merge",
        help="semantics of PATCH /products/{id} for the attributes map",
    )
    parser.add_argument("--json", action="store_true", help="print the start-up line as JSON")
    args = parser.parse_args(argv)

    started = time.monotonic()
    running = start(
        args.catalog,
        args.seed,
        args.host,
        args.plytix_port,
        args.photoshelter_port,
        rate_limits=not args.no_rate_limits,
        plytix_settings={"patch_mode": args.plytix_patch_mode},
    )
    info = {
        "catalog": args.catalog,
        "seed": args.seed,
        "ready_seconds": round(time.monotonic() - started, 3),
        "plytix": {
            "api_url": running.plytix_api_url,
            "auth_url": running.plytix_url,
            **DEMO_CREDENTIALS["plytix"],
        },
        "photoshelter": {
            "api_url": running.photoshelter_api_url,
            **DEMO_CREDENTIALS["photoshelter"],
        },
    }
    if args.json:
        print(json.dumps(info), flush=True)
    else:
        print(
            f"emulators ready in {info['ready_seconds']}s "
            f"(catalog {args.catalog}, seed {args.seed})"
        )
        print(
            f"  Plytix        api_url={running.plytix_api_url} auth_url={running.plytix_url}"
            "  api_key=demo-key api_password=demo-password"
        )
        print(
            f"  PhotoShelter  api_url={running.photoshelter_api_url}"
            "  api_key=DEMOapikey1 email=demo@example.com password=demo-password",
            flush=True,
        )
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    with contextlib.suppress(KeyboardInterrupt):
        stop.wait()
    running.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
