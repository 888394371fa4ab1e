"""End-to-end: `meltano run` against emulators of this module's own, on free ports."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from remote_services import Remote
from sync_project import Project

from emulators import catalog
from emulators.runtime import start


@pytest.fixture(scope="module")
def seeded() -> catalog.Catalog:
    return catalog.build("small", 42)


@pytest.fixture(scope="module")
def remote() -> Iterator[Remote]:
    running = start("small", seed=42, rate_limits=False)
    yield Remote(running)
    running.stop()


@pytest.fixture(scope="module")
def project(remote: Remote, tmp_path_factory: pytest.TempPathFactory) -> Project:
    return Project(Path(tmp_path_factory.mktemp("sync")), remote.running)
