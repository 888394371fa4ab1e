"""Chaos fixtures: one lab on the session's emulators, references computed once per session."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from chaos_trial import Lab

from emulators.runtime import RunningEmulators


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "chaos: meltano run sync under faults and SIGKILL, compared with a "
        "fault-free run (slow; select with -m chaos)",
    )


@pytest.fixture(scope="session")
def chaos_lab(
    emulators: RunningEmulators, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Lab]:
    """Trials on the session's emulators (catalogue `small`, seed 42); each trial resets them."""
    yield Lab(tmp_path_factory.mktemp("chaos"), running=emulators, catalog_seed=42)
