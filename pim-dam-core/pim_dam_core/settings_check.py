"""Settings checked against a plugin's `config_jsonschema`, reported as one line naming the
setting: the one formatter for schema errors (the SDK's are several log lines, or a mere
warning on `--discover`). A secret setting never has its value echoed.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from jsonschema import Draft7Validator, ValidationError

from pim_dam_core.errors import ConfigError

EXPECTED = {
    "string": "text",
    "integer": "a whole number",
    "number": "a number",
    "boolean": "true or false",
    "array": "a list",
    "object": "an object",
}
RANGE_VALIDATORS = ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum")


def check_settings(config: Mapping[str, Any], schema: Mapping[str, Any]) -> None:
    """Raise ConfigError for the first setting (in schema order) that breaks the schema."""
    properties = schema.get("properties") or {}
    order = {name: n for n, name in enumerate(properties)}
    errors = sorted(
        Draft7Validator(dict(schema)).iter_errors(dict(config)),
        key=lambda e: (order.get(str(e.path[0]) if e.path else "", -1), list(map(str, e.path))),
    )
    if errors:
        raise ConfigError(describe(errors[0], schema))
    for name, spec in properties.items():
        if spec.get("format") == "date-time" and isinstance(config.get(name), str):
            check_instant(name, config[name])


def describe(error: ValidationError, schema: Mapping[str, Any]) -> str:
    """`setting <name> must be ..., got <value>`: one schema error as a user reads it."""
    path = list(error.path)
    name = str(path[0]) if path else "config"
    where = name + "".join(f"[{p}]" for p in path[1:])
    spec = (schema.get("properties") or {}).get(name) or {}
    secret = bool(spec.get("secret"))
    got = "" if secret else f", got {error.instance!r}"
    wanted: Any = error.validator_value
    if error.validator == "type":
        kinds = [wanted] if isinstance(wanted, str) else list(wanted)
        words = " or ".join(EXPECTED.get(k, k) for k in kinds if k != "null")
        return f"setting {where} must be {words}{got}"
    if error.validator == "enum":
        options = ", ".join(str(v) for v in wanted if v is not None)
        return f"setting {where} must be one of {options}{got}"
    if error.validator == "required":
        return f"setting {error.message.split(chr(39))[1]} is required"
    if error.validator in RANGE_VALIDATORS:
        bounds = error.schema if isinstance(error.schema, Mapping) else {}
        return f"setting {where} must be {range_words(bounds)}{got}"
    if error.validator == "pattern" and not secret:
        return f"setting {where} must match {wanted}{got}"
    return f"setting {where} is invalid: {error.message if not secret else error.validator}"


def range_words(spec: Mapping[str, Any]) -> str:
    """`between 1 and 100`, `a whole number >= 1`, `a number > 0`: what a range allows."""
    kind = (
        "a whole number"
        if spec.get("type") == "integer" or "integer" in (spec.get("type") or [])
        else "a number"
    )
    low, high = spec.get("minimum"), spec.get("maximum")
    if low is not None and high is not None:
        return f"between {low} and {high}"
    bounds = [
        f">= {low}" if low is not None else "",
        f"> {spec['exclusiveMinimum']}" if "exclusiveMinimum" in spec else "",
        f"<= {high}" if high is not None else "",
        f"< {spec['exclusiveMaximum']}" if "exclusiveMaximum" in spec else "",
    ]
    return f"{kind} {' and '.join(b for b in bounds if b)}"


def check_instant(name: str, value: str) -> None:
    """A `date-time` setting must parse (jsonschema does not check formats by default)."""
    try:
        datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise ConfigError(
            f"setting {name} must be an ISO 8601 date or date-time "
            f"(2026-01-31 or 2026-01-31T00:00:00Z), got {value!r}"
        ) from None


def config_error(
    config: Mapping[str, Any], schema: Mapping[str, Any], sdk_errors: list[str] | None = None
) -> ConfigError:
    """The one-line error for settings the SDK refused (its `ConfigValidationError`, whose
    messages are several log lines): ours for the first bad setting, else the SDK's first."""
    try:
        check_settings(config, schema)
    except ConfigError as error:
        return error
    return ConfigError("; ".join(sdk_errors or []) or "the settings do not fit the schema")
