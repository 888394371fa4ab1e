"""What the target reads from Plytix, in bulk: definitions, categories, products, assets."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from typing import Any

from plytix_api import DEFAULT_SKU_EQ_PER_SEARCH, ConnectorError, PlytixApiError, PlytixClient

from target_plytix.asset_names import owned_by

LOGGER = logging.getLogger("target_plytix")
PRODUCT_CORE = ["label", "status", "categories", "thumbnail"]
ASSET_LOOKUPS_PER_SEARCH = 50


def chunks(items: list[Any], size: int) -> Iterable[list[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


class PlytixCache:
    """Bulk reads with a per-run cache of definitions, categories and asset identities."""

    def __init__(
        self, client: PlytixClient, sku_eq_per_search: int = DEFAULT_SKU_EQ_PER_SEARCH
    ) -> None:
        self.client = client
        self.sku_eq_per_search = max(1, sku_eq_per_search)
        self.lookups = 0
        """SKU searches made (one per group of SKUs, whatever the column batches)."""
        self._definitions: dict[str, dict[str, Any]] | None = None
        self._categories: dict[str, str] | None = None
        self.assets: dict[str, dict[str, Any] | None] = {}
        """source_id -> {id, filename} of its asset, None when Plytix holds none."""
        self._all_assets: list[dict[str, Any]] | None = None
        """Every asset (file name, creation), where `filename like` is not allowed."""

    def definitions(self) -> dict[str, dict[str, Any]]:
        if self._definitions is None:
            rows = self.client.search_all(
                "/attributes/product/search", attributes=["label", "name", "type_class", "options"]
            )
            self._definitions = {row["label"]: row for row in rows}
        return self._definitions

    def category_ids(self) -> dict[str, str]:
        """Category id, and path (`Apparel/Tops`, case-insensitive) -> category id."""
        if self._categories is None:
            found: dict[str, str] = {}
            for row in self.client.search_all(
                "/categories/product/search", attributes=["name", "path"]
            ):
                found[row["id"]] = row["id"]
                found["/".join(row.get("path") or []).casefold()] = row["id"]
            self._categories = found
        return self._categories

    def resolve_category(self, value: str) -> str | None:
        known = self.category_ids()
        return known.get(value) or known.get(value.strip("/").casefold())

    def products(
        self, skus: list[str], labels: list[str], key: Callable[[str], str]
    ) -> dict[str, dict[str, Any]]:
        """Current rows of these SKUs (`key` normalises Plytix's SKU like the records').

        Products go through the generation the client chose (v2 or v1). The SKU searches come
        from the account's filter plan (`sku in`, or on v1 OR groups of `sku eq`,
        `sku_eq_per_search` a search); every column batch repeats the same SKU search, since
        product `id` is not filterable on v1.
        """
        columns = PRODUCT_CORE + [f"attributes.{label}" for label in labels]
        cap = self.client.column_cap()
        batches = [columns[i : i + cap] for i in range(0, len(columns), cap)]
        path = self.client.product_path("/search")
        plan = self.client.filter_plan("product")
        try:
            lookups = plan.sku_lookups(skus, self.sku_eq_per_search)
        except ValueError as error:
            raise ConnectorError(
                f"{error}: target-plytix cannot look products up by SKU on "
                "this account (check api_version)"
            ) from None
        found: dict[str, dict[str, Any]] = {}
        wanted = set(skus)
        for filters in lookups:
            rows: dict[str, dict[str, Any]] = {}
            for batch in batches:
                for row in self._search(path, batch, filters):
                    target = rows.setdefault(row["id"], {"attributes": {}})
                    target["attributes"].update(row.get("attributes") or {})
                    for column, value in row.items():
                        if column != "attributes":
                            target.setdefault(column, value)
            self.lookups += 1
            for row in rows.values():
                sku = key(str(row.get("sku")))
                if sku in wanted:
                    found[sku] = row
        return found

    def _search(
        self, path: str, columns: list[str], filters: list[list[dict[str, Any]]]
    ) -> Iterable[dict[str, Any]]:
        """A product search; a 400/422 (a filter or column the account refuses) ends in one
        line that says where the search came from."""
        try:
            yield from self.client.search_all(path, attributes=columns, filters=filters)
        except PlytixApiError as error:
            if error.status not in (400, 422):
                raise
            raise ConnectorError(
                f"{error} (target-plytix plans its SKU searches from GET "
                "/api/v1/filters/product; check the settings api_version, "
                "sku_eq_per_search and max_columns_per_search)"
            ) from None

    def find_assets(self, source_ids: list[str], *, fresh: bool = False) -> None:
        """Fill the cache for these source ids from `filename like <source_id>__`.

        Where the account's asset filters do not allow `like` on `filename`, every asset is
        listed once per run instead (`fresh` lists again, after a create with no answer)."""
        unknown = [s for s in dict.fromkeys(source_ids) if s not in self.assets]
        if not unknown:
            return
        if not self.client.filter_plan("asset").allows("filename", "like"):
            if self._all_assets is None or fresh:
                LOGGER.info(
                    "asset filters allow no `like` on filename: listing every asset "
                    "to find them by name"
                )
                self._all_assets = list(
                    self.client.search_all("/assets/search", attributes=["filename", "created"])
                )
            self._pick(unknown, self._all_assets)
            return
        for chunk in chunks(unknown, ASSET_LOOKUPS_PER_SEARCH):
            filters = [
                [{"field": "filename", "operator": "like", "value": f"{s}__"}] for s in chunk
            ]
            self._pick(
                chunk,
                list(
                    self.client.search_all(
                        "/assets/search", filters=filters, attributes=["filename", "created"]
                    )
                ),
            )

    def _pick(self, source_ids: list[str], candidates: list[dict[str, Any]]) -> None:
        """Each source id's asset among the candidates (the oldest when several claim it)."""
        for source_id in source_ids:
            mine = sorted(
                (a for a in candidates if owned_by(a.get("filename") or "", source_id)),
                key=lambda a: (a.get("created") or "", a["id"]),
            )
            self.assets[source_id] = (
                {"id": mine[0]["id"], "filename": mine[0]["filename"]} if mine else None
            )
