"""One sink per record contract (docs/contracts.md): `media_metadata` and `galleries`.

Records are applied as they arrive (RecordSink), so a STATE message that follows them is
emitted only after they are written. A bad record ends as `rejected` with its reason and
the run goes on; a write that fails after its retries raises and fails the run, after the
outcomes so far are flushed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pim_dam_contracts import contract
from pim_dam_core.errors import RecordRejectedError
from singer_sdk.sinks import RecordSink

from target_photoshelter.gallery_writer import parse_gallery_record
from target_photoshelter.metadata import parse_record

if TYPE_CHECKING:
    from target_photoshelter.target import TargetPhotoShelter

MEDIA_METADATA_COLUMNS = contract("media_metadata").fields
GALLERY_COLUMNS = contract("galleries").fields


class PhotoShelterSink(RecordSink):
    """Shared: own validation (rejections, not crashes), extra-column warning, outcomes."""

    contract_name = ""
    columns: frozenset[str] = frozenset()

    def __init__(self, target: Any, stream_name: str, schema: dict, key_properties: Any) -> None:
        # No key properties for the SDK: a record without its key is rejected by the
        # contract check with a reason, not stopped by the SDK's key check.
        super().__init__(target, stream_name, schema, key_properties=[])
        self._target = target
        self._warned_extra = False

    def get_validator(self) -> None:
        """None: each record is checked by its contract and rejected with a reason."""
        return None

    @property
    def plugin(self) -> TargetPhotoShelter:
        return self._target

    def process_record(self, record: dict, context: dict) -> None:
        extra = sorted(k for k in record if k not in self.columns and not k.startswith("_sdc"))
        if extra and not self._warned_extra:
            self._warned_extra = True
            self.logger.warning(
                "Stream %s: ignoring columns %s (not in the %s contract)",
                self.stream_name,
                ", ".join(extra),
                self.contract_name,
            )
        key = self.key_of(record)
        try:
            self.check_required(record)
            outcome, changes = self.apply(record)
        except RecordRejectedError as rejected:
            self.plugin.outcomes.record(self.contract_name, key, "rejected", str(rejected))
            return
        except Exception:
            self.plugin.fail_run()
            raise
        self.plugin.outcomes.record(self.contract_name, key, outcome, changes=changes)

    def check_required(self, record: dict) -> None:
        """The fields the contract's JSON Schema requires (docs/contracts/)."""
        for name in contract(self.contract_name).required:
            if record.get(name) is None:
                raise RecordRejectedError(f"missing {name}")

    def key_of(self, record: dict) -> dict[str, Any]:
        raise NotImplementedError

    def apply(self, record: dict) -> tuple[str, list[str]]:
        raise NotImplementedError


class MediaMetadataSink(PhotoShelterSink):
    contract_name = "media_metadata"
    columns = MEDIA_METADATA_COLUMNS

    def key_of(self, record: dict) -> dict[str, Any]:
        return {"media_id": record.get("media_id")}

    def apply(self, record: dict) -> tuple[str, list[str]]:
        desired = parse_record(record, self.plugin.managed_prefixes)
        applied = self.plugin.metadata_writer.apply(desired)
        return applied.outcome, applied.changes


class GallerySink(PhotoShelterSink):
    contract_name = "galleries"
    columns = GALLERY_COLUMNS

    def key_of(self, record: dict) -> dict[str, Any]:
        return {"name": record.get("name"), "parent": record.get("parent")}

    def apply(self, record: dict) -> tuple[str, list[str]]:
        wanted = parse_gallery_record(record)
        ensured = self.plugin.gallery_writer.ensure(wanted)
        changes = [*ensured.changes]
        if ensured.gallery_id:
            changes.insert(0, f"gallery_id={ensured.gallery_id}")
        return ensured.outcome, changes


class ConnectionCheckSink(RecordSink):
    """Meltano's `config test` stream (`meltano_test_stream`): its record belongs to no
    contract, so nothing is written; the first record makes the target log in and bind
    the organisation, so the test passes only when the target could really write."""

    def __init__(self, target: Any, stream_name: str, schema: dict, key_properties: Any) -> None:
        super().__init__(target, stream_name, schema, key_properties)
        self._target = target
        self._checked = False

    def get_validator(self) -> None:
        """None: the test record is never written, so never checked."""
        return None

    def process_record(self, record: dict, context: dict) -> None:
        if not self._checked:
            self._checked = True
            self._target.check_connection()
