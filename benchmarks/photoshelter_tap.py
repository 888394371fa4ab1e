"""tap-photoshelter: requests per 1,000 media with and without `include`, under each listing
plan the tap may choose, records/s, peak RSS, and the requests of a no-change incremental run.

    .venv/bin/python benchmarks/photoshelter_tap.py [--size large] [--plans-only] [--append]

Plans (tap_photoshelter/listing.py): a first run lists everything (`full`); a later run is
`incremental` when the server honours `modify_start`, `library` (`/search?mode=library`)
when it ignores or refuses it, `full` again when `/search` does not answer either. Each is
measured from the same bookmark after the same edits, so the records must be equal.

The emulators run in their own process (`python -m emulators --catalog <size>
--no-rate-limits`). The include-ignored pass (an extra call per image) runs on the `demo`
catalogue: it measures a ratio; the `large` run honours every filter (else 350k calls).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from photoshelter_common import EmulatorProcess, append_results, markdown_table, run_plugin


def requests_by_route(admin) -> dict[str, int]:
    return dict(admin.requests()["by_route"])


EDITED = 100
"""Media edited between the first run and the plan runs."""


def plans(per_page: int) -> list[tuple[str, str]]:
    """Requests per 1,000 media of the library under each plan, on `demo` (strict defaults
    except the switch named), from one bookmark after the same `EDITED` edits."""
    rows: list[tuple[str, str]] = []
    emulator = EmulatorProcess("demo")
    try:
        admin = emulator.admin
        library = len(admin.state()["media"])
        for include in ("honoured", "ignored"):
            admin.settings(
                media_list_include=include, media_modify_window="honoured", media_sort_by="honoured"
            )
            admin.clear_requests()
            first = run_plugin("tap-photoshelter", emulator.config(per_page=per_page))
            assert first.returncode == 0, first.stderr_tail
            total = admin.requests()["total"]
            rows.append(
                (
                    f"first run, include {include}: requests per 1,000 media "
                    f"({library} media; {first.plan.split(';')[0]})",
                    f"{1000 * total / library:.1f}",
                )
            )
        bookmark = first.last_state
        for media in admin.state()["media"][:EDITED]:
            admin.call("PATCH", f"media/{media['id']}", {"rating": (media["rating"] + 1) % 6})
        cases = [
            ("honoured", "honoured", "honoured", False),
            ("ignored", "honoured", "honoured", False),
            ("refused", "honoured", "honoured", False),
            ("ignored", "ignored", "ignored", False),
            ("ignored", "honoured", "ignored", True),
        ]
        emitted = set()
        for window, include, sort_by, no_search in cases:
            admin.settings(
                media_modify_window=window, media_list_include=include, media_sort_by=sort_by
            )
            admin.clear_faults()
            if no_search:
                admin.fault(route="GET /psapi/v4.0/search", action="status", status=404, count=1000)
            admin.clear_requests()
            run = run_plugin("tap-photoshelter", emulator.config(per_page=per_page), state=bookmark)
            assert run.returncode == 0, run.stderr_tail
            total = admin.requests()["total"]
            emitted.add(run.records.get("media", 0))
            rows.append(
                (
                    f"{EDITED} edited, modify_start {window}, include {include}, sort_by "
                    f"{sort_by}{', /search 404' if no_search else ''}: "
                    f"{run.plan.split(' (')[0].removeprefix('media: ')}, "
                    f"{run.records.get('media', 0)} media records",
                    f"{total} requests = {1000 * total / library:.1f} per 1,000 media",
                )
            )
        admin.clear_faults()
        rows.append(
            (
                "media records emitted by every plan (must be one number)",
                ", ".join(str(n) for n in sorted(emitted)),
            )
        )
    finally:
        emulator.stop()
    return rows


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", default="large")
    parser.add_argument("--per-page", type=int, default=1000)
    parser.add_argument("--append", action="store_true", help="write to benchmarks/RESULTS.md")
    parser.add_argument(
        "--plans-only",
        action="store_true",
        help="only the plan comparison on demo (no large catalogue)",
    )
    args = parser.parse_args()
    rows = plans(args.per_page)  # include honoured / ignored: the first two rows
    if args.plans_only:
        print(markdown_table(rows))
        if args.append:
            append_results("tap-photoshelter plans (strict emulator, demo)", markdown_table(rows))
        return

    big = EmulatorProcess(args.size)
    try:
        rows.append((f"emulator ready ({args.size})", f"{big.ready_seconds:.1f} s"))
        # every filter honoured: with `include` ignored (the strict default) the first run
        # makes one call per image, a million at `large`; the plans above give that ratio
        big.admin.settings(
            media_list_include="honoured", media_modify_window="honoured", media_sort_by="honoured"
        )
        big.admin.clear_requests()
        full = run_plugin("tap-photoshelter", big.config(per_page=args.per_page))
        assert full.returncode == 0, full.stderr_tail
        media = full.records.get("media", 0)
        all_records = sum(full.records.values())
        total = big.admin.requests()["total"]
        rows += [
            (
                f"full sync at {args.size} (filters and include honoured): media records",
                f"{media:,}",
            ),
            ("full sync: all records", f"{all_records:,}"),
            ("full sync: wall time", f"{full.seconds:.1f} s"),
            ("full sync: records per second", f"{all_records / full.seconds:,.0f}"),
            ("full sync: requests per 1,000 media", f"{1000 * total / max(1, media):.2f}"),
            ("full sync: peak RSS of the tap", f"{full.peak_rss_mb:.0f} MB"),
        ]
        big.admin.clear_requests()
        again = run_plugin(
            "tap-photoshelter", big.config(per_page=args.per_page), state=full.last_state
        )
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
