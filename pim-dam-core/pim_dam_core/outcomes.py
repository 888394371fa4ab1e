"""Every record a target handles ends in one outcome: counted, and appended as a JSON line.

One format for every target, one line per record:
`{"run_id", "stream", "key": {...}, "outcome", "reason", "changes": [...], "dry_run", "at"}`
plus any target-specific details given (omitted when empty). The file is appended to, never
overwritten: each line carries its run's `run_id`, so the history of runs loads as one table
(`sync_report` reads it). A path holding `{run_id}` gives one file per run instead. Every
line passes the redactor, so a reason quoting a server message never carries a secret.
"""

from __future__ import annotations

import json
import logging
import threading
import uuid
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

from pim_dam_core.errors import ConfigError
from pim_dam_core.redaction import redact

OUTCOMES = ("created", "updated", "unchanged", "rejected")


class OutcomeLog:
    """Counts outcomes per stream and appends each as one JSON line (flushed per batch)."""

    def __init__(
        self,
        path: str | None,
        *,
        dry_run: bool,
        title: str = "outcomes",
        logger: logging.Logger | None = None,
        flush_each: bool = True,
    ) -> None:
        self.dry_run = dry_run
        self.title = title
        self.logger = logger
        """When given, each rejection is also logged as a warning."""
        self.flush_each = flush_each
        self.run_id = uuid.uuid4().hex
        self.counts: dict[str, Counter[str]] = {}
        self.path: Path | None = None
        self._lock = threading.Lock()
        self._file: IO[str] | None = None
        if path:
            self.path = Path(path.replace("{run_id}", self.run_id))
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                self._file = self.path.open("a", encoding="utf-8")
            except OSError as error:
                raise ConfigError(
                    f"setting outcomes_path: cannot append to {str(self.path)!r} "
                    f"({error.strerror or error})"
                ) from None
            if logger is not None:
                logger.info("Outcomes of run %s are appended to %s", self.run_id, self.path)

    def record(
        self,
        stream: str,
        key: dict[str, Any],
        outcome: str,
        reason: str | None = None,
        changes: list[str] | None = None,
        **details: Any,
    ) -> None:
        """One record's outcome; `details` (None, [] and {} left out) join the line."""
        if outcome not in OUTCOMES:
            raise ValueError(f"unknown outcome {outcome!r}")
        reason = None if reason is None else redact(reason)
        line = {
            "run_id": self.run_id,
            "stream": stream,
            "key": key,
            "outcome": outcome,
            "reason": reason,
            "changes": changes or [],
            "dry_run": self.dry_run,
            "at": datetime.now(UTC).isoformat(),
            **{k: v for k, v in details.items() if v not in (None, [], {})},
        }
        with self._lock:
            self.counts.setdefault(stream, Counter())[outcome] += 1
            if self._file is not None:
                self._file.write(redact(json.dumps(line, sort_keys=True, default=str)) + "\n")
                if self.flush_each:
                    self._file.flush()
        if outcome == "rejected" and self.logger is not None:
            self.logger.warning("%s %s rejected: %s", stream, key_text(key), reason)

    def flush(self) -> None:
        """Make the lines written so far durable (before a failure is raised)."""
        with self._lock:
            if self._file is not None:
                self._file.flush()

    def close(self) -> None:
        with self._lock:
            if self._file is not None:
                self._file.close()
                self._file = None

    def total(self, stream: str, outcome: str) -> int:
        return self.counts.get(stream, Counter())[outcome]

    def summary(self) -> str:
        """A small table under the title: one row per stream, one column per outcome."""
        streams = sorted(self.counts)
        width = max([len("stream"), *map(len, streams)])
        header = "  ".join([f"{'stream':<{width}}", *(f"{o:>9}" for o in OUTCOMES)])
        rows = [
            "  ".join([f"{stream:<{width}}", *(f"{self.counts[stream][o]:>9}" for o in OUTCOMES)])
            for stream in streams
        ]
        title = self.title + (" (dry run: nothing written)" if self.dry_run else "")
        return "\n".join([title, header, *rows])


def key_text(key: dict[str, Any]) -> str:
    """`sku=HD-1 attribute_label=thumbnail`: a record key as a log shows it."""
    return " ".join(f"{k}={v}" for k, v in key.items())
