"""The figures of a chaos run: one row per group of trials, and the JSON kept in output/."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from typing import Any

VARYING = re.compile(r"/[0-9a-f]{24}\b|\b[ICGFTUO]0000[A-Za-z0-9._]{11}\b|\d+(?:\.\d+)?")
COLUMNS = (
    "trials",
    "converged",
    "identical",
    "diverged",
    "not_converged",
    "dup_assets",
    "dup_galleries",
    "dup_collections",
    "lost_attrs",
    "lost_keywords",
    "mean_reruns",
    "mean_seconds",
)


def figures(results: Iterable[dict[str, Any]]) -> dict[str, Any]:
    """Totals over trial results (`TrialResult.to_json()` dicts)."""
    rows = list(results)
    n = len(rows)
    converged = [r for r in rows if r["converged"]]
    return {
        "trials": n,
        "converged": len(converged),
        "identical": sum(1 for r in rows if r["identical"]),
        "diverged": sum(1 for r in rows if not r["passed"]),
        "not_converged": n - len(converged),
        "dup_assets": sum(r["duplicate_assets"] for r in rows),
        "dup_galleries": sum(r["duplicate_galleries"] for r in rows),
        "dup_collections": sum(r["duplicate_collections"] for r in rows),
        "lost_attrs": sum(len(r["lost_attributes"]) for r in rows),
        "lost_keywords": sum(len(r["lost_keywords"]) for r in rows),
        "mean_reruns": round(sum(r["reruns"] for r in rows) / n, 2) if n else 0.0,
        "mean_seconds": round(sum(r["seconds"] for r in rows) / n, 1) if n else 0.0,
    }


def groups(results: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Figures for all trials, then by kind and by PATCH configuration."""
    table = {"all": figures(results)}
    for key in ("kind", "patch"):
        for value in sorted({r[key] for r in results}):
            table[f"{key}={value}"] = figures(r for r in results if r[key] == value)
    return table


def render(table: dict[str, dict[str, Any]]) -> str:
    """A plain-text table, one line per group."""
    width = max([len(name) for name in table] + [5])
    header = f"{'group':<{width}} " + " ".join(f"{c:>{max(len(c), 6)}}" for c in COLUMNS)
    lines = [header, "-" * len(header)]
    for name, row in table.items():
        cells = " ".join(f"{row[c]!s:>{max(len(c), 6)}}" for c in COLUMNS)
        lines.append(f"{name:<{width}} {cells}")
    return "\n".join(lines)


def divergences(results: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """What to replay: seed, schedule and the first differences of every failed trial."""
    return [
        {
            key: r[key]
            for key in (
                "seed",
                "kind",
                "patch",
                "catalog_seed",
                "schedule",
                "driver",
                "attempts",
                "differences",
                "duplicate_assets",
                "duplicate_galleries",
                "duplicate_collections",
                "lost_attributes",
                "lost_keywords",
                "workdir",
            )
        }
        for r in results
        if not r["passed"]
    ]


def failure_causes(results: list[dict[str, Any]]) -> dict[str, int]:
    """Why runs under faults failed (first error of each failed run, ids and numbers masked),
    most frequent first. A failed run is allowed; the re-run must converge."""
    causes: Counter[str] = Counter()
    for result in results:
        for attempt in result["attempts"]:
            if attempt["errors"] and not attempt["killed"]:
                causes[VARYING.sub("#", attempt["errors"][0])] += 1
    return dict(causes.most_common())
