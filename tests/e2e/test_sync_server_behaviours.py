"""`meltano run sync` converges to one state whatever the servers honour (issue 14, Proof).

Plytix with and without v2 (connectors on `api_version: auto`), PhotoShelter with
`modify_start` honoured, ignored and refused, `include` and `sort_by` honoured and ignored on
media lists. Not every product of the switches (12+ histories is too slow): four histories in
which every value of every switch occurs at least once. Each runs on emulators of its own
(first sync, one edit on each side, sync, sync) and must end in the state of the all-honoured
v2 history, compared with the chaos harness's normaliser: 0 duplicates, nothing of the
seed's or the people's attributes and keywords lost, and the last sync writes nothing.
Twelve `meltano run sync`: 10.5 min on the shared, loaded 2-core machine (2026-12-02).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from server_behaviours import (
    EDITED_SKU,
    PHOTOGRAPHER_KEYWORD,
    REJECTED_SKU,
    Behaviours,
    Outcome,
    differences,
    run_history,
)

pytestmark = pytest.mark.e2e

REFERENCE = Behaviours(
    "v2-all-honoured",
    plytix_v2=True,
    modify_window="honoured",
    list_include="honoured",
    sort_by="honoured",
)
OTHERS = [
    Behaviours(
        "v1-modify-ignored-include-ignored",
        plytix_v2=False,
        modify_window="ignored",
        list_include="ignored",
        sort_by="honoured",
        plytix_extra=(("value_types", "strict"),),
    ),
    Behaviours(
        "v2-modify-refused-include-ignored-sort-ignored",
        plytix_v2=True,
        modify_window="refused",
        list_include="ignored",
        sort_by="ignored",
        plytix_extra=(("v2_reference_shape", "ids"),),
    ),
    Behaviours(
        "v1-modify-refused-include-honoured-sort-ignored",
        plytix_v2=False,
        modify_window="refused",
        list_include="honoured",
        sort_by="ignored",
    ),
]
EXPECTED_PLAN = {"honoured": "incremental", "ignored": "library", "refused": "library"}
"""The listing plan of the syncs after the first (the first needs every image: `full`)."""


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> Outcome:
    return run_history(REFERENCE, Path(tmp_path_factory.mktemp(REFERENCE.name)))


@pytest.fixture(scope="module", params=[REFERENCE, *OTHERS], ids=lambda b: b.name)
def outcome(
    request: pytest.FixtureRequest, reference: Outcome, tmp_path_factory: pytest.TempPathFactory
) -> Outcome:
    behaviours: Behaviours = request.param
    if behaviours == REFERENCE:
        return reference
    return run_history(behaviours, Path(tmp_path_factory.mktemp(behaviours.name)))


def test_every_switch_value_occurs() -> None:
    """The chosen histories cover each value of each switch at least once."""
    runs = [REFERENCE, *OTHERS]
    assert {b.plytix_v2 for b in runs} == {True, False}
    assert {b.modify_window for b in runs} == {"honoured", "ignored", "refused"}
    assert {b.list_include for b in runs} == {"honoured", "ignored"}
    assert {b.sort_by for b in runs} == {"honoured", "ignored"}


def test_the_connectors_saw_the_behaviours(outcome: Outcome) -> None:
    """Each history really ran under its switches: the generation and plan the logs name."""
    behaviours = outcome.behaviours
    assert set(outcome.generations) == {"v2" if behaviours.plytix_v2 else "v1"}
    assert len(outcome.media_plans) == 3, outcome.media_plans
    assert outcome.media_plans[0].startswith("full ")
    expected = EXPECTED_PLAN[behaviours.modify_window]
    assert [p.split(" ", 1)[0] for p in outcome.media_plans[1:]] == [expected] * 2, (
        outcome.media_plans
    )


def test_converges_to_the_all_honoured_state(outcome: Outcome, reference: Outcome) -> None:
    found = differences(reference.normalised, outcome.normalised)
    assert found == [], "\n".join(found)


def test_nothing_duplicated_or_lost(outcome: Outcome, reference: Outcome) -> None:
    found = outcome.violations(reference.final_state)
    assert found.clean, found
    of_seed = outcome.violations(outcome.seed_state)
    assert of_seed.lost_keywords == [] and of_seed.lost_attributes == [], of_seed
    kept = next(
        m
        for m in outcome.final_state["photoshelter"]["media"]
        if m["id"] == outcome.edited_media["keyworded"]
    )
    assert PHOTOGRAPHER_KEYWORD in kept["iptc"]["keywords"]


def test_the_edits_went_through(outcome: Outcome) -> None:
    plytix = outcome.final_state["plytix"]
    product = next(p for p in plytix["products"] if p["sku"] == EDITED_SKU)
    assert product["attributes"]["color"] == "Navy"
    kept = next(
        m
        for m in outcome.final_state["photoshelter"]["media"]
        if m["id"] == outcome.edited_media["keyworded"]
    )
    assert "color:Navy" in kept["iptc"]["keywords"]
    assert "color:Black" not in kept["iptc"]["keywords"]
    rejected = outcome.edited_media["rejected"]
    assets = {a["id"] for a in plytix["assets"] if a["filename"].startswith(f"{rejected}__")}
    assert assets, "the rejected image was in Plytix before"
    slots = json.dumps(
        next(p for p in plytix["products"] if p["sku"] == REJECTED_SKU)["attributes"]
    )
    assert not any(asset in slots for asset in assets)


def test_the_last_sync_writes_nothing(outcome: Outcome, reference: Outcome) -> None:
    assert outcome.writes[2] == {"plytix": {}, "photoshelter": {}}
    assert outcome.writes[0]["photoshelter"] == reference.writes[0]["photoshelter"]
    assert outcome.writes[1]["photoshelter"] == reference.writes[1]["photoshelter"]
    for step in (0, 1):
        assert sum(outcome.writes[step]["plytix"].values()) == sum(
            reference.writes[step]["plytix"].values()
        ), outcome.writes[step]["plytix"]
