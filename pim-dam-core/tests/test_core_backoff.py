"""Retry-After in both of its forms, and the backoff steps."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest
from pim_dam_core.backoff import MAX_RETRY_AFTER_SECONDS, Backoff, retry_after_seconds

NOW = datetime(2026, 12, 2, 21, 0, 0, tzinfo=UTC)


def clock() -> float:
    return NOW.timestamp()


@pytest.mark.parametrize(
    ("value", "seconds"), [("7", 7.0), ("0.5", 0.5), ("0", 0.0), ("-3", 0.0), ("86400", 3600.0)]
)
def test_retry_after_in_seconds(value, seconds):
    assert retry_after_seconds({"Retry-After": value}, now=clock) == seconds


def test_retry_after_as_an_http_date():
    later = format_datetime(NOW + timedelta(seconds=42), usegmt=True)
    assert later.endswith("GMT")
    assert retry_after_seconds({"Retry-After": later}, now=clock) == pytest.approx(42.0)


def test_an_http_date_in_the_past_means_now_and_a_far_one_is_capped():
    past = format_datetime(NOW - timedelta(minutes=5), usegmt=True)
    far = format_datetime(NOW + timedelta(days=2), usegmt=True)
    assert retry_after_seconds({"Retry-After": past}, now=clock) == 0.0
    assert retry_after_seconds({"Retry-After": far}, now=clock) == MAX_RETRY_AFTER_SECONDS


@pytest.mark.parametrize(
    "headers", [None, {}, {"Retry-After": ""}, {"Retry-After": "soon"}, {"Retry-After": "nan"}]
)
def test_no_or_unreadable_retry_after_is_none(headers):
    assert retry_after_seconds(headers, now=clock) is None


def test_backoff_doubles_with_jitter_up_to_the_cap_and_counts_retries():
    slept: list[float] = []
    backoff = Backoff(max_retries=3, base_seconds=1.0, max_seconds=5.0, sleep=slept.append)
    for attempt, cap in enumerate([1.0, 2.0, 4.0, 5.0, 5.0]):
        for _ in range(50):
            assert cap / 2 <= backoff.delay(attempt) <= cap
    assert [backoff.exhausted(n) for n in range(5)] == [False, False, False, True, True]
    waited = backoff.wait(1)
    assert slept == [waited] and 1.0 <= waited <= 2.0


def test_the_retry_loop_waits_between_attempts_and_gives_up_with_the_last_problem():
    from pim_dam_core.backoff import Again, retry_loop

    answers = [Again("HTTP 503", 503), Again("renewed", counted=False), Again("timed out"), "done"]
    waits: list[tuple[str, int]] = []
    result = retry_loop(
        lambda attempt: answers.pop(0),
        Backoff(max_retries=2),
        lambda again, attempt: waits.append((again.problem, attempt)),
        lambda again, attempts: RuntimeError("unused"),
    )
    assert result == "done" and waits == [("HTTP 503", 0), ("timed out", 1)]

    with pytest.raises(RuntimeError, match="HTTP 502 after 3 attempts"):
        retry_loop(
            lambda attempt: Again("HTTP 502", 502),
            Backoff(max_retries=2),
            lambda again, attempt: None,
            lambda again, attempts: RuntimeError(f"{again.problem} after {attempts} attempts"),
        )
