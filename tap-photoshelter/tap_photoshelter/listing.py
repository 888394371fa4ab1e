"""Which media listing this account allows, found out while listing, at no extra request.

`docs/apis/photoshelter.md` confirms only `GET /media?terms=&org_id=`: the `modify_start` filter,
the `sort_by=date` order and `include=` on lists may each be honoured, ignored (answered as
if absent) or refused (400) by the real server. The tap must stay correct under each, so the
listing is planned from what the first answer shows:

- the first page is asked with everything (`modify_start=<bookmark>`, `sort_by=date`,
  `include=...`); a 400 naming a parameter drops it and asks again (one request each);
- an item older than `modify_start` on that page means the filter was ignored (an answer in
  which every item is newer is the same set the filter would give, so it is read as is);
- plans, cheapest first: **incremental** (`/media` from the bookmark); **library** (the
  `/search?mode=library` listing sorted by creation time, which working code pages through
  at scale) when `modify_start` is not honoured; **full** (every page of `/media`) when
  `/search` does not answer or a gallery/collection scope is set. The stream filters every
  plan by the same bookmark and same-second digests, so the records are the same; only the
  request count differs.

Plain Python over the shared client; the stream turns the items into rows.
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from photoshelter_api import ApiError, ConfigError, PhotoShelterClient, paths
from photoshelter_api.client import data_list
from photoshelter_api.formats import api_timestamp, includes_of, utc_iso

LOGGER = logging.getLogger("tap_photoshelter")

HONOURED, IGNORED, REFUSED, UNTESTED = "honoured", "ignored", "refused", "untested"
UNCONFIRMED = ("modify_start", "sort_by", "include")
"""Parameters of the media lists the server may ignore or refuse (the `sort_dir` of a
refused `sort_by` goes with it)."""
IMAGE_KINDS = frozenset({"image", "media"})
"""JSON:API types kept: `image`, and the generic `media` of older answers."""


@dataclass
class ListingReport:
    """What the server did with each parameter, the plan chosen, and what it cost."""

    behaviour: dict[str, str] = field(
        default_factory=lambda: dict.fromkeys((*UNCONFIRMED, "search"), UNTESTED)
    )
    plan: str = ""
    reason: str = ""
    pages: int = 0
    discarded_pages: int = 0
    refused_answers: int = 0
    skipped_kinds: Counter[str] = field(default_factory=Counter)

    @property
    def requests(self) -> int:
        return self.pages + self.discarded_pages + self.refused_answers

    def as_state(self) -> dict[str, Any]:
        return {
            "plan": self.plan,
            "reason": self.reason,
            **self.behaviour,
            "list_requests": self.requests,
        }


class MediaListing:
    """Pages of raw media items (images only) under the cheapest plan that is correct."""

    def __init__(
        self,
        api: PhotoShelterClient,
        *,
        per_page: int,
        image_size: str,
        start_iso: str | None,
        scope: Mapping[str, str],
    ) -> None:
        self.api = api
        self.per_page = per_page
        self.image_size = image_size
        self.start_iso = start_iso
        self.scope = dict(scope)
        self.report = ListingReport()

    # --- the plan ---------------------------------------------------------------------------
    def items(self) -> Iterator[dict[str, Any]]:
        """Every image item the plan lists (the stream still filters by the bookmark)."""
        params = self._media_params(with_start=self.start_iso is not None)
        found = self._first_page(paths.MEDIA, params, stop_on="modify_start")
        behaviour = self.report.behaviour
        if found is None:
            pass  # modify_start refused: the plan is chosen below
        elif self.start_iso is None:
            self._choose("full", "first run: every image is needed")
        elif self._older_than_start(data_list(found[1], paths.MEDIA)):
            behaviour["modify_start"] = IGNORED
            self.report.discarded_pages += 1
            self.report.pages -= 1
        else:
            behaviour["modify_start"] = HONOURED
            self._choose("incremental", "modify_start honoured")
        if self.report.plan and found is not None:
            self._note_order(*found)
            yield from self._pages(paths.MEDIA, *found)
            return
        why = f"modify_start {behaviour['modify_start']}"
        if not self.scope:
            found = self._search_first_page()
            if found is not None:
                self._choose("library", f"{why}; /search answers")
                yield from self._pages(paths.SEARCH, *found)
                return
            why += "; /search does not answer"
        else:
            why += "; a gallery/collection scope needs /media"
        self._choose("full", why)
        params = self._media_params(with_start=False, dropped=self._refused())
        found = self._first_page(paths.MEDIA, params)
        assert found is not None
        self._note_order(*found)
        yield from self._pages(paths.MEDIA, *found)

    def _choose(self, plan: str, reason: str) -> None:
        self.report.plan, self.report.reason = plan, reason

    def _refused(self) -> set[str]:
        return {n for n, v in self.report.behaviour.items() if v == REFUSED}

    def _media_params(self, *, with_start: bool, dropped: set[str] | None = None) -> dict[str, Any]:
        dropped = dropped or set()
        params: dict[str, Any] = {"org_id": self.api.org_id, **self.scope}
        if with_start and self.start_iso and "modify_start" not in dropped:
            params["modify_start"] = api_timestamp(self.start_iso)
        if "sort_by" not in dropped:
            params.update(paths.MEDIA_SORT)
        if "include" not in dropped:
            params["include"] = ",".join(paths.MEDIA_INCLUDES)
            params.update(paths.link_params(self.image_size))
        return params

    def _search_first_page(self) -> tuple[dict[str, Any], dict[str, Any]] | None:
        """The first page of the library listing, or None when `/search` does not answer."""
        params: dict[str, Any] = {"org_id": self.api.org_id, **paths.SEARCH_LIBRARY}
        if self.report.behaviour["include"] != REFUSED:
            params["include"] = ",".join(paths.MEDIA_INCLUDES)
            params.update(paths.link_params(self.image_size))
        try:
            found = self._first_page(paths.SEARCH, params, search=True)
            assert found is not None
        except ApiError as error:
            if error.status in (400, 404, 405, 501):
                self.report.refused_answers += 1
                self.report.behaviour["search"] = f"not answering (HTTP {error.status})"
                return None
            raise
        self.report.behaviour["search"] = "answers"
        return found

    # --- requests ---------------------------------------------------------------------------
    def _first_page(
        self, path: str, params: dict[str, Any], search: bool = False, stop_on: str | None = None
    ) -> tuple[dict[str, Any], dict[str, Any]] | None:
        """Page 1; each 400 that names an unconfirmed parameter drops it and asks again,
        except `stop_on`: its refusal changes the plan, so None is returned instead."""
        while True:
            try:
                body = self.api.get(path, {**params, "page": 1, "per_page": self.per_page})
            except ApiError as error:
                if error.status == 404 and self.scope:
                    raise self._unexplained(error, path) from None
                if error.status != 400:
                    raise
                named = self._droppable(str(error), params)
                if not named:
                    raise self._unexplained(error, path) from None
                self.report.refused_answers += 1
                for name in named:
                    if not search or name == "include":
                        self.report.behaviour[name] = REFUSED
                    params = _without(params, name)
                if stop_on in named:
                    return None
                LOGGER.info(
                    "PhotoShelter refused %s on %s (400): asking without it", ", ".join(named), path
                )
                continue
            self.report.pages += 1
            items = data_list(body, path)
            if items and "include" in params and self.report.behaviour["include"] != REFUSED:
                embedded = any(isinstance(i.get("includes"), dict | list) for i in items)
                self.report.behaviour["include"] = HONOURED if embedded else IGNORED
            return params, body

    def _droppable(self, message: str, params: Mapping[str, Any]) -> list[str]:
        """The unconfirmed parameters a 400 names; all of them when it names none of ours."""
        sent = [n for n in UNCONFIRMED if n in params]
        named = [n for n in sent if re.search(rf"\b{re.escape(n)}\b", message, re.I)]
        if named:
            return named
        if any(re.search(rf"\b{re.escape(n)}\b", message, re.I) for n in params):
            return []  # it names a parameter we cannot do without
        return sent

    def _unexplained(self, error: ApiError, path: str) -> Exception:
        for setting, word in (("galleries", "galler"), ("collections", "collection")):
            if setting in self.scope and (len(self.scope) == 1 or word in str(error).lower()):
                return ConfigError(
                    f"setting {setting}: PhotoShelter refused the scope "
                    f"{self.scope[setting]!r} on {path} ({error})"
                )
        return error

    def _pages(
        self, path: str, params: dict[str, Any], first: dict[str, Any]
    ) -> Iterator[dict[str, Any]]:
        for page, body in self.api.pages(path, params, self.per_page, first=first):
            if page > 1:
                self.report.pages += 1
            items = data_list(body, path)
            if self.report.behaviour["modify_start"] == HONOURED and self._older_than_start(items):
                # A later page shows the filter ignored after all (the stream still drops
                # what is older than the bookmark, so the records stay right).
                self.report.behaviour["modify_start"] = IGNORED
                self.report.reason += f"; yet page {page} held older media: ignored"
            yield from self._images(items)

    def _images(self, items: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
        for item in items:
            kind = media_kind(item)
            if kind in IMAGE_KINDS:
                yield item
            else:
                self.report.skipped_kinds[kind] += 1

    # --- what the first answer shows --------------------------------------------------------
    def _older_than_start(self, items: list[dict[str, Any]]) -> bool:
        start = self.start_iso or ""
        return any((modified_of(i) or start) < start for i in items)

    def _note_order(self, params: Mapping[str, Any], body: Mapping[str, Any]) -> None:
        """Whether `sort_by=date` held on the first page (told only by two distinct times)."""
        if "sort_by" not in params:
            return
        times = [t for t in (modified_of(i) for i in data_list(body)) if t]
        if len(set(times)) < 2:
            return
        ascending = times == sorted(times)
        self.report.behaviour["sort_by"] = HONOURED if ascending else IGNORED

    def summary(self, per_media_calls: int, emitted: int) -> str:
        """One log line: the plan, why, and the requests it took."""
        r = self.report
        behaviour = ", ".join(f"{k} {v}" for k, v in r.behaviour.items() if v != UNTESTED)
        skipped = ""
        if r.skipped_kinds:
            kinds = ", ".join(f"{k} {n}" for k, n in sorted(r.skipped_kinds.items()))
            skipped = f"; {sum(r.skipped_kinds.values())} non-image media skipped ({kinds})"
        total = r.requests + per_media_calls
        return (
            f"media: plan {r.plan} ({r.reason}); server: {behaviour or 'nothing tested'}; "
            f"{r.pages} list page(s) + {r.discarded_pages} discarded + "
            f"{r.refused_answers} refused + {per_media_calls} per-media call(s) = "
            f"{total} request(s) for {emitted} emitted image(s){skipped}"
        )


def media_kind(item: Mapping[str, Any]) -> str:
    """The item's kind from its JSON:API `type` (image, video, audio, document)."""
    kind = str(item.get("type") or "image").strip().lower()
    if kind == "media":
        attrs = item["attributes"] if isinstance(item.get("attributes"), dict) else item
        kind = str(attrs.get("media_type") or "media").strip().lower()
    return kind


def modified_of(item: Mapping[str, Any]) -> str | None:
    """The item's `modified_at` in UTC ISO, or None when it has none that reads."""
    attrs = item["attributes"] if isinstance(item.get("attributes"), dict) else item
    try:
        return utc_iso(attrs.get("modified_at"))
    except (TypeError, ValueError):
        return None


def _without(params: Mapping[str, Any], name: str) -> dict[str, Any]:
    drop = {name, *paths.COMPANIONS.get(name, ())}
    return {k: v for k, v in params.items() if k not in drop}


FUTURE = "2999-12-31 00:00:00"


def probe_media_listing(api: PhotoShelterClient, per_page: int = 50) -> dict[str, str]:
    """What the account does with each unconfirmed media-list parameter, read-only, for
    `make check` (a run finds the same out at no extra cost, see `MediaListing`).

    A `modify_start` in the future that still returns items is ignored; a 400 is a refusal;
    no items is honoured (unless the library is empty). Then one listing page shows
    `include` and the `sort_by=date` order, one `/search` page whether the library listing
    answers, and one `GET /media/{id}?include=` whether single media embed what lists do not.
    About five requests.
    """
    org = {"org_id": api.org_id}
    found: dict[str, str] = dict.fromkeys((*UNCONFIRMED, "search", "media_include"), UNTESTED)
    try:
        body = api.get(paths.MEDIA, {**org, "modify_start": FUTURE, "page": 1, "per_page": 1})
        found["modify_start"] = IGNORED if data_list(body, paths.MEDIA) else HONOURED
    except ApiError as error:
        if error.status != 400:
            raise
        found["modify_start"] = REFUSED
    listing = MediaListing(api, per_page=per_page, image_size="2000x2000", start_iso=None, scope={})
    first = listing._first_page(paths.MEDIA, listing._media_params(with_start=False))
    assert first is not None
    params, body = first
    listing._note_order(params, body)
    found.update({k: v for k, v in listing.report.behaviour.items() if k in ("sort_by", "include")})
    items = data_list(body, paths.MEDIA)
    if found["modify_start"] == HONOURED and not items:
        found["modify_start"] = "untested (the library is empty)"
    found["search"] = (
        "answers"
        if listing._search_first_page() is not None
        else listing.report.behaviour["search"]
    )
    if items and found["include"] != HONOURED:
        single = api.get(
            paths.media_item(str(items[0].get("id"))),
            {"include": ",".join(paths.MEDIA_INCLUDES), **paths.link_params("2000x2000")},
        )
        data = single.get("data")
        found["media_include"] = (
            HONOURED if isinstance(data, dict) and includes_of(data) else IGNORED
        )
    return found
