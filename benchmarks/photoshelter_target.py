"""target-photoshelter: requests per updated image against the minimum, achieved against
allowed request rate, peak RSS.

    .venv/bin/python benchmarks/photoshelter_target.py [--images 300] [--append]

The minimum for one image whose IPTC, keywords and custom metadata all change is two
writes (`PATCH .../iptc`, `PATCH .../custom-metadata`); the target also reads both before
writing, because it writes only what differs and never touches unmanaged keywords.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from photoshelter_common import EmulatorProcess, append_results, markdown_table, run_plugin

SCHEMA = {
    "type": "SCHEMA",
    "stream": "media_metadata",
    "key_properties": ["media_id"],
    "schema": {"properties": {"media_id": {"type": "string"}}},
}
COLORS = ["Black", "White", "Navy", "Olive", "Red", "Sand", "Grey"]


def input_file(folder: Path, media_ids: list[str], salt: str) -> Path:
    path = folder / f"input-{salt}.jsonl"
    with path.open("w") as out:
        out.write(json.dumps(SCHEMA) + "\n")
        for n, media_id in enumerate(media_ids):
            record = {
                "media_id": media_id,
                "iptc": {"title": f"Product {salt} {n}"},
                "keywords": [f"sku:{salt}-{n:05d}", "season:SS27"],
                "custom_metadata": {"Color": COLORS[(n + len(salt)) % len(COLORS)]},
            }
            out.write(
                json.dumps({"type": "RECORD", "stream": "media_metadata", "record": record}) + "\n"
            )
    return path


def writes_and_reads(admin) -> tuple[int, int, int]:
    routes = admin.requests()["by_route"]
    writes = sum(n for r, n in routes.items() if r.startswith("PATCH "))
    reads = sum(n for r, n in routes.items() if r.startswith("GET /psapi/v4.0/media/"))
    return writes, reads, sum(routes.values())


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--images", type=int, default=300)
    parser.add_argument("--rate-limit", type=int, default=50)
    parser.add_argument("--rate-window", type=float, default=5.0)
    parser.add_argument("--append", action="store_true")
    args = parser.parse_args()
    rows: list[tuple[str, str]] = []
    emulator = EmulatorProcess("demo")
    try:
        media = sorted(m["id"] for m in emulator.admin.state()["media"])
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp)
            ids = media[: args.images]
            first = input_file(folder, ids, "A")
            emulator.admin.clear_requests()
            run = run_plugin("target-photoshelter", emulator.config(), stdin_path=first)
            assert run.returncode == 0, run.stderr_tail
            writes, reads, total = writes_and_reads(emulator.admin)
            n = len(ids)
            rows += [
                (f"images updated ({n}), all fields change", str(n)),
                ("requests per updated image (all, incl. login)", f"{total / n:.2f}"),
                ("writes per updated image (minimum 2)", f"{writes / n:.2f}"),
                ("reads per updated image", f"{reads / n:.2f}"),
                ("records per second", f"{n / run.seconds:.0f}"),
                ("peak RSS of the target", f"{run.peak_rss_mb:.0f} MB"),
            ]
            emulator.admin.clear_requests()
            again = run_plugin("target-photoshelter", emulator.config(), stdin_path=first)
            assert again.returncode == 0, again.stderr_tail
            writes, reads, total = writes_and_reads(emulator.admin)
            rows += [
                ("same input again: writes", str(writes)),
                ("same input again: requests per image", f"{total / n:.2f}"),
            ]

            paced = media[args.images : args.images + 60]
            emulator.admin.settings(
                rate_limit=args.rate_limit, rate_window_seconds=args.rate_window
            )
            emulator.admin.clear_requests()
            run = run_plugin(
                "target-photoshelter", emulator.config(), stdin_path=input_file(folder, paced, "B")
            )
            assert run.returncode == 0, run.stderr_tail
            log = emulator.admin.requests()
            limited = sum(1 for r in log["recent"] if r["status"] == 429)
            allowed = args.rate_limit / args.rate_window
            stamps = [r["at"] for r in log["recent"]]
            span = max(stamps) - min(stamps) if len(stamps) == log["total"] else 0
            rows += [
                (
                    f"paced run: allowed rate ({args.rate_limit} per {args.rate_window:g}s)",
                    f"{allowed:.1f} req/s",
                ),
                (
                    "paced run: achieved rate (requests / wall time)",
                    f"{log['total'] / run.seconds:.1f} req/s over {log['total']} requests",
                ),
                (
                    "paced run: achieved / allowed, first to last request (no process start-up)",
                    f"{(log['total'] - 1) / span / allowed:.2f}" if span else "n/a",
                ),
                ("paced run: 429 answers", str(limited)),
            ]
    finally:
        emulator.stop()
    table = markdown_table(rows)
    print(table)
    if args.append:
        append_results("target-photoshelter", table)


if __name__ == "__main__":
    main()
