"""Property tests: arbitrary records, within and outside the contracts, against the emulator.

Whatever a record holds, the target never crashes, gives every record exactly one outcome,
rejects a bad record with a reason, and a rejected record writes nothing: the emulator's
products and assets are as they were (checked through /_emulator/state).
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from target_plytix_helpers import run_target

from emulators.runtime import AdminClient, RunningEmulators

OUTCOMES = {"created", "updated", "unchanged", "rejected"}
PROPERTY_SETTINGS = settings(
    max_examples=40,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.fixture(scope="module")
def seed(emulators: RunningEmulators) -> dict[str, Any]:
    """Definitions, SKUs and photos of the seed, read once (every example starts from it)."""
    admin = AdminClient(emulators.plytix_url)
    admin.reset()
    state = admin.state()
    return {
        "attributes": {a["label"]: a for a in state["attributes"]},
        "skus": [p["sku"] for p in state["products"] if p["product_level"] != 1][:4],
        "categories": ["/".join(c["path"]) for c in state["product_categories"]][:4],
        "media": list(emulators.photoshelter.store.media)[:6],
        "photoshelter": emulators.photoshelter_url,
    }


def anything() -> st.SearchStrategy[Any]:
    """JSON values of every kind (JSON has no NaN or infinity, so neither does this)."""
    scalars = st.one_of(
        st.none(),
        st.booleans(),
        st.integers(-(2**70), 2**70),
        st.floats(allow_nan=False, allow_infinity=False),
        st.text(max_size=12),
    )
    return st.recursive(
        scalars,
        lambda inner: (
            st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3)
        ),
        max_leaves=6,
    )


def valid_value(definition: dict[str, Any]) -> st.SearchStrategy[Any]:
    kind, options = definition["type_class"], definition.get("options") or ["x"]
    return {
        "IntAttribute": st.integers(-(2**63), 2**63 - 1),
        "DecimalAttribute": st.floats(-1e9, 1e9, allow_nan=False),
        "BooleanAttribute": st.booleans(),
        "DateAttribute": st.dates().map(lambda d: d.isoformat()),
        "DropdownAttribute": st.sampled_from(options),
        "MultiSelectAttribute": st.lists(st.sampled_from(options), max_size=3),
    }.get(kind, st.text(max_size=40))


def mostly(
    valid: st.SearchStrategy[Any], odd: st.SearchStrategy[Any], odds: int = 5
) -> st.SearchStrategy[Any]:
    """`valid` most of the time, `odd` one time in `odds`: most examples reach the writes."""
    return st.integers(1, odds).flatmap(lambda n: odd if n == 1 else valid)


def products_records(seed: dict[str, Any]) -> st.SearchStrategy[dict[str, Any]]:
    labels = sorted(seed["attributes"])
    attribute = st.sampled_from(labels).flatmap(
        lambda label: st.tuples(
            st.just(label), mostly(valid_value(seed["attributes"][label]), anything())
        )
    )
    attributes = mostly(
        st.lists(attribute, max_size=4).map(dict),
        st.one_of(
            anything(),
            st.dictionaries(st.sampled_from(["colour", "a:b", ""]), anything(), max_size=2),
        ),
    )
    return st.fixed_dictionaries(
        {
            "sku": mostly(
                st.sampled_from(seed["skus"]), st.one_of(st.just("NOPE-404"), anything()), odds=8
            ),
        },
        optional={
            "label": mostly(st.text(max_size=30), anything()),
            "status": mostly(
                st.sampled_from(["Draft", "Completed", "Archived"]),
                st.one_of(st.just("Live"), anything()),
            ),
            "attributes": attributes,
            "categories": mostly(
                st.lists(st.sampled_from(seed["categories"]), max_size=2),
                st.one_of(st.just(["No/Such"]), anything()),
            ),
            "extra_column": anything(),
        },
    )


def asset(seed: dict[str, Any]) -> st.SearchStrategy[Any]:
    good = st.sampled_from(seed["media"]).map(
        lambda m: {
            "source_id": m,
            "url": f"{seed['photoshelter']}/img-get2/{m}/fit=500x500",
            "filename": f"{m}.jpg",
            "checksum": "v0",
        }
    )
    missing_upstream = st.just(
        {
            "source_id": "I0000nosuchmedia",
            "filename": "x.jpg",
            "url": f"{seed['photoshelter']}/img-get2/I0000nosuchmedia/f",
        }
    )
    odd = st.one_of(
        missing_upstream,
        anything(),
        good.flatmap(
            lambda a: st.sampled_from(
                [
                    {**a, "url": "https://evil.example.com/a.jpg"},
                    {**a, "url": "ftp://x/a.jpg"},
                    {k: v for k, v in a.items() if k != "source_id"},
                    {**a, "source_id": "a__b"},
                    {**a, "filename": ""},
                    {**a, "checksum": 7},
                ]
            )
        ),
    )
    return mostly(good, odd, odds=4)


def media_records(seed: dict[str, Any]) -> st.SearchStrategy[dict[str, Any]]:
    media_labels = [
        label
        for label, d in seed["attributes"].items()
        if d["type_class"] in ("MediaAttribute", "MediaGalleryAttribute")
    ]
    return st.fixed_dictionaries(
        {
            "sku": mostly(
                st.sampled_from(seed["skus"]), st.one_of(st.just("NOPE-404"), anything()), odds=8
            ),
            "attribute_label": mostly(
                st.sampled_from(["thumbnail", *media_labels]),
                st.one_of(st.sampled_from(["price", "nope"]), anything()),
            ),
            "assets": mostly(st.lists(asset(seed), min_size=1, max_size=3), anything(), odds=8),
        }
    )


def records(seed: dict[str, Any]) -> st.SearchStrategy[tuple[str, dict[str, Any]]]:
    return st.one_of(
        products_records(seed).map(lambda r: ("products", r)),
        media_records(seed).map(lambda r: ("product_media", r)),
    )


def fresh(admin: AdminClient, generation: str = "v2") -> dict[str, Any]:
    """The seeded account, serving v2 for products or (`v1`) only v1."""
    admin.reset()
    admin.settings(requests_per_10s=0, requests_per_hour=0, v2_enabled=generation == "v2")
    return admin.state()


def remote(state: dict[str, Any]) -> tuple[Any, Any]:
    return state["products"], state["assets"]


@pytest.mark.parametrize("generation", ["v2", "v1"])
@PROPERTY_SETTINGS
@given(data=st.data())
def test_one_record_gets_one_outcome_and_a_rejected_one_writes_nothing(
    data, seed, target_config, plytix_admin, generation
):
    stream, record = data.draw(records(seed))
    before = fresh(plytix_admin, generation)
    run = run_target(target_config, [(stream, record)])
    [outcome] = run.outcomes
    assert outcome["outcome"] in OUTCOMES
    if outcome["outcome"] == "rejected":
        assert isinstance(outcome.get("reason"), str) and outcome["reason"].strip()
        assert remote(plytix_admin.state()) == remote(before), outcome["reason"]
    elif outcome["outcome"] == "unchanged":
        assert remote(plytix_admin.state()) == remote(before)


@settings(PROPERTY_SETTINGS, max_examples=20)
@given(data=st.data())
def test_a_mixed_batch_never_crashes_and_leaves_no_orphan_asset(
    data, seed, target_config, plytix_admin
):
    batch = data.draw(st.lists(records(seed), min_size=2, max_size=5))
    before = fresh(plytix_admin)
    run = run_target(target_config, batch)
    assert len(run.outcomes) == len(batch)
    assert all(o["outcome"] in OUTCOMES for o in run.outcomes)
    assert all(o.get("reason") for o in run.outcomes if o["outcome"] == "rejected")
    after = plytix_admin.state()
    old_ids = {a["id"] for a in before["assets"]}
    new_assets = [a for a in after["assets"] if a["id"] not in old_ids]
    linked = {
        ref["id"]
        for p in after["products"]
        for ref in [
            p["thumbnail"],
            *(
                v
                for value in p["attributes"].values()
                for v in (value if isinstance(value, list) else [value])
            ),
        ]
        if isinstance(ref, dict)
    }
    assert all(a["id"] in linked for a in new_assets), json.dumps(run.outcomes)[:2000]
    for sku in {json.dumps(o["key"]["sku"]) for o in run.outcomes}:
        mine = [o for o in run.outcomes if json.dumps(o["key"]["sku"]) == sku]
        if all(o["outcome"] in ("rejected", "unchanged") for o in mine):
            assert [p for p in after["products"] if json.dumps(p["sku"]) == sku] == [
                p for p in before["products"] if json.dumps(p["sku"]) == sku
            ]


def test_an_asset_plytix_cannot_fetch_rejects_its_record_and_undoes_the_others(
    target_config, plytix_admin, emulators, skus, media_ids
):
    before = plytix_admin.state()
    missing = {
        "source_id": "I0000nosuchmedia",
        "filename": "gone.jpg",
        "url": f"{emulators.photoshelter_url}/img-get2/I0000nosuchmedia/fit=10x10",
    }
    good = [
        {
            "source_id": m,
            "filename": f"{m}.jpg",
            "checksum": "v0",
            "url": f"{emulators.photoshelter_url}/img-get2/{m}/fit=500x500",
        }
        for m in media_ids[:2]
    ]
    run = run_target(
        target_config,
        [
            (
                "product_media",
                {"sku": skus[0], "attribute_label": "media_gallery", "assets": [*good, missing]},
            )
        ],
    )
    [outcome] = run.outcomes
    assert outcome["outcome"] == "rejected" and "asset I0000nosuchmedia" in outcome["reason"]
    assert remote(plytix_admin.state()) == remote(before)
    by_route = plytix_admin.requests()["by_route"]
    # two good assets, and the missing one asked for three times before giving up
    assert by_route["POST /api/v1/assets"] == 2 + 3
    assert by_route["DELETE /api/v1/assets/{asset_id}"] == 2


def test_a_media_record_for_an_unknown_sku_creates_no_asset(
    target_config, plytix_admin, emulators, media_ids
):
    run = run_target(
        target_config,
        [
            (
                "product_media",
                {
                    "sku": "NOPE-404",
                    "attribute_label": "thumbnail",
                    "assets": [
                        {
                            "source_id": media_ids[0],
                            "filename": "a.jpg",
                            "url": (
                                f"{emulators.photoshelter_url}/img-get2/{media_ids[0]}/fit=10x10"
                            ),
                        }
                    ],
                },
            )
        ],
    )
    assert [o["outcome"] for o in run.outcomes] == ["rejected"]
    assert "POST /api/v1/assets" not in plytix_admin.requests()["by_route"]
