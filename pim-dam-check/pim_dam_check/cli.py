"""`pim-dam-check check|setup [--apply] [--environment ENV]` (make check, make setup, and the
Meltano utility `pim-dam-check`)."""

from __future__ import annotations

import argparse
import logging
import os
import sys

from pim_dam_check import check, config, setup
from pim_dam_check.rows import render


def parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="pim-dam-check", description=__doc__)
    parser.add_argument("command", choices=("check", "setup"))
    parser.add_argument(
        "--environment",
        default=os.environ.get("MELTANO_ENVIRONMENT") or "dev",
        help="Meltano environment whose settings to use (default dev)",
    )
    parser.add_argument(
        "--apply", action="store_true", help="setup: create what is missing (default: a dry run)"
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    try:
        settings = config.load(args.environment)
    except config.SettingsUnavailable as error:
        print(f"{args.command}: {error}", file=sys.stderr)
        return 2
    print(f"pim-dam-check {args.command}: environment {args.environment}\n")
    found = check.run(settings)
    try:
        if args.command == "check":
            print(render(found.rows))
            return 1 if found.blockers else 0
        return run_setup(found, args.apply, settings)
    finally:
        found.close()


def run_setup(found: check.Findings, apply: bool, settings: config.SyncConfig) -> int:
    steps = setup.plan(found)
    if not steps.actions and not steps.manual:
        print("setup: nothing to create; the accounts hold everything the settings name.")
        print(render(found.rows))
        return 1 if found.blockers else 0
    verb = "creating" if apply else "would create (dry run; make setup APPLY=1 does it)"
    if steps.actions:
        print(f"setup: {verb}:")
        print("\n".join(f"  - {a.what}" for a in steps.actions))
    if steps.manual:
        print("\nsetup: by hand (the APIs cannot do these):")
        print("\n".join(f"  - {m}" for m in steps.manual))
    if not apply:
        return 0
    failures = setup.apply(steps)
    for line in failures:
        print(f"setup: failed: {line}", file=sys.stderr)
    found.close()
    after = check.run(settings)
    try:
        print(
            f"\nsetup: done ({len(steps.actions) - len(failures)} of {len(steps.actions)} "
            "created); check now says:\n"
        )
        print(render(after.rows))
        return 1 if failures or after.blockers else 0
    finally:
        after.close()


if __name__ == "__main__":
    sys.exit(main())
