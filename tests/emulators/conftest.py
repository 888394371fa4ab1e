"""Fixtures the Plytix emulator tests share: a ready client and the emulator's state."""

from __future__ import annotations

import pytest
from plytix_emulator_client import Plytix

from emulators.runtime import AdminClient, RunningEmulators


@pytest.fixture
def plytix(
    request: pytest.FixtureRequest, emulators: RunningEmulators, plytix_admin: AdminClient
) -> Plytix:
    """Logged in with the rate limits lifted, so tests see only what they are about; a module
    that sets `PLYTIX_CLIENT = PlytixV2` gets the v2 client (the same account)."""
    client = getattr(request.module, "PLYTIX_CLIENT", Plytix)
    return client(emulators, plytix_admin).login().unlimited()


@pytest.fixture
def state(plytix: Plytix) -> dict:
    """The emulator's whole store at the start of the test."""
    return plytix.admin.state()
