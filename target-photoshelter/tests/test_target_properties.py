"""Property tests: arbitrary records, within and outside the contracts, against the emulator.

Whatever a record holds, the target never crashes, gives it exactly one outcome, gives a
rejected record a reason, and a rejected record leaves PhotoShelter as it was (checked in
`/_emulator/state`); an accepted record is written whole. A good record after each one
proves the run goes on. The target runs in this process (fast), over real HTTP.
"""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from target_photoshelter.metadata import WRITABLE_IPTC
from target_photoshelter.target import DEFAULT_PREFIXES, TargetPhotoShelter

from emulators.runtime import DEMO_CREDENTIALS, AdminClient

REAL = ("@0", "@1", "@2")  # replaced by real media ids of the seeded catalogue
EXAMPLES = settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

WORD = st.text(alphabet="abcdefghijklmnopqrstuvwxyzABC0123456789-_", min_size=1, max_size=8)
managed = st.builds(lambda p, t: p + t, st.sampled_from(DEFAULT_PREFIXES), WORD)
anything = st.one_of(
    st.none(), st.integers(), st.text(max_size=70), st.lists(st.text(max_size=3), max_size=2)
)
iptc = st.one_of(
    st.dictionaries(
        st.sampled_from(WRITABLE_IPTC), st.one_of(st.none(), st.text(max_size=40)), max_size=3
    ),
    st.dictionaries(
        st.one_of(st.sampled_from([*WRITABLE_IPTC, "keywords", "colour"]), st.text(max_size=6)),
        anything,
        max_size=4,
    ),
    anything,
)
keywords = st.one_of(
    st.lists(managed, max_size=5),
    st.lists(st.one_of(managed, st.text(max_size=10), st.integers(), st.none()), max_size=6),
    anything,
)
custom = st.one_of(
    st.sampled_from(
        [
            {"Color": "Black"},
            {" color ": "navy"},
            {"Size": "m", "Color": "Red"},
            {"Launch Status": "Launched"},
            {"Color": None},
            {},
        ]
    ),
    st.dictionaries(
        st.one_of(st.sampled_from(["Color", "Size", "Mood"]), st.text(max_size=6)),
        st.one_of(st.sampled_from(["Black", "M", "Teal"]), anything),
        max_size=3,
    ),
    anything,
)
media_record = st.fixed_dictionaries(
    {
        "media_id": st.one_of(
            st.sampled_from(REAL),
            st.sampled_from(REAL),
            st.sampled_from(["I0000doesnotexist", "", None, 7]),
        )
    },
    optional={
        "iptc": iptc,
        "custom_metadata": custom,
        "keywords": keywords,
        "extra": st.integers(),
    },
)
gallery_record = st.fixed_dictionaries(
    {
        "name": st.one_of(
            st.sampled_from(["TS-1 Tee", " ts-1 tee "]),
            WORD,
            st.text(max_size=12),
            st.sampled_from([None, 3, ""]),
        )
    },
    optional={
        "parent": st.one_of(
            st.sampled_from(["Launches/SS27", "Launches", "Launches/SS26", "New/Deep/Path"]),
            st.sampled_from([None, 5, "/", "C0000doesnotexist"]),
            st.text(max_size=8),
        ),
        "description": st.one_of(st.none(), st.text(max_size=12), st.integers()),
        "media_ids": st.one_of(
            st.lists(st.sampled_from(REAL), max_size=3),
            st.lists(
                st.one_of(st.sampled_from([*REAL, "I0000doesnotexist"]), st.integers()), max_size=3
            ),
            st.sampled_from([None, "I0000abc"]),
        ),
    },
)


def real_ids(value: Any, ids: list[str]) -> Any:
    """The record with its `@n` placeholders replaced by media ids."""
    if isinstance(value, str) and value in REAL:
        return ids[int(value[1])]
    if isinstance(value, list):
        return [real_ids(v, ids) for v in value]
    if isinstance(value, dict):
        return {k: real_ids(v, ids) for k, v in value.items()}
    return value


def arrange(emulators, tmp_path_factory) -> tuple[Any, dict[str, Any], list[str], dict[str, Any]]:
    """The emulator back at its seed: its admin client, state, media ids and a target config."""
    admin = AdminClient(emulators.photoshelter_url)
    admin.reset()
    state = admin.state()
    outcomes = tmp_path_factory.mktemp("props") / "outcomes.jsonl"
    config = {
        **DEMO_CREDENTIALS["photoshelter"],
        "api_url": emulators.photoshelter_api_url,
        "outcomes_path": str(outcomes),
        "backoff_seconds": 0.01,
    }
    return admin, state, sorted(m["id"] for m in state["media"]), config


def run_in_process(
    config: dict[str, Any], stream: str, records: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """Run the target in this process; the outcome lines the records added."""
    outcomes = Path(config["outcomes_path"])
    earlier = len(outcomes.read_text().splitlines()) if outcomes.exists() else 0
    lines = [
        {"type": "SCHEMA", "stream": stream, "schema": {"properties": {}}, "key_properties": []}
    ]
    lines += [{"type": "RECORD", "stream": stream, "record": r} for r in records]
    target = TargetPhotoShelter(config=config, validate_config=True)
    target.listen(io.StringIO("".join(json.dumps(m) + "\n" for m in lines)))
    return [json.loads(line) for line in outcomes.read_text().splitlines()[earlier:]]


def media_state(admin, media_id: str) -> dict[str, Any]:
    stored = admin.call("GET", f"media/{media_id}")
    return {"iptc": stored["iptc"], "custom_metadata": stored["custom_metadata"]}


def keyword_list(text: str) -> list[str]:
    return [k.strip() for k in text.split(",") if k.strip()]


def is_managed(keyword: str) -> bool:
    return keyword.lower().startswith(tuple(DEFAULT_PREFIXES))


def assert_written_whole(record: dict[str, Any], before: dict, after: dict, fields) -> None:
    """Every value the record asks for is there; nothing else changed."""
    for name, value in (record.get("iptc") or {}).items():
        assert after["iptc"][name] == (value or ""), name
    if record.get("keywords") is not None:
        wanted = {str(k).strip().lower() for k in record["keywords"] if str(k).strip()}
        now = keyword_list(after["iptc"]["keywords"])
        assert {k.lower() for k in now if is_managed(k)} == wanted
        assert [k for k in now if not is_managed(k)] == [
            k for k in keyword_list(before["iptc"]["keywords"]) if not is_managed(k)
        ]
    asked = set(record.get("iptc") or {}) | (
        {"keywords"} if record.get("keywords") is not None else set()
    )
    assert {k: v for k, v in after["iptc"].items() if k not in asked} == {
        k: v for k, v in before["iptc"].items() if k not in asked
    }
    expected_custom = dict(before["custom_metadata"])
    for field_name, tag_name in (record.get("custom_metadata") or {}).items():
        field = next(f for f in fields if f["name"].lower() == field_name.strip().lower())
        if tag_name is None:
            expected_custom.pop(field["id"], None)
        else:
            expected_custom[field["id"]] = next(
                t["id"] for t in field["tags"] if t["name"].lower() == tag_name.strip().lower()
            )
    assert after["custom_metadata"] == expected_custom


@EXAMPLES
@given(record=media_record)
def test_any_media_metadata_record(record, emulators, tmp_path_factory):
    admin, state, ids, config = arrange(emulators, tmp_path_factory)
    record = real_ids(record, ids)
    media_id = record.get("media_id")
    known = isinstance(media_id, str) and media_id in ids
    before = media_state(admin, media_id) if known else None
    follower = {"media_id": ids[5], "iptc": {"title": "After the arbitrary record"}}

    results = run_in_process(config, "media_metadata", [record, follower])

    assert [r["outcome"] in ("updated", "unchanged", "rejected") for r in results] == [True] * 2
    first, second = results
    event(f"media_metadata {first['outcome']}")
    assert second["outcome"] == "updated"
    if first["outcome"] == "rejected":
        assert isinstance(first["reason"], str) and first["reason"].strip()
        if known:
            assert media_state(admin, media_id) == before
        return
    assert known, f"record for {media_id!r} was accepted"
    after = media_state(admin, media_id)
    if first["outcome"] == "unchanged":
        assert after == before
    assert_written_whole(record, before, after, state["metadata_fields"])


@EXAMPLES
@given(record=gallery_record)
def test_any_gallery_record(record, emulators, tmp_path_factory):
    admin, state, ids, config = arrange(emulators, tmp_path_factory)
    record = real_ids(record, ids)
    follower = {"name": "Follower", "parent": "Launches/SS26", "media_ids": ids[:1]}

    first, second = run_in_process(config, "galleries", [record, follower])

    event(f"galleries {first['outcome']}")
    assert second["outcome"] == "created"
    after = admin.state()
    created = [g for g in after["galleries"] if g["name"] != "Follower"]
    if first["outcome"] == "rejected":
        assert isinstance(first["reason"], str) and first["reason"].strip()
        assert created == state["galleries"]
        follower_parents = {
            p for g in after["galleries"] if g["name"] == "Follower" for p in g["parent_ids"]
        }
        assert {c["id"] for c in after["collections"]} - {
            c["id"] for c in state["collections"]
        } == set()
        assert follower_parents <= {c["id"] for c in state["collections"]}
        return
    assert first["outcome"] in ("created", "updated", "unchanged")
    name = record["name"].strip().lower()
    [gallery] = [
        g
        for g in after["galleries"]
        if g["name"].strip().lower() == name and g["name"] != "Follower"
    ]
    assert set(record.get("media_ids") or []) <= set(gallery["media_ids"])
    if first["outcome"] == "created" and record.get("description") is not None:
        assert gallery["description"] == record["description"]
