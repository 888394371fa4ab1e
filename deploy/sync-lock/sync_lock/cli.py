"""`sync-lock`: the first task of every sync job (see sync_lock.lock for why a holder)."""

from __future__ import annotations

import argparse
import os
import sys
import warnings

from sync_lock import full_sync, lock, postgres


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="sync-lock", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("acquire", help="take the lock for the calling meltano run, or stop")
    commands.add_parser("ensure-database", help="create the Postgres warehouse if missing")
    commands.add_parser(
        "require-full-sync", help="stop (exit 4) when no full sync has filled the warehouse yet"
    )
    hold = commands.add_parser("hold", help=argparse.SUPPRESS)
    hold.add_argument("--parent", type=int, required=True)
    hold.add_argument("--environment", required=True)
    hold.add_argument("--wait-seconds", type=float, default=0.0)
    args = parser.parse_args(argv)

    database = os.environ.get("SYNC_LOCK_DATABASE", "")
    environment = os.environ.get("MELTANO_ENVIRONMENT") or "default"
    if args.command == "hold":
        lock.hold(database, args.environment, args.parent, args.wait_seconds)
        return
    if args.command == "ensure-database":
        postgres.main()
        return
    if args.command == "require-full-sync":
        full_sync.main(database, environment)
        return
    # the holder outlives this process by design: no "still running" warning at exit
    warnings.filterwarnings("ignore", category=ResourceWarning)
    try:
        wait = float(os.environ.get("SYNC_LOCK_WAIT_SECONDS") or 0)
    except ValueError:
        sys.exit("setting 'wait_seconds' must be a number of seconds")
    taken, message = lock.acquire(database, environment, wait)
    print(message, file=sys.stderr)
    if not taken:
        sys.exit(3)


if __name__ == "__main__":
    main()
