"""Compare two final emulator states, and count what a sync must never do.

Two runs of the same seed legitimately differ only in what the emulators generate: write
timestamps and the ids of objects the sync created (assets, galleries, collections). The
normaliser replaces a timestamp by whether the object kept its seeded value (`seed`), was
written (`written`) or is new (`new`), and the id of a new object by a stable key: an asset
by the `<source_id>__` prefix of its file name, a collection by its path, a gallery by its
parent paths and name. A product's core `assets` list is compared as a set: Plytix appends
an asset to it whenever any slot first refers to it, so its order records which run wrote
which slot first, not anything the sync owns (the slots' own order is compared as is).
Everything else must be equal.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

TIMESTAMP_FIELDS = frozenset({"created", "modified", "file_modified", "created_at", "modified_at"})
IGNORED = {"photoshelter": ("settings",), "plytix": ()}
"""Emulator settings are the harness's input (ports, patch mode), not sync output."""
UNORDERED = {"plytix": {"products": ("assets",)}, "photoshelter": {}}
"""List fields whose order is history, not state: compared sorted."""
SOURCE_SEPARATOR = "__"
MAX_DIFFS = 40


@dataclass
class Violations:
    """What a chaos trial must never leave behind, measured on one final state."""

    duplicate_assets: int = 0
    duplicate_galleries: int = 0
    duplicate_collections: int = 0
    lost_attributes: list[str] = field(default_factory=list)
    lost_keywords: list[str] = field(default_factory=list)

    @property
    def clean(self) -> bool:
        return not (
            self.duplicate_assets
            or self.duplicate_galleries
            or self.duplicate_collections
            or self.lost_attributes
            or self.lost_keywords
        )


# --- normalising ------------------------------------------------------------------------------
def normalise(
    seed: dict[str, Any], final: dict[str, Any], base_urls: dict[str, str]
) -> dict[str, Any]:
    """`final` (both emulators' `/_emulator/state`) with run-specific values replaced."""
    rekeys = {
        "plytix": {"assets": asset_key},
        "photoshelter": {
            "collections": collection_key(final["photoshelter"]),
            "galleries": gallery_key(final["photoshelter"]),
        },
    }
    ids: dict[str, str] = {}
    for side, collections in rekeys.items():
        for name, key in collections.items():
            seeded = {row["id"] for row in seed[side].get(name, [])}
            ids.update(new_ids(final[side].get(name, []), seeded, key))
    replace = substituter(ids, base_urls)
    result: dict[str, Any] = {}
    for side in ("plytix", "photoshelter"):
        seed_rows = {
            (name, row["id"]): row
            for name, rows in seed[side].items()
            if isinstance(rows, list)
            for row in rows
            if isinstance(row, dict) and "id" in row
        }
        result[side] = {}
        for name, value in final[side].items():
            if name in IGNORED[side]:
                continue
            if isinstance(value, list):
                rows = [
                    stamp_marks(row, seed_rows.get((name, row.get("id"))))
                    if isinstance(row, dict)
                    else row
                    for row in value
                ]
                value = sort_rows(unordered(replace(rows), UNORDERED[side].get(name, ())))
            else:
                value = replace(value)
            result[side][name] = value
    return result


def asset_key(row: dict[str, Any]) -> str:
    filename = str(row.get("filename") or "")
    source, found, _ = filename.partition(SOURCE_SEPARATOR)
    return f"asset:{source}" if found else f"asset-file:{filename}"


def collection_paths(ps_state: dict[str, Any]) -> dict[str, str]:
    """Collection id -> `Launches/SS26`."""
    rows = {row["id"]: row for row in ps_state.get("collections", [])}

    def path(collection_id: str, depth: int = 0) -> str:
        row = rows.get(collection_id)
        if row is None or depth > 20:
            return f"?{collection_id}"
        parent = row.get("parent_id")
        return f"{path(parent, depth + 1)}/{row['name']}" if parent else str(row["name"])

    return {collection_id: path(collection_id) for collection_id in rows}


def collection_key(ps_state: dict[str, Any]) -> Callable[[dict[str, Any]], str]:
    paths = collection_paths(ps_state)
    return lambda row: f"collection:{paths[row['id']]}"


def gallery_key(ps_state: dict[str, Any]) -> Callable[[dict[str, Any]], str]:
    paths = collection_paths(ps_state)

    def key(row: dict[str, Any]) -> str:
        parents = "|".join(sorted(paths.get(p, f"?{p}") for p in row.get("parent_ids") or []))
        return f"gallery:{parents}/{row['name']}"

    return key


def new_ids(
    rows: list[dict[str, Any]], seeded: set[str], key: Callable[[dict[str, Any]], str]
) -> dict[str, str]:
    """Id -> stable key for the rows the run created; repeats get `#2`, `#3` by age."""
    fresh = sorted(
        (row for row in rows if row["id"] not in seeded),
        key=lambda row: (str(row.get("created") or row.get("created_at") or ""), row["id"]),
    )
    seen: Counter[str] = Counter()
    mapped = {}
    for row in fresh:
        stable = key(row)
        seen[stable] += 1
        mapped[row["id"]] = stable if seen[stable] == 1 else f"{stable}#{seen[stable]}"
    return mapped


def substituter(ids: dict[str, str], base_urls: dict[str, str]) -> Callable[[Any], Any]:
    """A deep copy with generated ids and emulator base URLs replaced, also inside strings."""
    names = {**ids, **{url: f"<{side}>" for side, url in base_urls.items()}}
    pattern = (
        re.compile("|".join(re.escape(k) for k in sorted(names, key=len, reverse=True)))
        if names
        else None
    )

    def text(value: str) -> str:
        if pattern is None:
            return value
        return pattern.sub(lambda m: names[m.group(0)], value)

    def walk(value: Any) -> Any:
        if isinstance(value, str):
            return text(value)
        if isinstance(value, list):
            return [walk(v) for v in value]
        if isinstance(value, dict):
            return {text(k): walk(v) for k, v in value.items()}
        return value

    return walk


def stamp_marks(row: dict[str, Any], seeded: dict[str, Any] | None) -> dict[str, Any]:
    """Timestamps as `seed` (unchanged since the seed), `written`, or `new` (a new row)."""
    marked = dict(row)
    for name in TIMESTAMP_FIELDS & row.keys():
        if seeded is None:
            marked[name] = "new"
        else:
            marked[name] = "seed" if seeded.get(name) == row[name] else "written"
    return marked


def unordered(rows: list[Any], fields: tuple[str, ...]) -> list[Any]:
    """Rows with each of `fields` that holds a list sorted."""
    if not fields:
        return rows
    return [
        {
            **row,
            **{
                name: sorted(row[name], key=repr)
                for name in fields
                if isinstance(row.get(name), list)
            },
        }
        if isinstance(row, dict)
        else row
        for row in rows
    ]


def sort_rows(rows: list[Any]) -> list[Any]:
    if rows and all(isinstance(r, dict) and "id" in r for r in rows):
        return sorted(rows, key=lambda r: str(r["id"]))
    return rows


# --- comparing --------------------------------------------------------------------------------
def differences(expected: Any, actual: Any, path: str = "", limit: int = MAX_DIFFS) -> list[str]:
    """Human-readable differences; rows of id'd lists are matched by id, and their order is
    compared too (top-level collections arrive sorted, so there it never differs)."""
    found: list[str] = []
    _diff(expected, actual, path or "state", found, limit)
    return found


def _diff(expected: Any, actual: Any, path: str, found: list[str], limit: int) -> None:
    if len(found) >= limit or expected == actual:
        return
    if isinstance(expected, dict) and isinstance(actual, dict):
        for key in sorted(set(expected) | set(actual), key=str):
            if key not in actual:
                found.append(f"{path}.{key}: missing (expected {short(expected[key])})")
            elif key not in expected:
                found.append(f"{path}.{key}: unexpected {short(actual[key])}")
            else:
                _diff(expected[key], actual[key], f"{path}.{key}", found, limit)
            if len(found) >= limit:
                return
        return
    if (
        isinstance(expected, list)
        and isinstance(actual, list)
        and all(isinstance(r, dict) and "id" in r for r in expected + actual)
        and (expected or actual)
    ):
        order = [[str(r["id"]) for r in rows] for rows in (expected, actual)]
        if order[0] != order[1] and sorted(order[0]) == sorted(order[1]):
            found.append(f"{path}: order {short(order[0])}, got {short(order[1])}")
        _diff(
            {str(r["id"]): r for r in expected},
            {str(r["id"]): r for r in actual},
            path,
            found,
            limit,
        )
        return
    found.append(f"{path}: expected {short(expected)}, got {short(actual)}")


def short(value: Any, width: int = 160) -> str:
    text = repr(value)
    return text if len(text) <= width else text[: width - 3] + "..."


# --- invariants -------------------------------------------------------------------------------
def violations(reference: dict[str, Any], final: dict[str, Any]) -> Violations:
    """Duplicates in `final` (raw state), and what `final` lost of the reference's
    attributes and keywords (both raw states of the same seed)."""
    found = Violations()
    px, ps = final["plytix"], final["photoshelter"]
    sources = Counter(
        name.partition(SOURCE_SEPARATOR)[0]
        for name in (str(a.get("filename") or "") for a in px.get("assets", []))
        if SOURCE_SEPARATOR in name
    )
    found.duplicate_assets = sum(n - 1 for n in sources.values() if n > 1)
    galleries = Counter(
        (str(g["name"]).strip().lower(), parent)
        for g in ps.get("galleries", [])
        for parent in g.get("parent_ids") or [None]
    )
    found.duplicate_galleries = sum(n - 1 for n in galleries.values() if n > 1)
    collections = Counter(
        (str(c["name"]).strip().lower(), c.get("parent_id")) for c in ps.get("collections", [])
    )
    found.duplicate_collections = sum(n - 1 for n in collections.values() if n > 1)
    products = {p["id"]: p for p in px.get("products", [])}
    for product in reference["plytix"].get("products", []):
        have = (products.get(product["id"]) or {}).get("attributes") or {}
        for label, value in (product.get("attributes") or {}).items():
            if not empty(value) and empty(have.get(label)):
                found.lost_attributes.append(f"{product['sku']}.{label}")
    media = {m["id"]: m for m in ps.get("media", [])}
    for item in reference["photoshelter"].get("media", []):
        have = keywords((media.get(item["id"]) or {}).get("iptc") or {})
        for word in keywords(item.get("iptc") or {}):
            if word not in have:
                found.lost_keywords.append(f"{item['id']}:{word}")
    return found


def empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}


def keywords(iptc: dict[str, Any]) -> list[str]:
    raw = iptc.get("keywords") or ""
    words = raw if isinstance(raw, list) else str(raw).split(",")
    return [w.strip() for w in words if w.strip()]
