"""Shared by the Plytix benchmarks: emulators in their own process, RSS sampling, tables."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
RESULTS = ROOT / "benchmarks" / "RESULTS.md"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Emulators:
    """`python -m emulators` in a child process, so its memory is not the connector's."""

    def __init__(self, catalog: str, rate_limits: bool) -> None:
        self.plytix_port, self.ps_port = free_port(), free_port()
        args = [
            sys.executable,
            "-m",
            "emulators",
            "--catalog",
            catalog,
            "--json",
            "--plytix-port",
            str(self.plytix_port),
            "--photoshelter-port",
            str(self.ps_port),
        ]
        if not rate_limits:
            args.append("--no-rate-limits")
        self.process = subprocess.Popen(args, cwd=ROOT, stdout=subprocess.PIPE, text=True)
        self.info = json.loads(self.process.stdout.readline())
        self.plytix_url = self.info["plytix"]["auth_url"]
        self.photoshelter_url = f"http://127.0.0.1:{self.ps_port}"

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)


def run_measured(args: list[str], stdin: str | None = None) -> tuple[float, float, str]:
    """Run a command; return (seconds, peak RSS in MB, stdout)."""
    started = time.monotonic()
    process = subprocess.Popen(
        args, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
    )
    peak = [0.0]

    def sample() -> None:
        handle = psutil.Process(process.pid)
        while process.poll() is None:
            try:
                peak[0] = max(peak[0], handle.memory_info().rss / 2**20)
            except psutil.Error:
                return
            time.sleep(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, _ = process.communicate(stdin)
    sampler.join(timeout=1)
    if process.returncode != 0:
        raise SystemExit(f"{args[0]} failed with exit code {process.returncode}")
    return time.monotonic() - started, peak[0], out


def table(title: str, rows: list[tuple[str, str, str]]) -> str:
    width = max(len(r[0]) for r in rows)
    lines = [
        f"### {title}",
        "",
        f"| {'measure':<{width}} | value | target |",
        f"|{'-' * (width + 2)}|-------|--------|",
    ]
    lines += [f"| {name:<{width}} | {value} | {target} |" for name, value, target in rows]
    return "\n".join(lines) + "\n"


def append_results(heading: str, text: str) -> None:
    stamp = time.strftime("%Y-%m-%d %H:%M")
    with RESULTS.open("a", encoding="utf-8") as handle:
        handle.write(f"\n## {heading} ({stamp})\n\n{text}")
