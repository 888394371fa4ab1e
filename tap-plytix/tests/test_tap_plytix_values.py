"""The shared client's readers of loose values and of stated limits (claim names unconfirmed)."""

from __future__ import annotations

import base64
import json

import pytest
from plytix_api import UnreadableError, attribute_value, coerce
from plytix_api.limits import jwt_claims, limits_from_claims, limits_from_headers


@pytest.mark.parametrize(
    ("type_class", "value", "want", "coerced"),
    [
        ("DateAttribute", "2023-02-27T00:00:00", "2023-02-27", True),
        ("DateAttribute", "2023-02-27", "2023-02-27", False),
        ("IntAttribute", "123456", 123456, True),
        ("IntAttribute", 7.0, 7, True),
        ("DecimalAttribute", "12.50", 12.5, True),
        ("DecimalAttribute", 3, 3, False),
        ("CompletenessAttribute", 71.43, 71.43, False),
        ("BooleanAttribute", "true", True, True),
        ("TextAttribute", 5, "5", True),
        ("TextAttribute", "", None, True),
        ("MediaGalleryAttribute", ["a1", "a2"], ["a1", "a2"], False),  # v2: id strings
        (
            "MediaGalleryAttribute",
            [{"id": "a1", "filename": "x.jpg", "thumb": "t", "url": "u"}],
            ["a1"],
            False,
        ),  # v1: thin expansion
        ("MediaAttribute", ["a1"], "a1", False),  # v2: a one-element list
        (
            "MediaAttribute",
            {"filename": "x.jpg", "id": "a1", "path": "p", "thumb": "t"},
            "a1",
            False,
        ),
        ("MultiSelectAttribute", "cotton", ["cotton"], True),
    ],
)
def test_loose_values_read_as_their_type(type_class, value, want, coerced):
    assert attribute_value(type_class, value) == (want, coerced)


@pytest.mark.parametrize(
    ("type_class", "value"),
    [
        ("IntAttribute", "12,5"),
        ("IntAttribute", 2**64),
        ("DecimalAttribute", "12,50"),
        ("BooleanAttribute", "maybe"),
        ("DateAttribute", "yesterday"),
        ("TextAttribute", {"a": 1}),
    ],
)
def test_values_that_cannot_be_read_say_so(type_class, value):
    with pytest.raises(UnreadableError):
        attribute_value(type_class, value)


def test_zone_less_timestamps_are_utc():
    assert coerce("string", "2024-11-13T11:20:30.578000", "date-time") == (
        "2024-11-13T11:20:30.578000+00:00",
        True,
    )
    assert coerce("string", "2024-11-13T11:20:30Z", "date-time") == ("2024-11-13T11:20:30Z", False)


def token(claims: dict) -> str:
    def part(data: dict) -> str:
        return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()

    return f"{part({'alg': 'HS256'})}.{part(claims)}.sig"


@pytest.mark.parametrize(
    ("claims", "want"),
    [
        (
            {"rate_limit_per_10s": 20, "rate_limit_per_hour": 15000, "exp": 1, "iat": 0},
            {10.0: 20, 3600.0: 15000},
        ),
        (
            {"limits": {"requests_per_10_seconds": "50", "requests_per_hour": 5000}},
            {10.0: 50, 3600.0: 5000},
        ),
        ({"rateLimit": {"hourly": 2000}}, {3600.0: 2000}),
        ({"account_id": "abc", "exp": 99999, "plan_limit": "free"}, {}),
        ({"rate_limit_per_hour": 0, "rate_limit_per_10s": True}, {}),
    ],
)
def test_limits_are_read_from_claims_of_any_plausible_name(claims, want):
    assert limits_from_claims(jwt_claims(token(claims))) == want


def test_an_unreadable_token_has_no_claims():
    assert jwt_claims("not-a-jwt") == {} and jwt_claims("a.!!!.c") == {}


def test_limits_are_read_from_headers():
    assert limits_from_headers({"x-ratelimit-limit-second": "8", "ratelimit-limit": "8"}) == {
        1.0: 8
    }
    assert limits_from_headers({"RateLimit-Policy": "20;w=10, 15000;w=3600"}) == {
        10.0: 20,
        3600.0: 15000,
    }
    assert limits_from_headers({"X-RateLimit-Limit-Hour": "x"}) == {}
