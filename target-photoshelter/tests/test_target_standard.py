"""singer-sdk's standard target tests that apply to an API target, fed in our contract.

The SDK's own input files use table-like streams (`test_array_data` ...) that a target with
fixed record contracts rejects by name, so each test here reads a file of the same name in
`singer/` written with `media_metadata` records (templated with the emulator's media ids),
and `validate()` checks the PhotoShelter emulator's state and the outcome log. SDK tests of
SQL loaders (tables, columns, upserts) do not apply and are not listed.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from string import Template
from typing import Any

import pytest
from singer_sdk.exceptions import RecordsWithoutSchemaException
from singer_sdk.singerlib.exceptions import InvalidInputLine
from singer_sdk.testing import SuiteConfig, get_target_test_class
from singer_sdk.testing.runners import TargetTestRunner
from singer_sdk.testing.suites import SingerTestSuite
from singer_sdk.testing.target_tests import TargetCliPrintsTest
from singer_sdk.testing.templates import TargetFileTestTemplate
from target_photoshelter.target import TargetPhotoShelter

from emulators.runtime import AdminClient

INPUTS = Path(__file__).parent / "singer"


@dataclass
class PhotoShelter:
    """What a test reads and checks: the emulator, its media ids, the outcomes."""

    admin: AdminClient
    media_ids: list[str]
    folder: Path
    config: dict[str, Any]
    before: dict[str, dict[str, Any]]

    def render(self, name: str) -> Path:
        values = {f"media{n}": media_id for n, media_id in enumerate(self.media_ids[:3])}
        path = self.folder / f"{name}.singer"
        path.write_text(Template((INPUTS / f"{name}.singer").read_text()).substitute(values))
        return path

    def iptc(self, n: int) -> dict[str, Any]:
        media = {m["id"]: m for m in self.admin.state()["media"]}
        return media[self.media_ids[n]]["iptc"]

    def outcomes(self) -> list[dict[str, Any]]:
        path = Path(self.config["outcomes_path"])
        return [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []


class PhotoShelterFileTest(TargetFileTestTemplate):
    """An SDK file test whose input is our contract's version of the SDK's file."""

    resource: PhotoShelter

    def run(self, config: SuiteConfig, resource: PhotoShelter, runner: TargetTestRunner) -> None:
        self.resource = resource
        super().run(config, resource, runner)

    @property
    def singer_filepath(self) -> Path:  # type: ignore[override]
        return self.resource.render(self.name or "")


class DuplicateRecords(PhotoShelterFileTest):
    """Records for the same media are applied in order: the last one wins."""

    name = "duplicate_records"

    def validate(self) -> None:
        p = self.resource
        assert p.iptc(0)["title"] == "second"
        assert p.iptc(1)["headline"] == "only once"
        assert [o["outcome"] for o in p.outcomes()] == ["updated", "updated", "updated"]


class EncodedStringData(PhotoShelterFileTest):
    name = "encoded_string_data"

    def validate(self) -> None:
        p = self.resource
        assert (p.iptc(0)["title"], p.iptc(0)["caption"]) == (
            "απλή συμβολοσειρά 简单的字串",
            "line one\nline two\ttabbed",
        )
        assert (p.iptc(1)["title"], p.iptc(1)["headline"]) == (
            "chaîne \"quoted\" and 'single' \\ backslash",
            "emoji 👕🧢 and \u00e9\u0301 combining",
        )


class InvalidSchema(PhotoShelterFileTest):
    name = "invalid_schema"

    def test(self) -> None:
        with pytest.raises(InvalidInputLine):
            super().test()


class NoPrimaryKeys(PhotoShelterFileTest):
    """`media_id` is the key of the contract whatever key_properties say."""

    name = "no_primary_keys"

    def validate(self) -> None:
        p = self.resource
        assert [p.iptc(0)["title"], p.iptc(1)["title"]] == ["no keys 0", "no keys 1"]


class RecordBeforeSchema(PhotoShelterFileTest):
    name = "record_before_schema"

    def test(self) -> None:
        with pytest.raises(RecordsWithoutSchemaException):
            super().test()

    def validate(self) -> None:
        assert self.resource.iptc(0) == self.resource.before[self.resource.media_ids[0]]


class RecordMissingKeyProperty(PhotoShelterFileTest):
    """Adapted: the SDK expects MissingKeyPropertiesError to stop the run; our contract
    rejects the record with its reason and the run goes on."""

    name = "record_missing_key_property"

    def validate(self) -> None:
        p = self.resource
        rejected, written = p.outcomes()
        assert (rejected["outcome"], rejected["reason"]) == ("rejected", "missing media_id")
        assert written["outcome"] == "updated"
        assert p.iptc(0)["title"] == "has its key"


class SchemaUpdates(PhotoShelterFileTest):
    """A SCHEMA sent again mid-stream (one column outside the contract) keeps going."""

    name = "schema_updates"

    def validate(self) -> None:
        p = self.resource
        assert [p.iptc(0)["title"], p.iptc(1)["title"]] == ["schema one", "schema two"]
        assert [o["outcome"] for o in p.outcomes()] == ["updated", "updated"]


_Base = get_target_test_class(
    TargetPhotoShelter,
    config={},
    include_target_tests=False,
    custom_suites=[
        SingerTestSuite(
            kind="target",
            tests=[
                TargetCliPrintsTest,
                DuplicateRecords,
                EncodedStringData,
                InvalidSchema,
                NoPrimaryKeys,
                RecordBeforeSchema,
                RecordMissingKeyProperty,
                SchemaUpdates,
            ],
        )
    ],
    parse_env_config=False,
)


class TestTargetPhotoShelterStandard(_Base):  # type: ignore[misc,valid-type]
    """The suite above, against the session's PhotoShelter emulator (reset before each test)."""

    @pytest.fixture
    def resource(
        self, photoshelter_admin: AdminClient, ps_target_config: dict[str, Any], tmp_path: Path
    ) -> PhotoShelter:
        media = {m["id"]: m["iptc"] for m in photoshelter_admin.state()["media"]}
        return PhotoShelter(photoshelter_admin, sorted(media), tmp_path, ps_target_config, media)

    @pytest.fixture
    def runner(self, resource: PhotoShelter) -> TargetTestRunner:
        return TargetTestRunner(TargetPhotoShelter, config=resource.config, parse_env_config=False)
