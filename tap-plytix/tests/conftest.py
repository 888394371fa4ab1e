"""Fixtures for tap-plytix tests: a config pointing at the emulator (the emulators
themselves come from the root conftest.py)."""

from __future__ import annotations

from typing import Any

import pytest

from emulators.runtime import DEMO_CREDENTIALS, AdminClient, RunningEmulators


@pytest.fixture
def plytix_config(emulators: RunningEmulators, plytix_admin: AdminClient) -> dict[str, Any]:
    """Tap config for the emulator with rate limits off (tests that need them turn them on)."""
    plytix_admin.settings(requests_per_10s=0, requests_per_hour=0)
    return {
        **DEMO_CREDENTIALS["plytix"],
        "api_url": emulators.plytix_api_url,
        "auth_url": emulators.plytix_url,
        "requests_per_10s": 0,
        "requests_per_hour": 0,
        "backoff_base_seconds": 0.05,
    }
