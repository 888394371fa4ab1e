"""Helpers of the target-plytix tests: Singer input, a target run in this process, what the
emulator holds and was asked.
"""

from __future__ import annotations

import io
import json
from contextlib import redirect_stdout
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from target_plytix.target import TargetPlytix

from emulators.runtime import AdminClient, RunningEmulators

SCHEMAS = {
    "products": {
        "type": "object",
        "properties": {
            "sku": {"type": ["string", "null"]},
            "label": {"type": ["string", "null"]},
            "status": {"type": ["string", "null"]},
            "attributes": {"type": ["object", "null"]},
            "categories": {"type": ["array", "null"], "items": {"type": "string"}},
        },
    },
    "product_media": {
        "type": "object",
        "properties": {
            "sku": {"type": ["string", "null"]},
            "attribute_label": {"type": ["string", "null"]},
            "assets": {"type": ["array", "null"], "items": {"type": "object"}},
        },
    },
}


def singer_lines(records: list[tuple[str, dict[str, Any]]], state: Any = None) -> str:
    """SCHEMA once per stream, the RECORDs in order, then a STATE."""
    lines, seen = [], set()
    for stream, record in records:
        if stream not in seen:
            schema = SCHEMAS.get(
                stream.rsplit("_", 1)[-1] if stream not in SCHEMAS else stream, SCHEMAS["products"]
            )
            lines.append(
                {"type": "SCHEMA", "stream": stream, "schema": schema, "key_properties": ["sku"]}
            )
            seen.add(stream)
        lines.append({"type": "RECORD", "stream": stream, "record": record})
    lines.append({"type": "STATE", "value": state or {"done": len(records)}})
    return "\n".join(json.dumps(line) for line in lines) + "\n"


@dataclass
class TargetRun:
    outcomes: list[dict[str, Any]] = field(default_factory=list)
    states: list[Any] = field(default_factory=list)
    target: TargetPlytix | None = None

    def by_outcome(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for line in self.outcomes:
            counts[line["outcome"]] = counts.get(line["outcome"], 0) + 1
        return counts


def run_target(
    config: dict[str, Any], records: list[tuple[str, dict[str, Any]]], state: Any = None
) -> TargetRun:
    out = io.StringIO()
    target = TargetPlytix(config=config, parse_env_config=False)
    with redirect_stdout(out):
        target.listen(file_input=io.StringIO(singer_lines(records, state)))
    run = TargetRun(target=target)
    path = config.get("outcomes_path")
    if path and Path(path).exists():
        lines = [json.loads(line) for line in Path(path).read_text().splitlines()]
        run.outcomes = [line for line in lines if line["run_id"] == target.outcomes.run_id]
    run.states = [json.loads(line) for line in out.getvalue().splitlines() if line.strip()]
    return run


def media_url(emulators: RunningEmulators, media_id: str) -> str:
    return f"{emulators.photoshelter_url}/img-get2/{media_id}/fit=1000x1000"


def photo(
    emulators: RunningEmulators,
    media_id: str,
    checksum: str | None = "v0",
    filename: str | None = None,
) -> dict[str, Any]:
    asset = {
        "source_id": media_id,
        "url": media_url(emulators, media_id),
        "filename": filename or f"{media_id}.jpg",
    }
    if checksum is not None:
        asset["checksum"] = checksum
    return asset


def product_by_sku(admin: AdminClient, sku: str) -> dict[str, Any]:
    return next(p for p in admin.state()["products"] if p["sku"] == sku)


def writes(admin: AdminClient) -> dict[str, int]:
    """Requests per route that change something (not searches, not auth)."""
    return {
        route: n
        for route, n in admin.requests()["by_route"].items()
        if not route.endswith("/search") and not route.startswith(("GET", "POST /auth"))
    }
