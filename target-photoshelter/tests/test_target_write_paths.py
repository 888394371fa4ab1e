"""The uncertain writes: each candidate path, chosen by its setting, gives the same final
state; a chosen path the account lacks stops the run naming the setting; a read-only probe
says which paths answer; Meltano's test stream is accepted without a write."""

from __future__ import annotations

import json
import socket
import subprocess
import time

import pytest
from ps_target_helpers import TARGET, collection_path, messages, writes

PARENT = "Launches/SS27"
NAME = "TS-1001 Classic Tee"
API = "/psapi/v4.0"
MANAGED = ("sku:", "style:", "color:", "size:", "category:", "season:", "launch:")

# (setting, candidate) -> (emulator switches, write routes the candidate must use)
CANDIDATES = {
    ("metadata_write_path", "media_iptc"): ({}, {f"PATCH {API}/media/{{media_id}}/iptc"}),
    ("metadata_write_path", "media_metadata"): (
        {"write_patch_media_iptc": False, "write_patch_media_metadata": True},
        {f"PATCH {API}/media/{{media_id}}/metadata"},
    ),
    ("metadata_write_path", "media"): (
        {"write_patch_media_iptc": False, "write_patch_media": True},
        {f"PATCH {API}/media/{{media_id}}"},
    ),
    ("metadata_write_path", "media_batch"): (
        {"write_patch_media_iptc": False, "write_patch_media_batch": True},
        {f"PATCH {API}/media/batch"},
    ),
    ("custom_metadata_write_path", "media_custom_metadata"): (
        {},
        {f"PATCH {API}/media/{{media_id}}/custom-metadata"},
    ),
    ("custom_metadata_write_path", "media_metadata"): (
        {"write_patch_media_custom_metadata": False, "write_patch_media_metadata": True},
        {f"PATCH {API}/media/{{media_id}}/metadata"},
    ),
    ("custom_metadata_write_path", "metadata_values"): (
        {"write_patch_media_custom_metadata": False, "write_post_metadata_values": True},
        {f"POST {API}/metadata/values"},
    ),
    ("gallery_create_path", "galleries_parent"): ({}, {f"POST {API}/galleries"}),
    ("gallery_create_path", "galleries_then_parents"): (
        {"write_galleries_parent": False, "write_post_gallery_parents": True},
        {f"POST {API}/galleries", f"POST {API}/galleries/{{gallery_id}}/parents"},
    ),
    ("gallery_add_media_path", "gallery_media"): (
        {},
        {f"PATCH {API}/galleries/{{gallery_id}}/media"},
    ),
    ("gallery_add_media_path", "gallery_children"): (
        {"write_patch_gallery_media": False, "write_post_gallery_children": True},
        {f"POST {API}/galleries/{{gallery_id}}/children"},
    ),
}


def field_tag(admin, field: str, tag: str) -> tuple[str, str]:
    row = next(f for f in admin.state()["metadata_fields"] if f["name"] == field)
    return row["id"], next(t["id"] for t in row["tags"] if t["name"] == tag)


def scenario(admin) -> tuple[list[dict], dict]:
    """The records of one sync, and the final state any write path must leave."""
    media = {m["id"]: m for m in admin.state()["media"]}
    ids = sorted(media)[:2]
    records = [
        *messages(
            "media_metadata",
            [
                {
                    "media_id": ids[0],
                    "iptc": {"title": "Classic Tee Black M"},
                    "keywords": ["sku:TS-1001-BLK-M", "color:black"],
                    "custom_metadata": {"Color": "Black", "Size": "M"},
                }
            ],
        ),
        *messages("galleries", [{"name": NAME, "parent": PARENT, "media_ids": ids}]),
    ]
    before = media[ids[0]]
    kept = [
        k.strip()
        for k in before["iptc"]["keywords"].split(",")
        if k.strip() and not k.strip().lower().startswith(MANAGED)
    ]
    expected = {
        "iptc": {
            **before["iptc"],
            "title": "Classic Tee Black M",
            "keywords": ", ".join([*kept, "sku:TS-1001-BLK-M", "color:black"]),
        },
        "custom_metadata": {
            **before["custom_metadata"],
            **dict([field_tag(admin, "Color", "Black"), field_tag(admin, "Size", "M")]),
        },
        "gallery": {"paths": [PARENT], "media_ids": ids},
        "media_id": ids[0],
    }
    return records, expected


def final_state(admin, media_id: str) -> dict:
    state = admin.state()
    media = next(m for m in state["media"] if m["id"] == media_id)
    [gallery] = [g for g in state["galleries"] if g["name"] == NAME]
    return {
        "iptc": media["iptc"],
        "custom_metadata": media["custom_metadata"],
        "gallery": {
            "paths": [collection_path(admin, p) for p in gallery["parent_ids"]],
            "media_ids": gallery["media_ids"],
        },
        "media_id": media_id,
    }


@pytest.mark.parametrize(("setting", "candidate"), list(CANDIDATES))
def test_each_write_path_candidate_leaves_the_same_state(
    setting, candidate, ps_target_config, run_target, photoshelter_admin
):
    switches, routes = CANDIDATES[(setting, candidate)]
    photoshelter_admin.settings(**switches)
    records, expected = scenario(photoshelter_admin)
    config = {**ps_target_config, setting: candidate}
    run = run_target(config, records)
    assert run.returncode == 0, run.stderr[-2000:]
    assert [o["outcome"] for o in run.outcomes] == ["updated", "created"]
    assert final_state(photoshelter_admin, expected["media_id"]) == expected
    assert routes <= set(writes(photoshelter_admin))

    photoshelter_admin.clear_requests()
    again = run_target(config, records)
    assert [o["outcome"] for o in again.outcomes] == ["unchanged", "unchanged"]
    assert writes(photoshelter_admin) == {}


def test_both_settings_on_the_metadata_path_make_one_write_per_image(
    ps_target_config, run_target, photoshelter_admin
):
    photoshelter_admin.settings(
        write_patch_media_iptc=False,
        write_patch_media_custom_metadata=False,
        write_patch_media_metadata=True,
    )
    records, expected = scenario(photoshelter_admin)
    config = {
        **ps_target_config,
        "metadata_write_path": "media_metadata",
        "custom_metadata_write_path": "media_metadata",
    }
    run = run_target(config, records[:2])  # the media_metadata stream only
    assert run.returncode == 0, run.stderr[-2000:]
    assert writes(photoshelter_admin) == {f"PATCH {API}/media/{{media_id}}/metadata": 1}
    media = next(m for m in photoshelter_admin.state()["media"] if m["id"] == expected["media_id"])
    assert (media["iptc"], media["custom_metadata"]) == (
        expected["iptc"],
        expected["custom_metadata"],
    )


def test_a_gallery_left_at_the_root_is_adopted_not_duplicated(
    ps_target_config, run_target, photoshelter_admin
):
    """`galleries_then_parents`: a run that stopped between the two calls left the gallery
    at the root; the next run puts that one in its collection instead of making another."""
    photoshelter_admin.settings(write_galleries_parent=False, write_post_gallery_parents=True)
    records, expected = scenario(photoshelter_admin)
    photoshelter_admin.fault(
        route=f"POST {API}/galleries/{{gallery_id}}/parents", status=500, count=10
    )
    config = {**ps_target_config, "gallery_create_path": "galleries_then_parents", "max_retries": 1}
    failed = run_target(config, records)
    assert failed.returncode == 1
    photoshelter_admin.clear_faults()
    run = run_target(config, records)
    assert run.returncode == 0, run.stderr[-2000:]
    assert final_state(photoshelter_admin, expected["media_id"]) == expected


@pytest.mark.parametrize(
    ("switches", "setting", "candidate", "status"),
    [
        ({"write_patch_media_iptc": False}, "metadata_write_path", "media_iptc", 405),
        (
            {"write_patch_media_custom_metadata": False},
            "custom_metadata_write_path",
            "media_custom_metadata",
            405,
        ),
        ({"write_patch_gallery_media": False}, "gallery_add_media_path", "gallery_media", 404),
        ({"write_galleries_parent": False}, "gallery_create_path", "galleries_parent", 404),
    ],
)
def test_a_write_path_the_account_lacks_stops_the_run_naming_the_setting(
    switches, setting, candidate, status, ps_target_config, run_target, photoshelter_admin
):
    photoshelter_admin.settings(**switches)
    records, _ = scenario(photoshelter_admin)
    run = run_target(ps_target_config, records)
    assert run.returncode == 1
    last = run.stderr.strip().splitlines()[-1]
    assert last.startswith(f"target-photoshelter: error: setting {setting}: "), last
    assert f"({candidate}) is not answered by this PhotoShelter (HTTP {status}); try " in last
    assert "--probe-writes" in last
    assert "Traceback" not in run.stderr
    assert all(o["outcome"] != "rejected" for o in run.outcomes)  # a setting, not the record


def probe(config: dict, tmp_path) -> subprocess.CompletedProcess:
    path = tmp_path / "probe-config.json"
    path.write_text(json.dumps(config))
    return subprocess.run(
        [TARGET, "--config", str(path), "--probe-writes"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def table(output: str) -> dict[tuple[str, str, str], str]:
    """`(setting, candidate, request) -> answer` from the probe's table."""
    rows = {}
    for line in output.splitlines()[1:]:
        parts = line.split(None, 4)
        if len(parts) == 5 and parts[0].endswith("_path") and parts[1] != "=":
            rows[(parts[0], parts[1], f"{parts[2]} {parts[3]}")] = parts[4]
    return rows


def test_the_probe_reports_which_paths_answer_and_changes_nothing(
    ps_target_config, photoshelter_admin, tmp_path
):
    before = photoshelter_admin.state()
    photoshelter_admin.clear_requests()
    done = probe(ps_target_config, tmp_path)
    assert done.returncode == 0, done.stderr[-2000:]
    rows = table(done.stdout)
    assert (
        rows[("metadata_write_path", "media_iptc", "PATCH /media/{media_id}/iptc")]
        == "answers (HTTP 400)"
    )
    assert (
        rows[("metadata_write_path", "media_metadata", "PATCH /media/{media_id}/metadata")]
        == "missing (HTTP 405)"
    )
    assert (
        rows[("custom_metadata_write_path", "metadata_values", "POST /metadata/values")]
        == "missing (HTTP 404)"
    )
    assert (
        rows[
            (
                "gallery_create_path",
                "galleries_then_parents",
                "POST /galleries/{gallery_id}/parents",
            )
        ]
        == "missing (HTTP 404)"
    )
    assert (
        rows[
            ("gallery_add_media_path", "gallery_children", "POST /galleries/{gallery_id}/children")
        ]
        == "missing (HTTP 405)"
    )
    assert len(rows) == 12
    for setting, choice in (
        ("metadata_write_path", "media_iptc"),
        ("custom_metadata_write_path", "media_custom_metadata"),
        ("gallery_create_path", "galleries_parent"),
        ("gallery_add_media_path", "gallery_media"),
    ):
        assert f"{setting} = {choice}: OK (ok)" in done.stdout
    after = photoshelter_admin.state()
    assert {k: v for k, v in after.items() if k != "settings"} == {
        k: v for k, v in before.items() if k != "settings"
    }
    routes = photoshelter_admin.requests()["by_route"]
    assert routes[f"GET {API}/media"] == 1 and routes[f"GET {API}/galleries"] == 1
    assert routes[f"POST {API}/authenticate/logout"] == 1


def test_the_probe_says_which_setting_to_change(ps_target_config, photoshelter_admin, tmp_path):
    photoshelter_admin.settings(
        write_patch_media_iptc=False,
        write_patch_media=True,
        write_patch_gallery_media=False,
        write_post_gallery_children=True,
    )
    done = probe(ps_target_config, tmp_path)
    assert done.returncode == 2
    assert "metadata_write_path = media_iptc: FIX (set metadata_write_path to media)" in done.stdout
    assert (
        "gallery_add_media_path = gallery_media: FIX (set gallery_add_media_path to "
        "gallery_children)"
    ) in done.stdout
    fixed = probe(
        {
            **ps_target_config,
            "metadata_write_path": "media",
            "gallery_add_media_path": "gallery_children",
        },
        tmp_path,
    )
    assert fixed.returncode == 0, fixed.stdout


MELTANO_TEST = [
    {
        "type": "SCHEMA",
        "stream": "meltano_test_stream",
        "schema": {
            "type": "object",
            "properties": {
                "id": {"type": "integer"},
                "name": {"type": "string"},
                "created_at": {"type": "string", "format": "date-time"},
            },
        },
        "key_properties": ["id"],
    },
    {
        "type": "RECORD",
        "stream": "meltano_test_stream",
        "record": {"id": 1, "name": "Meltano Test Record", "created_at": "2025-09-29T00:00:00Z"},
    },
    {"type": "STATE", "value": {"bookmarks": {"meltano_test_stream": {"last_record": 1}}}},
]


def test_meltanos_test_stream_is_accepted_without_a_write(
    ps_target_config, run_target, photoshelter_admin
):
    run = run_target(ps_target_config, MELTANO_TEST)
    assert run.returncode == 0, run.stderr[-2000:]
    output = (run.stdout + run.stderr).lower()
    assert "error" not in output and "exception" not in output  # what Meltano looks for
    assert writes(photoshelter_admin) == {}
    routes = photoshelter_admin.requests()["by_route"]
    assert routes[f"POST {API}/organization/authenticate"] == 1
    assert routes[f"POST {API}/authenticate/logout"] == 1
    assert run.outcomes == []
    assert run.states == [{"bookmarks": {"meltano_test_stream": {"last_record": 1}}}]


def test_meltanos_test_stream_fails_on_wrong_credentials(
    ps_target_config, run_target, photoshelter_admin
):
    run = run_target({**ps_target_config, "password": "wrong-password"}, MELTANO_TEST)
    assert run.returncode == 1
    assert run.stderr.strip().splitlines()[-1] == (
        "target-photoshelter: error: PhotoShelter refused the login: check the email and "
        "password settings (AcsPermissionException)"
    )


def test_an_unreachable_host_fails_at_once_naming_the_setting(ps_target_config, run_target):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    url = f"http://127.0.0.1:{port}/psapi/v4.0"
    started = time.monotonic()
    run = run_target(
        {**ps_target_config, "api_url": url, "max_retries": 5, "backoff_seconds": 2}, MELTANO_TEST
    )
    assert run.returncode == 1
    assert time.monotonic() - started < 15  # no retry series on a refused loopback port
    assert run.stderr.strip().splitlines()[-1] == (
        f"target-photoshelter: error: setting api_url: cannot reach {url}: connection "
        f"refused by 127.0.0.1:{port}: nothing is listening there (is the server running, "
        "and is the port right?)"
    )
