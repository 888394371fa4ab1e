"""Fixtures for check and setup: the dev settings as Meltano resolves them, pointed at the
session's emulators, and API helpers that arrange an account the way its owner would."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any

import pytest
from pim_dam_check import config
from pim_dam_check.check import Findings, run
from plytix_api import PlytixClient
from sync_project import base_env, emulator_env

from emulators.runtime import AdminClient, RunningEmulators


@pytest.fixture(scope="session")
def dev_settings(emulators: RunningEmulators) -> config.SyncConfig:
    """`meltano config print` of every plugin in dev, URLs pointed at the emulators."""
    return config.load("dev", env={**base_env(), **emulator_env(emulators)})


@pytest.fixture
def settings(
    dev_settings: config.SyncConfig, plytix_admin: AdminClient, photoshelter_admin: AdminClient
) -> config.SyncConfig:
    """A copy a test may change (both emulators reset to the seed)."""
    return copy.deepcopy(dev_settings)


@pytest.fixture
def plytix_api(settings: config.SyncConfig) -> PlytixClient:
    return PlytixClient.from_config(
        {**settings.of("tap-plytix"), "requests_per_10s": 0, "requests_per_hour": 0}
    )


@pytest.fixture
def checked() -> Iterator[Any]:
    """`checked(settings)` runs check and closes its PhotoShelter sessions afterwards."""
    opened: list[Findings] = []

    def go(settings: config.SyncConfig) -> Findings:
        found = run(settings)
        found.close()
        opened.append(found)
        return found

    yield go
