"""Fixtures for target-plytix tests: a config pointing at the emulator, seeded SKUs and
media (the emulators themselves come from the root conftest.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from emulators.runtime import DEMO_CREDENTIALS, AdminClient, RunningEmulators


@pytest.fixture
def target_config(
    emulators: RunningEmulators, plytix_admin: AdminClient, tmp_path: Path
) -> dict[str, Any]:
    plytix_admin.settings(requests_per_10s=0, requests_per_hour=0)
    return {
        **DEMO_CREDENTIALS["plytix"],
        "api_url": emulators.plytix_api_url,
        "auth_url": emulators.plytix_url,
        "requests_per_10s": 0,
        "requests_per_hour": 0,
        "backoff_base_seconds": 0.05,
        "outcomes_path": str(tmp_path / "outcomes.jsonl"),
    }


@pytest.fixture
def media_ids(emulators: RunningEmulators, photoshelter_admin: AdminClient) -> list[str]:
    """Ids of real PhotoShelter emulator media (their img-get2 links serve JPEG bytes)."""
    return list(emulators.photoshelter.store.media)[:12]


@pytest.fixture
def skus(plytix_admin: AdminClient) -> list[str]:
    """SKUs of sellable seeded products (variants and singles)."""
    return [p["sku"] for p in plytix_admin.state()["products"] if p["product_level"] != 1]
