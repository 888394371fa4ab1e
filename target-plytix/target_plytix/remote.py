"""What the target reads from Plytix, in bulk: definitions, categories, products, assets."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from tap_plytix.api import PlytixClient
from tap_plytix.api.client import MAX_PAGE_SIZE

from target_plytix.asset_names import owned_by

PRODUCT_CORE = ["label", "status", "categories", "thumbnail"]
ASSET_LOOKUPS_PER_SEARCH = 50


def chunks(items: list[Any], size: int) -> Iterable[list[Any]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


class Remote:
    """Bulk reads with a per-run cache of definitions, categories and asset identities."""

    def __init__(self, client: PlytixClient, max_columns: int) -> None:
        self.client = client
        self.max_columns = max(1, max_columns)
        self._definitions: dict[str, dict[str, Any]] | None = None
        self._categories: dict[str, str] | None = None
        self.assets: dict[str, dict[str, Any] | None] = {}
        """source_id -> {id, filename} of its asset, None when Plytix holds none."""

    def definitions(self) -> dict[str, dict[str, Any]]:
        if self._definitions is None:
            rows = self.client.search_all("/attributes/product/search",
                                          attributes=["label", "name", "type_class", "options"])
            self._definitions = {row["label"]: row for row in rows}
        return self._definitions

    def category_ids(self) -> dict[str, str]:
        """Category id, and path (`Apparel/Tops`, case-insensitive) -> category id."""
        if self._categories is None:
            found: dict[str, str] = {}
            for row in self.client.search_all("/categories/product/search",
                                              attributes=["name", "path"]):
                found[row["id"]] = row["id"]
                found["/".join(row.get("path") or []).casefold()] = row["id"]
            self._categories = found
        return self._categories

    def resolve_category(self, value: str) -> str | None:
        known = self.category_ids()
        return known.get(value) or known.get(value.strip("/").casefold())

    def products(self, skus: list[str], labels: list[str],
                 key: Callable[[str], str]) -> dict[str, dict[str, Any]]:
        """Current rows of these SKUs (`key` normalises Plytix's SKU like the records')."""
        columns = PRODUCT_CORE + [f"attributes.{label}" for label in labels]
        batches = [columns[i:i + self.max_columns]
                   for i in range(0, len(columns), self.max_columns)]
        found: dict[str, dict[str, Any]] = {}
        for chunk in chunks(skus, MAX_PAGE_SIZE):
            rows: dict[str, dict[str, Any]] = {}
            for row in self.client.search_all(
                    "/products/search", attributes=batches[0],
                    filters=[[{"field": "sku", "operator": "in", "value": chunk}]]):
                row.setdefault("attributes", {})
                rows[row["id"]] = row
            for batch in batches[1:]:
                if not rows:
                    break
                for extra in self.client.search_all(
                        "/products/search", attributes=batch,
                        filters=[[{"field": "id", "operator": "in", "value": list(rows)}]]):
                    target = rows.get(extra["id"])
                    if target is not None:
                        target["attributes"].update(extra.get("attributes") or {})
                        for column, value in extra.items():
                            target.setdefault(column, value)
            wanted = set(chunk)
            for row in rows.values():
                sku = key(str(row.get("sku")))
                if sku in wanted:
                    found[sku] = row
        return found

    def find_assets(self, source_ids: list[str]) -> None:
        """Fill the cache for these source ids from `filename like <source_id>__`."""
        unknown = [s for s in dict.fromkeys(source_ids) if s not in self.assets]
        for chunk in chunks(unknown, ASSET_LOOKUPS_PER_SEARCH):
            filters = [[{"field": "filename", "operator": "like", "value": f"{s}__"}]
                       for s in chunk]
            candidates = list(self.client.search_all("/assets/search", filters=filters,
                                                     attributes=["filename", "created"]))
            for source_id in chunk:
                mine = sorted((a for a in candidates if owned_by(a.get("filename") or "",
                                                                 source_id)),
                              key=lambda a: (a.get("created") or "", a["id"]))
                self.assets[source_id] = ({"id": mine[0]["id"], "filename": mine[0]["filename"]}
                                          if mine else None)
