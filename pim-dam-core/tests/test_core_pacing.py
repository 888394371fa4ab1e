"""The pacer holds callers to every window, to a server's budget and to a 429's pause."""

from __future__ import annotations

from pim_dam_core.pacing import Pacer


class FakeTime:
    """A clock that only moves when someone sleeps."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


def send_times(pacer: Pacer, fake: FakeTime, n: int) -> list[float]:
    times = []
    for _ in range(n):
        pacer.acquire()
        times.append(round(fake.now - 1000.0, 6))
    return times


def test_a_fixed_window_lets_limit_requests_through_then_waits_for_the_oldest():
    fake = FakeTime()
    pacer = Pacer([(10.0, 3)], clock=fake.clock, sleep=fake.sleep)
    assert send_times(pacer, fake, 7) == [0, 0, 0, 10, 10, 10, 20]
    assert fake.sleeps == [10.0, 10.0]


def test_the_in_flight_margin_and_two_windows_both_hold():
    fake = FakeTime()
    pacer = Pacer([(1.0, 2), (10.0, 4)], margin=0.25, clock=fake.clock, sleep=fake.sleep)
    assert send_times(pacer, fake, 6) == [0, 0, 1.25, 1.25, 10.25, 10.25]


def test_a_zero_limit_means_no_window_and_tighten_only_makes_it_stricter():
    fake = FakeTime()
    pacer = Pacer([(10.0, 0), (3600.0, 100)], clock=fake.clock, sleep=fake.sleep)
    assert pacer.limits() == {3600.0: 100}
    assert pacer.tighten(3600.0, 50) is True and pacer.tighten(3600.0, 80) is False
    assert pacer.tighten(10.0, 2) is True and pacer.limits() == {3600.0: 50, 10.0: 2}
    assert send_times(pacer, fake, 3) == [0, 0, 10]


def test_pause_holds_everyone_until_the_retry_after_has_passed():
    fake = FakeTime()
    pacer = Pacer(clock=fake.clock, sleep=fake.sleep)
    pacer.acquire()
    pacer.pause(30.0)
    pacer.pause(5.0)  # a shorter pause never shortens a longer one
    assert pacer.acquire() == 30.0 and fake.now == 1030.0


def test_a_reported_budget_is_learned_and_kept():
    fake = FakeTime()
    pacer = Pacer(clock=fake.clock, sleep=fake.sleep)
    send_times(pacer, fake, 2)
    fake.now += 4.0
    # the server counted our 2 requests of 3 allowed; the oldest leaves in 6 s: a 10 s window
    pacer.observe({"limit": 3, "current": 2, "expires": 6})
    assert pacer.server_budget is not None
    assert (pacer.server_budget.seconds, pacer.server_budget.limit) == (10.0, 3)
    assert send_times(pacer, fake, 2) == [4, 10]


def test_a_spent_budget_pauses_until_it_expires_and_nonsense_is_ignored():
    fake = FakeTime()
    pacer = Pacer(clock=fake.clock, sleep=fake.sleep)
    pacer.observe({"limit": "x"})
    pacer.observe(["not", "a", "report"])
    assert pacer.server_budget is None
    pacer.observe({"limit": 5, "current": 5, "expires": 12})
    assert pacer.acquire() == 12.0
