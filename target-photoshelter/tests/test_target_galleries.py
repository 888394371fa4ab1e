"""galleries: find or create under a collection path, add media, never duplicate."""

from __future__ import annotations

from ps_target_helpers import collection_path, messages, writes

PARENT = "Launches/SS27"
NAME = "TS-1001 Classic Tee"


def named(admin, name: str) -> list[dict]:
    return [g for g in admin.state()["galleries"] if g["name"] == name]


def some_media(admin, n: int) -> list[str]:
    return sorted(m["id"] for m in admin.state()["media"])[:n]


def test_gallery_is_created_under_its_path_and_filled(
    ps_target_config, run_target, photoshelter_admin
):
    media = some_media(photoshelter_admin, 3)
    record = {
        "name": NAME,
        "parent": PARENT,
        "description": "Creative hand-off",
        "media_ids": media,
    }
    run = run_target(ps_target_config, messages("galleries", [record]))
    assert run.returncode == 0, run.stderr
    assert run.outcomes[0]["outcome"] == "created"
    [gallery] = named(photoshelter_admin, NAME)
    assert [collection_path(photoshelter_admin, p) for p in gallery["parent_ids"]] == [PARENT]
    assert gallery["media_ids"] == media
    assert gallery["description"] == "Creative hand-off"

    photoshelter_admin.clear_requests()
    again = run_target(ps_target_config, messages("galleries", [record]))
    assert again.outcomes[0]["outcome"] == "unchanged"
    assert writes(photoshelter_admin) == {}
    assert len(named(photoshelter_admin, NAME)) == 1


def test_more_media_are_added_and_none_removed(ps_target_config, run_target, photoshelter_admin):
    media = some_media(photoshelter_admin, 4)
    run_target(
        ps_target_config,
        messages("galleries", [{"name": NAME, "parent": PARENT, "media_ids": media[:2]}]),
    )
    run = run_target(
        ps_target_config,
        messages(
            "galleries", [{"name": NAME, "parent": PARENT, "media_ids": [media[3], media[2]]}]
        ),
    )
    assert run.outcomes[0]["outcome"] == "updated"
    assert named(photoshelter_admin, NAME)[0]["media_ids"] == [*media[:2], media[3], media[2]]


def test_existing_gallery_found_by_parent_id(ps_target_config, run_target, photoshelter_admin):
    seeded = photoshelter_admin.state()["galleries"][0]
    media = [m for m in some_media(photoshelter_admin, 40) if m not in seeded["media_ids"]][:1]
    run = run_target(
        ps_target_config,
        messages(
            "galleries",
            [{"name": seeded["name"], "parent": seeded["parent_ids"][0], "media_ids": media}],
        ),
    )
    assert run.outcomes[0]["outcome"] == "updated"
    assert named(photoshelter_admin, seeded["name"])[0]["media_ids"] == [
        *seeded["media_ids"],
        *media,
    ]
    assert "POST /psapi/v4.0/galleries" not in writes(photoshelter_admin)


def test_crash_between_create_and_add_then_rerun_makes_no_second_gallery(
    ps_target_config, run_target, photoshelter_admin
):
    media = some_media(photoshelter_admin, 2)
    record = {"name": NAME, "parent": PARENT, "media_ids": media}
    photoshelter_admin.fault(
        route="PATCH /psapi/v4.0/galleries/{gallery_id}/media", status=503, count=10
    )
    crashed = run_target(
        {**ps_target_config, "max_retries": 1},
        messages("galleries", [record], state={"bookmarks": {"g": 1}}),
    )
    assert crashed.returncode == 1
    assert "PATCH /galleries/" in crashed.stderr.strip().splitlines()[-1]
    assert crashed.states == []  # no state after a record that was not written
    [gallery] = named(photoshelter_admin, NAME)
    assert gallery["media_ids"] == []

    photoshelter_admin.clear_faults()
    rerun = run_target(ps_target_config, messages("galleries", [record]))
    assert rerun.returncode == 0, rerun.stderr
    assert rerun.outcomes[0]["outcome"] == "updated"
    [gallery] = named(photoshelter_admin, NAME)
    assert gallery["media_ids"] == media


def test_lost_create_response_is_looked_up_not_repeated(
    ps_target_config, run_target, photoshelter_admin
):
    photoshelter_admin.fault(route="POST /psapi/v4.0/galleries", action="drop", count=1)
    run = run_target(
        ps_target_config,
        messages(
            "galleries",
            [{"name": NAME, "parent": PARENT, "media_ids": some_media(photoshelter_admin, 1)}],
        ),
    )
    assert run.returncode == 0, run.stderr
    assert run.outcomes[0]["outcome"] == "created"
    assert len(named(photoshelter_admin, NAME)) == 1
    assert writes(photoshelter_admin)["POST /psapi/v4.0/galleries"] == 1


def test_unknown_media_rejects_the_record(ps_target_config, run_target, photoshelter_admin):
    run = run_target(
        ps_target_config,
        messages(
            "galleries",
            [
                {"name": NAME, "parent": PARENT, "media_ids": ["I0000doesnotexist"]},
                {"parent": PARENT, "media_ids": []},
            ],
        ),
    )
    assert run.returncode == 0, run.stderr
    assert [o["outcome"] for o in run.outcomes] == ["rejected", "rejected"]
    assert "I0000doesnotexist" in run.outcomes[0]["reason"]
    assert run.outcomes[1]["reason"] == "missing name"
