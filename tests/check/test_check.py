"""check and setup over HTTP against the emulators: what is missing, named; what setup
creates; nothing written by check; setup idempotent."""

from __future__ import annotations

from check_helpers import attribute_id, attributes, state_without_requests
from owner_edits import CHECK_FAILS_ON_THEIR_OWN, make_account_their_own
from pim_dam_check import setup
from pim_dam_check.rows import FAIL, OK, WARN, render


def by_item(found):
    return {row.item: row for row in found.rows}


def fails(found):
    return {row.item for row in found.rows if row.status == FAIL}


def test_seeded_account_passes_and_check_changes_nothing(
    settings, checked, plytix_admin, photoshelter_admin
):
    before = (state_without_requests(plytix_admin), state_without_requests(photoshelter_admin))
    found = checked(settings)
    assert found.blockers == 0, render(found.rows)
    rows = by_item(found)
    assert rows["API generation"].detail.startswith("products through v2")
    assert (
        rows["rate limit per 10 s"].status == OK
        and "account 20" in rows["rate limit per 10 s"].detail
    )
    assert rows["field Status = Approved"].status == OK
    # the seeded hard case: a colour PhotoShelter has no tag for
    assert rows["field Color"].status == WARN and "'Teal'" in rows["field Color"].detail
    assert rows["collection Launches"].status == OK
    # no SKU pick-list field in the seed: the custom_field rule matches nothing, not a blocker
    assert rows["field SKU"].status == WARN
    assert {r.item for r in found.rows if r.item.startswith("write path ")} == {
        "write path metadata_write_path",
        "write path custom_metadata_write_path",
        "write path gallery_create_path",
        "write path gallery_add_media_path",
    }
    after = (state_without_requests(plytix_admin), state_without_requests(photoshelter_admin))
    assert after == before
    log = plytix_admin.requests()["by_route"]
    assert all(r.startswith(("GET ", "POST /auth/")) or r.endswith("/search") for r in log), log
    ps_log = photoshelter_admin.requests()["by_route"]
    assert "POST /psapi/v4.0/authenticate/logout" in ps_log
    assert not any("/tags" in r for r in ps_log)


def test_lacking_account_every_missing_item_then_setup_makes_check_pass(
    settings, checked, plytix_api, photoshelter_admin, plytix_admin
):
    make_account_their_own(plytix_api, photoshelter_admin)
    found = checked(settings)
    assert fails(found) == CHECK_FAILS_ON_THEIR_OWN, render(found.rows)
    rows = by_item(found)
    assert (
        "meltano config set dbt-duckdb style_attribute 'style_number'"
        in rows["attribute style_code"].detail
    )
    assert "setting approval_field of dbt-duckdb" in rows["field Status"].detail
    assert "Approval" in rows["field Status"].detail
    assert "the API cannot create fields" in rows["field Size"].detail

    # the dry run says what it would create and what a person must do, and writes nothing
    steps = setup.plan(found)
    assert [a.what for a in steps.actions if a.what.startswith("Plytix")] == [
        "Plytix: create attribute style_code (TextAttribute)",
        "Plytix: create attribute launch_date (DateAttribute)",
        "Plytix: create attribute image_credit (TextAttribute)",
        "Plytix: create attribute imagery_status (DropdownAttribute with options Complete, "
        "Missing hero, No approved imagery, Rights expiring)",
    ]
    manual = "\n".join(steps.manual)
    assert "'Size'" in manual and "'Color'" in manual and "'Status'" in manual
    assert plytix_admin.requests()["by_route"].get("POST /api/v1/attributes/product") == 1

    # the user points the settings at the account's own names and adds Size in the web UI
    names = settings.plugins["dbt-duckdb"]
    names["style_attribute"] = "style_number"
    names["approval_field"] = "Approval"
    names["custom_fields"] = "Category:category,Colour:color,Size:size,Launch Status:launch_status"
    photoshelter_admin.call("POST", "fields", {"name": "Size", "tags": ["S", "M"]})
    found = checked(settings)
    assert fails(found) == {
        "attribute image_credit",
        "attribute imagery_status",
        "attribute launch_date",
    }, render(found.rows)
    steps = setup.plan(found)
    assert len(steps.manual) == 1 and "field 'SKU'" in steps.manual[0]
    assert "(optional: without it the custom_field rule" in steps.manual[0]
    assert setup.apply(steps) == []
    found = checked(settings)
    assert found.blockers == 0, render(found.rows)
    assert not [r for r in found.rows if r.status == WARN and r.item.startswith("field C")]
    defined = attributes(plytix_api)
    assert defined["imagery_status"]["type_class"] == "DropdownAttribute"
    assert defined["imagery_status"]["options"] == [
        "Complete",
        "Missing hero",
        "No approved imagery",
        "Rights expiring",
    ]
    assert defined["launch_date"]["type_class"] == "DateAttribute"
    colour = next(f for f in photoshelter_admin.state()["metadata_fields"] if f["name"] == "Colour")
    assert {t["name"] for t in colour["tags"]} >= {"Black", "White", "Navy", "Teal"}

    # idempotent: nothing left to create, and running it again creates nothing
    plytix_admin.clear_requests()
    photoshelter_admin.clear_requests()
    again = setup.plan(checked(settings))
    assert again.actions == [] and len(again.manual) == 1
    assert "POST /api/v1/attributes/product" not in plytix_admin.requests()["by_route"]


def test_missing_options_added_and_wrong_type_left_to_a_person(settings, checked, plytix_api):
    status = attribute_id(plytix_api, "imagery_status")
    plytix_api.call(
        "PATCH",
        f"/attributes/product/{status}",
        json={"options": ["Complete", "No approved imagery"]},
    )
    names = settings.plugins["dbt-duckdb"]
    names["rights_expiry_attribute"] = "image_credit"  # a text attribute, not a date
    names["rights_credit_attribute"] = "image_credit"
    found = checked(settings)
    rows = by_item(found)
    assert rows["attribute imagery_status"].status == FAIL
    assert "'Missing hero', 'Rights expiring'" in rows["attribute imagery_status"].detail
    assert rows["attribute image_credit"].status == FAIL
    assert "is TextAttribute, the sync needs DateAttribute" in rows["attribute image_credit"].detail
    steps = setup.plan(found)
    assert [a.what for a in steps.actions if a.what.startswith("Plytix")] == [
        "Plytix: add option(s) 'Missing hero', 'Rights expiring' to imagery_status"
    ]
    assert any("image_credit is TextAttribute" in m for m in steps.manual)
    assert setup.apply(steps) == []
    assert attributes(plytix_api)["imagery_status"]["options"] == [
        "Complete",
        "No approved imagery",
        "Missing hero",
        "Rights expiring",
    ]


def test_mapping_settings_each_named(settings, checked):
    names = settings.plugins["dbt-duckdb"]
    names["match_rules"] = "sku,keywords,file_name"
    names["file_name_pattern"] = r"(?P<code>[A-Z]+)_(?P<seq>\d+)\.jpg"
    names["approval_value"] = "approved"
    rows = by_item(checked(settings))
    assert rows["match_rules"].status == FAIL
    assert rows["match_rules"].detail == (
        "setting match_rules of dbt-duckdb: unknown rule(s) sku, keywords; allowed: "
        "custom_field, trans_ref, keyword, file_name, gallery"
    )
    assert rows["file_name_pattern"].status == FAIL
    assert "has no named group `sku`" in rows["file_name_pattern"].detail
    approval = rows["field Status = approved"]
    assert approval.status == FAIL
    assert "setting approval_value of dbt-duckdb" in approval.detail
    assert "meltano config set dbt-duckdb approval_value 'Approved'" in approval.detail

    names["file_name_pattern"] = "(?P<sku>[A-Z]+"
    names["approval_field"] = "status"
    names["handoff_collection"] = "launches"
    rows = by_item(checked(settings))
    assert rows["file_name_pattern"].detail.startswith(
        "setting file_name_pattern of dbt-duckdb: does not compile"
    )
    assert rows["field status"].status == FAIL
    assert "the account has 'Status' (names are case-sensitive)" in rows["field status"].detail
    assert rows["collection launches"].status == WARN
    assert (
        "meltano config set dbt-duckdb handoff_collection 'Launches'"
        in rows["collection launches"].detail
    )

    names["file_name_pattern"] = r"(?P<sku>[A-Z]+)_(?=\d)"
    assert "RE2" in by_item(checked(settings))["file_name_pattern"].detail


def test_refused_credentials_are_a_row_not_a_traceback(settings, checked):
    settings.plugins["tap-plytix"]["api_password"] = "wrong-password"
    settings.plugins["tap-photoshelter"]["password"] = "wrong-password"
    found = checked(settings)
    rows = by_item(found)
    assert rows["tap-plytix credentials"].status == FAIL
    assert "api_key" in rows["tap-plytix credentials"].detail
    assert rows["tap-photoshelter credentials"].status == FAIL
    assert "wrong-password" not in render(found.rows)
    # the targets' own credentials are still checked on their own
    assert rows["target-plytix credentials"].status == OK


def test_v1_account_and_stricter_limits_reported(
    settings, checked, plytix_admin, photoshelter_admin
):
    plytix_admin.settings(v2_enabled=False, requests_per_10s=10, requests_per_hour=5000)
    photoshelter_admin.settings(
        media_modify_window="honoured",
        write_patch_media_iptc=False,
        write_patch_media_metadata=True,
    )
    rows = by_item(checked(settings))
    assert rows["API generation"].detail.startswith("products through v1 (api_version auto)")
    assert "20 columns per search" in rows["API generation"].detail
    # the token states 10 per 10 s, stricter than the setting (20): say so, with the command
    limit = rows["rate limit per 10 s"]
    assert limit.status == WARN
    assert "account 10, setting requests_per_10s 20" in limit.detail
    assert "meltano config set tap-plytix requests_per_10s 10" in limit.detail
    # a looser account limit than the setting is fine: paced to the setting
    assert rows["rate limit per hour"].status == OK
    assert "account 5000, setting requests_per_hour 2000" in rows["rate limit per hour"].detail
    assert rows["media listing"].detail.startswith("plan incremental (modify_start honoured)")
    # the chosen IPTC write path is not there, another candidate is: a blocker, with the fix
    path = rows["write path metadata_write_path"]
    assert path.status == FAIL
    assert (
        "media_iptc does not answer on this account; meltano config set "
        "target-photoshelter metadata_write_path media_metadata"
    ) in path.detail


def test_a_name_setting_without_value_is_a_blocker(settings, checked):
    settings.plugins["dbt-duckdb"].pop("imagery_status_attribute")
    settings.plugins["dbt-duckdb"]["launch_date_attribute"] = ""
    rows = by_item(checked(settings))
    assert rows["imagery_status_attribute"].status == FAIL
    assert rows["launch_date_attribute"].detail.startswith(
        "setting launch_date_attribute of dbt-duckdb has no value"
    )


def test_prod_without_credentials_says_where_they_come_from(settings, checked):
    settings.environment = "prod"
    for plugin in ("tap-plytix", "target-plytix"):
        settings.plugins[plugin].pop("api_key")
        settings.plugins[plugin].pop("api_password")
    for plugin in ("tap-photoshelter", "target-photoshelter"):
        settings.plugins[plugin].pop("api_key")
    rows = by_item(checked(settings))
    assert (
        "from PLYTIX_* variables in the environment or in .env"
        in rows["tap-plytix credentials"].detail
    )
    assert "from PHOTOSHELTER_* variables" in rows["tap-photoshelter credentials"].detail
    assert rows["target-plytix credentials"].status == FAIL


def test_a_failing_probe_is_its_row_and_the_rest_still_checked(
    settings, checked, photoshelter_admin
):
    photoshelter_admin.fault(route="GET /psapi/v4.0/search", action="status", status=403, count=1)
    rows = by_item(checked(settings))
    assert rows["media listing"].status == FAIL
    assert rows["media listing"].detail.startswith("tap-photoshelter: GET /search")
    assert rows["field Status = Approved"].status == OK
    assert rows["write path metadata_write_path"].status == OK


def test_a_refused_filter_table_is_its_row_and_attributes_still_checked(
    settings, checked, plytix_admin
):
    plytix_admin.fault(route="GET /api/v1/filters/product", action="status", status=400, count=1)
    rows = by_item(checked(settings))
    assert rows["API generation and filters"].status == FAIL
    assert "/filters/product" in rows["API generation and filters"].detail
    assert rows["attribute imagery_status"].status == OK
