"""target-photoshelter: peak RSS at growing input sizes on the `large` catalogue (issue 7).

    .venv/bin/python benchmarks/photoshelter_target_memory.py [--sizes 10000 50000 100000]
        [--append]

The emulators run in their own process (`--catalog large --no-rate-limits`). The input is
what the outbox model produces for product data onto images: one `media_metadata` record
per image of the large catalogue (title, managed keywords, Color and Size tags), so every
image is read twice and written twice. Flat memory shows as the same peak at every size
and, within the largest run, as RSS that stops growing once the run is under way.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent))

from photoshelter_common import BIN, EmulatorProcess, append_results, markdown_table

from emulators.photoshelter.client import PhotoShelterClient

SCHEMA = {
    "type": "SCHEMA",
    "stream": "media_metadata",
    "key_properties": ["media_id"],
    "schema": {
        "properties": {
            "media_id": {"type": "string"},
            "iptc": {"type": ["object", "null"]},
            "keywords": {"type": ["array", "null"]},
            "custom_metadata": {"type": ["object", "null"]},
        }
    },
}
COLORS = ["Black", "White", "Navy", "Olive", "Red", "Sand", "Grey"]
SIZES = ["XS", "S", "M", "L", "XL"]


def media_ids(api_url: str, count: int) -> list[str]:
    """The first `count` media of the catalogue, oldest first, through the API."""
    client = PhotoShelterClient.login(api_url)
    ids: list[str] = []
    page = 1
    while len(ids) < count:
        body = client.get("/media", per_page=1000, page=page, sort_by="date", sort_dir="asc")
        ids += [item["id"] for item in body["data"]]
        if not body["meta"]["paging"].get("next"):
            break
        page += 1
    return ids[:count]


def write_input(path: Path, ids: list[str]) -> None:
    with path.open("w") as out:
        out.write(json.dumps(SCHEMA) + "\n")
        for n, media_id in enumerate(ids):
            style = f"ST-{n // 20:05d}"
            color, size = COLORS[n % len(COLORS)], SIZES[(n // 7) % len(SIZES)]
            record = {
                "media_id": media_id,
                "iptc": {"title": f"Product {style} {color} {size}"},
                "keywords": [
                    f"sku:{style}-{color[:3].upper()}-{size}",
                    f"style:{style}",
                    f"color:{color.lower()}",
                    f"size:{size}",
                    "season:SS27",
                ],
                "custom_metadata": {"Color": color, "Size": size},
            }
            out.write(
                json.dumps({"type": "RECORD", "stream": "media_metadata", "record": record}) + "\n"
            )
        out.write(json.dumps({"type": "STATE", "value": {"done": len(ids)}}) + "\n")


class Samples(threading.Thread):
    """RSS of one process every second, with the records it has finished so far."""

    def __init__(self, pid: int, outcomes: Path) -> None:
        super().__init__(daemon=True)
        self.process = psutil.Process(pid)
        self.outcomes = outcomes
        self.points: list[tuple[float, int, float]] = []  # seconds, records done, RSS MB
        self.done = threading.Event()
        self.started = time.monotonic()
        self.start()

    def run(self) -> None:
        lines, offset = 0, 0
        while not self.done.is_set():
            try:
                rss = self.process.memory_info().rss / 2**20
            except psutil.Error:
                return
            if self.outcomes.exists():
                with self.outcomes.open("rb") as handle:
                    handle.seek(offset)
                    chunk = handle.read()
                lines += chunk.count(b"\n")
                offset += len(chunk)
            self.points.append((time.monotonic() - self.started, lines, rss))
            self.done.wait(1.0)

    def stop(self) -> list[tuple[float, int, float]]:
        self.done.set()
        self.join()
        return self.points


def run_target(api_url: str, input_path: Path, folder: Path) -> tuple[float, list, str]:
    outcomes = folder / f"outcomes-{input_path.stem}.jsonl"
    config = folder / "config.json"
    config.write_text(
        json.dumps(
            {
                "api_key": "DEMOapikey1",
                "email": "demo@example.com",
                "password": "demo-password",
                "api_url": api_url,
                "outcomes_path": str(outcomes),
            }
        )
    )
    with input_path.open() as stdin, (folder / "stderr.log").open("w") as err:
        started = time.monotonic()
        proc = psutil.Popen(
            [str(BIN / "target-photoshelter"), "--config", str(config)],
            stdin=stdin,
            stdout=subprocess.DEVNULL,
            stderr=err,
        )
        samples = Samples(proc.pid, outcomes)
        proc.wait()
        seconds = time.monotonic() - started
    points = samples.stop()
    tail = (folder / "stderr.log").read_text().splitlines()[-8:]
    if proc.returncode != 0:
        raise SystemExit("target failed:\n" + "\n".join(tail))
    return seconds, points, "\n".join(tail)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 50_000, 100_000])
    parser.add_argument("--append", action="store_true")
    args = parser.parse_args()
    rows: list[tuple[str, str]] = []
    curve: list[str] = []
    emulator = EmulatorProcess("large")
    try:
        ids = media_ids(emulator.api_url, max(args.sizes))
        rows.append(("emulator ready (large), media ids listed", f"{len(ids):,} ids"))
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp)
            for size in sorted(args.sizes):
                emulator.admin.reset()
                emulator.admin.clear_requests()
                input_path = folder / f"input-{size}.jsonl"
                write_input(input_path, ids[:size])
                seconds, points, _ = run_target(emulator.api_url, input_path, folder)
                peak = max(p[2] for p in points)
                total = emulator.admin.requests()["total"]
                rows += [
                    (f"{size:,} images: peak RSS", f"{peak:.0f} MB"),
                    (
                        f"{size:,} images: wall time, records/s",
                        f"{seconds:.0f} s, {size / seconds:.0f}/s",
                    ),
                    (f"{size:,} images: requests per image", f"{total / size:.2f}"),
                ]
                if size == max(args.sizes):
                    for share in (0.1, 0.25, 0.5, 0.75, 0.95):
                        point = next((p for p in points if p[1] >= share * size), points[-1])
                        curve.append(f"| {point[1]:,} | {point[0]:.0f} s | {point[2]:.0f} MB |")
                print(f"{size}: peak {peak:.0f} MB in {seconds:.0f} s", flush=True)
    finally:
        emulator.stop()
    table = markdown_table(rows)
    if curve:
        table += (
            "\n\nRSS during the largest run, by records done:\n\n"
            "| records done | elapsed | RSS |\n|---|---|---|\n" + "\n".join(curve)
        )
    print(table)
    if args.append:
        append_results("target-photoshelter memory (large catalogue)", table)


if __name__ == "__main__":
    main()
