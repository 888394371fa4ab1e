"""The command line of tap-plytix and target-plytix: failures end in one line on stderr.

The SDK logs "An unhandled error occurred while syncing ..." and Python prints a traceback
before an error reaches the user; what the user needs is the one line that names the
setting, record or request at fault. Both come back with `--log-level debug` (or
`LOGLEVEL=debug`, or Meltano's `--log-level debug`, which configures the SDK's logging).
"""

from __future__ import annotations

import json
import logging
import os
import sys
import traceback
from pathlib import Path
from typing import Any, Protocol

from singer_sdk.exceptions import SingerSDKError
from singer_sdk.singerlib.exceptions import SingerError

from tap_plytix.api import PlytixClient, install_log_filter
from tap_plytix.api.errors import PlytixError
from tap_plytix.api.redaction import redact

LOG_LEVEL_FLAG = "--log-level"
SDK_UNHANDLED = "An unhandled error occurred"


class SingerPlugin(Protocol):
    @classmethod
    def cli(cls) -> Any: ...


def debug_enabled() -> bool:
    return logging.getLogger().getEffectiveLevel() <= logging.DEBUG


class QuietUnhandled(logging.Filter):
    """Drops the SDK's "An unhandled error occurred" line unless debug logging is on."""

    def filter(self, record: logging.LogRecord) -> bool:
        return debug_enabled() or not str(record.msg).startswith(SDK_UNHANDLED)


_QUIET = QuietUnhandled()


def install_quiet_filter() -> None:
    """Attach the filter to every root handler (idempotent; call once logging is set up)."""
    for handler in logging.getLogger().handlers:
        if _QUIET not in handler.filters:
            handler.addFilter(_QUIET)


def plugin_client(config: Any) -> PlytixClient:
    """The API client of a tap or target run, with secrets redacted and tracebacks quiet in
    the logs (both filters are installed here, once logging is set up)."""
    install_log_filter()
    install_quiet_filter()
    return PlytixClient.from_config(config)


def take_log_level(argv: list[str]) -> str | None:
    """Remove `--log-level X` / `--log-level=X` from argv (the SDK has no such flag)."""
    for n, arg in enumerate(argv):
        if arg == LOG_LEVEL_FLAG and n + 1 < len(argv):
            level = argv[n + 1]
            del argv[n:n + 2]
            return level
        if arg.startswith(f"{LOG_LEVEL_FLAG}="):
            del argv[n]
            return arg.split("=", 1)[1]
    return None


def input_file_problem(argv: list[str], flag: str) -> str | None:
    """Why a `--config` / `--state` file cannot be read as a JSON object (None: it can)."""
    for n, arg in enumerate(argv[:-1]):
        if arg != flag or argv[n + 1] == "ENV":
            continue
        path = Path(argv[n + 1])
        try:
            loaded = json.loads(path.read_text(encoding="utf-8"))
        except OSError as error:
            return f"{flag} {path}: {error.strerror or type(error).__name__}"
        except ValueError as error:
            return f"{flag} {path} is not valid JSON: {error}"
        if not isinstance(loaded, dict):
            return f"{flag} {path} must hold a JSON object, got {type(loaded).__name__}"
    return None


def run(plugin: type[SingerPlugin], command: str) -> None:
    """Run the SDK command line; a failure becomes `<command>: error: <one line>`, exit 1."""
    level = take_log_level(sys.argv)
    if level:
        os.environ["LOGLEVEL"] = level.upper()
    for flag in ("--config", "--state", "--catalog"):
        if problem := input_file_problem(sys.argv, flag):
            fail(command, problem)
    try:
        plugin.cli()
    except PlytixError as error:
        if debug_enabled():
            traceback.print_exc()
        fail(command, str(error))
    except (SingerError, SingerSDKError) as error:
        if debug_enabled():
            raise
        fail(command, f"{type(error).__name__}: {one_line(error)}")
    except Exception as error:
        if debug_enabled():
            raise
        fail(command, f"unexpected {type(error).__name__}: {one_line(error)}"
                      f" (run with {LOG_LEVEL_FLAG} debug for the traceback)")


def one_line(error: Exception) -> str:
    return redact(" ".join(str(error).split()))


def fail(command: str, message: str) -> None:
    sys.stderr.write(f"{command}: error: {message}\n")
    raise SystemExit(1) from None
