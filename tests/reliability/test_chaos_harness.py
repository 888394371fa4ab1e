"""The chaos harness's own parts, checked against the real emulators: schedules, the state
comparison, the fault driver, the process-group kill, the summary."""

from __future__ import annotations

import base64
import sys
import time
from pathlib import Path

import pytest
import requests
from chaos_driver import FaultDriver
from chaos_process import GroupProcess
from chaos_schedule import (
    FAULT_KINDS,
    PATCH_CONFIGS,
    FaultEvent,
    FaultSchedule,
    Profile,
    fault_schedule,
    kill_plan,
    trial_spec,
)
from chaos_state import asset_key, differences, normalise, violations
from chaos_summary import failure_causes, figures, groups, render
from chaos_trial import Lab

from emulators.images import render as jpeg
from emulators.photoshelter.client import PhotoShelterClient
from emulators.runtime import DEMO_CREDENTIALS

MERGE = PATCH_CONFIGS[0]
PROFILE = Profile(
    duration_seconds=40.0,
    writes=500,
    routes={
        "plytix": {
            "POST /auth/api/get-token": 3,
            "POST /api/v1/products/search": 6,
            "POST /api/v1/assets": 157,
            "PATCH /api/v1/products/{product_id}": 40,
        },
        "photoshelter": {
            "POST /psapi/v4.0/authenticate": 3,
            "GET /psapi/v4.0/media": 2,
            "POST /psapi/v4.0/galleries": 11,
            "PATCH /psapi/v4.0/media/{media_id}/iptc": 150,
        },
    },
)


class Plytix:
    """Just enough of the Plytix API to arrange states: a token and JSON calls."""

    def __init__(self, lab: Lab) -> None:
        self.api = lab.running.plytix_api_url
        self.http = requests.Session()
        token = requests.post(
            f"{lab.running.plytix_url}/auth/api/get-token",
            json=DEMO_CREDENTIALS["plytix"],
            timeout=10,
        )
        self.http.headers["Authorization"] = f"Bearer {token.json()['data'][0]['access_token']}"

    def call(self, method: str, path: str, **kwargs: object) -> requests.Response:
        return self.http.request(method, f"{self.api}{path}", timeout=30, **kwargs)

    def asset(self, filename: str) -> str:
        content = base64.b64encode(jpeg(filename)).decode()
        response = self.call("POST", "/assets", json={"filename": filename, "content": content})
        assert response.status_code == 201, response.text
        return response.json()["data"][0]["id"]

    def patch(self, product_id: str, body: dict[str, object]) -> None:
        response = self.call("PATCH", f"/products/{product_id}", json=body)
        assert response.status_code == 200, response.text


def first_product(state: dict) -> dict:
    return next(p for p in state["plytix"]["products"] if p["product_level"] != 1)


# --- schedules --------------------------------------------------------------------------------
def test_a_seed_always_gives_the_same_schedule_and_kill_point() -> None:
    assert fault_schedule(7, PROFILE) == fault_schedule(7, PROFILE)
    assert fault_schedule(7, PROFILE) != fault_schedule(8, PROFILE)
    assert kill_plan(7, PROFILE) == kill_plan(7, PROFILE)


def test_schedules_use_every_fault_kind_on_routes_the_sync_really_calls() -> None:
    events = [e for seed in range(40) for e in fault_schedule(seed, PROFILE).events]
    assert {e.kind for e in events} == set(FAULT_KINDS)
    for event in events:
        route = event.spec["route"]
        assert route == "*" or route in PROFILE.routes[event.side]
        assert 0 <= event.after_requests < max(1, PROFILE.count(event.side, route))
    write_routes = {
        "POST /api/v1/assets",
        "PATCH /api/v1/products/{product_id}",
        "POST /psapi/v4.0/galleries",
        "PATCH /psapi/v4.0/media/{media_id}/iptc",
    }
    assert sum(e.spec["route"] in write_routes for e in events) > len(events) / 3


def test_kills_land_inside_the_reference_run() -> None:
    plans = [kill_plan(seed, PROFILE) for seed in range(40)]
    by_writes = [p.after_writes for p in plans if p.after_writes is not None]
    by_time = [p.after_seconds for p in plans if p.after_seconds is not None]
    assert by_writes and by_time
    assert all(1 <= n <= PROFILE.writes for n in by_writes)
    assert all(1.0 <= s <= PROFILE.duration_seconds for s in by_time)


def test_trials_cycle_through_both_kinds_and_both_plytix_patch_modes() -> None:
    specs = [trial_spec(seed) for seed in range(12)]
    assert {(s.kind, s.patch) for s in specs} == {
        (kind, patch) for kind in ("faults", "kill") for patch in PATCH_CONFIGS
    }
    assert {s.patch.plytix_patch_mode for s in specs} == {"merge", "replace"}


# --- comparing states ---------------------------------------------------------------------------
def test_new_ids_and_write_times_are_not_differences(chaos_lab: Lab) -> None:
    """The same writes in another order at another time: other ids, the same state."""
    names = ["I0000aaaaaaaaaaa__a1b2c3d4__one.jpg", "I0000bbbbbbbbbbb__two.jpg"]
    states, ids = [], []
    for order in (names, names[::-1]):
        seed = chaos_lab.prepare(MERGE)
        chaos_lab.admins["plytix"].advance_clock(3600)
        plytix = Plytix(chaos_lab)
        made = {name: plytix.asset(name) for name in order}
        product = first_product(seed)
        plytix.patch(
            product["id"],
            {
                "thumbnail": {"id": made[names[0]]},
                "attributes": {"media_gallery": [{"id": made[n]} for n in names]},
            },
        )
        states.append(normalise(seed, chaos_lab.state(), chaos_lab.base_urls()))
        ids.append(made)
    assert ids[0] != ids[1]
    assert differences(states[0], states[1]) == []
    product = next(
        p for p in states[0]["plytix"]["products"] if p["id"] == first_product(seed)["id"]
    )
    assert product["thumbnail"] == {"id": "asset:I0000aaaaaaaaaaa"}
    assert product["modified"] == "written"


def test_link_history_is_not_a_difference_but_gallery_order_is(chaos_lab: Lab) -> None:
    """Slots written in two runs instead of one reorder the core `assets` list only."""
    names = ["I0000eeeeeeeeeee__a1b2c3d4__hero.jpg", "I0000fffffffffff__b1b2c3d4__alt.jpg"]
    states, linked = [], []
    for writes in (
        [{"thumbnail": 0}, {"gallery": [1, 0]}],
        [{"gallery": [1, 0]}, {"thumbnail": 0}],
        [{"thumbnail": 0}, {"gallery": [0, 1]}],
    ):
        seed = chaos_lab.prepare(MERGE)
        plytix = Plytix(chaos_lab)
        made = [plytix.asset(name) for name in names]
        product = first_product(seed)
        for write in writes:
            body: dict[str, object] = (
                {"thumbnail": {"id": made[write["thumbnail"]]}}
                if "thumbnail" in write
                else {"attributes": {"media_gallery": [{"id": made[i]} for i in write["gallery"]]}}
            )
            plytix.patch(product["id"], body)
        final = chaos_lab.state()
        names_by_id = {a["id"]: a["filename"] for a in final["plytix"]["assets"]}
        row = next(p for p in final["plytix"]["products"] if p["id"] == product["id"])
        linked.append([asset_key({"filename": names_by_id[i]}) for i in row["assets"]])
        states.append(normalise(seed, final, chaos_lab.base_urls()))
    assert linked[0] != linked[1]
    assert differences(states[0], states[1]) == []
    found = differences(states[0], states[2])
    assert found and all(".attributes.media_gallery" in line for line in found), found


def test_a_changed_attribute_is_a_difference_and_a_cleared_one_is_lost(chaos_lab: Lab) -> None:
    seed = chaos_lab.prepare(MERGE)
    reference = chaos_lab.state()
    product = first_product(seed)
    Plytix(chaos_lab).patch(product["id"], {"attributes": {"description": None, "price": 1.5}})
    final = chaos_lab.state()
    found = differences(
        normalise(seed, reference, chaos_lab.base_urls()),
        normalise(seed, final, chaos_lab.base_urls()),
    )
    assert (
        f"state.plytix.products.{product['id']}.attributes.price: expected "
        f"{product['attributes']['price']!r}, got 1.5" in found
    )
    assert violations(reference, final).lost_attributes == [f"{product['sku']}.description"]


def test_duplicate_assets_and_galleries_and_lost_keywords_are_counted(chaos_lab: Lab) -> None:
    seed = chaos_lab.prepare(MERGE)
    reference = chaos_lab.state()
    plytix = Plytix(chaos_lab)
    for name in ("I0000ccccccccccc__x.jpg", "I0000ccccccccccc__x.jpg", "I0000ddddddddddd__y.jpg"):
        plytix.asset(name)
    photoshelter = PhotoShelterClient.login(chaos_lab.running.photoshelter_api_url)
    parent = seed["photoshelter"]["collections"][0]["id"]
    for _ in range(2):
        photoshelter.ok("POST", "/galleries", json={"name": "SS27 hand-off", "parent": parent})
    media = next(m for m in seed["photoshelter"]["media"] if "studio" in m["iptc"]["keywords"])
    kept = [k.strip() for k in media["iptc"]["keywords"].split(",") if k.strip() != "studio"]
    chaos_lab.admins["photoshelter"].call("PATCH", f"media/{media['id']}", {"keywords": kept})

    found = violations(reference, chaos_lab.state())

    assert (found.duplicate_assets, found.duplicate_galleries) == (1, 1)
    assert found.lost_keywords == [f"{media['id']}:studio"]
    assert not found.clean


def test_a_state_compares_equal_to_itself_after_a_reset(chaos_lab: Lab) -> None:
    first_seed = chaos_lab.prepare(MERGE)
    first = normalise(first_seed, chaos_lab.state(), chaos_lab.base_urls())
    second_seed = chaos_lab.prepare(MERGE)
    assert (
        differences(first, normalise(second_seed, chaos_lab.state(), chaos_lab.base_urls())) == []
    )
    assert violations(first_seed, second_seed).clean


# --- the fault driver and the kill --------------------------------------------------------------
def test_driver_arms_a_burst_when_its_route_is_reached_and_expires_tokens(chaos_lab: Lab) -> None:
    chaos_lab.prepare(MERGE)
    route = "POST /api/v1/products/search"
    schedule = FaultSchedule(
        [
            FaultEvent(
                "plytix",
                2,
                "burst5xx",
                {"route": route, "action": "status", "status": 503, "count": 1},
            )
        ],
        expiry_every_seconds=0.3,
    )
    driver = FaultDriver(chaos_lab.admins, schedule, {"plytix": 901, "photoshelter": 7201})
    plytix = Plytix(chaos_lab)
    search = {"pagination": {"page": 1, "page_size": 1}}
    driver.start()
    try:
        statuses = [
            plytix.call("POST", "/products/search", json=search).status_code for _ in range(2)
        ]
        deadline = time.monotonic() + 5
        while driver.armed["burst5xx"] == 0 and time.monotonic() < deadline:
            time.sleep(0.05)
        statuses.append(plytix.call("POST", "/products/search", json=search).status_code)
        while driver.expiries == 0 and time.monotonic() < deadline:
            time.sleep(0.05)
        statuses.append(plytix.call("POST", "/products/search", json=search).status_code)
    finally:
        report = driver.stop()
    assert statuses == [200, 200, 503, 401]
    assert report["armed"] == {"burst5xx": 1} and report["driver_errors"] == []


def test_a_kill_takes_down_the_whole_process_group(tmp_path: Path) -> None:
    child = "import time; time.sleep(120)"
    parent = (
        f"import subprocess, sys, time; subprocess.Popen([sys.executable, '-c', "
        f"{child!r}]); time.sleep(120)"
    )
    process = GroupProcess([sys.executable, "-c", parent], tmp_path, {}, tmp_path / "log")
    assert process.wait(10, until=lambda: len(process.members()) >= 2)

    survivors = process.kill()

    assert survivors == 0 and process.members() == []
    attempt = process.attempt(killed=True, survivors=survivors)
    assert attempt.killed and attempt.returncode is None and not attempt.succeeded


# --- the summary --------------------------------------------------------------------------------
def result(seed: int, kind: str, patch: str, **changes: object) -> dict:
    row = {
        "seed": seed,
        "kind": kind,
        "patch": patch,
        "catalog_seed": 42,
        "converged": True,
        "identical": True,
        "passed": True,
        "reruns": 0,
        "duplicate_assets": 0,
        "duplicate_galleries": 0,
        "duplicate_collections": 0,
        "lost_attributes": [],
        "lost_keywords": [],
        "seconds": 50.0,
        "attempts": [],
    }
    row.update(changes)
    return row


def test_summary_counts_divergences_duplicates_losses_and_reruns() -> None:
    rows = [
        result(0, "faults", "merge/merge", reruns=1),
        result(
            1,
            "kill",
            "replace/replace",
            identical=False,
            passed=False,
            duplicate_assets=2,
            lost_keywords=["I1:sku:A"],
            reruns=2,
            seconds=70.0,
        ),
        result(
            2, "faults", "replace/replace", converged=False, identical=False, passed=False, reruns=3
        ),
    ]
    total = figures(rows)
    assert total == {
        "trials": 3,
        "converged": 2,
        "identical": 1,
        "diverged": 2,
        "not_converged": 1,
        "dup_assets": 2,
        "dup_galleries": 0,
        "dup_collections": 0,
        "lost_attrs": 0,
        "lost_keywords": 1,
        "mean_reruns": 2.0,
        "mean_seconds": 56.7,
    }
    table = groups(rows)
    assert list(table) == [
        "all",
        "kind=faults",
        "kind=kill",
        "patch=merge/merge",
        "patch=replace/replace",
    ]
    assert table["kind=kill"]["dup_assets"] == 2
    text = render(table)
    assert text.splitlines()[0].split()[:3] == ["group", "trials", "converged"]
    assert len(text.splitlines()) == 2 + len(table)


@pytest.mark.parametrize("config", PATCH_CONFIGS, ids=lambda c: c.name)
def test_prepare_sets_the_plytix_patch_mode(chaos_lab: Lab, config: object) -> None:
    chaos_lab.prepare(config)  # type: ignore[arg-type]
    settings = chaos_lab.admins["plytix"].settings()
    assert settings["patch_mode"] == config.plytix_patch_mode  # type: ignore[attr-defined]
    assert settings["requests_per_10s"] == 0


def test_failure_causes_group_the_same_error_on_different_ids() -> None:
    failed = {
        "killed": False,
        "errors": [
            "tap-plytix: error: ConnectionError on GET /api/v1/product_families/"
            "01dda468b099ce4d31b36461/attributes: still failing after 9 attempts"
        ],
    }
    other = {
        "killed": False,
        "errors": [
            "tap-plytix: error: ConnectionError on GET /api/v1/product_families/"
            "ffdda468b099ce4d31b36400/attributes: still failing after 7 attempts"
        ],
    }
    killed = {"killed": True, "errors": ["meltano      Extractor failed"]}
    rows = [
        result(0, "faults", "merge/merge", attempts=[failed, {"killed": False, "errors": []}]),
        result(1, "faults", "merge/merge", attempts=[other]),
        result(2, "kill", "merge/merge", attempts=[killed]),
    ]
    assert failure_causes(rows) == {
        "tap-plytix: error: ConnectionError on GET /api/v#/product_families#/attributes: "
        "still failing after # attempts": 2
    }
