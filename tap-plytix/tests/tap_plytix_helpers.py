"""Helpers of the tap-plytix tests: run a tap sync in this process, count emulator routes."""

from __future__ import annotations

import contextlib
import io
import json
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from tap_plytix.tap import TapPlytix

from emulators.runtime import AdminClient


@dataclass
class TapRun:
    records: dict[str, list[dict[str, Any]]] = field(default_factory=lambda: defaultdict(list))
    state: dict[str, Any] = field(default_factory=dict)
    tap: TapPlytix | None = None

    def ids(self, stream: str) -> list[str]:
        return [r["id"] for r in self.records[stream]]


def run_tap(
    config: dict[str, Any],
    state: dict[str, Any] | None = None,
    catalog: dict[str, Any] | None = None,
) -> TapRun:
    """Run a full tap sync in this process; parse what it wrote to stdout."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        tap = TapPlytix(config=config, state=state, catalog=catalog, parse_env_config=False)
        tap.sync_all()
    run = TapRun(tap=tap)
    for line in out.getvalue().splitlines():
        message = json.loads(line)
        if message["type"] == "RECORD":
            run.records[message["stream"]].append(message["record"])
        elif message["type"] == "STATE":
            run.state = message["value"]
    return run


def routes(admin: AdminClient) -> dict[str, int]:
    return admin.requests()["by_route"]
