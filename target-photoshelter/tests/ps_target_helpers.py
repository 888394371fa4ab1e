"""Helpers for the target-photoshelter tests: Singer input, subprocess results, counts."""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

TARGET = str(Path(sys.executable).with_name("target-photoshelter"))
SCHEMAS = {
    "media_metadata": {
        "properties": {
            "media_id": {"type": ["string"]},
            "iptc": {"type": ["object", "null"]},
            "keywords": {"type": ["array", "null"], "items": {"type": "string"}},
            "custom_metadata": {"type": ["object", "null"]},
        }
    },
    "galleries": {
        "properties": {
            "name": {"type": ["string"]},
            "parent": {"type": ["string", "null"]},
            "description": {"type": ["string", "null"]},
            "media_ids": {"type": ["array", "null"], "items": {"type": "string"}},
        }
    },
}
KEYS = {"media_metadata": ["media_id"], "galleries": ["name", "parent"]}


@dataclass
class TargetRun:
    returncode: int
    stdout: str
    stderr: str
    outcomes: list[dict[str, Any]] = field(default_factory=list)

    @property
    def states(self) -> list[dict[str, Any]]:
        return [json.loads(line) for line in self.stdout.splitlines() if line.startswith("{")]

    def outcome_counts(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for outcome in self.outcomes:
            counts[outcome["outcome"]] = counts.get(outcome["outcome"], 0) + 1
        return counts


def messages(
    stream: str, records: list[dict[str, Any]], state: dict[str, Any] | None = None
) -> list[dict[str, Any]]:
    lines: list[dict[str, Any]] = [
        {
            "type": "SCHEMA",
            "stream": stream,
            "schema": SCHEMAS[stream.split("_", 1)[-1] if stream not in SCHEMAS else stream],
            "key_properties": KEYS.get(stream, []),
        }
    ]
    lines += [{"type": "RECORD", "stream": stream, "record": r} for r in records]
    if state is not None:
        lines.append({"type": "STATE", "value": state})
    return lines


def writes(admin) -> dict[str, int]:
    """Write requests the emulator received, by route."""
    return {
        route: n
        for route, n in admin.requests()["by_route"].items()
        if route.split(" ", 1)[0] in ("POST", "PATCH", "PUT", "DELETE")
        and "authenticate" not in route
    }


def collection_path(admin, collection_id: str) -> str:
    """A collection's full `A/B/C` name path, as galleries' `parent` records give it."""
    by_id = {c["id"]: c for c in admin.state()["collections"]}
    row, parts = by_id[collection_id], []
    while row is not None:
        parts.insert(0, row["name"])
        row = by_id.get(row["parent_id"]) if row["parent_id"] else None
    return "/".join(parts)
