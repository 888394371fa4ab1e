"""Every record's outcome: counted for the summary table, written as JSON lines if asked.

Lines pass the redactor: a reason quoting a server message never carries a secret.
"""

from __future__ import annotations

import json
import threading
from collections import Counter
from pathlib import Path
from typing import IO, Any

from tap_plytix.api import redact

OUTCOMES = ("created", "updated", "unchanged", "rejected")


class OutcomeLog:
    """Collects outcomes; `flush()` makes the JSON lines durable (before a failure is raised)."""

    def __init__(self, path: str | None, *, dry_run: bool) -> None:
        self.dry_run = dry_run
        self.counts: Counter[tuple[str, str]] = Counter()
        self._lock = threading.Lock()
        self._file: IO[str] | None = None
        if path:
            Path(path).parent.mkdir(parents=True, exist_ok=True)
            self._file = Path(path).open("w", encoding="utf-8")  # noqa: SIM115 - kept open for the run

    def add(self, stream: str, outcome: str, record: dict[str, Any], **details: Any) -> None:
        line = {"stream": stream, "outcome": outcome, "sku": record.get("sku"),
                **({"attribute_label": record["attribute_label"]}
                   if "attribute_label" in record else {}),
                **{k: v for k, v in details.items() if v not in (None, [], {})},
                "dry_run": self.dry_run}
        with self._lock:
            self.counts[(stream, outcome)] += 1
            if self._file is not None:
                self._file.write(redact(json.dumps(line, default=str)) + "\n")

    def flush(self) -> None:
        with self._lock:
            if self._file is not None:
                self._file.flush()

    def close(self) -> None:
        with self._lock:
            if self._file is not None:
                self._file.close()
                self._file = None

    def summary(self) -> str:
        """A small fixed-width table: one row per stream, one column per outcome."""
        streams = sorted({stream for stream, _ in self.counts})
        width = max([len("stream"), *map(len, streams)])
        lines = ["  ".join([f"{'stream':<{width}}", *(f"{o:>9}" for o in OUTCOMES)])]
        for stream in streams:
            lines.append("  ".join([f"{stream:<{width}}",
                                    *(f"{self.counts[(stream, o)]:>9}" for o in OUTCOMES)]))
        return "\n".join(lines)
