"""Shared by the PhotoShelter benchmarks: emulators in their own process, timed subprocess
runs with peak RSS, request counts from the admin API, and the RESULTS.md appender."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psutil

from emulators.runtime import DEMO_CREDENTIALS, AdminClient

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class EmulatorProcess:
    """`python -m emulators --catalog <size> --no-rate-limits` in a child process."""

    def __init__(self, size: str) -> None:
        self.size = size
        ports = [str(free_port()), str(free_port())]
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "emulators",
                "--catalog",
                size,
                "--no-rate-limits",
                "--json",
                "--plytix-port",
                ports[0],
                "--photoshelter-port",
                ports[1],
            ],
            stdout=subprocess.PIPE,
            text=True,
            cwd=ROOT,
        )
        assert self.proc.stdout is not None
        info = json.loads(self.proc.stdout.readline())
        self.ready_seconds = info["ready_seconds"]
        self.api_url = info["photoshelter"]["api_url"]
        self.admin = AdminClient(self.api_url.rsplit("/psapi", 1)[0])

    def config(self, **extra: Any) -> dict[str, Any]:
        return {**DEMO_CREDENTIALS["photoshelter"], "api_url": self.api_url, **extra}

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=30)


@dataclass
class Run:
    seconds: float
    peak_rss_mb: float
    returncode: int
    stdout_lines: int
    records: dict[str, int]
    last_state: dict[str, Any] | None
    stderr_tail: str
    plan: str = ""
    """tap-photoshelter's `media: plan ...` log line (which listing it chose, why, its cost)."""


def run_plugin(
    executable: str,
    config: dict[str, Any],
    stdin_path: Path | None = None,
    state: dict[str, Any] | None = None,
) -> Run:
    """Run a plugin, stream its stdout (counting records), sample its RSS every 50 ms."""
    with tempfile.TemporaryDirectory() as tmp:
        config_file = Path(tmp, "config.json")
        config_file.write_text(json.dumps(config))
        command = [str(BIN / executable), "--config", str(config_file)]
        if state is not None:
            Path(tmp, "state.json").write_text(json.dumps(state))
            command += ["--state", str(Path(tmp, "state.json"))]
        stderr_file = Path(tmp, "stderr.log")
        with (
            stderr_file.open("w") as err,
            stdin_path.open() if stdin_path else open("/dev/null") as stdin,
        ):
            started = time.monotonic()
            proc = subprocess.Popen(
                command, stdin=stdin, stdout=subprocess.PIPE, stderr=err, text=True
            )
            sampler = RssSampler(proc.pid)
            records: dict[str, int] = {}
            last_state = None
            lines = 0
            assert proc.stdout is not None
            for lines, line in enumerate(proc.stdout, 1):  # noqa: B007
                if '"type":"RECORD"' in line or '"type": "RECORD"' in line:
                    stream = json.loads(line)["stream"]
                    records[stream] = records.get(stream, 0) + 1
                elif '"STATE"' in line:
                    last_state = json.loads(line)["value"]
                elif line.startswith("{") and '"type"' not in line:
                    last_state = json.loads(line)
            proc.wait()
            seconds = time.monotonic() - started
            peak = sampler.stop()
        log = stderr_file.read_text().splitlines()
        tail = "\n".join(log[-3:])
        plan = next(
            (line[line.index("media: plan") :] for line in reversed(log) if "media: plan" in line),
            "",
        )
    return Run(seconds, peak / 2**20, proc.returncode, lines, records, last_state, tail, plan)


class RssSampler(threading.Thread):
    """Peak resident memory of one process, sampled every 20 ms until it exits."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.process = psutil.Process(pid)
        self.peak = 0
        self.done = threading.Event()
        self.start()

    def run(self) -> None:
        while not self.done.is_set():
            try:
                self.peak = max(self.peak, self.process.memory_info().rss)
            except psutil.Error:
                return
            self.done.wait(0.02)

    def stop(self) -> int:
        self.done.set()
        self.join()
        return self.peak


def append_results(heading: str, table: str) -> None:
    """Replace (or add) this benchmark's section of benchmarks/RESULTS.md."""
    path = ROOT / "benchmarks" / "RESULTS.md"
    text = path.read_text() if path.exists() else "# Benchmark results\n"
    marker = f"## {heading}"
    sections = text.split("\n## ")
    kept = [s for s in sections if not ("## " + s).startswith(marker) and s.strip()]
    body = "\n## ".join(kept).rstrip() + f"\n\n{marker}\n\n{table}\n"
    path.write_text(body)


def markdown_table(rows: list[tuple[str, str]]) -> str:
    width = max(len(k) for k, _ in rows)
    lines = [f"| {'measure':<{width}} | value |", f"|{'-' * (width + 2)}|-------|"]
    lines += [f"| {k:<{width}} | {v} |" for k, v in rows]
    return "\n".join(lines)
