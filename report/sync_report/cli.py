"""`sync-report start | plan | render | summary`: the report step of `meltano run sync`.

start: set the last run's outcome files aside. plan (between plan and apply): the same, then
render the plan's report (nothing sent yet) and exit 1 when a guard stops it (the plan would
destroy more than its max_* setting allows). render (after apply): the report; exits 1 when
records were rejected under fail_on_rejects. summary: the short text version.
Paths and fail_on_rejects come from the Meltano settings (SYNC_REPORT_* variables) or options.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
from pathlib import Path

from sync_report.data import DEFAULT_LIMITS, ReportError, load
from sync_report.page import failures, render, summary_lines


def start(outcomes_dir: Path) -> None:
    """Set the last run's outcome files aside, so the report counts this run only."""
    outcomes_dir.mkdir(parents=True, exist_ok=True)
    previous = outcomes_dir / "previous"
    files = sorted(outcomes_dir.glob("*.jsonl"))
    if files:
        previous.mkdir(exist_ok=True)
        for path in files:
            shutil.move(str(path), previous / path.name)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="sync-report", description=__doc__)
    parser.add_argument("command", choices=["start", "plan", "render", "summary"])
    # outside Meltano: the files of the environment Meltano would pick (dev by default)
    here = Path("output") / os.environ.get("MELTANO_ENVIRONMENT", "dev")
    parser.add_argument(
        "--warehouse",
        default=os.environ.get("SYNC_REPORT_WAREHOUSE_PATH", str(here / "warehouse.duckdb")),
    )
    parser.add_argument(
        "--outcomes-dir", default=os.environ.get("SYNC_REPORT_OUTCOMES_DIR", str(here / "outcomes"))
    )
    parser.add_argument(
        "--report", default=os.environ.get("SYNC_REPORT_REPORT_PATH", str(here / "report.html"))
    )
    parser.add_argument(
        "--fail-on-rejects",
        choices=["true", "false"],
        default=os.environ.get("SYNC_REPORT_FAIL_ON_REJECTS", "true").lower(),
    )
    for name, default in DEFAULT_LIMITS.items():
        parser.add_argument(
            f"--{name.replace('_', '-')}",
            type=int,
            default=int(os.environ.get(f"SYNC_REPORT_{name.upper()}", default)),
        )
    args = parser.parse_args(argv)
    fail_on_rejects = args.fail_on_rejects == "true"
    limits = {name: getattr(args, name) for name in DEFAULT_LIMITS}
    try:
        if args.command in ("start", "plan"):
            start(Path(args.outcomes_dir))
        if args.command == "start":
            return 0
        data = load(args.warehouse, Path(args.outcomes_dir), limits)
        if args.command == "summary":
            print("\n".join(summary_lines(data, fail_on_rejects)))
            return 0
        report = Path(args.report)
        report.parent.mkdir(parents=True, exist_ok=True)
        report.write_text(render(data, fail_on_rejects=fail_on_rejects), encoding="utf-8")
        print(f"report written to {report}")
        problems = failures(data, fail_on_rejects)
        for problem in problems:
            print(f"sync-report: run failed: {problem}", file=sys.stderr)
        return 1 if problems else 0
    except ReportError as error:
        print(f"sync-report: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
