"""The matching rules' dbt unit tests hold whatever the sync's settings are.

`dbt build` runs them on every sync, so one relying on a setting's default would stop a sync
configured otherwise; each sets what it relies on (`overrides: vars`).
"""

from __future__ import annotations

import re
from pathlib import Path

from dbt_runner import dbt

MATCHING_MODELS = {
    "int_media_identifiers_extracted",
    "int_media_identifiers_resolved",
    "int_media_identifiers_winning",
    "int_media_products_matched",
    "int_media_match_conflicts",
    "int_media_rights_evaluated",
    "int_product_images_ranked",
    "int_product_channel_images",
    "stg_photoshelter__media",
    "stg_plytix__products",
}
OTHER_SETTINGS = {
    "SYNC_MATCH_RULES": "gallery,keyword",
    "SYNC_IDENTIFIER_FIELD": "Style",
    "SYNC_HANDOFF_COLLECTION": "Creative",
    "SYNC_FILE_NAME_PATTERN": r"^(?P<sku>\w+)\.jpg$",
    "SYNC_STYLE_ATTRIBUTE": "size",
    "SYNC_CHANNELS": "print:print_images",
    "SYNC_APPROVAL_FIELD": "Approval",
    "SYNC_APPROVAL_VALUE": "Yes",
    "SYNC_EXPIRING_SOON_DAYS": "0",
}


def test_unit_tests_pass_under_other_settings(built: Path) -> None:
    done = dbt(built, "test", "--select", "test_type:unit", env=OTHER_SETTINGS)
    assert done.returncode == 0, done.stdout[-5000:]
    passed = re.findall(r"PASS (\w+)::(\w+)", done.stdout)
    assert {model for model, _ in passed} >= MATCHING_MODELS, done.stdout[-5000:]
    assert "FAIL" not in done.stdout and "ERROR=0" in done.stdout
