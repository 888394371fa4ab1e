"""media_metadata: exact final metadata, idempotence, hand-made keywords, tags, bad input."""

from __future__ import annotations

from ps_target_helpers import messages, writes

from emulators import catalog


def media_by_id(admin) -> dict:
    return {m["id"]: m for m in admin.state()["media"]}


def tag_id(admin, field: str, tag: str) -> str:
    row = next(f for f in admin.state()["metadata_fields"] if f["name"] == field)
    return next(t["id"] for t in row["tags"] if t["name"] == tag)


def field_id(admin, field: str) -> str:
    return next(f["id"] for f in admin.state()["metadata_fields"] if f["name"] == field)


def test_exact_final_metadata_for_a_set_of_images(ps_target_config, run_target, photoshelter_admin):
    before = media_by_id(photoshelter_admin)
    ids = sorted(before)[:3]
    records = [
        {
            "media_id": ids[0],
            "iptc": {"title": "Classic Tee Black M", "headline": "SS26"},
            "keywords": ["sku:TS-1001-BLK-M", "color:black", "size:M"],
            "custom_metadata": {"Color": "Black", "Size": "M", "Launch Status": "Launched"},
        },
        {"media_id": ids[1], "keywords": ["style:TS-1001"], "custom_metadata": {"Color": None}},
        {"media_id": ids[2], "iptc": {"caption": "Packshot"}},
    ]
    run = run_target(ps_target_config, messages("media_metadata", records))
    assert run.returncode == 0, run.stderr
    assert [o["outcome"] for o in run.outcomes] == ["updated", "updated", "updated"]
    after = media_by_id(photoshelter_admin)

    first = after[ids[0]]
    unmanaged = [
        k.strip()
        for k in before[ids[0]]["iptc"]["keywords"].split(",")
        if k.strip()
        and not k.strip()
        .lower()
        .startswith(("sku:", "style:", "color:", "size:", "category:", "season:", "launch:"))
    ]
    assert first["iptc"]["keywords"] == ", ".join(
        [*unmanaged, "sku:TS-1001-BLK-M", "color:black", "size:M"]
    )
    assert first["iptc"]["title"] == "Classic Tee Black M"
    assert first["iptc"]["headline"] == "SS26"
    assert {
        k: v for k, v in first["iptc"].items() if k not in ("title", "headline", "keywords")
    } == {
        k: v
        for k, v in before[ids[0]]["iptc"].items()
        if k not in ("title", "headline", "keywords")
    }
    assert first["custom_metadata"] == {
        **before[ids[0]]["custom_metadata"],
        field_id(photoshelter_admin, "Color"): tag_id(photoshelter_admin, "Color", "Black"),
        field_id(photoshelter_admin, "Size"): tag_id(photoshelter_admin, "Size", "M"),
        field_id(photoshelter_admin, "Launch Status"): tag_id(
            photoshelter_admin, "Launch Status", "Launched"
        ),
    }
    assert after[ids[1]]["iptc"]["keywords"].endswith("style:TS-1001")
    assert after[ids[1]]["custom_metadata"] == before[ids[1]]["custom_metadata"]
    assert after[ids[2]]["iptc"] == {**before[ids[2]]["iptc"], "caption": "Packshot"}


def test_same_input_twice_makes_zero_writes(ps_target_config, run_target, photoshelter_admin):
    ids = sorted(media_by_id(photoshelter_admin))[:4]
    records = [
        {
            "media_id": m,
            "iptc": {"title": f"Product {n}"},
            "keywords": [f"sku:SKU-{n}", "season:SS26"],
            "custom_metadata": {"Category": "Tops", "Launch Status": "Launched"},
        }
        for n, m in enumerate(ids)
    ]
    first = run_target(ps_target_config, messages("media_metadata", records))
    assert first.returncode == 0, first.stderr
    assert writes(photoshelter_admin) == {
        "PATCH /psapi/v4.0/media/{media_id}/iptc": 4,
        "PATCH /psapi/v4.0/media/{media_id}/custom-metadata": 4,
    }
    photoshelter_admin.clear_requests()
    second = run_target(ps_target_config, messages("media_metadata", records))
    assert second.returncode == 0, second.stderr
    assert writes(photoshelter_admin) == {}
    assert second.outcome_counts() == {"unchanged": 4}


def test_keyword_added_by_hand_survives(ps_target_config, run_target, photoshelter_admin):
    media_id = sorted(media_by_id(photoshelter_admin))[5]
    run_target(
        ps_target_config,
        messages("media_metadata", [{"media_id": media_id, "keywords": ["sku:AB-1", "color:red"]}]),
    )
    photoshelter_admin.call(
        "PATCH",
        f"media/{media_id}",
        {"keywords": ["studio", "sku:AB-1", "color:red", "hand picked", "channel:amazon"]},
    )
    run = run_target(
        ps_target_config,
        messages(
            "media_metadata", [{"media_id": media_id, "keywords": ["sku:AB-1", "color:navy"]}]
        ),
    )
    assert run.returncode == 0, run.stderr
    keywords = media_by_id(photoshelter_admin)[media_id]["iptc"]["keywords"]
    assert keywords == "studio, hand picked, channel:amazon, sku:AB-1, color:navy"


def test_tag_names_resolve_and_a_missing_tag_is_rejected(
    ps_target_config, run_target, photoshelter_admin
):
    ids = sorted(media_by_id(photoshelter_admin))[:2]
    teal = catalog.build("small", 42).hard_cases["missing_color_tag"]
    run = run_target(
        ps_target_config,
        messages(
            "media_metadata",
            [
                {"media_id": ids[0], "custom_metadata": {"color": "navy"}},
                {"media_id": ids[1], "custom_metadata": {"Color": teal}},
            ],
        ),
    )
    assert run.returncode == 0, run.stderr
    assert [o["outcome"] for o in run.outcomes] == ["updated", "rejected"]
    assert run.outcomes[1]["reason"] == (
        f"custom_metadata.Color: no tag '{teal}' (turn on create_missing_tags to create it)"
    )
    after = media_by_id(photoshelter_admin)
    assert after[ids[0]]["custom_metadata"][field_id(photoshelter_admin, "Color")] == tag_id(
        photoshelter_admin, "Color", "Navy"
    )
    assert field_id(photoshelter_admin, "Color") not in after[ids[1]]["custom_metadata"]


def test_create_missing_tags_creates_the_tag_once(ps_target_config, run_target, photoshelter_admin):
    ids = sorted(media_by_id(photoshelter_admin))[:2]
    config = {**ps_target_config, "create_missing_tags": True}
    run = run_target(
        config,
        messages(
            "media_metadata", [{"media_id": m, "custom_metadata": {"Color": "Teal"}} for m in ids]
        ),
    )
    assert run.returncode == 0, run.stderr
    assert run.outcome_counts() == {"updated": 2}
    assert writes(photoshelter_admin)["POST /psapi/v4.0/metadata/fields/{field_id}/tags"] == 1
    teal = tag_id(photoshelter_admin, "Color", "Teal")
    after = media_by_id(photoshelter_admin)
    assert all(
        after[m]["custom_metadata"][field_id(photoshelter_admin, "Color")] == teal for m in ids
    )


def test_bad_records_are_rejected_with_reasons_and_the_run_goes_on(
    ps_target_config, run_target, photoshelter_admin
):
    good = sorted(media_by_id(photoshelter_admin))[0]
    run = run_target(
        ps_target_config,
        messages(
            "media_metadata",
            [
                {"iptc": {"title": "no id"}},
                {"media_id": "I0000doesnotexist", "iptc": {"title": "x"}},
                {"media_id": good, "iptc": {"colour": "red"}},
                {"media_id": good, "iptc": {"title": "x" * 65}},
                {"media_id": good, "keywords": ["unmanaged"]},
                {"media_id": good, "custom_metadata": {"Mood": "Happy"}},
                {"media_id": good, "iptc": {"title": "Fine"}, "extra_column": 1},
            ],
        ),
    )
    assert run.returncode == 0, run.stderr
    reasons = [o["reason"] for o in run.outcomes]
    assert reasons[:6] == [
        "missing media_id",
        "media_id 'I0000doesnotexist': no such media",
        "iptc.colour: no such IPTC field (known: title, headline, caption, author, credit, "
        "source, copyright, rights, instructions, trans_ref, category, edit_status, city, "
        "state, country, country_iso)",
        "iptc.title: 65 characters, more than the 64 IPTC allows",
        "keywords: 'unmanaged' is outside the managed prefixes (sku: style: color: size: "
        "category: season: launch:)",
        "custom_metadata: unknown field 'Mood'",
    ]
    assert run.outcomes[6]["outcome"] == "updated"
    assert run.stderr.count("ignoring columns extra_column") == 1
    assert writes(photoshelter_admin) == {"PATCH /psapi/v4.0/media/{media_id}/iptc": 1}


def test_dry_run_reads_but_writes_nothing(ps_target_config, run_target, photoshelter_admin):
    media_id = sorted(media_by_id(photoshelter_admin))[0]
    run = run_target(
        {**ps_target_config, "dry_run": True},
        messages(
            "media_metadata",
            [{"media_id": media_id, "iptc": {"title": "Would be"}, "keywords": ["sku:X-1"]}],
        ),
    )
    assert run.returncode == 0, run.stderr
    assert run.outcomes[0]["outcome"] == "updated" and run.outcomes[0]["dry_run"] is True
    assert run.outcomes[0]["changes"] == ["iptc.title", "keywords"]
    assert writes(photoshelter_admin) == {}
    assert "dry run: nothing written" in run.stderr
