"""`make audit`: known vulnerabilities in every locked and every installed plugin dependency.

Each exact version is looked up in OSV, the database behind pip-audit and `uv audit`. These
build machines reach only the package index, not osv.dev, so when OSV cannot be reached the
audit falls back to PyPI's project JSON. Its `vulnerabilities` list (PyPI's copy of OSV)
describes the latest release only, so a pin at the latest release is checked there, and an
older pin is reported as unverified, by name, rather than passed.

Exit status: 0 clean, 1 a vulnerable version (or, with `--strict`, one unverified),
2 neither service reachable.

    python scripts/audit.py [--lock uv.lock] [--venvs .meltano] [--json out.json] [--strict]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tomllib
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]
OSV_BATCH = "https://api.osv.dev/v1/querybatch"
PYPI_PROJECT = "https://pypi.org/pypi/{name}/json"
TIMEOUT = 20
USER_AGENT = "pim-dam-sync-audit"
LOOKUP_ERRORS = (requests.RequestException, KeyError, ValueError, TypeError)


@dataclass(frozen=True)
class Dependency:
    name: str
    version: str
    where: str = field(compare=False)


@dataclass
class Verdict:
    """What one service said about one pinned version."""

    dependency: Dependency
    status: str  # clean | vulnerable | unverified
    source: str
    vulnerabilities: list[str] = field(default_factory=list)
    reason: str = ""


class Unreachable(Exception):
    """A vulnerability service could not be asked at all."""


# --- what is installed ----------------------------------------------------------------------
def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def locked(lock: Path) -> list[Dependency]:
    """Registry packages of `uv.lock` (the workspace's own packages are not on PyPI)."""
    packages = tomllib.loads(lock.read_text())["package"]
    return [
        Dependency(canonical(p["name"]), p["version"], lock.name)
        for p in packages
        if "registry" in p.get("source", {})
    ]


def installed(venvs: Path) -> list[Dependency]:
    """Distributions in Meltano's plugin virtualenvs (`<type>/<plugin>/venv`)."""
    found = []
    for metadata in sorted(venvs.glob("*/*/venv/lib/python*/site-packages/*.dist-info/METADATA")):
        headers = dict(
            re.findall(
                r"^(Name|Version): (.+)$", metadata.read_text(errors="replace"), re.MULTILINE
            )
        )
        plugin = metadata.parents[5].name
        direct = metadata.parent / "direct_url.json"
        if (
            "Name" in headers
            and "Version" in headers
            and not (direct.exists() and '"file://' in direct.read_text())
        ):
            found.append(
                Dependency(
                    canonical(headers["Name"]), headers["Version"].strip(), f"plugin {plugin}"
                )
            )
    return found


def unique(dependencies: Iterable[Dependency]) -> list[Dependency]:
    """One entry per (name, version), naming every place that pins it."""
    places: dict[tuple[str, str], list[str]] = {}
    for dep in dependencies:
        places.setdefault((dep.name, dep.version), []).append(dep.where)
    return [
        Dependency(name, version, ", ".join(sorted(set(where))))
        for (name, version), where in sorted(places.items())
    ]


# --- asking the services ---------------------------------------------------------------------
def fetch_json(url: str, body: dict | None = None) -> dict:
    headers = {"User-Agent": USER_AGENT}
    response = (
        requests.post(url, json=body, headers=headers, timeout=TIMEOUT)
        if body is not None
        else requests.get(url, headers=headers, timeout=TIMEOUT)
    )
    response.raise_for_status()
    return response.json()


def ask_osv(
    dependencies: list[Dependency], fetch: Callable[..., dict] = fetch_json
) -> list[Verdict]:
    queries = [
        {"package": {"name": d.name, "ecosystem": "PyPI"}, "version": d.version}
        for d in dependencies
    ]
    try:
        results = fetch(OSV_BATCH, {"queries": queries})["results"]
    except LOOKUP_ERRORS as exc:
        raise Unreachable(
            f"OSV ({OSV_BATCH}): {type(exc).__name__}: {str(exc).splitlines()[0][:160]}"
        ) from exc
    return [
        verdict(d, [v["id"] for v in r.get("vulns") or []], "osv")
        for d, r in zip(dependencies, results, strict=True)
    ]


def ask_pypi(dependency: Dependency, fetch: Callable[..., dict] = fetch_json) -> Verdict:
    project = fetch(PYPI_PROJECT.format(name=dependency.name))
    latest = project["info"]["version"]
    if canonical(latest) != canonical(dependency.version):
        return Verdict(
            dependency,
            "unverified",
            "pypi",
            reason=(
                f"pinned {dependency.version}, latest {latest}: PyPI lists the latest release's "
                "vulnerabilities only"
            ),
        )
    live = [v for v in project.get("vulnerabilities") or [] if not v.get("withdrawn")]
    return verdict(dependency, [v["id"] for v in live], "pypi")


def verdict(dependency: Dependency, ids: list[str], source: str) -> Verdict:
    return Verdict(dependency, "vulnerable" if ids else "clean", source, sorted(ids))


def audit(
    dependencies: list[Dependency],
    fetch: Callable[..., dict] = fetch_json,
    log: Callable[[str], None] = print,
) -> list[Verdict]:
    """OSV for every version at once; PyPI per project when OSV is out of reach."""
    try:
        return ask_osv(dependencies, fetch)
    except Unreachable as exc:
        log(f"audit: {exc}; asking PyPI instead")

    def one(dep: Dependency) -> Verdict | Exception:
        try:
            return ask_pypi(dep, fetch)
        except LOOKUP_ERRORS as exc:
            return exc

    with ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(one, dependencies))
    if all(isinstance(a, Exception) for a in answers):
        first = answers[0] if answers else "no input"
        raise Unreachable(f"PyPI ({PYPI_PROJECT}): {str(first).splitlines()[0][:160]}")
    return [
        a
        if isinstance(a, Verdict)
        else Verdict(d, "unverified", "pypi", reason=f"PyPI lookup failed: {a}")
        for d, a in zip(dependencies, answers, strict=True)
    ]


# --- reporting --------------------------------------------------------------------------------
def exit_status(verdicts: list[Verdict], strict: bool) -> int:
    statuses = {v.status for v in verdicts}
    return 1 if "vulnerable" in statuses or (strict and "unverified" in statuses) else 0


def report(verdicts: list[Verdict]) -> list[str]:
    counts = {
        s: sum(v.status == s for v in verdicts) for s in ("clean", "vulnerable", "unverified")
    }
    sources = sorted({v.source for v in verdicts})
    lines = [
        f"audit: {len(verdicts)} pinned versions, asked {'+'.join(sources)}: "
        f"{counts['vulnerable']} vulnerable, {counts['clean']} clean, "
        f"{counts['unverified']} unverified"
    ]
    for v in verdicts:
        d = v.dependency
        if v.status == "vulnerable":
            lines.append(
                f"  VULNERABLE {d.name}=={d.version} ({d.where}): {', '.join(v.vulnerabilities)}"
            )
        elif v.status == "unverified":
            lines.append(f"  unverified {d.name}=={d.version} ({d.where}): {v.reason}")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--lock", type=Path, default=ROOT / "uv.lock")
    parser.add_argument(
        "--venvs",
        type=Path,
        default=ROOT / ".meltano",
        help="Meltano's plugin folder (MELTANO_SYS_DIR_ROOT); may be absent",
    )
    parser.add_argument("--json", type=Path, help="write every verdict here")
    parser.add_argument(
        "--strict", action="store_true", help="an unverified version fails the audit too"
    )
    args = parser.parse_args(argv)
    dependencies = unique([*locked(args.lock), *installed(args.venvs)])
    try:
        verdicts = audit(dependencies)
    except Unreachable as exc:
        print(f"audit: no vulnerability service reachable: {exc}", file=sys.stderr)
        return 2
    print("\n".join(report(verdicts)))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps([asdict(v) for v in verdicts], indent=1))
    return exit_status(verdicts, args.strict)


if __name__ == "__main__":
    sys.exit(main())
