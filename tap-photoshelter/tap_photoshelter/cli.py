"""Console entry points: the SDK's CLI, with our errors printed as one line (no traceback)."""

from __future__ import annotations

import sys
from typing import Any

import click

from tap_photoshelter.api.errors import PhotoShelterError


def run(plugin_class: Any, prog_name: str) -> None:
    """Run a singer-sdk plugin's CLI; a PhotoShelterError exits 1 with `prog: message`."""
    try:
        result = plugin_class.cli.main(prog_name=prog_name, standalone_mode=False)
    except click.ClickException as error:
        error.show()
        sys.exit(error.exit_code)
    except click.exceptions.Exit as error:
        sys.exit(error.exit_code)
    except click.exceptions.Abort:
        sys.exit(130)
    except PhotoShelterError as error:
        print(f"{prog_name}: error: {error}", file=sys.stderr, flush=True)
        sys.exit(1)
    sys.exit(result if isinstance(result, int) else 0)


def main() -> None:
    from tap_photoshelter.tap import TapPhotoShelter

    run(TapPhotoShelter, "tap-photoshelter")
