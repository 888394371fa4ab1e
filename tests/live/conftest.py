"""The live smoke suite's accounts, from the environment (or `.env` in the project root).

Plytix: PLYTIX_API_KEY, PLYTIX_API_PASSWORD (and PLYTIX_API_URL / PLYTIX_AUTH_URL to point
elsewhere than https://pim.plytix.com / https://auth.plytix.com). PhotoShelter:
PHOTOSHELTER_API_KEY, PHOTOSHELTER_EMAIL, PHOTOSHELTER_PASSWORD, PHOTOSHELTER_ORG_ID (and
PHOTOSHELTER_API_URL). Without them, each test is skipped saying which are missing.
Writes happen only with LIVE_PLYTIX_SANDBOX_SKU (a product whose label is changed and put
back) and LIVE_PHOTOSHELTER_SANDBOX_GALLERY (a gallery id whose description is changed and
put back).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from live_accounts import photoshelter_config, plytix_config
from photoshelter_api import PhotoShelterClient
from plytix_api import PlytixClient


@pytest.fixture(scope="module")
def plytix() -> PlytixClient:
    """The account's client (paced to the free plan's limits unless the token says less)."""
    return PlytixClient.from_config(plytix_config())


@pytest.fixture(scope="module")
def photoshelter() -> Iterator[PhotoShelterClient]:
    """One session for the module, logged out at its end."""
    client = PhotoShelterClient.from_config(photoshelter_config())
    yield client
    client.close()
