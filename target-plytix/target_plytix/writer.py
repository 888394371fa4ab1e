"""Applies a batch of `products` and `product_media` records: one write per product.

Records are grouped by SKU, so one product gets one PATCH (or one POST when it is created)
however many records touch it. Current values are read in bulk first and only what differs
is written. Under `replace` PATCH semantics the whole attribute map is sent (read-modify-
write), so no attribute the records do not name is ever lost.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass, field
from typing import Any

from tap_plytix.api import AmbiguousWrite, ApiError, PlytixClient, RetriesExhausted
from tap_plytix.api.retry import backoff_seconds

from target_plytix import contracts
from target_plytix.asset_names import asset_filename, checksum_tag, retagged, stored_tag
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
from target_plytix.outcomes import OutcomeLog
from target_plytix.remote import Remote

LOGGER = logging.getLogger("target_plytix")
CLIENT_ERRORS_THAT_REJECT = (400, 404, 409, 413, 415, 422)


URL_FETCH_RETRIES = 2
"""Extra asset creations tried when Plytix reports it could not fetch the URL."""


def _is_url_fetch_failure(error: ApiError) -> bool:
    """A 422 on `url` when creating an asset: Plytix could not download the image."""
    return error.status == 422 and any(
        isinstance(e, dict) and e.get("field") == "url" for e in error.field_errors)


class ImageProblem(Exception):
    """An asset that cannot be made right this run; its records are rejected with why."""


@dataclass(frozen=True)
class WriterSettings:
    sku_normalization: str = "trim"
    create_missing_products: bool = False
    media_write_mode: str = "patch"
    patch_semantics: str = "replace"
    dry_run: bool = False
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


@dataclass
class Change:
    """What one product needs: the body of its single write and the link calls."""

    body: dict[str, Any] = field(default_factory=dict)
    attributes: dict[str, Any] = field(default_factory=dict)
    slots: dict[str, list[str]] = field(default_factory=dict)
    """Link mode: media slot -> wanted asset ids."""


def comparable(type_class: str | None, value: Any) -> Any:
    """A value in a form where equal means 'no write needed'."""
    if value is None or value == "" or value == []:
        return None
    if type_class == MEDIA_GALLERY:
        return tuple(ref_ids(value))
    if type_class in (MEDIA_SINGLE, THUMBNAIL):
        ids = ref_ids(value)
        return ids[0] if ids else None
    if type_class == "MultiSelectAttribute":
        return tuple(sorted(str(v) for v in value))
    if type_class in ("DecimalAttribute", "IntAttribute") and not isinstance(value, bool):
        return float(value)
    if type_class == "DateAttribute":
        return str(value)[:10]
    return value


def ref_ids(value: Any) -> list[str]:
    items = value if isinstance(value, list) else [value]
    return [str(v["id"]) if isinstance(v, dict) else str(v) for v in items if v]


class ProductWriter:
    """Collects records from both sinks; `flush()` writes everything pending."""

    def __init__(self, client: PlytixClient, remote: Remote, settings: WriterSettings,
                 outcomes: OutcomeLog) -> None:
        self.client = client
        self.remote = remote
        self.settings = settings
        self.outcomes = outcomes
        self.pending: list[Item] = []
        self._lock = threading.Lock()
        self.writes = 0

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
            finally:
                for item in batch:
                    if item.outcome is None and item.reason is not None:
                        self._finish(item, "rejected")
                self.outcomes.flush()

    # --- one batch ----------------------------------------------------------------------
    def _write(self, batch: list[Item]) -> None:
        definitions = self.remote.definitions()
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
        rows = self.remote.products(list(groups), self._labels_to_read(groups, definitions),
                                    self._normalise)
        for sku, items in groups.items():
            if rows.get(sku) is None and not (self.settings.create_missing_products
                                              and any(i.kind == PRODUCTS for i in items)):
                for item in items:
                    item.reason = f"unknown SKU {sku!r}"
                    self._finish(item, "rejected")
        created = self._prepare_assets([i for g in groups.values() for i in g
                                        if i.outcome is None])
        for sku, items in groups.items():
            live = [i for i in items if i.outcome is None]
            if live:
                self._write_product(sku, live, rows.get(sku), definitions)
        self._drop_orphans(created, [i for g in groups.values() for i in g])

    def _normalise(self, sku: str) -> str:
        return contracts.normalise_sku(sku, self.settings.sku_normalization)

    def _check(self, item: Item, definitions: dict[str, dict[str, Any]]) -> None:
        item.sku = self._normalise(item.record.get("sku"))
        if item.kind == PRODUCTS:
            contracts.check_products(item.record, definitions)
            for value in item.record.get("categories") or []:
                if self.remote.resolve_category(value) is None:
                    raise Rejected(f"unknown category {value!r}")
        else:
            contracts.check_media(item.record, definitions, self.settings.asset_urls)

    def _labels_to_read(self, groups: dict[str, list[Item]],
                        definitions: dict[str, dict[str, Any]]) -> list[str]:
        writable = [label for label, d in definitions.items()
                    if d["type_class"] not in READ_ONLY_TYPES]
        media = [label for label in writable
                 if definitions[label]["type_class"] in (MEDIA_SINGLE, MEDIA_GALLERY)]
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
        self.remote.find_assets(list(wanted))
        failures: dict[str, str] = {}
        created: set[str] = set()
        touched: set[str] = set()
        for source_id, asset in wanted.items():
            try:
                if self.remote.assets.get(source_id) is None:
                    self._create_asset(source_id, asset)
                    created.add(source_id)
                elif self._refresh_asset(source_id, asset):
                    touched.add(source_id)
            except ApiError as error:
                if error.status not in CLIENT_ERRORS_THAT_REJECT:
                    raise
                failures[source_id] = f"asset {source_id}: {error.detail}"
            except ImageProblem as error:
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
        kept = {a["source_id"] for i in items if i.kind == PRODUCT_MEDIA
                and i.outcome != "rejected" for a in i.record["assets"]}
        for source_id in sorted(created - kept):
            known = self.remote.assets.get(source_id)
            if known is None:
                continue
            try:
                self.client.request("DELETE", f"/assets/{known['id']}")
            except ApiError as error:
                if error.status != 404:
                    raise
            self.writes += 1
            self.remote.assets[source_id] = None

    def _create_asset(self, source_id: str, asset: dict[str, Any]) -> None:
        name = asset_filename(source_id, asset.get("checksum"), asset["filename"])
        if self.settings.dry_run:
            self.remote.assets[source_id] = {"id": f"(new asset {source_id})", "filename": name}
            return
        expected_size = self.client.content_length(asset["url"])
        fetch_failures = 0
        for _ in range(3 + URL_FETCH_RETRIES):
            try:
                rows = self.client.data("POST", "/assets", json={"url": asset["url"],
                                                                 "filename": name})
            except ApiError as error:
                # Plytix could not fetch the image: often the image host's passing trouble
                # (a 502, a timeout). Nothing was created, so ask again after a pause; a URL
                # that keeps failing is rejected by the caller with Plytix's reason.
                if not _is_url_fetch_failure(error) or fetch_failures >= URL_FETCH_RETRIES:
                    raise
                fetch_failures += 1
                LOGGER.warning("Plytix could not fetch the image of %s (%s); asking again",
                               source_id, error.detail)
                time.sleep(backoff_seconds(self.client.settings, fetch_failures))
                continue
            except AmbiguousWrite:
                self.remote.assets.pop(source_id, None)
                self.remote.find_assets([source_id])
                if self.remote.assets.get(source_id) is not None:
                    return
                self.remote.assets.pop(source_id, None)
                continue
            self.writes += 1
            self.remote.assets[source_id] = {"id": rows[0]["id"], "filename": rows[0]["filename"]}
            self._check_stored_size(source_id, asset, rows[0], expected_size)
            return
        raise AmbiguousWrite(f"POST /assets for {source_id}: no answer after 3 tries")

    def _check_stored_size(self, source_id: str, asset: dict[str, Any], stored: dict[str, Any],
                           expected_size: int | None) -> None:
        """Put the whole image in when Plytix stored another size than the image host gives.

        Plytix fetches the image itself and keeps whatever body it got; one cut short would
        stay for good, since the asset's name says it is done. So the bytes are fetched here,
        checked against the size, and sent with `PUT .../content`. When that fails too, the
        asset is deleted and its records rejected, and the next run starts afresh.
        """
        size = stored.get("file_size")
        if expected_size is None or not isinstance(size, int) or size == expected_size:
            return
        LOGGER.warning("Plytix stored %d bytes for the image of %s where its host gives %d; "
                       "sending the image itself", size, source_id, expected_size)
        asset_id = stored["id"]
        try:
            content = self.client.download(asset["url"], expected_size=expected_size)
        except RetriesExhausted as error:
            self.client.request("DELETE", f"/assets/{asset_id}")
            self.writes += 1
            self.remote.assets[source_id] = None
            raise ImageProblem(f"Plytix stored {size} of {expected_size} bytes and the image "
                               f"could not be fetched whole: {error}") from None
        self.client.request("PUT", f"/assets/{asset_id}/content",
                            files={"file": (asset["filename"], content)})
        self.writes += 1

    def _refresh_asset(self, source_id: str, asset: dict[str, Any]) -> bool:
        """Replace the binary when the source checksum changed; True when it did."""
        known = self.remote.assets[source_id]
        assert known is not None
        tag = checksum_tag(asset.get("checksum"))
        if tag is None or stored_tag(known["filename"], source_id)[0] == tag:
            return False
        new_name = retagged(known["filename"], source_id, asset.get("checksum"))
        if not self.settings.dry_run:
            content = self.client.download(asset["url"],
                                           self.client.content_length(asset["url"]))
            self.client.request("PUT", f"/assets/{known['id']}/content",
                                files={"file": (asset["filename"], content)})
            rows = self.client.data("PATCH", f"/assets/{known['id']}",
                                    json={"filename": new_name})
            new_name = rows[0]["filename"] if rows else new_name
            self.writes += 2
        known["filename"] = new_name
        return True

    # --- one product --------------------------------------------------------------------
    def _write_product(self, sku: str, items: list[Item], row: dict[str, Any] | None,
                       definitions: dict[str, dict[str, Any]]) -> None:
        current = row or {"attributes": {}}
        change = self._desired(items, current, definitions)
        try:
            product_id = self._apply(sku, row, current, change, definitions)
        except ApiError as error:
            if error.status not in CLIENT_ERRORS_THAT_REJECT:
                raise
            for item in items:
                item.reason = f"Plytix refused the write: {error}"
                self._finish(item, "rejected")
            return
        for item in items:
            item.product_id = product_id
            if row is None:
                item.created = True
            self._finish(item, "created" if item.created else
                         "updated" if item.changed else "unchanged")

    def _desired(self, items: list[Item], current: dict[str, Any],
                 definitions: dict[str, dict[str, Any]]) -> Change:
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
                missing = [c for c in (self.remote.resolve_category(v)
                                       for v in record.get("categories") or [])
                           if c and c not in current_categories
                           and c not in change.body.get("categories", [])]
                if missing:
                    change.body["categories"] = [*change.body.get("categories",
                                                                  current_categories), *missing]
                    item.changed = True
                continue
            ids = [self.remote.assets[a["source_id"]]["id"] for a in record["assets"]]
            latest[("media", record["attribute_label"])] = (item, ids)
        for (kind_of_field, name), (item, value) in latest.items():
            if kind_of_field == "core":
                if value != current.get(name):
                    change.body[name] = value
                    item.changed = True
            elif kind_of_field == "attribute":
                kind = definitions[name]["type_class"]
                if comparable(kind, value) != comparable(kind, have.get(name)):
                    change.attributes[name] = value
                    item.changed = True
            elif self._media_change(change, name, value, current, definitions):
                item.changed = True
        return change

    def _media_change(self, change: Change, label: str, ids: list[str], current: dict[str, Any],
                      definitions: dict[str, dict[str, Any]]) -> bool:
        """Put a media slot's wanted asset ids into the change; False when already so."""
        kind = THUMBNAIL if label == THUMBNAIL else definitions[label]["type_class"]
        now = current.get("thumbnail") if label == THUMBNAIL else \
            (current.get("attributes") or {}).get(label)
        if comparable(kind, ids) == comparable(kind, now):
            return False
        if self.settings.media_write_mode == "link":
            change.slots[label] = ids
        elif label == THUMBNAIL:
            change.body["thumbnail"] = {"id": ids[0]} if ids else None
        elif kind == MEDIA_SINGLE:
            change.attributes[label] = {"id": ids[0]} if ids else None
        else:
            change.attributes[label] = [{"id": i} for i in ids] if ids else None
        return True

    def _apply(self, sku: str, row: dict[str, Any] | None, current: dict[str, Any],
               change: Change, definitions: dict[str, dict[str, Any]]) -> str | None:
        body = dict(change.body)
        if change.attributes:
            if self.settings.patch_semantics == "replace" and row is not None:
                full = {label: value for label, value in (current.get("attributes") or {}).items()
                        if label in definitions
                        and definitions[label]["type_class"] not in READ_ONLY_TYPES}
                full.update(change.attributes)  # null stays: it clears under either semantics
                body["attributes"] = full
            else:
                body["attributes"] = change.attributes
        if self.settings.dry_run:
            return current.get("id")
        if row is None:
            body["attributes"] = {k: v for k, v in body.get("attributes", {}).items()
                                  if v is not None}
            created = self.client.data("POST", "/products", json={"sku": sku, **body})
            self.writes += 1
            product_id = created[0]["id"]
            current = {**created[0], "id": product_id}
        else:
            product_id = row["id"]
            if body:
                self.client.data("PATCH", f"/products/{product_id}", json=body)
                self.writes += 1
        if change.slots:
            self._link(product_id, current, change.slots, definitions)
        return str(product_id)

    # --- link mode ----------------------------------------------------------------------
    def _link(self, product_id: str, current: dict[str, Any], slots: dict[str, list[str]],
              definitions: dict[str, dict[str, Any]]) -> None:
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
                LOGGER.warning("product %s: unlinking dropped assets from %s as well; "
                               "re-linking them", product_id, label)
                self._fill_slot(product_id, label, ids, state, definitions)

    def _fill_slot(self, product_id: str, label: str, wanted: list[str],
                   state: dict[str, list[str]], definitions: dict[str, dict[str, Any]]) -> None:
        gallery = label != THUMBNAIL and definitions[label]["type_class"] == MEDIA_GALLERY
        plan = plan_gallery(state[label], wanted) if gallery else \
            plan_single((state[label] or [None])[0], (wanted or [None])[0])
        for asset_id in plan.unlink:
            try:
                self.client.request("DELETE", f"/products/{product_id}/assets/{asset_id}")
            except ApiError as error:
                if error.status != 404:
                    raise
            self.writes += 1
            for ids in state.values():
                if asset_id in ids:
                    ids.remove(asset_id)
        for asset_id in plan.link:
            try:
                self.client.request("POST", f"/products/{product_id}/assets",
                                    json={"id": asset_id, "attribute_label": label},
                                    idempotent=True)
            except ApiError as error:
                if error.status != 409:
                    raise
            self.writes += 1
            state[label] = [*state[label], asset_id] if gallery else [asset_id]

    # --- outcomes -----------------------------------------------------------------------
    def _finish(self, item: Item, outcome: str) -> None:
        item.outcome = outcome
        self.outcomes.add(item.stream, outcome, item.record, reason=item.reason,
                          product_id=item.product_id)
