"""No secret reaches any artefact of a sync: logs, outcomes, warehouse, state, report.

The run uses the emulators' demo credentials; every access token and session token the
emulators hand out during the run is recorded too, and each artefact the run leaves is
read as bytes and searched for all of them.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sync_project import SYS_DIR, Project

from emulators.runtime import DEMO_CREDENTIALS, RunningEmulators, start

pytestmark = pytest.mark.e2e

WRONG_PASSWORD = "wrong-password-4f1c9a"
CONFIGURED_SECRETS = [
    WRONG_PASSWORD,
    DEMO_CREDENTIALS["plytix"]["api_key"],
    DEMO_CREDENTIALS["plytix"]["api_password"],
    DEMO_CREDENTIALS["photoshelter"]["api_key"],
    DEMO_CREDENTIALS["photoshelter"]["password"],
]


class IssuedTokens:
    """Records each token the emulators issue, by wrapping their token factories."""

    def __init__(self, running: RunningEmulators) -> None:
        self.values: list[str] = []
        tokens, sessions = running.plytix.tokens, running.photoshelter.sessions
        issue, open_session = tokens.issue, sessions.open

        def recording_issue(*args, **kwargs):
            access, refresh = issue(*args, **kwargs)
            self.values += [access, refresh]
            return access, refresh

        def recording_open(*args, **kwargs):
            session = open_session(*args, **kwargs)
            self.values.append(session.token)
            return session

        tokens.issue = recording_issue
        sessions.open = recording_open


@pytest.fixture(scope="module")
def emulators() -> Iterator[RunningEmulators]:
    running = start(
        "small",
        seed=42,
        rate_limits=False,
        plytix_settings={"token_lifetime_seconds": 20},
        photoshelter_settings={"session_idle_seconds": 20},
    )
    yield running
    running.stop()


@pytest.fixture(scope="module")
def finished_run(
    emulators: RunningEmulators, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Project, IssuedTokens, str]:
    issued = IssuedTokens(emulators)
    project = Project(Path(tmp_path_factory.mktemp("secrets")), emulators)
    first = project.run("sync")
    # Expire every token and session, so the second run renews them mid-flight too.
    for server in (emulators.plytix, emulators.photoshelter):
        server.clock.advance(3600)
    second = project.run("sync")
    # A run that fails on a wrong password must not print the password it was given.
    refused = Project(
        project.workdir, emulators, extra_env={"TAP_PLYTIX_API_PASSWORD": WRONG_PASSWORD}
    )
    failed = refused.run("tap-plytix", "target-duckdb", check=False)
    assert failed.returncode != 0
    output = "".join(r.stdout + r.stderr for r in (first, second, failed))
    return project, issued, output


def artefacts(project: Project) -> list[Path]:
    """Every file a run leaves: its work folder and Meltano's logs of the session."""
    files = [p for p in project.workdir.rglob("*") if p.is_file()]
    files += [p for p in (SYS_DIR / "logs").rglob("*") if p.is_file()]
    return files


def test_tokens_were_issued_and_renewed_during_the_run(finished_run):
    _, issued, _ = finished_run
    assert len(issued.values) >= 4


def test_no_secret_in_any_artefact_of_the_run(finished_run):
    project, issued, output = finished_run
    secrets = [s.encode() for s in CONFIGURED_SECRETS + issued.values]
    scanned = artefacts(project)
    names = {p.name for p in scanned}
    assert {"warehouse.duckdb", "meltano.db", "report.html", "meltano.log"} <= names
    assert any(p.suffix == ".jsonl" for p in scanned)
    leaks = [
        (str(p), s.decode()[:6] + "...") for p in scanned for s in secrets if s in p.read_bytes()
    ]
    assert leaks == []
    assert [s for s in secrets if s in output.encode()] == []
