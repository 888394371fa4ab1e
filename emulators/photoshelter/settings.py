"""The emulator's knobs: the numbers the real service does not publish, plus test switches."""

from __future__ import annotations

from typing import Any

DEFAULTS: dict[str, Any] = {
    "public_base_url": "http://127.0.0.1",
    "session_idle_seconds": 7200.0,
    "max_sessions": 10,
    "rate_limit": 600,
    "rate_window_seconds": 60.0,
    "default_per_page": 50,
    "max_per_page": 1000,
    "include_supported": True,
    "rate_limit_in_lists": False,
}
"""Built-in defaults. `rate_limit` 0 means unlimited; `max_sessions` 0 means unlimited.
`rate_limit_in_lists` also reports `meta.rate_limit` in list responses (the contract only
documents it for single objects)."""


def coerce(name: str, value: Any) -> Any:
    """The value of setting `name` in the type of its default; KeyError/TypeError/ValueError."""
    if name not in DEFAULTS:
        raise KeyError(f"unknown setting {name!r}; known: {', '.join(sorted(DEFAULTS))}")
    default = DEFAULTS[name]
    if isinstance(default, bool):
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.lower() in ("true", "false"):
            return value.lower() == "true"
        raise TypeError(f"{name} must be true or false, got {value!r}")
    if isinstance(default, str):
        if not isinstance(value, str):
            raise TypeError(f"{name} must be a string, got {value!r}")
        return value.rstrip("/")
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise TypeError(f"{name} must be a number, got {value!r}")
    number = type(default)(value)
    if number < 0:
        raise ValueError(f"{name} must not be negative, got {value!r}")
    if name == "max_per_page" and number < 1:
        raise ValueError("max_per_page must be at least 1")
    return number
