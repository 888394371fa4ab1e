"""`make chaos N=200`: many chaos trials of `meltano run sync`, a table and output/chaos.json.

Trial `seed` decides its kind (even: fault schedule, odd: SIGKILL), its PATCH configuration
(cycling merge/merge, merge/replace, replace/replace) and its catalogue seed; every trial
is compared with the fault-free run of the same catalogue seed and configuration. The JSON is
rewritten after every trial, so an interrupted series still leaves its figures.

    python scripts/chaos.py --trials 200 [--first-seed 0] [--jobs 1] [--catalog-seeds 42,7]
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "tests" / "reliability"), str(ROOT / "tests"), str(ROOT)]

from chaos_schedule import trial_spec  # noqa: E402
from chaos_state import differences  # noqa: E402
from chaos_summary import divergences, failure_causes, groups, render  # noqa: E402
from chaos_trial import Lab, ReferenceFailed, TrialResult  # noqa: E402


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=200, help="number of trials (N)")
    parser.add_argument(
        "--first-seed",
        type=int,
        default=0,
        help="seed of the first trial; trials use consecutive seeds",
    )
    parser.add_argument(
        "--jobs", type=int, default=1, help="trials at once, each with its own pair of emulators"
    )
    parser.add_argument(
        "--catalog-seeds",
        default="42,7,2026",
        help="comma-separated catalogue seeds the trials draw from",
    )
    parser.add_argument("--out", type=Path, default=ROOT / "output" / "chaos.json")
    parser.add_argument("--workroot", type=Path, default=ROOT / "output" / "chaos")
    parser.add_argument(
        "--keep", action="store_true", help="keep the work folders of passing trials too"
    )
    args = parser.parse_args(argv)
    if args.trials < 1:
        parser.error("--trials must be at least 1")
    if args.jobs < 1:
        parser.error("--jobs must be at least 1")
    try:
        args.catalog_seeds = tuple(int(s) for s in args.catalog_seeds.split(",") if s.strip())
    except ValueError:
        parser.error(f"--catalog-seeds: {args.catalog_seeds!r} is not a list of integers")
    if not args.catalog_seeds:
        parser.error("--catalog-seeds: give at least one seed")
    return args


class Series:
    """The results so far, written to the JSON file after each trial."""

    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.results: list[dict[str, Any]] = []
        self.references: dict[str, list[str]] = {}
        self.started = time.time()
        self.lock = threading.Lock()

    def add(self, result: TrialResult) -> None:
        with self.lock:
            self.results.append(result.to_json())
            self.results.sort(key=lambda r: r["seed"])
            self.write()
        verdict = "ok" if result.passed else "DIVERGED"
        print(
            f"seed {result.seed:>4} {result.kind:<6} {result.patch:<15} "
            f"reruns={result.reruns} {result.seconds:>6.1f}s {verdict}",
            flush=True,
        )
        if not result.passed:
            print(result.explain()[:3000], flush=True)

    def note_references(self, lab: Lab) -> None:
        """Whether the fault-free runs of one catalogue agree across PATCH configurations."""
        with self.lock:
            by_seed: dict[int, list[Any]] = {}
            for (seed, _), reference in sorted(lab.references.items()):
                by_seed.setdefault(seed, []).append(reference)
            for seed, references in by_seed.items():
                first = references[0]
                for other in references[1:]:
                    key = f"catalog {seed}: {first.config.name} vs {other.config.name}"
                    self.references[key] = differences(first.normalised, other.normalised)

    def summary(self) -> dict[str, Any]:
        return {
            "trials_requested": self.args.trials,
            "first_seed": self.args.first_seed,
            "catalog_seeds": list(self.args.catalog_seeds),
            "jobs": self.args.jobs,
            "elapsed_seconds": round(time.time() - self.started, 1),
            "table": groups(self.results) if self.results else {},
            "reference_differences_across_patch_modes": self.references,
            "failure_causes": failure_causes(self.results),
            "divergences": divergences(self.results),
            "trials": self.results,
        }

    def write(self) -> None:
        self.args.out.parent.mkdir(parents=True, exist_ok=True)
        partial = self.args.out.with_suffix(".json.partial")
        partial.write_text(json.dumps(self.summary(), indent=1, default=str))
        partial.replace(self.args.out)


def worker(series: Series, seeds: list[int], worker_id: int) -> None:
    """Run trials taken from `seeds` (shared) on this worker's own emulators."""
    args = series.args
    lab = Lab(args.workroot / f"worker-{worker_id}", catalog_seed=args.catalog_seeds[0])
    try:
        while True:
            with series.lock:
                if not seeds:
                    return
                seed = seeds.pop(0)
            spec = trial_spec(seed, args.catalog_seeds)
            try:
                result = lab.trial(spec)
            except ReferenceFailed as error:
                result = TrialResult(
                    seed,
                    spec.kind,
                    spec.patch.name,
                    spec.catalog_seed,
                    differences=[str(error)[:3000]],
                )
            series.note_references(lab)
            series.add(result)
            if result.passed and not args.keep:
                shutil.rmtree(result.workdir, ignore_errors=True)
    finally:
        lab.stop()


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    series = Series(args)
    seeds = list(range(args.first_seed, args.first_seed + args.trials))
    print(
        f"chaos: {args.trials} trials from seed {args.first_seed}, {args.jobs} at once, "
        f"catalogue seeds {list(args.catalog_seeds)}; work in {args.workroot}",
        flush=True,
    )
    with ThreadPoolExecutor(max_workers=args.jobs) as pool:
        for future in [pool.submit(worker, series, seeds, n) for n in range(args.jobs)]:
            future.result()
    series.write()
    print()
    print(render(groups(series.results)))
    print("\nwhy runs under faults failed (each then re-run):")
    for cause, count in failure_causes(series.results).items():
        print(f"{count:>5}  {cause[:160]}")
    for key, found in series.references.items():
        print(f"fault-free runs, {key}: {'identical' if not found else found[:5]}")
    print(f"\nwritten {args.out}")
    return 0 if all(r["passed"] for r in series.results) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
