"""Session expiry, rate limits, server errors and lost connections in the middle of a sync."""

from __future__ import annotations

import socket
import time

MEDIA_LIST = "GET /psapi/v4.0/media"


def statuses(admin, route: str) -> list[int]:
    return [r["status"] for r in admin.requests()["recent"] if r["route"] == route]


def test_session_expiry_mid_sync_logs_in_again_and_replays(ps_config, run_tap, honoured_admin):
    expected = sorted(m["id"] for m in honoured_admin.state()["media"])
    honoured_admin.settings(session_idle_seconds=1)
    # The first media page answers late: the session idles past its limit meanwhile.
    honoured_admin.fault(route=MEDIA_LIST, action="delay", delay_seconds=1.6, count=1)
    run = run_tap({**ps_config, "per_page": 50})
    assert run.returncode == 0, run.stderr
    assert sorted(run.ids("media")) == expected
    routes = honoured_admin.requests()["by_route"]
    assert routes["POST /psapi/v4.0/authenticate"] == 2
    assert routes["POST /psapi/v4.0/organization/authenticate"] == 2
    assert 401 in statuses(honoured_admin, MEDIA_LIST)


def test_429_with_retry_after_is_waited_out(ps_config, run_tap, photoshelter_admin):
    expected = sorted(m["id"] for m in photoshelter_admin.state()["media"])
    photoshelter_admin.fault(
        route=MEDIA_LIST,
        status=429,
        count=2,
        headers={"Retry-After": "1"},
        body={"errors": [{"id": "TooManyRequestsException", "status": "429"}]},
    )
    run = run_tap(ps_config)
    assert run.returncode == 0, run.stderr
    assert sorted(run.ids("media")) == expected
    assert statuses(photoshelter_admin, MEDIA_LIST)[:3] == [429, 429, 200]
    assert "rate limit (429)" in run.stderr


def test_pacing_to_the_reported_limit_avoids_429(ps_config, run_tap, photoshelter_admin):
    photoshelter_admin.settings(rate_limit=12, rate_window_seconds=4)
    run = run_tap({**ps_config, "per_page": 20})
    assert run.returncode == 0, run.stderr
    log = photoshelter_admin.requests()["recent"]
    assert len(log) > 16
    assert all(r["status"] != 429 for r in log)
    assert len(run.ids("media")) == len(photoshelter_admin.state()["media"])


def test_5xx_and_dropped_connections_are_retried(ps_config, run_tap, photoshelter_admin):
    expected = sorted(m["id"] for m in photoshelter_admin.state()["media"])
    photoshelter_admin.fault(route=MEDIA_LIST, status=503, count=2)
    photoshelter_admin.fault(route="GET /psapi/v4.0/galleries", action="drop", count=1)
    photoshelter_admin.fault(route="GET /psapi/v4.0/collections", action="malformed", count=1)
    run = run_tap(ps_config)
    assert run.returncode == 0, run.stderr
    assert sorted(run.ids("media")) == expected
    assert statuses(photoshelter_admin, MEDIA_LIST)[:3] == [503, 503, 200]
    assert len(run.records["galleries"]) == len(photoshelter_admin.state()["galleries"])


def test_persistent_5xx_fails_with_one_line_error(ps_config, run_tap, photoshelter_admin):
    photoshelter_admin.fault(route=MEDIA_LIST, status=500, count=10)
    run = run_tap({**ps_config, "max_retries": 2})
    assert run.returncode == 1
    last = run.stderr.strip().splitlines()[-1]
    assert last.startswith("tap-photoshelter: error: GET /media: failed after 2 retries")
    assert "Traceback" not in run.stderr


def test_a_refused_loopback_port_fails_at_once_naming_the_setting(ps_config, run_tap):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    url = f"http://127.0.0.1:{port}/psapi/v4.0"
    started = time.monotonic()
    run = run_tap({**ps_config, "api_url": url, "max_retries": 8, "backoff_seconds": 2})
    assert run.returncode == 1
    assert time.monotonic() - started < 15  # no retry series: nothing listens there
    assert run.stderr.strip().splitlines()[-1] == (
        f"tap-photoshelter: error: setting api_url: cannot reach {url}: connection refused "
        f"by 127.0.0.1:{port}: nothing is listening there (is the server running, and is the "
        "port right?)"
    )


def test_a_host_name_that_does_not_resolve_is_named(ps_config, run_tap):
    url = "https://api.photoshelter.invalid/psapi/v4.0"
    run = run_tap({**ps_config, "api_url": url, "max_retries": 8, "backoff_seconds": 2})
    assert run.returncode == 1
    assert run.stderr.strip().splitlines()[-1] == (
        f"tap-photoshelter: error: setting api_url: cannot reach {url}: host "
        "'api.photoshelter.invalid' not found (DNS lookup failed)"
    )


def test_no_answer_in_time_is_a_timeout_after_the_retries(ps_config, run_tap, photoshelter_admin):
    photoshelter_admin.fault(
        route="POST /psapi/v4.0/authenticate", action="delay", delay_seconds=3, count=3
    )
    run = run_tap({**ps_config, "request_timeout": 1, "max_retries": 2})
    assert run.returncode == 1
    assert run.stderr.strip().splitlines()[-1] == (
        f"tap-photoshelter: error: setting api_url: cannot reach {ps_config['api_url']}: no "
        f"answer from {ps_config['api_url'].split('/')[2]} within request_timeout (1 s), "
        "after 2 retries"
    )
