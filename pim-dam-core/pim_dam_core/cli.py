"""The command line of every connector: the SDK's CLI, with every failure as one line.

The SDK logs "An unhandled error occurred while syncing ..." and Python prints a traceback
before an error reaches the user; what the user needs is the one line that names the setting,
record or request at fault: `<prog>: error: <message>` on stderr, exit code 1.

Log level, one convention for every connector: `--log-level LEVEL` is taken off the arguments
and passed on as `<PROG>_LOGLEVEL` (`TAP_PLYTIX_LOGLEVEL`), which the SDK reads before the
generic `LOGLEVEL`; both variables are honoured. Only at `debug` does a failure also print its
traceback (and the SDK's "unhandled error" line).
"""

from __future__ import annotations

import json
import logging
import os
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import click

from pim_dam_core.errors import ConnectorError
from pim_dam_core.redaction import install_log_filter, redact

LEVELS = ("debug", "info", "warning", "error", "critical")
LOG_LEVEL_FLAG = "--log-level"
INPUT_FILE_FLAGS = ("--config", "--state", "--catalog")
SDK_UNHANDLED = "An unhandled error occurred"


def level_variable(prog_name: str) -> str:
    """`tap-plytix` -> `TAP_PLYTIX_LOGLEVEL` (the SDK's own per-plugin variable)."""
    return f"{prog_name.upper().replace('-', '_')}_LOGLEVEL"


def debug_enabled(prog_name: str | None = None) -> bool:
    """Debug logging is on: by `<PROG>_LOGLEVEL`, `LOGLEVEL` or the configured root logger."""
    level = (
        (os.environ.get(level_variable(prog_name)) if prog_name else None)
        or os.environ.get("LOGLEVEL")
        or ""
    )
    return level.lower() == "debug" or logging.getLogger().getEffectiveLevel() <= logging.DEBUG


class QuietUnhandled(logging.Filter):
    """Drops the SDK's "An unhandled error occurred" line unless debug logging is on."""

    def filter(self, record: logging.LogRecord) -> bool:
        return debug_enabled() or not str(record.msg).startswith(SDK_UNHANDLED)


_QUIET = QuietUnhandled()


def install_log_filters() -> None:
    """Redaction and the quiet-unhandled filter on every root handler (idempotent; call once
    the SDK has set logging up, e.g. when the plugin builds its API client)."""
    install_log_filter()
    for handler in logging.getLogger().handlers:
        if _QUIET not in handler.filters:
            handler.addFilter(_QUIET)


def take_log_level(args: list[str], prog_name: str) -> list[str]:
    """The arguments without `--log-level X` / `--log-level=X`; the level goes to the
    environment as `<PROG>_LOGLEVEL`. An unknown level raises ValueError."""
    kept: list[str] = []
    level = None
    items = iter(args)
    for arg in items:
        if arg == LOG_LEVEL_FLAG:
            level = next(items, "")
        elif arg.startswith(f"{LOG_LEVEL_FLAG}="):
            level = arg.split("=", 1)[1]
        else:
            kept.append(arg)
    if level is not None:
        if level.lower() not in LEVELS:
            raise ValueError(f"{LOG_LEVEL_FLAG}: {level!r} is not one of {', '.join(LEVELS)}")
        os.environ[level_variable(prog_name)] = level.upper()
    return kept


def input_file_problem(args: Sequence[str], flag: str) -> str | None:
    """Why a `--config` / `--state` / `--catalog` file cannot be read as a JSON object
    (None: every one can; `--config ENV` is the SDK's and not a file)."""
    for n, arg in enumerate(args):
        if arg == flag and n + 1 < len(args):
            value = args[n + 1]
        elif arg.startswith(f"{flag}="):
            value = arg.split("=", 1)[1]
        else:
            continue
        if value == "ENV":
            continue
        path = Path(value)
        try:
            loaded = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return f"{flag} {path}: no such file"
        except (OSError, UnicodeDecodeError) as error:
            return f"{flag} {path}: cannot be read ({getattr(error, 'strerror', None) or error})"
        except json.JSONDecodeError as error:
            return (
                f"{flag} {path} is not valid JSON: {error.msg} at line {error.lineno} "
                f"column {error.colno}"
            )
        if not isinstance(loaded, dict):
            return f"{flag} {path} must hold a JSON object, got {type(loaded).__name__}"
    return None


def describe(error: BaseException) -> str:
    """The one line a failure is reported as (redacted)."""
    from singer_sdk.exceptions import ConfigValidationError, SingerSDKError
    from singer_sdk.singerlib.exceptions import SingerError

    if isinstance(error, ConnectorError):
        return str(error)
    if isinstance(error, ConfigValidationError):
        return one_line("; ".join(error.errors) or str(error))
    if isinstance(error, click.ClickException):
        return one_line(error.format_message())
    if isinstance(error, SingerError | SingerSDKError):
        return f"{type(error).__name__}: {one_line(error)}"
    return (
        f"unexpected {type(error).__name__}: {one_line(error)} "
        f"(run with {LOG_LEVEL_FLAG} debug for the traceback)"
    )


def run(plugin_class: Any, prog_name: str, argv: list[str] | None = None) -> None:
    """Run a singer-sdk plugin's CLI; any failure exits 1 with `<prog>: error: <one line>`."""
    args = list(sys.argv[1:] if argv is None else argv)
    try:
        args = take_log_level(args, prog_name)
    except ValueError as error:
        fail(prog_name, str(error))
    for flag in INPUT_FILE_FLAGS:
        if problem := input_file_problem(args, flag):
            fail(prog_name, problem)
    try:
        result = plugin_class.cli.main(args=args, prog_name=prog_name, standalone_mode=False)
    except click.exceptions.Exit as error:
        sys.exit(error.exit_code)
    except click.exceptions.Abort:
        sys.exit(130)
    except Exception as error:  # noqa: BLE001 - one line, never a wall of traceback
        if debug_enabled(prog_name):
            traceback.print_exception(error, file=sys.stderr)
        fail(prog_name, describe(error))
    sys.exit(result if isinstance(result, int) else 0)


def one_line(error: BaseException | str) -> str:
    return redact(" ".join(str(error).split()))


def fail(prog_name: str, message: str) -> None:
    """Print `<prog>: error: <message>` (one line, redacted) and exit 1."""
    sys.stderr.write(f"{prog_name}: error: {one_line(message)}\n")
    sys.stderr.flush()
    raise SystemExit(1) from None
