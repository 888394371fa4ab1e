"""Schema errors as one line naming the setting; a secret's value is never echoed."""

from __future__ import annotations

import pytest
from pim_dam_core.errors import ConfigError
from pim_dam_core.settings_check import check_settings
from singer_sdk import typing as th

SCHEMA = th.PropertiesList(
    th.Property("api_key", th.StringType, secret=True, required=True),
    th.Property("page_size", th.IntegerType(minimum=1, maximum=100)),
    th.Property("retries", th.IntegerType(minimum=0)),
    th.Property("mode", th.StringType, allowed_values=["a", "b"]),
    th.Property("code", th.StringType(pattern="^[A-Z]+$")),
    th.Property("start_date", th.DateTimeType),
    th.Property("hosts", th.ArrayType(th.StringType)),
).to_dict()


@pytest.mark.parametrize(
    ("config", "expected"),
    [
        ({}, "setting api_key is required"),
        ({"api_key": 12345678}, "setting api_key must be text"),
        (
            {"api_key": "k", "page_size": 500},
            "setting page_size must be between 1 and 100, got 500",
        ),
        (
            {"api_key": "k", "page_size": "big"},
            "setting page_size must be a whole number, got 'big'",
        ),
        ({"api_key": "k", "retries": -1}, "setting retries must be a whole number >= 0, got -1"),
        ({"api_key": "k", "mode": "c"}, "setting mode must be one of a, b, got 'c'"),
        ({"api_key": "k", "code": "ab"}, "setting code must match ^[A-Z]+$, got 'ab'"),
        ({"api_key": "k", "hosts": "x"}, "setting hosts must be a list, got 'x'"),
        ({"api_key": "k", "hosts": ["a", 3]}, "setting hosts[1] must be text, got 3"),
        (
            {"api_key": "k", "start_date": "last tuesday"},
            "setting start_date must be an ISO 8601 date or date-time",
        ),
    ],
)
def test_the_first_bad_setting_is_named_in_one_line(config, expected):
    with pytest.raises(ConfigError) as refused:
        check_settings(config, SCHEMA)
    assert str(refused.value).startswith(expected)
    assert "12345678" not in str(refused.value)


def test_the_first_setting_in_schema_order_is_reported():
    with pytest.raises(ConfigError, match=r"^setting page_size"):
        check_settings({"api_key": "k", "mode": "z", "page_size": 0}, SCHEMA)


def test_good_settings_pass():
    check_settings(
        {
            "api_key": "k",
            "page_size": 100,
            "retries": 0,
            "mode": "a",
            "start_date": "2026-01-31T00:00:00Z",
        },
        SCHEMA,
    )
