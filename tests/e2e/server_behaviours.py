"""One whole sync history under one set of server behaviours, for comparing behaviours.

The real Plytix account may or may not serve v2; the real PhotoShelter may honour, ignore or
refuse `modify_start`, `include` and `sort_by` on media lists (docs/apis/*.md). The
connectors must give the same end state under each: only the request count may differ. A
`Scenario` runs the same history (first sync, one edit on each side, sync, sync) on emulators
of its own with the behaviours set, and keeps what a comparison needs.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from remote_services import Remote
from sync_project import Project

from emulators.runtime import start

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "reliability"))
from chaos_state import Violations, differences, normalise, violations

__all__ = ["differences"]

GENERATION = re.compile(r"Plytix API generation: (v[12]) for products")
MEDIA_PLAN = re.compile(r"media: plan (\w+) \(([^)]*)\)")
EDITED_SKU = "HD-1001-BLK-L"
"""A product of the seed with images in several slots: its colour is edited in Plytix."""
REJECTED_SKU = "HD-1001-BLK-XS"
"""A product whose first gallery image the photographer rejects in PhotoShelter."""
PHOTOGRAPHER_KEYWORD = "studio:north"


@dataclass(frozen=True)
class Behaviours:
    """The servers' switches (emulators/README.md) for one scenario."""

    name: str
    plytix_v2: bool
    modify_window: str
    list_include: str
    sort_by: str
    plytix_extra: tuple[tuple[str, Any], ...] = ()

    def plytix_settings(self) -> dict[str, Any]:
        return {"v2_enabled": self.plytix_v2, **dict(self.plytix_extra)}

    def photoshelter_settings(self) -> dict[str, Any]:
        return {
            "media_modify_window": self.modify_window,
            "media_list_include": self.list_include,
            "media_sort_by": self.sort_by,
        }


@dataclass
class Outcome:
    """What one history left: states, write counts per sync, and what the logs said."""

    behaviours: Behaviours
    seed_state: dict[str, Any]
    final_state: dict[str, Any]
    normalised: dict[str, Any]
    writes: list[dict[str, dict[str, int]]]
    requests: list[dict[str, int]]
    generations: list[str]
    media_plans: list[str]
    edited_media: dict[str, str] = field(default_factory=dict)

    def violations(self, reference: dict[str, Any]) -> Violations:
        """Duplicates here, and what this end state lost of `reference` (a raw state)."""
        return violations(reference, self.final_state)


def both_states(remote: Remote) -> dict[str, Any]:
    return {"plytix": remote.plytix_state(), "photoshelter": remote.ps_state()}


def request_total(remote: Remote) -> dict[str, int]:
    return {
        "plytix": sum(remote.plytix.requests()["by_route"].values()),
        "photoshelter": sum(remote.photoshelter.requests()["by_route"].values()),
    }


def run_history(behaviours: Behaviours, workdir: Path) -> Outcome:
    """First sync, then a product manager's and a photographer's edit, then sync twice."""
    running = start(
        "small",
        seed=42,
        rate_limits=False,
        plytix_settings=behaviours.plytix_settings(),
        photoshelter_settings=behaviours.photoshelter_settings(),
    )
    try:
        remote = Remote(running)
        project = Project(workdir, running)
        seed_state = both_states(remote)
        writes, requests = [], []
        edited: dict[str, str] = {}
        for step in range(3):
            if step == 1:
                edited = edit_both_sides(remote)
            remote.clear_requests()
            project.run("sync")
            writes.append(remote.writes())
            requests.append(request_total(remote))
        log = project.workdir.joinpath("meltano.log").read_text()
        final = both_states(remote)
        base_urls = {"plytix": running.plytix_url, "photoshelter": running.photoshelter_url}
        return Outcome(
            behaviours,
            seed_state,
            final,
            normalise(seed_state, final, base_urls),
            writes,
            requests,
            GENERATION.findall(log),
            [f"{plan} ({why})" for plan, why in MEDIA_PLAN.findall(log)],
            edited,
        )
    finally:
        running.stop()


def edit_both_sides(remote: Remote) -> dict[str, str]:
    """The same edits in every scenario: a colour in Plytix; in PhotoShelter a rejected image
    and a keyword a photographer adds by hand (which the sync must keep)."""
    remote.patch_product(EDITED_SKU, {"color": "Navy"})
    rejected = remote.product_media(REJECTED_SKU)["media_gallery"][0]
    remote.edit_media(rejected, custom_metadata={"Status": "Rejected"})
    kept = remote.product_media(EDITED_SKU)["media_gallery"][0]
    remote.edit_media(kept, keywords=", ".join([*remote.keywords(kept), PHOTOGRAPHER_KEYWORD]))
    return {"rejected": rejected, "keyworded": kept}
