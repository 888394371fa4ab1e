"""A conflict seeded in PhotoShelter stops `meltano run sync` at the plan step, before writes."""

from __future__ import annotations

import pytest
from remote_services import Remote
from sync_project import Project

from emulators.catalog import Catalog

pytestmark = pytest.mark.e2e


def test_hero_shared_by_two_styles_fails_the_dbt_tests_and_writes_nothing(
    remote: Remote, project: Project, seeded: Catalog
) -> None:
    skus = seeded.hard_cases["multi_skus"]
    styles = {p["attributes"]["style_code"] for p in seeded.products if p["sku"] in skus}
    assert len(styles) == 2
    # A two-product shot the creative team marked as hero: it would outrank both products'
    # own heroes (marked, no sequence, first by file name) and be the hero of two styles.
    remote.upload_media(
        file_name="0_group_shot.jpg",
        keywords="view:hero",
        iptc={"trans_ref": ", ".join(skus)},
        custom_metadata={"Status": "Approved"},
    )
    remote.clear_requests()

    done = project.run("sync", check=False)

    assert done.returncode != 0
    assert "FAIL 1 assert_no_image_is_hero_of_two_products" in done.stdout + done.stderr
    assert remote.writes() == {"plytix": {}, "photoshelter": {}}
