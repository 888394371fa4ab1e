"""tap-photoshelter: requests per 1,000 media with and without `include`, records/s, peak
RSS, and the requests of a no-change incremental run.

    .venv/bin/python benchmarks/photoshelter_tap.py [--size large] [--append]

The emulators run in their own process (`python -m emulators --catalog <size>
--no-rate-limits`). The include-off pass (three extra calls per image) runs on the `demo`
catalogue: it measures a ratio, and at `large` it would make a million calls.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from photoshelter_common import EmulatorProcess, append_results, markdown_table, run_plugin


def requests_by_route(admin) -> dict[str, int]:
    return dict(admin.requests()["by_route"])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", default="large")
    parser.add_argument("--per-page", type=int, default=1000)
    parser.add_argument("--append", action="store_true", help="write to benchmarks/RESULTS.md")
    args = parser.parse_args()
    rows: list[tuple[str, str]] = []

    small = EmulatorProcess("demo")
    try:
        for include in (True, False):
            small.admin.settings(media_list_include="honoured" if include else "ignored")
            small.admin.clear_requests()
            run = run_plugin("tap-photoshelter", small.config(per_page=args.per_page))
            assert run.returncode == 0, run.stderr_tail
            total = small.admin.requests()["total"]
            media = run.records.get("media", 0)
            label = "on" if include else "off (server ignores it)"
            rows.append((f"requests per 1,000 media, include {label} (demo, {media} media)",
                         f"{1000 * total / media:.1f}"))
    finally:
        small.stop()

    big = EmulatorProcess(args.size)
    try:
        rows.append((f"emulator ready ({args.size})", f"{big.ready_seconds:.1f} s"))
        big.admin.clear_requests()
        full = run_plugin("tap-photoshelter", big.config(per_page=args.per_page))
        assert full.returncode == 0, full.stderr_tail
        media = full.records.get("media", 0)
        all_records = sum(full.records.values())
        total = big.admin.requests()["total"]
        rows += [
            (f"full sync at {args.size}: media records", f"{media:,}"),
            ("full sync: all records", f"{all_records:,}"),
            ("full sync: wall time", f"{full.seconds:.1f} s"),
            ("full sync: records per second", f"{all_records / full.seconds:,.0f}"),
            ("full sync: requests per 1,000 media", f"{1000 * total / max(1, media):.2f}"),
            ("full sync: peak RSS of the tap", f"{full.peak_rss_mb:.0f} MB"),
        ]
        big.admin.clear_requests()
        again = run_plugin("tap-photoshelter", big.config(per_page=args.per_page),
                           state=full.last_state)
        assert again.returncode == 0, again.stderr_tail
        routes = requests_by_route(big.admin)
        rows.append(("no-change incremental: media records", str(again.records.get("media", 0))))
        for route, count in sorted(routes.items()):
            rows.append((f"no-change incremental: {route}", str(count)))
        rows.append(("no-change incremental: peak RSS", f"{again.peak_rss_mb:.0f} MB"))
    finally:
        big.stop()

    table = markdown_table(rows)
    print(table)
    if args.append:
        append_results("tap-photoshelter", table)


if __name__ == "__main__":
    main()
