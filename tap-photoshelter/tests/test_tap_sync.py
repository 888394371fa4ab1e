"""Full and incremental syncs: what the tap emits equals what PhotoShelter holds."""

from __future__ import annotations

import re

from photoshelter_api.formats import column_name, split_keywords, utc_iso


def test_full_sync_equals_emulator_state(ps_config, run_tap, photoshelter_admin):
    state = photoshelter_admin.state()
    run = run_tap(ps_config)
    assert run.returncode == 0, run.stderr

    media = {r["id"]: r for r in run.records["media"]}
    assert sorted(media) == sorted(m["id"] for m in state["media"])
    fields = {f["id"]: f for f in state["metadata_fields"]}
    tags = {t["id"]: t["name"] for f in state["metadata_fields"] for t in f["tags"]}
    for expected in state["media"]:
        row = media[expected["id"]]
        assert row["file_name"] == expected["file_name"]
        assert row["license_expiration"] == expected["license_expiration"]
        assert row["modified_at"] == utc_iso(expected["modified_at"])
        assert row["iptc"] == expected["iptc"]
        assert row["keywords"] == split_keywords(expected["iptc"]["keywords"])
        assert all(k == k.strip() and k for k in row["keywords"])
        wanted_custom = {column_name(f["name"]): None for f in fields.values()}
        wanted_custom.update(
            {
                column_name(fields[f]["name"]): tags[t]
                for f, t in expected["custom_metadata"].items()
            }
        )
        assert row["custom_metadata"] == wanted_custom
        assert {(c["field_id"], c["tag_id"]) for c in row["custom_metadata_raw"]} == set(
            expected["custom_metadata"].items()
        )
        assert re.fullmatch(
            rf"http://127\.0\.0\.1:\d+/img-get2/{expected['id']}/fit=2000x2000", row["link_url"]
        )
        assert row["gallery_ids"] == sorted(
            g["id"] for g in state["galleries"] if expected["id"] in g["media_ids"]
        )
    assert all(
        r["modified_at"].endswith("+00:00") and r["media_type"] == "image"
        for r in run.records["media"]
    )

    membership = [
        (r["gallery_id"], r["media_id"], r["position"]) for r in run.records["gallery_media"]
    ]
    assert sorted(membership) == sorted(
        (g["id"], m, i) for g in state["galleries"] for i, m in enumerate(g["media_ids"])
    )
    collections = {c["id"]: c for c in state["collections"]}
    paths = {r["id"]: r["path"] for r in run.records["collections"]}
    for cid, row in collections.items():
        parent = collections.get(row["parent_id"]) if row["parent_id"] else None
        assert paths[cid] == (f"{parent['name']}/{row['name']}" if parent else row["name"])
    assert "Launches/SS26" in paths.values()
    galleries = {r["id"]: r for r in run.records["galleries"]}
    assert sorted(galleries) == sorted(g["id"] for g in state["galleries"])
    for expected in state["galleries"]:
        assert galleries[expected["id"]]["paths"] == [paths[p] for p in expected["parent_ids"]]
    assert [r["name"] for r in run.records["metadata_fields"]] == [
        f["name"] for f in state["metadata_fields"]
    ]


def test_incremental_run_emits_only_edited_media(ps_config, run_tap, honoured_admin):
    photoshelter_admin = honoured_admin
    first = run_tap(ps_config)
    assert first.returncode == 0, first.stderr
    ids = first.ids("media")
    edited = [ids[3], ids[10]]
    photoshelter_admin.call("PATCH", f"media/{edited[0]}", {"keywords": ["studio", "new"]})
    photoshelter_admin.call(
        "PATCH", f"media/{edited[1]}", {"custom_metadata": {"Status": "Rejected"}}
    )

    second = run_tap(ps_config, state=first.state)
    assert second.returncode == 0, second.stderr
    assert sorted(second.ids("media")) == sorted(edited)
    by_id = {r["id"]: r for r in second.records["media"]}
    assert by_id[edited[0]]["keywords"] == ["studio", "new"]
    assert by_id[edited[1]]["custom_metadata"]["status"] == "Rejected"

    photoshelter_admin.clear_requests()
    third = run_tap(ps_config, state=second.state)
    assert third.returncode == 0, third.stderr
    assert third.ids("media") == []
    routes = photoshelter_admin.requests()["by_route"]
    assert routes["GET /psapi/v4.0/media"] == 1
    assert not any("/media/{media_id}" in route for route in routes)


def test_scope_to_one_gallery(ps_config, run_tap, photoshelter_admin):
    gallery = photoshelter_admin.state()["galleries"][0]
    run = run_tap({**ps_config, "galleries": [gallery["id"]]})
    assert run.returncode == 0, run.stderr
    assert sorted(run.ids("media")) == sorted(gallery["media_ids"])
    assert run.ids("galleries") == [gallery["id"]]
