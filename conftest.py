"""Fixtures for every test folder (tests/, each connector's tests/): both emulators on free
ports, reset to the seed before each test."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from emulators.runtime import AdminClient, RunningEmulators, start


@pytest.fixture(scope="session")
def emulators() -> Iterator[RunningEmulators]:
    """Both emulators (catalogue `small`, seed 42), started once for the session."""
    running = start("small", seed=42)
    yield running
    running.stop()


@pytest.fixture
def plytix_admin(emulators: RunningEmulators) -> AdminClient:
    """The Plytix emulator's admin API, after a reset to the seed and the start settings."""
    admin = AdminClient(emulators.plytix_url)
    admin.reset()
    return admin


@pytest.fixture
def photoshelter_admin(emulators: RunningEmulators) -> AdminClient:
    """The PhotoShelter emulator's admin API, after a reset to the seed and the start settings."""
    admin = AdminClient(emulators.photoshelter_url)
    admin.reset()
    return admin
