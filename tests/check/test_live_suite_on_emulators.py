"""The live smoke suite runs green when its environment points at the emulators, sandbox
writes included, and leaves the sandbox product and gallery as it found them."""

from __future__ import annotations

import subprocess
import sys

from sync_project import ROOT, base_env


def test_live_suite_passes_against_the_emulators(emulators, plytix_admin, photoshelter_admin):
    plytix_state, ps_state = plytix_admin.state(), photoshelter_admin.state()
    product = next(p for p in plytix_state["products"] if p.get("label"))
    gallery = next(g for g in ps_state["galleries"])
    env = {
        **base_env(),
        "PLYTIX_API_KEY": "demo-key",
        "PLYTIX_API_PASSWORD": "demo-password",
        "PLYTIX_API_URL": emulators.plytix_api_url,
        "PLYTIX_AUTH_URL": emulators.plytix_url,
        "PHOTOSHELTER_API_KEY": "DEMOapikey1",
        "PHOTOSHELTER_EMAIL": "demo@example.com",
        "PHOTOSHELTER_PASSWORD": "demo-password",
        "PHOTOSHELTER_ORG_ID": ps_state["organization"]["id"],
        "PHOTOSHELTER_API_URL": emulators.photoshelter_api_url,
        "LIVE_PLYTIX_SANDBOX_SKU": product["sku"],
        "LIVE_PHOTOSHELTER_SANDBOX_GALLERY": gallery["id"],
    }
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "tests/live",
            "-m",
            "live",
            "-q",
            "-rs",
            "-p",
            "no:cacheprovider",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
    assert "12 passed" in done.stdout and "skipped" not in done.stdout, done.stdout[-2000:]
    # the sandbox writes happened (modified moved) and were put back
    after = next(p for p in plytix_admin.state()["products"] if p["id"] == product["id"])
    assert after["label"] == product["label"]
    routes = plytix_admin.requests()["by_route"]
    assert sum(n for r, n in routes.items() if r.startswith("PATCH /api/v1/products/")) == 2
    ps_routes = photoshelter_admin.requests()["by_route"]
    assert ps_routes["PATCH /psapi/v4.0/galleries/{gallery_id}"] == 2
    # every session the suite opened was logged out
    assert (
        ps_routes["POST /psapi/v4.0/authenticate/logout"]
        == ps_routes["POST /psapi/v4.0/authenticate"]
    )
    gallery_after = next(
        g for g in photoshelter_admin.state()["galleries"] if g["id"] == gallery["id"]
    )
    assert (gallery_after.get("description") or "") == (gallery.get("description") or "")
    # nothing else changed on either side
    assert [p for p in plytix_admin.state()["products"] if p["id"] != product["id"]] == [
        p for p in plytix_state["products"] if p["id"] != product["id"]
    ]
    assert photoshelter_admin.state()["metadata_fields"] == ps_state["metadata_fields"]
    assert photoshelter_admin.state()["media"] == ps_state["media"]
