"""Secrets never reach the outcomes file, the state messages or the logs of the target."""

from __future__ import annotations

from pathlib import Path

from ps_target_helpers import messages

from emulators.runtime import DEMO_CREDENTIALS

SECRETS = DEMO_CREDENTIALS["photoshelter"]


def test_an_error_body_that_echoes_secrets_is_redacted_everywhere(
    ps_target_config, run_target, photoshelter_admin
):
    media_id = photoshelter_admin.state()["media"][0]["id"]
    echo = (
        f"rejected api_key={SECRETS['api_key']} password: {SECRETS['password']} "
        f"for {SECRETS['email']}"
    )
    photoshelter_admin.fault(
        route="PATCH /psapi/v4.0/media/{media_id}/iptc",
        status=400,
        count=1,
        body={"errors": [{"id": "BadRequestException", "status": "400", "detail": echo}]},
    )
    run = run_target(
        ps_target_config,
        messages(
            "media_metadata",
            [{"media_id": media_id, "iptc": {"title": "Echo"}}],
            state={"bookmarks": {"x": 1}},
        ),
    )
    assert run.returncode == 0, run.stderr
    [outcome] = run.outcomes
    assert outcome["outcome"] == "rejected"
    assert outcome["reason"].startswith("PhotoShelter refused the write: PATCH /media/")
    assert "api_key=***" in outcome["reason"] and "password: ***" in outcome["reason"]
    assert run.states == [{"bookmarks": {"x": 1}}]
    written = Path(ps_target_config["outcomes_path"]).read_text()
    for secret in (SECRETS["api_key"], SECRETS["password"]):
        assert secret not in written
        assert secret not in run.stdout
        assert secret not in run.stderr


def test_outcomes_are_appended_per_run_with_their_run_id(
    ps_target_config, run_target, photoshelter_admin, tmp_path
):
    media_id = photoshelter_admin.state()["media"][0]["id"]
    lines = messages("media_metadata", [{"media_id": media_id, "iptc": {"title": "Twice"}}])
    first = run_target(ps_target_config, lines)
    second = run_target(ps_target_config, lines)
    assert [o["outcome"] for o in first.outcomes + second.outcomes] == ["updated", "unchanged"]
    assert first.outcomes[0]["run_id"] != second.outcomes[0]["run_id"]
    assert len(Path(ps_target_config["outcomes_path"]).read_text().splitlines()) == 2

    per_run = {**ps_target_config, "outcomes_path": str(tmp_path / "runs" / "{run_id}.jsonl")}
    run_target(per_run, lines)
    [only] = (tmp_path / "runs").iterdir()
    assert only.name.endswith(".jsonl") and len(only.read_text().splitlines()) == 1
