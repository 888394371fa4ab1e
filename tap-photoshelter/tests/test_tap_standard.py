"""singer-sdk's standard tap tests, against an emulator of their own (started at import,
because the SDK builds the test class, and discovers the streams, when the module loads)."""

from __future__ import annotations

import atexit

from singer_sdk.testing import get_tap_test_class
from tap_photoshelter.tap import TapPhotoShelter

from emulators.runtime import DEMO_CREDENTIALS, start

_RUNNING = start("small", seed=7, rate_limits=False)
atexit.register(_RUNNING.stop)

TestTapPhotoShelter = get_tap_test_class(
    TapPhotoShelter,
    config={
        **DEMO_CREDENTIALS["photoshelter"],
        "api_url": _RUNNING.photoshelter_api_url,
        "per_page": 100,
    },
)
