"""Date windows split the way a 428 needs, also for data stamped after the current time."""

from __future__ import annotations

from datetime import UTC, datetime

from tap_plytix.modified_ranges import ModifiedRange, parse_instant


def test_an_open_window_is_cut_at_now_then_halved():
    now = datetime(2026, 6, 1, tzinfo=UTC)
    first, rest = ModifiedRange("2026-01-01T00:00:00+00:00", None).split(now)
    assert rest.end is None and parse_instant(first.end) == now
    low, high = first.split()
    assert low.start == first.start and high.end == first.end and low.end == high.start
    assert parse_instant(low.start) < parse_instant(low.end) < parse_instant(high.end)


def test_an_open_window_after_now_steps_forward():
    now = datetime(2026, 6, 1, tzinfo=UTC)
    window, rest = ModifiedRange("2026-07-01T00:00:00+00:00", None).split(now)
    assert parse_instant(window.end) > parse_instant(window.start) > now
    assert rest.start == window.end and rest.end is None
