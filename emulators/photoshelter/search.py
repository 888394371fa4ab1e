"""`GET /media`: the filters, the sort orders and paging over the store.

A modified-time window is a bisect into `Store.by_modified`; with no other filter and the
date sort, a page is a slice of it, so the incremental query stays fast on 350k media.
Every other filter is a predicate over the window. The unconfirmed parameters
(`settings.PARAMETER_MODES`) are honoured, ignored or refused as their setting says.
"""

from __future__ import annotations

import fnmatch
import json
import math
from bisect import bisect_left
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from emulators.core import Request
from emulators.photoshelter.errors import bad_request, not_found
from emulators.photoshelter.store import Media, Store
from emulators.photoshelter.timefmt import parse_time

SORTS = ("relevance", "date", "file_name", "upload_time")
UNCONFIRMED_SORTS = ("date", "upload_time")
MEDIA_TYPES = {"image": "image", "video": "video", "audio": "audio", "doc": "document"}
"""`media_type` values -> the media kind (the JSON:API `type` of the item)."""
TEXT_FIELDS = ("title", "headline", "caption", "keywords", "trans_ref")

Predicate = Callable[[Media], bool]


@dataclass
class MediaQuery:
    modify_start: int | None = None
    modify_end: int | None = None
    predicates: list[Predicate] = field(default_factory=list)
    terms: list[str] = field(default_factory=list)
    sort_by: str = "relevance"
    descending: bool = True


def governed(request: Request, settings: dict[str, Any], setting: str, name: str) -> str | None:
    """The value of an unconfirmed parameter as the server's mode for it treats it: None when
    absent or `ignored`, 400 naming it when `refused`."""
    value = request.arg(name)
    if not value or settings[setting] == "ignored":
        return None
    if settings[setting] == "refused":
        raise bad_request(f"parameter {name} is not supported on this endpoint")
    return value


def parse(request: Request, store: Store, settings: dict[str, Any]) -> MediaQuery:
    """The query a request asks for; 400 naming the parameter when one is malformed (or
    refused by its `media_*` setting)."""
    query = MediaQuery()
    start = governed(request, settings, "media_modify_window", "modify_start")
    end = governed(request, settings, "media_modify_window", "modify_end")
    if start:
        query.modify_start = math.ceil(parse_time(start, "modify_start"))
    if end:
        query.modify_end = math.floor(parse_time(end, "modify_end"))
    add = query.predicates.append
    if request.arg("create_start"):
        created_from = parse_time(request.arg("create_start") or "", "create_start")
        add(lambda m: m.created_at >= created_from)
    if request.arg("create_end"):
        created_to = parse_time(request.arg("create_end") or "", "create_end")
        add(lambda m: m.created_at <= created_to)
    if request.arg("file_name"):
        add(file_name_predicate(request.arg("file_name") or ""))
    keywords = governed(request, settings, "media_keywords", "keywords")
    if keywords:
        wanted = {k.strip().lower() for k in keywords.split(",") if k.strip()}
        add(lambda m: wanted <= {k.lower() for k in m.keywords()})
    trans_ref = governed(request, settings, "media_trans_ref", "trans_ref")
    if trans_ref:
        add(trans_ref_predicate(trans_ref))
    custom = governed(request, settings, "media_custom_metadata", "custom_metadata")
    if custom:
        add(custom_metadata_predicate(custom))
    if request.arg("galleries"):
        add(membership_predicate(store, gallery_ids(store, request.arg("galleries") or "")))
    if request.arg("collections"):
        add(
            membership_predicate(
                store, collection_gallery_ids(store, request.arg("collections") or "")
            )
        )
    if request.arg("media_type"):
        kinds = media_kinds(request.arg("media_type") or "")
        add(lambda m: m.kind in kinds)
    if request.arg("rating_min"):
        rating_min = rating(request.arg("rating_min") or "")
        add(lambda m: m.rating >= rating_min)
    if request.arg("terms"):
        query.terms = [t.lower() for t in (request.arg("terms") or "").split() if t]
        terms = query.terms
        add(lambda m: all(t in haystack(m) for t in terms))
    sort_by = request.arg("sort_by")
    if sort_by in UNCONFIRMED_SORTS:
        sort_by = governed(request, settings, "media_sort_by", "sort_by")
    query.sort_by = sort_by or "relevance"
    if query.sort_by not in SORTS:
        raise bad_request(f"sort_by must be one of {', '.join(SORTS)}, got {query.sort_by!r}")
    direction = (request.arg("sort_dir") or request.arg("sort_direction") or "desc").lower()
    if direction not in ("asc", "desc", "ascending", "descending"):
        raise bad_request(f"sort_dir must be asc or desc, got {direction!r}")
    query.descending = direction.startswith("desc")
    return query


def media_kinds(raw: str) -> set[str]:
    """The kinds a `media_type` list names (`doc` is a `document`); 400 on another value."""
    asked = {k.strip().lower() for k in raw.split(",") if k.strip()}
    unknown = asked - set(MEDIA_TYPES)
    if unknown:
        raise bad_request(
            f"media_type {sorted(unknown)[0]!r} is not one of {', '.join(MEDIA_TYPES)}"
        )
    return {MEDIA_TYPES[k] for k in asked}


def rating(raw: str) -> int:
    if not raw.isdigit() or int(raw) > 5:
        raise bad_request(f"rating_min must be a whole number from 0 to 5, got {raw!r}")
    return int(raw)


def file_name_predicate(pattern: str) -> Predicate:
    """Case-insensitive: a glob when it has `*` or `?`, else a substring."""
    lowered = pattern.lower()
    if "*" in lowered or "?" in lowered:
        return lambda m: fnmatch.fnmatchcase(m.file_name.lower(), lowered)
    return lambda m: lowered in m.file_name.lower()


def trans_ref_predicate(value: str) -> Predicate:
    """Matches the whole job identifier or one of its comma-separated entries, any case."""
    wanted = value.strip().lower()

    def matches(media: Media) -> bool:
        text = media.iptc.get("trans_ref", "")
        return text.strip().lower() == wanted or wanted in (
            part.strip().lower() for part in text.split(",")
        )

    return matches


def custom_metadata_predicate(raw: str) -> Predicate:
    try:
        pairs = json.loads(raw)
    except ValueError:
        raise bad_request('custom_metadata must be JSON like {"F0001": "T01001"}') from None
    if not isinstance(pairs, dict) or not all(isinstance(v, str) for v in pairs.values()):
        raise bad_request("custom_metadata must be a JSON object {field_id: tag_id}")
    return lambda m: all(m.custom_metadata.get(f) == t for f, t in pairs.items())


def gallery_ids(store: Store, raw: str) -> set[str]:
    ids = {g.strip() for g in raw.split(",") if g.strip()}
    for gallery_id in sorted(ids):
        if gallery_id not in store.galleries:
            raise not_found("gallery", gallery_id)
    return ids


def collection_gallery_ids(store: Store, raw: str) -> set[str]:
    collections: set[str] = set()
    for collection_id in (c.strip() for c in raw.split(",") if c.strip()):
        if collection_id not in store.collections:
            raise not_found("collection", collection_id)
        collections |= store.collection_descendants(collection_id)
    return {g.id for g in store.galleries.values() if collections & set(g.parent_ids)}


def membership_predicate(store: Store, galleries: set[str]) -> Predicate:
    members = {m for g in galleries for m in store.galleries[g].media_ids}
    return lambda m: m.id in members


def haystack(media: Media) -> str:
    return " ".join([media.file_name, *(media.iptc.get(f, "") for f in TEXT_FIELDS)]).lower()


def relevance(media: Media, terms: list[str]) -> int:
    text = haystack(media)
    return sum(text.count(t) for t in terms)


def run(store: Store, query: MediaQuery, page: int, per_page: int) -> tuple[list[Media], int]:
    """One page of matches and the total number of matches."""
    index = store.by_modified
    lo = 0 if query.modify_start is None else bisect_left(index, (query.modify_start, ""))
    hi = len(index) if query.modify_end is None else bisect_left(index, (query.modify_end + 1, ""))
    hi = max(lo, hi)
    first = (page - 1) * per_page
    if not query.predicates and unordered(query) and lo == 0 and hi == len(index):
        ids = store.by_id[::-1] if query.descending else store.by_id
        return [store.media[i] for i in ids[first : first + per_page]], len(ids)
    if not query.predicates and query.sort_by == "date":
        total = hi - lo
        if query.descending:
            keys = index[max(lo, hi - first - per_page) : max(lo, hi - first)][::-1]
        else:
            keys = index[min(hi, lo + first) : min(hi, lo + first + per_page)]
        return [store.media[media_id] for _, media_id in keys], total
    matches = [store.media[media_id] for _, media_id in index[lo:hi]]
    matches = [m for m in matches if all(p(m) for p in query.predicates)]
    if query.sort_by == "date":
        if query.descending:
            matches.reverse()
    else:
        matches.sort(key=sort_key(query), reverse=query.descending)
    return matches[first : first + per_page], len(matches)


def unordered(query: MediaQuery) -> bool:
    """Relevance without terms: the server's own order, which here is by id (unrelated to
    time, so a client that asked for a date order the server ignored can tell)."""
    return query.sort_by == "relevance" and not query.terms


def sort_key(query: MediaQuery) -> Callable[[Media], tuple[object, ...]]:
    if query.sort_by == "file_name":
        return lambda m: (m.file_name.lower(), m.id)
    if query.sort_by == "upload_time":
        return lambda m: (m.created_at, m.id)
    if query.sort_by == "relevance" and query.terms:
        return lambda m: (relevance(m, query.terms), m.modified_at, m.id)
    return lambda m: (m.id,)


def library_page(
    request: Request, store: Store, page: int, per_page: int
) -> tuple[list[Media], int]:
    """`GET /search?mode=library`: every media of the kinds asked for, by creation time.

    Only what working code sends is accepted: `mode=library`, `media_type`,
    `sort_by=creation_time`, `sort_direction=ascending|descending`; other values are 400.
    """
    mode = request.arg("mode")
    if mode != "library":
        raise bad_request(f"mode must be library, got {mode!r}")
    sort_by = request.arg("sort_by") or "creation_time"
    if sort_by != "creation_time":
        raise bad_request(f"sort_by must be creation_time, got {sort_by!r}")
    direction = request.arg("sort_direction") or "descending"
    if direction not in ("ascending", "descending"):
        raise bad_request(f"sort_direction must be ascending or descending, got {direction!r}")
    kinds = media_kinds(request.arg("media_type") or ",".join(MEDIA_TYPES))
    index, first = store.by_created, (page - 1) * per_page
    descending = direction == "descending"
    if kinds == set(MEDIA_TYPES.values()):  # a slice, no copy of 350k keys
        total = len(index)
        if descending:
            keys = index[max(0, total - first - per_page) : max(0, total - first)][::-1]
        else:
            keys = index[first : first + per_page]
        return [store.media[media_id] for _, media_id in keys], total
    matches = [store.media[i] for _, i in index if store.media[i].kind in kinds]
    if descending:
        matches.reverse()
    return matches[first : first + per_page], len(matches)
