"""Each connector installs on its own, outside the uv workspace: from its wheel, with plain pip
from its folder or from `git+file://...#subdirectory=`, and with Meltano's uv and virtualenv
backends from the ready-to-paste `meltano-plugin.yml` entry.

The packages are the workspace members of the root pyproject.toml, so new ones are followed.
A package of this repository is required through a direct reference to its folder
(`name @ {root:parent:uri}/folder`, which hatchling writes out when it builds): pip never looks
the name up on an index, where someone else's package of that name could be.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tomllib
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from email.parser import Parser
from functools import cache
from pathlib import Path
from zipfile import ZipFile

import pytest
import yaml

pytestmark = pytest.mark.install

ROOT = Path(__file__).resolve().parents[2]
UV = ROOT / ".tools" / "bin" / "uv"
MELTANO = Path(sys.executable).with_name("meltano")
PYTHON = sys.executable
# pip and uv use their caches; indexes are the package registries only
TIMEOUT = 300


@dataclass(frozen=True)
class Member:
    folder: str
    dist: str
    version: str
    scripts: tuple[str, ...]

    @property
    def wheel_stem(self) -> str:
        return f"{re.sub(r'[-_.]+', '_', self.dist)}-{self.version}"


@cache
def members() -> dict[str, Member]:
    """The workspace members by distribution name (folders from the root pyproject)."""
    root = tomllib.loads((ROOT / "pyproject.toml").read_text())
    found = {}
    for folder in root["tool"]["uv"]["workspace"]["members"]:
        project = tomllib.loads((ROOT / folder / "pyproject.toml").read_text())["project"]
        found[project["name"]] = Member(
            folder, project["name"], project["version"], tuple(project.get("scripts", {}))
        )
    return found


def connectors() -> list[Member]:
    return [m for m in members().values() if re.match(r"(tap|target)-", m.folder)]


def clean_env() -> dict[str, str]:
    """The environment without the project's venv or uv project settings."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"VIRTUAL_ENV", "UV_PROJECT_ENVIRONMENT", "PYTHONPATH", "PYTHONHOME"}
        and not k.startswith("MELTANO_")
    }
    env["MELTANO_SEND_ANONYMOUS_USAGE_STATS"] = "false"
    env["PATH"] = os.pathsep.join(
        p for p in env.get("PATH", "").split(os.pathsep) if not p.startswith(str(ROOT / ".venv"))
    )
    return env


def run(*args: str | Path, cwd: Path, env: dict[str, str] | None = None) -> str:
    done = subprocess.run(
        [str(a) for a in args],
        cwd=cwd,
        env=env or clean_env(),
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )
    assert done.returncode == 0, (
        f"{' '.join(map(str, args))} failed:\n{done.stdout[-2000:]}\n{done.stderr[-3000:]}"
    )
    return done.stdout


def requires_dist(wheel: Path) -> list[str]:
    with ZipFile(wheel) as archive:
        [name] = [n for n in archive.namelist() if n.endswith(".dist-info/METADATA")]
        metadata = Parser().parsestr(archive.read(name).decode())
    return metadata.get_all("Requires-Dist") or []


def requirement_name(requirement: str) -> str:
    return re.split(r"[\s\[<>=!~;@(]", requirement.strip(), maxsplit=1)[0].lower()


@pytest.fixture(scope="session")
def wheels(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """`uv build --wheel` of every workspace member, straight from its folder (a wheel built
    from the sdist would point at the sdist's temporary folder)."""
    out = tmp_path_factory.mktemp("wheels")
    run(UV, "build", "--all-packages", "--wheel", "--quiet", "--out-dir", out, cwd=ROOT)
    built = {}
    for dist, member in members().items():
        [wheel] = out.glob(f"{member.wheel_stem}-*.whl")
        built[dist] = wheel
    return built


def local_closure(dist: str, wheels: dict[str, Path]) -> set[str]:
    """The workspace packages `dist` needs, itself excluded, from the wheels' metadata."""
    needed: set[str] = set()
    todo = [dist]
    while todo:
        for requirement in requires_dist(wheels[todo.pop()]):
            name = requirement_name(requirement)
            if name in members() and name not in needed:
                needed.add(name)
                todo.append(name)
    needed.discard(dist)
    return needed


def test_every_workspace_package_is_required_by_a_direct_reference_to_its_folder(wheels):
    """A bare name would be looked up on PyPI: `No matching distribution`, or someone else's."""
    for dist, wheel in wheels.items():
        for requirement in requires_dist(wheel):
            name = requirement_name(requirement)
            if name in members():
                folder = (ROOT / members()[name].folder).as_uri()
                assert re.fullmatch(rf"{re.escape(name)} @ {re.escape(folder)}", requirement), (
                    f"{dist} requires {requirement!r}: want '{name} @ {{root:parent:uri}}/"
                    f"{members()[name].folder}' (and [tool.hatch.metadata] "
                    "allow-direct-references = true)"
                )


def about(executable: Path) -> dict:
    return json.loads(run(executable, "--about", "--format=json", cwd=executable.parent))


def assert_connector_runs(venv: Path, member: Member) -> None:
    [executable] = [s for s in member.scripts if s == member.folder]
    described = about(venv / "bin" / executable)
    assert (described["name"], described["version"]) == (executable, member.version)
    assert described["settings"]["properties"], executable


def installed_local_packages(venv: Path) -> dict[str, dict]:
    """Workspace packages in `venv`, with the direct_url.json pip or uv wrote for each."""
    found = {}
    for dist_info in (venv / "lib").glob("python3*/site-packages/*.dist-info"):
        name = Parser().parsestr((dist_info / "METADATA").read_text())["Name"].lower()
        if name in members():
            direct = dist_info / "direct_url.json"
            found[name] = json.loads(direct.read_text()) if direct.exists() else {}
    return found


@pytest.mark.parametrize("member", connectors(), ids=lambda m: m.folder)
def test_connector_wheel_installs_alone_in_a_fresh_venv(member, wheels, tmp_path):
    """The connector's wheel, with the wheels of the workspace packages it needs in place of
    their folders, in a venv of its own: the executable answers `--about`."""
    needed = local_closure(member.dist, wheels)
    overrides = tmp_path / "overrides.txt"
    overrides.write_text("".join(f"{d} @ {wheels[d].as_uri()}\n" for d in sorted(needed)))
    venv = tmp_path / "venv"
    run(UV, "venv", "--quiet", "--python", PYTHON, venv, cwd=tmp_path)
    run(
        UV,
        "pip",
        "install",
        "--quiet",
        "--python",
        venv / "bin" / "python",
        "--override",
        overrides,
        wheels[member.dist],
        cwd=tmp_path,
    )
    installed = installed_local_packages(venv)
    assert set(installed) == needed | {member.dist}
    for dist, direct in installed.items():
        assert direct.get("url") == wheels[dist].as_uri(), dist
    assert_connector_runs(venv, member)


def pip_venv(path: Path) -> Path:
    run(PYTHON, "-m", "venv", path, cwd=path.parent)
    return path


def connector(folder: str) -> Member:
    [member] = [m for m in connectors() if m.folder == folder]
    return member


def copy_of_the_repository(copy: Path) -> Path:
    """A git repository holding this working tree's files (tracked and new, not ignored)."""
    listed = run("git", "ls-files", "-z", "--cached", "--others", "--exclude-standard", cwd=ROOT)
    for name in filter(None, listed.split("\0")):
        source = ROOT / name
        if source.is_file():
            (copy / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, copy / name)
    git = ("git", "-c", "user.name=test", "-c", "user.email=test@localhost")
    run(*git, "init", "--quiet", cwd=copy)
    run(*git, "add", "--all", cwd=copy)
    run(*git, "commit", "--quiet", "--message", "working tree", cwd=copy)
    return copy


def pasted_entries() -> dict[str, list[dict]]:
    """Each connector's `meltano-plugin.yml` entry, by plugin type, as a user pastes it."""
    plugins: dict[str, list[dict]] = {}
    for member in connectors():
        block = yaml.safe_load((ROOT / member.folder / "meltano-plugin.yml").read_text())
        items = (
            block.items()
            if isinstance(block, dict)
            else [("extractors" if member.folder.startswith("tap-") else "loaders", block)]
        )
        for plugin_type, entries in items:
            plugins.setdefault(plugin_type, []).extend(entries)
    return plugins


Installed = list[tuple[Path, Member]]  # (venv, connector installed in it)


def pip_from_folder(work: Path, _repository: Path) -> Installed:
    """`pip install ./target-plytix` in a fresh venv: no uv, no workspace."""
    member = connector("target-plytix")
    venv = pip_venv(work / "venv")
    run(venv / "bin" / "pip", "install", "--quiet", f"./{member.folder}", cwd=ROOT)
    return [(venv, member)]


def pip_from_git(work: Path, repository: Path) -> Installed:
    """`pip install git+file://...#subdirectory=target-photoshelter` in a fresh venv."""
    member = connector("target-photoshelter")
    venv = pip_venv(work / "venv")
    run(
        venv / "bin" / "pip",
        "install",
        "--quiet",
        f"git+{repository.as_uri()}#subdirectory={member.folder}",
        cwd=work,
    )
    return [(venv, member)]


def meltano_install(backend: str, wanted: list[str] | None) -> Callable[[Path, Path], Installed]:
    """A project of the pasted entries (`wanted`, or all), beside the connector folders,
    `meltano install`ed with Meltano's `venv.backend`."""

    def install(work: Path, repository: Path) -> Installed:
        project = work / "project"
        shutil.copytree(repository, project, ignore=shutil.ignore_patterns(".git", "meltano.yml"))
        plugins = {
            plugin_type: [e for e in entries if wanted is None or e["name"] in wanted]
            for plugin_type, entries in pasted_entries().items()
        }
        plugins = {plugin_type: entries for plugin_type, entries in plugins.items() if entries}
        assert sum(map(len, plugins.values())) == len(wanted or connectors())
        (project / "meltano.yml").write_text(
            yaml.safe_dump(
                {
                    "version": 1,
                    "project_id": "install-alone",
                    "send_anonymous_usage_stats": False,
                    "plugins": plugins,
                },
                sort_keys=False,
            )
        )
        run(MELTANO, "install", cwd=project, env={**clean_env(), "MELTANO_VENV_BACKEND": backend})
        return [
            (project / ".meltano" / plugin_type / entry["name"] / "venv", connector(entry["name"]))
            for plugin_type, entries in plugins.items()
            for entry in entries
        ]

    return install


# pip (the virtualenv backend) takes a minute a connector here: one connector is enough for it
SLOW_INSTALLS: dict[str, Callable[[Path, Path], Installed]] = {
    "pip-folder": pip_from_folder,
    "pip-git": pip_from_git,
    "meltano-uv": meltano_install("uv", None),
    "meltano-virtualenv": meltano_install("virtualenv", ["tap-photoshelter"]),
}


@pytest.fixture(scope="module", autouse=True)
def slow_installs(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[dict[str, Future]]:
    """The installs of the selected tests below, started when this module starts, one a CPU:
    they wait on the package registries in part, and overlap the wheel tests.
    """
    selected = {
        item.callspec.params["install"]
        for item in request.session.items
        if item.module is request.module
        and hasattr(item, "callspec")
        and "install" in item.callspec.params
    }
    if not selected:
        yield {}
        return
    repository = copy_of_the_repository(tmp_path_factory.mktemp("repository"))
    with ThreadPoolExecutor(max_workers=min(len(selected), os.cpu_count() or 2)) as pool:
        yield {
            name: pool.submit(SLOW_INSTALLS[name], tmp_path_factory.mktemp(name), repository)
            for name in sorted(selected)
        }


@pytest.mark.parametrize("install", SLOW_INSTALLS)
def test_connector_installs_alone_and_answers_about(install, slow_installs):
    """pip from the folder and from git+file://...#subdirectory=, and `meltano install` of the
    pasted entries with the uv and the virtualenv backends: each executable answers `--about`.
    """
    for venv, member in slow_installs[install].result(timeout=TIMEOUT * 2):
        assert member.dist in installed_local_packages(venv)
        assert_connector_runs(venv, member)
