"""Applies a batch of `products` and `product_media` records: one write per product.

Records are grouped by SKU, so one product gets one PATCH (or one POST when it is created)
however many records touch it. Current values are read in bulk first and only what differs
is written. Under `replace` PATCH semantics the whole attribute map is sent (read-modify-
write), so no attribute the records do not name is ever lost.
"""

from __future__ import annotations

import base64
import logging
import posixpath
import threading
from dataclasses import dataclass, field
from typing import Any, cast

from pim_dam_core.errors import RecordRejectedError
from pim_dam_core.outcomes import OutcomeLog
from plytix_api import (
    AmbiguousWriteError,
    ConnectorError,
    PlytixApiError,
    PlytixClient,
    RetriesExhaustedError,
    UnreadableError,
    attribute_value,
)
from plytix_api.values import ref_ids

from target_plytix import contracts
from target_plytix.asset_names import (
    asset_filename,
    checksum_tag,
    owned_by,
    retagged,
    stored_tag,
)
from target_plytix.asset_urls import AssetUrlPolicy
from target_plytix.contracts import (
    MEDIA_GALLERY,
    MEDIA_SINGLE,
    PRODUCT_MEDIA,
    PRODUCTS,
    READ_ONLY_TYPES,
    THUMBNAIL,
    Rejected,
)
from target_plytix.media_plan import plan_gallery, plan_single
from target_plytix.plytix_cache import PlytixCache

LOGGER = logging.getLogger("target_plytix")
CLIENT_ERRORS_THAT_REJECT = (400, 404, 409, 413, 415, 422)


URL_FETCH_RETRIES = 2
"""Extra asset creations tried when Plytix reports it could not fetch the URL."""


def _is_url_fetch_failure(error: PlytixApiError) -> bool:
    """A 422 on `url` when creating an asset: Plytix could not download the image."""
    return error.status == 422 and any(
        isinstance(e, dict) and e.get("field") == "url" for e in error.field_errors
    )


def _existing_asset(error: PlytixApiError) -> str | None:
    """The asset id a 409 "Asset already exists" names (field `asset.id`), else None."""
    if error.status != 409:
        return None
    for entry in error.field_errors:
        if (
            isinstance(entry, dict)
            and entry.get("field") == "asset.id"
            and isinstance(entry.get("msg"), str)
            and entry["msg"].strip()
        ):
            return entry["msg"].strip()
    return None


def _is_format_refusal(error: PlytixApiError) -> bool:
    """400 on `content_type`: a content replace may not change the file's format."""
    return error.status == 400 and any(
        isinstance(e, dict) and e.get("field") == "content_type" for e in error.field_errors
    )


SAME_FORMAT = {"jpeg": "jpg", "jpe": "jpg", "tif": "tiff"}


def format_changes(stored_name: str, new_filename: str) -> bool:
    """Whether a new source file has another format (by extension) than the stored asset."""

    def extension(name: str) -> str:
        ext = posixpath.splitext(name)[1].lstrip(".").casefold()
        return SAME_FORMAT.get(ext, ext)

    old, new = extension(stored_name), extension(new_filename)
    return bool(old and new and old != new)


def outcome_key(record: dict[str, Any]) -> dict[str, Any]:
    """The key of a record's outcome line: its SKU, and the attribute of a media record."""
    key = {"sku": record.get("sku")}
    if "attribute_label" in record:
        key["attribute_label"] = record["attribute_label"]
    return key


class ImageProblemError(RecordRejectedError):
    """An asset that cannot be made right this run; its records are rejected with why."""


@dataclass(frozen=True)
class WriterSettings:
    sku_normalization: str = "trim"
    create_missing_products: bool = False
    media_write_mode: str = "patch"
    patch_semantics: str = "replace"
    dry_run: bool = False
    verify_writes: bool = True
    asset_urls: AssetUrlPolicy = field(default_factory=AssetUrlPolicy)


@dataclass
class Item:
    """One record on its way to an outcome."""

    stream: str
    kind: str
    record: dict[str, Any]
    sku: str = ""
    outcome: str | None = None
    reason: str | None = None
    created: bool = False
    changed: bool = False
    product_id: str | None = None
    verified: bool = False
    """Its product was read back after the write (`verified` in the outcome line)."""


@dataclass
class Change:
    """What one product needs: the body of its single write and the link calls."""

    body: dict[str, Any] = field(default_factory=dict)
    attributes: dict[str, Any] = field(default_factory=dict)
    categories: list[str] = field(default_factory=list)
    """Category ids to add (v1: in the PATCH; v2: one link call each)."""
    slots: dict[str, list[str]] = field(default_factory=dict)
    """Link mode: media slot -> wanted asset ids."""
    media: dict[str, list[str]] = field(default_factory=dict)
    """Media slot -> wanted asset ids (either mode), for the read-back."""
    owners: dict[str, list[Item]] = field(default_factory=dict)
    """Field written (`label`, `attributes.color`, `thumbnail`, `categories`) -> the records
    that asked for it, so a field Plytix did not keep rejects exactly those."""


@dataclass
class Written:
    """A product written in this batch, waiting to be read back."""

    sku: str
    items: list[Item]
    change: Change


def comparable(type_class: str | None, value: Any) -> Any:
    """A value in a form where equal means 'no write needed'.

    Plytix answers loosely (`"123"` for a number, `2023-02-27T00:00:00` for a date, `""` for
    empty, media as `[{"id"}]`, expanded objects or id strings), so both sides are read as
    the attribute's type first; a value that cannot be read is compared as it is.
    """
    if value is None or value == "" or value == []:
        return None
    if type_class == MEDIA_GALLERY:
        return tuple(ref_ids(value))
    if type_class in (MEDIA_SINGLE, THUMBNAIL):
        ids = ref_ids(value)
        return ids[0] if ids else None
    if type_class is not None:
        try:
            value, _ = attribute_value(type_class, value)
        except UnreadableError:
            return value
    if type_class == "MultiSelectAttribute":
        return tuple(sorted(str(v) for v in value))
    if type_class in ("DecimalAttribute", "IntAttribute") and not isinstance(value, bool):
        return float(value)
    return value


def loose_to_typed(type_class: str, value: Any) -> Any:
    """A value read from Plytix in the type its attribute declares, to be written back."""
    try:
        return attribute_value(type_class, value)[0]
    except UnreadableError:
        return value


class ProductWriter:
    """Collects records from both sinks; `flush()` writes everything pending."""

    def __init__(
        self,
        client: PlytixClient,
        cache: PlytixCache,
        settings: WriterSettings,
        outcomes: OutcomeLog,
    ) -> None:
        self.client = client
        self.cache = cache
        self.settings = settings
        self.outcomes = outcomes
        self.pending: list[Item] = []
        self._lock = threading.Lock()
        self.writes = 0
        self.verified = 0
        """Products read back after their write."""
        self.not_kept = 0
        """Records rejected because the read-back showed their field not as written."""
        self.adopted = 0
        """Assets Plytix already held (409 on create) that were taken over, not duplicated."""
        self.replaced_by_new = 0
        """Source files whose format changed: a new asset in place of the old one."""

    def add(self, stream: str, kind: str, record: dict[str, Any]) -> None:
        with self._lock:
            self.pending.append(Item(stream, kind, record))

    def flush(self) -> None:
        with self._lock:
            batch, self.pending = self.pending, []
            if not batch:
                return
            try:
                self._write(batch)
            except PlytixApiError as error:
                if error.status == 403:
                    raise ConnectorError(
                        f"{error}: the account of api_key may not do this "
                        "(check its permissions in Plytix, or api_version)"
                    ) from None
                if error.status != 410:
                    raise
                fix = (
                    "set api_version to auto or v2"
                    if self.client.settings.api_version == "v1"
                    else "and it did not serve v2 either: check api_url"
                )
                raise ConnectorError(
                    f"{error}: this account no longer serves that endpoint "
                    f"(API {self.client.generation()} for products); {fix}"
                ) from None
            finally:
                for item in batch:
                    if item.outcome is None and item.reason is not None:
                        self._finish(item, "rejected")
                    if item.outcome is not None:
                        self.outcomes.record(
                            item.stream,
                            outcome_key(item.record),
                            item.outcome,
                            reason=item.reason,
                            product_id=item.product_id,
                            verified=item.verified or None,
                        )
                self.outcomes.flush()

    # --- one batch ----------------------------------------------------------------------
    def _write(self, batch: list[Item]) -> None:
        definitions = self.cache.definitions()
        groups: dict[str, list[Item]] = {}
        for item in batch:
            try:
                self._check(item, definitions)
            except Rejected as reason:
                item.reason = str(reason)
                self._finish(item, "rejected")
                continue
            groups.setdefault(item.sku, []).append(item)
        if not groups:
            return
        rows = self.cache.products(
            list(groups), self._labels_to_read(groups, definitions), self._normalise
        )
        for sku, items in groups.items():
            if rows.get(sku) is None and not (
                self.settings.create_missing_products and any(i.kind == PRODUCTS for i in items)
            ):
                for item in items:
                    item.reason = f"unknown SKU {sku!r}"
                    self._finish(item, "rejected")
        created = self._prepare_assets([i for g in groups.values() for i in g if i.outcome is None])
        written: list[Written] = []
        try:
            for sku, items in groups.items():
                live = [i for i in items if i.outcome is None]
                if live and (done := self._write_product(sku, live, rows.get(sku), definitions)):
                    written.append(done)
        except Exception:
            for done in written:  # written before the failure: their outcome, unverified
                self._finish_written(done.items)
            raise
        self._verify(written, definitions)
        self._drop_orphans(created, [i for g in groups.values() for i in g])

    def _normalise(self, sku: Any) -> str:
        return contracts.normalise_sku(sku, self.settings.sku_normalization)

    def _check(self, item: Item, definitions: dict[str, dict[str, Any]]) -> None:
        item.sku = self._normalise(item.record.get("sku"))
        if item.kind == PRODUCTS:
            contracts.check_products(item.record, definitions)
            for value in item.record.get("categories") or []:
                if self.cache.resolve_category(value) is None:
                    raise Rejected(f"unknown category {value!r}")
        else:
            contracts.check_media(item.record, definitions, self.settings.asset_urls)

    def _labels_to_read(
        self, groups: dict[str, list[Item]], definitions: dict[str, dict[str, Any]]
    ) -> list[str]:
        writable = [
            label for label, d in definitions.items() if d["type_class"] not in READ_ONLY_TYPES
        ]
        media = [
            label
            for label in writable
            if definitions[label]["type_class"] in (MEDIA_SINGLE, MEDIA_GALLERY)
        ]
        if self.settings.patch_semantics == "replace":
            return writable
        named: dict[str, None] = {}
        for item in (i for g in groups.values() for i in g):
            if item.kind == PRODUCTS:
                named.update(dict.fromkeys(item.record.get("attributes") or {}))
            elif item.record["attribute_label"] != THUMBNAIL:
                named[item.record["attribute_label"]] = None
        if self.settings.media_write_mode == "link":
            named.update(dict.fromkeys(media))
        return list(named)

    # --- assets -------------------------------------------------------------------------
    def _prepare_assets(self, items: list[Item]) -> set[str]:
        """Find every asset by source id; create the missing; replace changed content.

        Returns the source ids of the assets created for this batch."""
        media = [i for i in items if i.kind == PRODUCT_MEDIA]
        wanted: dict[str, dict[str, Any]] = {}
        for item in media:
            for asset in item.record["assets"]:
                wanted.setdefault(asset["source_id"], asset)
        self.cache.find_assets(list(wanted))
        failures: dict[str, str] = {}
        created: set[str] = set()
        touched: set[str] = set()
        for source_id, asset in wanted.items():
            try:
                if self.cache.assets.get(source_id) is None:
                    if self._create_asset(source_id, asset):
                        created.add(source_id)
                    else:
                        touched.add(source_id)
                elif self._refresh_asset(source_id, asset):
                    touched.add(source_id)
            except PlytixApiError as error:
                if error.status not in CLIENT_ERRORS_THAT_REJECT:
                    raise
                failures[source_id] = f"asset {source_id}: {error.detail}"
            except ImageProblemError as error:
                failures[source_id] = f"asset {source_id}: {error}"
        for item in media:
            ids = [a["source_id"] for a in item.record["assets"]]
            problem = next((failures[s] for s in ids if s in failures), None)
            if problem:
                item.reason = problem
                self._finish(item, "rejected")
                continue
            item.created = any(s in created for s in ids)
            item.changed = any(s in touched for s in ids)
        return created

    def _drop_orphans(self, created: set[str], items: list[Item]) -> None:
        """Delete the assets this batch created only for records that were then rejected,
        so a rejected record leaves nothing behind in Plytix (a later run recreates them)."""
        if not created or self.settings.dry_run:
            return
        kept = {
            a["source_id"]
            for i in items
            if i.kind == PRODUCT_MEDIA and i.outcome != "rejected"
            for a in i.record["assets"]
        }
        for source_id in sorted(created - kept):
            known = self.cache.assets.get(source_id)
            if known is None:
                continue
            try:
                self.client.request("DELETE", f"/assets/{known['id']}")
            except PlytixApiError as error:
                if error.status != 404:
                    raise
            self.writes += 1
            self.cache.assets[source_id] = None

    def _create_asset(self, source_id: str, asset: dict[str, Any]) -> bool:
        """Create the asset from its URL; False when Plytix already held the URL (409) and
        that asset was adopted instead."""
        name = asset_filename(source_id, asset.get("checksum"), asset["filename"])
        if self.settings.dry_run:
            self.cache.assets[source_id] = {"id": f"(new asset {source_id})", "filename": name}
            return True
        expected_size = self.client.content_length(asset["url"])
        fetch_failures = 0
        for _ in range(3 + URL_FETCH_RETRIES):
            try:
                rows = self.client.data(
                    "POST", "/assets", json={"url": asset["url"], "filename": name}
                )
            except PlytixApiError as error:
                if (existing := _existing_asset(error)) is not None:
                    self._adopt(source_id, asset, existing, name, expected_size)
                    return False
                # Plytix could not fetch the image: often the image host's passing trouble
                # (a 502, a timeout). Nothing was created, so ask again after a pause; a URL
                # that keeps failing is rejected by the caller with Plytix's reason.
                if not _is_url_fetch_failure(error) or fetch_failures >= URL_FETCH_RETRIES:
                    raise
                fetch_failures += 1
                LOGGER.warning(
                    "Plytix could not fetch the image of %s (%s); asking again",
                    source_id,
                    error.detail,
                )
                self.client.settings.backoff.wait(fetch_failures)
                continue
            except AmbiguousWriteError:
                if self._found_again(source_id):
                    return True
                continue
            self.writes += 1
            stored = self._remember_created(source_id, rows, name)
            self._check_stored_size(source_id, asset, stored, expected_size)
            return True
        raise AmbiguousWriteError(f"POST /assets for {source_id}: no answer after 3 tries")

    def _remember_created(
        self, source_id: str, rows: list[dict[str, Any]], name: str
    ) -> dict[str, Any]:
        """The asset a create answered; an answer without its id is looked up by name (the
        create happened: its name carries the source id)."""
        stored = rows[0] if rows and isinstance(rows[0], dict) else {}
        if not stored.get("id"):
            if not self._found_again(source_id):
                raise ConnectorError(
                    f"POST /assets for {source_id} answered without an asset id "
                    "and no asset of that name is found"
                )
            return {**(self.cache.assets[source_id] or {})}
        self.cache.assets[source_id] = {
            "id": str(stored["id"]),
            "filename": str(stored.get("filename") or name),
        }
        return {**stored, "id": str(stored["id"])}

    def _found_again(self, source_id: str) -> bool:
        """After a create that got no answer: whether it happened (found by file name)."""
        self.cache.assets.pop(source_id, None)
        self.cache.find_assets([source_id], fresh=True)
        if self.cache.assets.get(source_id) is not None:
            return True
        self.cache.assets.pop(source_id, None)
        return False

    def _adopt(
        self,
        source_id: str,
        asset: dict[str, Any],
        asset_id: str,
        name: str,
        expected_size: int | None,
    ) -> None:
        """Plytix already holds this URL (409 "Asset already exists" naming the asset): use
        that asset, never a duplicate. It is renamed to carry the source id (same extension),
        so later runs find it by name without asking again, and its size is checked like a
        new asset's (the image may have changed since Plytix fetched it)."""
        rows = self.client.data("GET", f"/assets/{asset_id}")
        stored = rows[0] if rows else {"id": asset_id, "filename": name}
        filename = str(stored.get("filename") or name)
        if not owned_by(filename, source_id):
            renamed = self.client.data("PATCH", f"/assets/{asset_id}", json={"filename": name})
            self.writes += 1
            filename = str(renamed[0].get("filename") or name) if renamed else name
        self.adopted += 1
        LOGGER.info(
            "asset of %s: Plytix already holds its URL as asset %s; adopted it", source_id, asset_id
        )
        self.cache.assets[source_id] = {"id": asset_id, "filename": filename}
        self._check_stored_size(source_id, asset, stored, expected_size, ours=False)

    def _check_stored_size(
        self,
        source_id: str,
        asset: dict[str, Any],
        stored: dict[str, Any],
        expected_size: int | None,
        *,
        ours: bool = True,
    ) -> None:
        """Put the whole image in when Plytix stored another size than the image host gives.

        Plytix fetches the image itself and keeps whatever body it got; one cut short would
        stay for good, since the asset's name says it is done. So the bytes are fetched here,
        checked against the size, and sent with `PUT .../content`. When that fails too, an
        asset this run created is deleted (one it adopted is left) and its records rejected,
        and the next run starts afresh.
        """
        size = stored.get("file_size")
        if expected_size is None or not isinstance(size, int) or size == expected_size:
            return
        LOGGER.warning(
            "Plytix stored %d bytes for the image of %s where its host gives %d; "
            "sending the image itself",
            size,
            source_id,
            expected_size,
        )
        asset_id = stored["id"]
        try:
            content = self.client.download(asset["url"], expected_size=expected_size)
        except RetriesExhaustedError as error:
            if ours:
                self.client.request("DELETE", f"/assets/{asset_id}")
                self.writes += 1
                self.cache.assets[source_id] = None
            raise ImageProblemError(
                f"Plytix stored {size} of {expected_size} bytes and the image "
                f"could not be fetched whole: {error}"
            ) from None
        self.client.request(
            "PUT",
            f"/assets/{asset_id}/content",
            expect_json=False,
            files={"file": (asset["filename"], content)},
        )
        self.writes += 1

    def _refresh_asset(self, source_id: str, asset: dict[str, Any]) -> bool:
        """Replace the binary when the source checksum changed; True when it did.

        A new file of another format (`.jpg` -> `.png`) cannot replace the content (Plytix
        answers 400 on `content_type`), so it becomes a new asset instead."""
        known = self.cache.assets[source_id]
        assert known is not None
        tag = checksum_tag(asset.get("checksum"))
        if tag is None or stored_tag(known["filename"], source_id)[0] == tag:
            return False
        if format_changes(known["filename"], asset["filename"]):
            self._replace_by_new_asset(source_id, asset)
            return True
        new_name = retagged(known["filename"], source_id, asset.get("checksum"))
        if not self.settings.dry_run:
            content = self.client.download(asset["url"], self.client.content_length(asset["url"]))
            try:
                # 202 Accepted is success, whatever its body says
                self.client.request(
                    "PUT",
                    f"/assets/{known['id']}/content",
                    expect_json=False,
                    files={"file": (asset["filename"], content)},
                )
            except PlytixApiError as error:
                if not _is_format_refusal(error):
                    raise
                self._replace_by_new_asset(source_id, asset, content)
                return True
            rows = self.client.data("PATCH", f"/assets/{known['id']}", json={"filename": new_name})
            new_name = rows[0]["filename"] if rows else new_name
            self.writes += 2
        known["filename"] = new_name
        return True

    def _replace_by_new_asset(
        self, source_id: str, asset: dict[str, Any], content: bytes | None = None
    ) -> None:
        """A new asset for a source file whose format changed.

        The old asset first loses the source id from its name (so it is never found again
        as this source's asset; a crash between the two steps leaves no asset to find, and
        the re-run creates one, never two); then the new one is uploaded from the bytes (its
        URL is the old one's, which Plytix would answer 409). The products of this batch get
        the new asset in place of the old; the old one stays linked only where this batch
        does not manage the slot (a product not in the batch keeps its image).
        """
        known = self.cache.assets[source_id]
        assert known is not None
        name = asset_filename(source_id, asset.get("checksum"), asset["filename"])
        self.replaced_by_new += 1
        if self.settings.dry_run:
            self.cache.assets[source_id] = {"id": f"(new asset {source_id})", "filename": name}
            return
        if content is None:
            content = self.client.download(asset["url"], self.client.content_length(asset["url"]))
        _, rest = stored_tag(known["filename"], source_id)
        self.client.data(
            "PATCH", f"/assets/{known['id']}", json={"filename": f"replaced-{source_id}-{rest}"}
        )
        self.writes += 1
        self.cache.assets[source_id] = None
        body = {"filename": name, "content": base64.b64encode(content).decode()}
        for _ in range(3):
            try:
                rows = self.client.data("POST", "/assets", json=body)
            except AmbiguousWriteError:
                if self._found_again(source_id):
                    return
                continue
            self.writes += 1
            stored = self._remember_created(source_id, rows, name)
            LOGGER.info(
                "asset of %s: the file changed format (%s -> %s); new asset %s in place of %s",
                source_id,
                known["filename"],
                name,
                stored["id"],
                known["id"],
            )
            return
        raise AmbiguousWriteError(f"POST /assets for {source_id}: no answer after 3 tries")

    # --- one product --------------------------------------------------------------------
    def _write_product(
        self,
        sku: str,
        items: list[Item],
        row: dict[str, Any] | None,
        definitions: dict[str, dict[str, Any]],
    ) -> Written | None:
        """Write one product; the written ones come back for verification (their records
        get their outcome once Plytix has been read back)."""
        current = row or {"attributes": {}}
        change = self._desired(items, current, definitions)
        try:
            product_id, wrote = self._apply(sku, row, current, change, definitions)
        except PlytixApiError as error:
            if error.status not in CLIENT_ERRORS_THAT_REJECT:
                raise
            for item in items:
                item.reason = f"Plytix refused the write: {error}"
                self._finish(item, "rejected")
            return None
        for item in items:
            item.product_id = product_id
            if row is None:
                item.created = True
        if wrote and self.settings.verify_writes and not self.settings.dry_run:
            return Written(sku, items, change)
        self._finish_written(items)
        return None

    def _finish_written(self, items: list[Item]) -> None:
        for item in items:
            if item.outcome is None:
                self._finish(
                    item, "created" if item.created else "updated" if item.changed else "unchanged"
                )

    def _desired(
        self, items: list[Item], current: dict[str, Any], definitions: dict[str, dict[str, Any]]
    ) -> Change:
        """The one write that brings the product to what its records ask, field by field.

        When several records of the batch set the same field, the last one wins (input
        order); a record whose every field was overridden by a later one changes nothing.
        """
        change = Change()
        have = current.get("attributes") or {}
        current_categories = ref_ids(current.get("categories") or [])
        latest: dict[tuple[str, str], tuple[Item, Any]] = {}
        for item in items:
            record = item.record
            if item.kind == PRODUCTS:
                for key in ("label", "status"):
                    if record.get(key) is not None:
                        latest[("core", key)] = (item, record[key])
                for label, value in (record.get("attributes") or {}).items():
                    latest[("attribute", label)] = (item, value)
                missing = [
                    c
                    for c in dict.fromkeys(
                        self.cache.resolve_category(v) for v in record.get("categories") or []
                    )
                    if c and c not in current_categories and c not in change.categories
                ]
                if missing:
                    change.categories.extend(missing)
                    change.owners.setdefault("categories", []).append(item)
                    item.changed = True
                continue
            ids = [
                cast(dict[str, Any], self.cache.assets[a["source_id"]])["id"]
                for a in record["assets"]
            ]
            latest[("media", record["attribute_label"])] = (item, ids)
        for (kind_of_field, name), (item, value) in latest.items():
            if kind_of_field == "core":
                if value != current.get(name):
                    change.body[name] = value
                    change.owners[name] = [item]
                    item.changed = True
            elif kind_of_field == "attribute":
                kind = definitions[name]["type_class"]
                if comparable(kind, value) != comparable(kind, have.get(name)):
                    change.attributes[name] = value
                    change.owners[f"attributes.{name}"] = [item]
                    item.changed = True
            elif self._media_change(change, name, value, current, definitions):
                change.owners[name if name == THUMBNAIL else f"attributes.{name}"] = [item]
                change.media[name] = value
                item.changed = True
        return change

    def _media_change(
        self,
        change: Change,
        label: str,
        ids: list[str],
        current: dict[str, Any],
        definitions: dict[str, dict[str, Any]],
    ) -> bool:
        """Put a media slot's wanted asset ids into the change; False when already so."""
        kind = THUMBNAIL if label == THUMBNAIL else definitions[label]["type_class"]
        now = (
            current.get("thumbnail")
            if label == THUMBNAIL
            else (current.get("attributes") or {}).get(label)
        )
        if comparable(kind, ids) == comparable(kind, now):
            return False
        if self.settings.media_write_mode == "link":
            change.slots[label] = ids
        elif label == THUMBNAIL:
            change.body["thumbnail"] = {"id": ids[0]} if ids else None
        else:
            change.attributes[label] = self._media_value(kind, ids)
        return True

    def _media_value(self, kind: str, ids: list[str]) -> Any:
        """A media attribute as the generation writes it: v2 lists of asset id strings (a
        single media attribute is a one-element list); v1 `[{"id"}]` or `{"id"}`."""
        if not ids:
            return None
        if self.client.generation() == "v2":
            return ids[:1] if kind == MEDIA_SINGLE else list(ids)
        return {"id": ids[0]} if kind == MEDIA_SINGLE else [{"id": i} for i in ids]

    def _written_back(self, label: str, value: Any, definitions: dict[str, dict[str, Any]]) -> Any:
        """An attribute read from Plytix, as it is sent back under `replace` semantics: in
        its declared type (Plytix answers loosely) and media in the generation's shape."""
        kind = definitions[label]["type_class"]
        if kind in (MEDIA_SINGLE, MEDIA_GALLERY):
            return self._media_value(kind, ref_ids(value))
        return loose_to_typed(kind, value)

    def _apply(
        self,
        sku: str,
        row: dict[str, Any] | None,
        current: dict[str, Any],
        change: Change,
        definitions: dict[str, dict[str, Any]],
    ) -> tuple[str | None, bool]:
        """(product id, whether anything was written)."""
        body = dict(change.body)
        generation = self.client.generation()
        if change.categories and generation == "v1":
            body["categories"] = [
                {"id": c} for c in [*ref_ids(current.get("categories") or []), *change.categories]
            ]
        if change.attributes:
            if self.settings.patch_semantics == "replace" and row is not None:
                full = {
                    label: self._written_back(label, value, definitions)
                    for label, value in (current.get("attributes") or {}).items()
                    if label in definitions
                    and value not in (None, "", [])
                    and definitions[label]["type_class"] not in READ_ONLY_TYPES
                }
                full.update(change.attributes)  # null stays: it clears under either semantics
                body["attributes"] = full
            else:
                body["attributes"] = change.attributes
        if self.settings.dry_run:
            return current.get("id"), False
        wrote = False
        if row is None:
            body["attributes"] = {
                k: v for k, v in body.get("attributes", {}).items() if v is not None
            }
            created = self.client.data(
                "POST", self.client.product_path(), json={"sku": sku, **body}
            )
            self.writes += 1
            product_id = self._created_product_id(sku, created)
            current = {"id": product_id, "attributes": {}}
            wrote = True
        else:
            product_id = str(row["id"])
            if body:
                self.client.data("PATCH", self.client.product_path(f"/{product_id}"), json=body)
                self.writes += 1
                wrote = True
        if change.categories and generation == "v2":
            for category_id in change.categories:
                try:
                    self.client.request(
                        "POST",
                        self.client.product_path(f"/{product_id}/categories"),
                        json={"id": category_id},
                        idempotent=True,
                    )
                except PlytixApiError as error:
                    if error.status != 409:  # already there: what was asked
                        raise
                self.writes += 1
            wrote = True
        if change.slots:
            self._link(product_id, current, change.slots, definitions)
            wrote = True
        return product_id, wrote

    def _created_product_id(self, sku: str, answer: list[dict[str, Any]]) -> str:
        """The id a product create answered; looked up by SKU when the answer has none."""
        found = answer[0].get("id") if answer and isinstance(answer[0], dict) else None
        if found:
            return str(found)
        row = self.cache.products([sku], [], self._normalise).get(sku)
        if row is None:
            raise ConnectorError(
                f"POST {self.client.product_path()} for SKU {sku!r} answered "
                "without an id and the product is not found"
            )
        return str(row["id"])

    # --- verification ----------------------------------------------------------------------
    def _verify(self, written: list[Written], definitions: dict[str, dict[str, Any]]) -> None:
        """Read the written products back and check each field a record set.

        Plytix ignores keys it does not know (and v2 answers a write with ids only), so a
        write that 'succeeded' may have changed nothing: a record whose field did not stick
        is rejected with the field named; the others get their outcome.
        """
        if not written:
            return
        labels = sorted(
            {
                key.split(".", 1)[1]
                for w in written
                for key in w.change.owners
                if key.startswith("attributes.")
            }
        )
        rows = self.cache.products([w.sku for w in written], labels, self._normalise)
        for w in written:
            self.verified += 1
            row = rows.get(w.sku)
            wrong: dict[int, list[str]] = {}
            for key, owners in w.change.owners.items():
                if row is None or not self._kept(key, w.change, row, definitions):
                    for item in owners:
                        wrong.setdefault(id(item), []).append(key)
            for item in w.items:
                item.verified = True
                keys = wrong.get(id(item))
                if keys and item.outcome is None:
                    self.not_kept += 1
                    item.reason = (
                        f"Plytix answered the write but reading the product back "
                        f"shows {', '.join(keys)} not as written"
                    )
                    self._finish(item, "rejected")
            self._finish_written(w.items)

    def _kept(
        self, key: str, change: Change, row: dict[str, Any], definitions: dict[str, dict[str, Any]]
    ) -> bool:
        if key in ("label", "status"):
            return row.get(key) == change.body[key]
        if key == "categories":
            return set(change.categories) <= set(ref_ids(row.get("categories") or []))
        if key == THUMBNAIL:
            return comparable(THUMBNAIL, row.get("thumbnail")) == comparable(
                THUMBNAIL, change.media[THUMBNAIL]
            )
        label = key.split(".", 1)[1]
        kind = definitions[label]["type_class"]
        wanted = change.media[label] if label in change.media else change.attributes[label]
        return comparable(kind, (row.get("attributes") or {}).get(label)) == comparable(
            kind, wanted
        )

    # --- link mode ----------------------------------------------------------------------
    def _link(
        self,
        product_id: str,
        current: dict[str, Any],
        slots: dict[str, list[str]],
        definitions: dict[str, dict[str, Any]],
    ) -> None:
        """Link/unlink calls per slot; an unlink drops an asset from every slot, so slots
        that lost an asset they should keep are re-linked (a gallery gets it appended)."""
        have = current.get("attributes") or {}
        state = {THUMBNAIL: ref_ids(current.get("thumbnail") or [])}
        for label, definition in definitions.items():
            if definition["type_class"] in (MEDIA_SINGLE, MEDIA_GALLERY):
                state[label] = ref_ids(have.get(label) or [])
        before = {label: list(ids) for label, ids in state.items()}
        for label, wanted in slots.items():
            self._fill_slot(product_id, label, wanted, state, definitions)
        for label, ids in before.items():
            if label not in slots and state[label] != ids:
                LOGGER.warning(
                    "product %s: unlinking dropped assets from %s as well; re-linking them",
                    product_id,
                    label,
                )
                self._fill_slot(product_id, label, ids, state, definitions)

    def _fill_slot(
        self,
        product_id: str,
        label: str,
        wanted: list[str],
        state: dict[str, list[str]],
        definitions: dict[str, dict[str, Any]],
    ) -> None:
        gallery = label != THUMBNAIL and definitions[label]["type_class"] == MEDIA_GALLERY
        plan = (
            plan_gallery(state[label], wanted)
            if gallery
            else plan_single(
                state[label][0] if state[label] else None, wanted[0] if wanted else None
            )
        )
        for asset_id in plan.unlink:
            try:
                self.client.request(
                    "DELETE", self.client.product_path(f"/{product_id}/assets/{asset_id}")
                )
            except PlytixApiError as error:
                if error.status != 404:
                    raise
            self.writes += 1
            for ids in state.values():
                if asset_id in ids:
                    ids.remove(asset_id)
        for asset_id in plan.link:
            try:
                self.client.request(
                    "POST",
                    self.client.product_path(f"/{product_id}/assets"),
                    json={"id": asset_id, "attribute_label": label},
                    idempotent=True,
                )
            except PlytixApiError as error:
                if error.status != 409:
                    raise
            self.writes += 1
            state[label] = [*state[label], asset_id] if gallery else [asset_id]

    # --- outcomes -----------------------------------------------------------------------
    def _finish(self, item: Item, outcome: str) -> None:
        """Settle a record's outcome; the lines are written in input order by `flush`."""
        item.outcome = outcome
