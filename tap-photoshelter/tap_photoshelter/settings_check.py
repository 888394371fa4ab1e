"""Check a plugin's settings before anything runs: one line naming each bad setting.

The SDK's own check logs several lines (and, for a tap in discovery, only warns); ours
raises one ConfigError that the CLI prints as `prog: error: ...`. Values of secret
settings are never echoed, only their type.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from jsonschema import Draft7Validator
from jsonschema.exceptions import ValidationError

from tap_photoshelter.api.errors import ConfigError

TYPE_WORDS = {"integer": "a whole number", "number": "a number", "boolean": "true or false",
              "string": "text", "array": "a list", "object": "an object"}

PYTHON_TYPE_WORDS = {"int": "a whole number", "float": "a number", "bool": "true or false",
                     "str": "text", "list": "a list", "dict": "an object", "NoneType": "null"}


def check_against_schema(config: Mapping[str, Any], schema: dict[str, Any]) -> None:
    """Missing required settings and wrong types, all in one line, in schema order."""
    properties: dict[str, Any] = schema.get("properties", {})
    order = {name: n for n, name in enumerate(properties)}
    problems: list[tuple[int, str]] = []
    for error in Draft7Validator(schema).iter_errors(dict(config)):
        name = _setting_of(error)
        problems.append((order.get(name, len(order)), _describe(error, name, properties)))
    if problems:
        raise ConfigError("; ".join(text for _, text in sorted(problems)))


def _setting_of(error: ValidationError) -> str:
    if error.validator == "required":
        missing = [n for n in error.validator_value if n not in (error.instance or {})]
        return missing[0] if missing else ""
    return str(error.absolute_path[0]) if error.absolute_path else ""


def _describe(error: ValidationError, name: str, properties: dict[str, Any]) -> str:
    if error.validator == "required":
        return f"setting {name} is required"
    where = ".".join(str(p) for p in error.absolute_path) or name
    secret = bool(properties.get(name, {}).get("secret"))
    shown = PYTHON_TYPE_WORDS.get(type(error.instance).__name__, "another type") if secret \
        else repr(error.instance)
    if error.validator == "type":
        wanted = error.validator_value
        kinds = [wanted] if isinstance(wanted, str) else list(wanted)
        words = " or ".join(TYPE_WORDS.get(k, k) for k in kinds if k != "null")
        return f"setting {where}: expected {words}, got {shown}"
    if secret:
        return f"setting {where}: not a valid value"
    return f"setting {where}: {error.message}"


def whole_number_in(config: Mapping[str, Any], name: str, low: int, high: int) -> None:
    value = config.get(name)
    if value is not None and not low <= value <= high:
        raise ConfigError(f"setting {name}: {value} is outside {low}..{high}")
