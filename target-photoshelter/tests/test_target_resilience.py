"""Session expiry and 429 mid-run; state and outcomes when a write finally fails."""

from __future__ import annotations

from ps_target_helpers import messages

from emulators.runtime import DEMO_CREDENTIALS


def test_session_expiry_and_429_mid_run(ps_target_config, run_target, photoshelter_admin):
    ids = sorted(m["id"] for m in photoshelter_admin.state()["media"])[:4]
    photoshelter_admin.settings(session_idle_seconds=1)
    photoshelter_admin.fault(
        route="GET /psapi/v4.0/media/{media_id}/iptc", action="delay", delay_seconds=1.6, count=1
    )
    photoshelter_admin.fault(
        route="PATCH /psapi/v4.0/media/{media_id}/iptc",
        status=429,
        count=1,
        headers={"Retry-After": "1"},
    )
    records = [{"media_id": m, "iptc": {"title": f"T{n}"}} for n, m in enumerate(ids)]
    run = run_target(
        ps_target_config, messages("media_metadata", records, state={"bookmarks": {"done": True}})
    )
    assert run.returncode == 0, run.stderr
    assert run.outcome_counts() == {"updated": 4}
    assert run.states == [{"bookmarks": {"done": True}}]
    titles = {m["id"]: m["iptc"]["title"] for m in photoshelter_admin.state()["media"]}
    assert [titles[m] for m in ids] == ["T0", "T1", "T2", "T3"]
    routes = photoshelter_admin.requests()["by_route"]
    assert routes["POST /psapi/v4.0/authenticate"] == 2
    assert routes["POST /psapi/v4.0/organization/authenticate"] == 2


def test_failed_write_fails_the_run_after_flushing_outcomes(
    ps_target_config, run_target, photoshelter_admin
):
    media_id = sorted(m["id"] for m in photoshelter_admin.state()["media"])[0]
    lines = messages(
        "media_metadata",
        [{"media_id": media_id, "iptc": {"colour": "red"}}],
        state={"bookmarks": {"first": 1}},
    )
    lines += [
        {
            "type": "RECORD",
            "stream": "media_metadata",
            "record": {"media_id": media_id, "iptc": {"title": "fails"}},
        },
        {"type": "STATE", "value": {"bookmarks": {"second": 1}}},
    ]
    photoshelter_admin.fault(route="PATCH /psapi/v4.0/media/{media_id}/iptc", status=500, count=50)
    run = run_target({**ps_target_config, "max_retries": 1}, lines)
    assert run.returncode == 1
    assert run.stderr.strip().splitlines()[-1] == (
        f"target-photoshelter: error: PATCH /media/{media_id}/iptc: failed after 1 retries "
        "(HTTP 500)"
    )
    assert run.states == []
    assert [o["outcome"] for o in run.outcomes] == ["rejected"]
    summary = [line for line in run.stderr.splitlines() if "media_metadata   " in line]
    assert summary and summary[0].split()[-4:] == ["0", "0", "0", "1"]
    secrets = DEMO_CREDENTIALS["photoshelter"]
    assert secrets["password"] not in run.stderr and secrets["api_key"] not in run.stderr


def test_refused_second_write_rolls_back_the_first(
    ps_target_config, run_target, photoshelter_admin
):
    media_id = sorted(m["id"] for m in photoshelter_admin.state()["media"])[0]
    before = photoshelter_admin.call("GET", f"media/{media_id}")
    photoshelter_admin.fault(
        route="PATCH /psapi/v4.0/media/{media_id}/custom-metadata",
        status=400,
        count=1,
        body={"errors": [{"id": "BadRequestException", "status": "400", "detail": "tag refused"}]},
    )
    run = run_target(
        ps_target_config,
        messages(
            "media_metadata",
            [
                {
                    "media_id": media_id,
                    "iptc": {"title": "Half"},
                    "keywords": ["sku:HALF-1"],
                    "custom_metadata": {"Color": "Red"},
                }
            ],
        ),
    )
    assert run.returncode == 0, run.stderr
    [outcome] = run.outcomes
    assert outcome["outcome"] == "rejected"
    assert outcome["reason"].endswith(
        "(its IPTC change was rolled back, so nothing of this record was written)"
    )
    after = photoshelter_admin.call("GET", f"media/{media_id}")
    assert after["iptc"] == before["iptc"]
    assert after["custom_metadata"] == before["custom_metadata"]
