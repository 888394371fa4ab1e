"""The emulator's settings: defaults, and checks for `POST /_emulator/settings`.

Defaults are the real service's strict behaviour (docs/apis/plytix.md, the [revised] points);
the other reading of each uncertain behaviour is one setting away.
"""

from __future__ import annotations

from typing import Any

DEFAULTS: dict[str, Any] = {
    "token_lifetime_seconds": 900,
    "requests_per_10s": 20,
    "requests_per_hour": 2000,
    "auth_requests_per_second": 8,
    "patch_mode": "merge",
    "max_columns": 20,
    "v2_max_columns": 50,
    "default_page_size": 25,
    "max_page_size": 100,
    "max_ordered_results": 10_000,
    "max_assets_per_product": 300,
    "download_timeout_seconds": 10,
    "pagination_count": "page",
    "operator_rules": "strict",
    "value_types": "loose",
    "unknown_write_keys": "ignore",
    "duplicate_asset_url": "conflict",
    "retry_after_on_429": False,
    "trailing_slash_redirect": True,
    "v1_products": "deprecated",
    "v2_enabled": True,
    "v2_reference_shape": "objects",
    "api_key": "demo-key",
    "api_password": "demo-password",
}
"""0 disables a limit (rate limits, column caps, 428 threshold, asset cap)."""
CHOICES = {
    "patch_mode": ("merge", "replace"),
    "pagination_count": ("page", "total"),
    "operator_rules": ("strict", "any"),
    "value_types": ("loose", "strict"),
    "unknown_write_keys": ("ignore", "refuse"),
    "duplicate_asset_url": ("conflict", "allow"),
    "v1_products": ("deprecated", "gone"),
    "v2_reference_shape": ("objects", "ids"),
}
SECRET = ("api_password",)


def merged(current: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
    """`current` with `changes` applied; KeyError/TypeError/ValueError name the bad setting."""
    if not isinstance(changes, dict):
        raise TypeError("settings must be a JSON object")
    result = dict(current)
    for name, value in changes.items():
        if name not in DEFAULTS:
            raise KeyError(f"unknown setting {name!r}; known: {', '.join(sorted(DEFAULTS))}")
        default = DEFAULTS[name]
        if name in CHOICES and value not in CHOICES[name]:
            raise ValueError(f"{name} must be one of {CHOICES[name]}, got {value!r}")
        if isinstance(default, bool):
            if not isinstance(value, bool):
                raise ValueError(f"{name} must be true or false, got {value!r}")
        elif isinstance(default, int) and (
            isinstance(value, bool) or not isinstance(value, int | float) or value < 0
        ):
            raise ValueError(f"{name} must be a number >= 0, got {value!r}")
        if isinstance(default, str) and not isinstance(value, str):
            raise ValueError(f"{name} must be a string, got {value!r}")
        result[name] = value
    return result


def shown(current: dict[str, Any]) -> dict[str, Any]:
    """Settings as the admin API returns them: secrets masked."""
    return {k: ("***" if k in SECRET else v) for k, v in current.items()}
