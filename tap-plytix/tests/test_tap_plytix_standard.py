"""The singer-sdk standard tap tests, run against a Plytix emulator of their own.

The SDK builds these tests at collection time and discovers streams then, so this module
starts its own emulator on import (the session fixture starts later).
"""

from __future__ import annotations

import atexit

from singer_sdk.testing import SuiteConfig, get_tap_test_class
from tap_plytix.tap import TapPlytix

from emulators.runtime import DEMO_CREDENTIALS, start

_EMULATORS = start("small", seed=42, rate_limits=False)
atexit.register(_EMULATORS.stop)

TestTapPlytixStandard = get_tap_test_class(
    tap_class=TapPlytix,
    config={
        **DEMO_CREDENTIALS["plytix"],
        "api_url": _EMULATORS.plytix_api_url,
        "auth_url": _EMULATORS.plytix_url,
        "requests_per_10s": 0,
        "requests_per_hour": 0,
    },
    parse_env_config=False,
    suite_config=SuiteConfig(ignore_no_records_for_streams=[]),
)
