"""Settings checked against the plugin's JSON schema, reported as one line naming the setting.

The SDK reports schema errors as several log lines (or only a warning on `--discover`);
a user needs one line that says which setting is wrong and what it should be. Secret
settings never have their value echoed.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from jsonschema import Draft7Validator, ValidationError

from tap_plytix.api.errors import ConfigError

EXPECTED = {"string": "text", "integer": "a whole number", "number": "a number",
            "boolean": "true or false", "array": "a list", "object": "an object"}


def check_config(config: Mapping[str, Any], schema: dict[str, Any]) -> None:
    """Raise ConfigError for the first setting (in schema order) that breaks the schema."""
    order = {name: n for n, name in enumerate(schema.get("properties") or {})}
    errors = sorted(Draft7Validator(schema).iter_errors(dict(config)),
                    key=lambda e: (order.get(str(e.path[0]) if e.path else "", -1),
                                   list(map(str, e.path))))
    if errors:
        raise ConfigError(describe(errors[0], schema))
    for name, spec in (schema.get("properties") or {}).items():
        if spec.get("format") == "date-time" and isinstance(config.get(name), str):
            check_instant(name, config[name])


def describe(error: ValidationError, schema: dict[str, Any]) -> str:
    path = list(error.path)
    name = str(path[0]) if path else "config"
    where = name + "".join(f"[{p}]" for p in path[1:])
    secret = bool(((schema.get("properties") or {}).get(name) or {}).get("secret"))
    got = "" if secret else f", got {error.instance!r}"
    if error.validator == "type":
        wanted = error.validator_value
        kinds = [wanted] if isinstance(wanted, str) else list(wanted)
        words = " or ".join(EXPECTED.get(k, k) for k in kinds if k != "null")
        return f"setting {where} must be {words}{got}"
    if error.validator == "enum":
        options = ", ".join(str(v) for v in error.validator_value if v is not None)
        return f"setting {where} must be one of {options}{got}"
    if error.validator == "required":
        return f"setting {error.message.split(chr(39))[1]} is required"
    return f"setting {where} is invalid: {error.message if not secret else error.validator}"


def check_instant(name: str, value: str) -> None:
    try:
        datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise ConfigError(f"setting {name} must be an ISO 8601 date or date-time "
                          f"(2026-01-31 or 2026-01-31T00:00:00Z), got {value!r}") from None
