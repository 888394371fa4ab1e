"""Fixtures of the Postgres tests: a database of each test's own on the machine's server."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from pg_database import scratch_database

from emulators.runtime import RunningEmulators, start


@pytest.fixture
def pg_url() -> Iterator[str]:
    """URL of an empty database of this test's own (skipped when no server answers)."""
    with scratch_database() as url:
        yield url


@pytest.fixture(scope="module")
def running() -> Iterator[RunningEmulators]:
    emulators = start("small", seed=42, rate_limits=False)
    yield emulators
    emulators.stop()
