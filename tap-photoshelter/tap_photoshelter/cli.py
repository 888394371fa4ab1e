"""Console entry points: the SDK's CLI, with every failure printed as one line.

`--log-level LEVEL` (also `LOGLEVEL` or `<PLUGIN>_LOGLEVEL` in the environment) sets the log
level; only at `debug` does a failure also print its traceback.
"""

from __future__ import annotations

import json
import os
import sys
import traceback
from pathlib import Path
from typing import Any

import click

from tap_photoshelter.api.errors import PhotoShelterError, Redactor

LEVELS = ("debug", "info", "warning", "error", "critical")


def run(plugin_class: Any, prog_name: str, argv: list[str] | None = None) -> None:
    """Run a singer-sdk plugin's CLI; any error exits 1 with `prog: error: message`."""
    args = list(sys.argv[1:] if argv is None else argv)
    try:
        args = _take_log_level(args, prog_name)
        _check_config_files(args)
    except ValueError as error:
        _fail(prog_name, str(error), None)
    try:
        result = plugin_class.cli.main(args=args, prog_name=prog_name, standalone_mode=False)
    except click.exceptions.Exit as error:
        sys.exit(error.exit_code)
    except click.exceptions.Abort:
        sys.exit(130)
    except click.ClickException as error:
        _fail(prog_name, error.format_message(), error)
    except PhotoShelterError as error:
        _fail(prog_name, str(error), error)  # already redacted by the client
    except Exception as error:  # noqa: BLE001 - one line, never a wall of traceback
        _fail(prog_name, Redactor()(f"{type(error).__name__}: {error}"), error)
    sys.exit(result if isinstance(result, int) else 0)


def _take_log_level(args: list[str], prog_name: str) -> list[str]:
    """Remove `--log-level X` from the arguments and pass it on through the environment."""
    kept: list[str] = []
    level = None
    items = iter(args)
    for arg in items:
        if arg == "--log-level":
            level = next(items, "")
        elif arg.startswith("--log-level="):
            level = arg.split("=", 1)[1]
        else:
            kept.append(arg)
    if level is not None:
        if level.lower() not in LEVELS:
            raise ValueError(f"--log-level: {level!r} is not one of {', '.join(LEVELS)}")
        os.environ[f"{prog_name.upper().replace('-', '_')}_LOGLEVEL"] = level.upper()
    return kept


def _check_config_files(args: list[str]) -> None:
    """Each `--config FILE` exists and holds a JSON object (`--config ENV` is the SDK's)."""
    for n, arg in enumerate(args):
        path = args[n + 1] if arg == "--config" and n + 1 < len(args) else (
            arg.split("=", 1)[1] if arg.startswith("--config=") else None)
        if path is None or path == "ENV":
            continue
        try:
            value = json.loads(Path(path).read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise ValueError(f"--config {path}: no such file") from None
        except (OSError, UnicodeDecodeError) as error:
            raise ValueError(f"--config {path}: cannot be read ({error})") from None
        except json.JSONDecodeError as error:
            raise ValueError(f"--config {path}: not valid JSON ({error.msg} at line "
                             f"{error.lineno} column {error.colno})") from None
        if not isinstance(value, dict):
            raise ValueError(f"--config {path}: must hold a JSON object of settings")


def _debugging(prog_name: str) -> bool:
    prefix = prog_name.upper().replace("-", "_")
    level = os.environ.get(f"{prefix}_LOGLEVEL") or os.environ.get("LOGLEVEL") or ""
    return level.lower() == "debug"


def _fail(prog_name: str, message: str, error: BaseException | None) -> None:
    if error is not None and _debugging(prog_name):
        traceback.print_exception(error, file=sys.stderr)
    text = " ".join(message.split())
    print(f"{prog_name}: error: {text}", file=sys.stderr, flush=True)
    sys.exit(1)


def main() -> None:
    from tap_photoshelter.tap import TapPhotoShelter

    run(TapPhotoShelter, "tap-photoshelter")
