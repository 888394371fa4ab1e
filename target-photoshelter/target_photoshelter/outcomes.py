"""Every record ends in exactly one outcome; they are counted, logged and written as JSONL.

The outcomes file is appended to, never overwritten: each line carries the `run_id` of its
run, so the history of runs stays loadable as one table. A path holding `{run_id}` gives
one file per run instead. Reasons pass through the client's redactor before they are
written or logged.
"""

from __future__ import annotations

import json
import logging
import threading
import uuid
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

from tap_photoshelter.api import ConfigError

OUTCOMES = ("created", "updated", "unchanged", "rejected")


class OutcomeLog:
    """Counts outcomes per stream and appends each as one flushed JSON line."""

    def __init__(self, path: str | None, dry_run: bool, logger: logging.Logger,
                 redact: Callable[[str], str] = str) -> None:
        self.dry_run = dry_run
        self.logger = logger
        self.redact = redact
        self.run_id = uuid.uuid4().hex
        self.counts: dict[str, Counter[str]] = {}
        self._lock = threading.Lock()
        self._file: IO[str] | None = None
        self.path: Path | None = None
        if path:
            self.path = Path(path.replace("{run_id}", self.run_id))
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                self._file = self.path.open("a", encoding="utf-8")
            except OSError as error:
                raise ConfigError(f"setting outcomes_path: cannot append to {str(self.path)!r} "
                                  f"({error.strerror or error})") from None
            logger.info("Outcomes of run %s are appended to %s", self.run_id, self.path)

    def record(self, stream: str, key: dict[str, Any], outcome: str,
               reason: str | None = None, changes: list[str] | None = None) -> None:
        if outcome not in OUTCOMES:
            raise ValueError(f"unknown outcome {outcome!r}")
        reason = None if reason is None else self.redact(reason)
        line = {"run_id": self.run_id, "stream": stream, "key": key, "outcome": outcome,
                "reason": reason, "changes": changes or [], "dry_run": self.dry_run,
                "at": datetime.now(UTC).isoformat()}
        with self._lock:
            self.counts.setdefault(stream, Counter())[outcome] += 1
            if self._file is not None:
                self._file.write(json.dumps(line, sort_keys=True) + "\n")
                self._file.flush()
        if outcome == "rejected":
            self.logger.warning("%s %s rejected: %s", stream, _key_text(key), reason)

    def summary(self) -> str:
        """A small table: one row per stream, one column per outcome."""
        header = f"{'stream':<24}" + "".join(f"{o:>11}" for o in OUTCOMES)
        rows = [f"{stream:<24}" + "".join(f"{counts[o]:>11}" for o in OUTCOMES)
                for stream, counts in sorted(self.counts.items())]
        title = "target-photoshelter outcomes" + (" (dry run: nothing written)"
                                                  if self.dry_run else "")
        return "\n".join([title, header, *rows])

    def close(self) -> None:
        with self._lock:
            if self._file is not None:
                self._file.close()
                self._file = None


def _key_text(key: dict[str, Any]) -> str:
    return " ".join(f"{k}={v}" for k, v in key.items())
