"""Which filters a search may carry: the plan read once per run from `GET /filters/{resource}`.

Plytix answers 422 to an operator a field does not allow, and the allowed operators differ by
field (v1: `sku` has `eq` but no `in`; product `id` is not filterable at all). Every search the
tap and the target build goes through a `FilterPlan`, so no request carries an operator the
account refuses. When `/filters` cannot be read, the plan is the documented v1 table (the
stricter reading).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

LOGGER = logging.getLogger("plytix_api")

Filters = list[list[dict[str, Any]]]
"""A search's `filters`: an OR of AND groups."""

DOCUMENTED_V1: dict[str, dict[str, frozenset[str]]] = {
    "product": {
        "sku": frozenset({"exists", "!exists", "like", "eq", "!eq"}),
        "modified": frozenset({"exists", "!exists", "eq", "gt", "gte", "lt", "lte"}),
        "created": frozenset({"exists", "!exists", "eq", "gt", "gte", "lt", "lte"}),
        "status": frozenset({"eq", "in", "!in"}),
    },
    "asset": {
        "modified": frozenset({"exists", "!exists", "eq", "gt", "gte", "lt", "lte"}),
        "created": frozenset({"exists", "!exists", "eq", "gt", "gte", "lt", "lte"}),
    },
}
"""What plytix.md records of v1's `/filters` answer; used when the account's cannot be read."""

DEFAULT_SKU_EQ_PER_SEARCH = 20
"""`sku eq` OR groups per search when `sku in` is not allowed (no documented maximum)."""
MAX_IN_VALUES = 100
"""Values in one `in` filter (a page's worth)."""


@dataclass(frozen=True)
class FilterPlan:
    """The operators each field of one resource allows, and searches built within them."""

    resource: str
    operators: Mapping[str, frozenset[str]]
    source: str = "GET /filters"
    """Where the plan came from: the account's `/filters` answer or the documented table."""
    notes: list[str] = field(default_factory=list, compare=False)

    @classmethod
    def from_payload(cls, resource: str, payload: Any) -> FilterPlan:
        """Read `{"data": [{"attributes": [{key, operators, ...}], "properties": [...]}]}`.

        Custom attributes are indexed both as `<key>` and `attributes.<key>` (the search
        syntax names them the second way); an entry without a key or operators is skipped.
        """
        operators: dict[str, frozenset[str]] = {}
        blocks = payload.get("data") if isinstance(payload, dict) else None
        for block in blocks if isinstance(blocks, list) else []:
            if not isinstance(block, dict):
                continue
            for section in ("properties", "attributes"):
                for entry in _entries(block.get(section)):
                    key, ops = entry.get("key"), entry.get("operators")
                    if not isinstance(key, str) or not isinstance(ops, list):
                        continue
                    allowed = frozenset(op for op in ops if isinstance(op, str))
                    operators[key] = allowed
                    if section == "attributes" and not key.startswith("attributes."):
                        operators.setdefault(f"attributes.{key}", allowed)
        return cls(resource, operators)

    @classmethod
    def documented(cls, resource: str, why: str) -> FilterPlan:
        return cls(
            resource, DOCUMENTED_V1.get(resource, {}), source="documented v1 table", notes=[why]
        )

    def allows(self, field_name: str, operator: str) -> bool:
        return operator in self.operators.get(field_name, frozenset())

    def first_allowed(self, field_name: str, *operators: str) -> str | None:
        return next((op for op in operators if self.allows(field_name, op)), None)

    # --- incremental windows ------------------------------------------------------------------
    def window(
        self, start: str | None, end: str | None, field_name: str = "modified"
    ) -> tuple[Filters, str | None]:
        """Filters for `start <= field < end`, and the lower-bound operator used.

        `gte` is preferred (rows that share the bookmark's time are then read again and
        skipped by id); `gt` when only that is allowed; no lower bound (a full read) when
        neither is. The end bound uses `lt`, else `lte`.
        """
        group: list[dict[str, Any]] = []
        lower = None
        if start is not None:
            lower = self.first_allowed(field_name, "gte", "gt")
            if lower:
                group.append({"field": field_name, "operator": lower, "value": start})
        if end is not None:
            upper = self.first_allowed(field_name, "lt", "lte")
            if upper:
                group.append({"field": field_name, "operator": upper, "value": end})
        return ([group] if group else []), lower

    # --- lookups by key -----------------------------------------------------------------------
    def lookup_filters(
        self, field_name: str, values: Sequence[str], eq_per_search: int = DEFAULT_SKU_EQ_PER_SEARCH
    ) -> list[Filters]:
        """The `filters` of each search that together find every value of `field_name`.

        `in` (up to 100 values a search) when the field allows it, else OR groups of `eq`,
        `eq_per_search` to a search. Raises ValueError when the field allows neither.
        """
        values = list(dict.fromkeys(values))
        if self.allows(field_name, "in"):
            return [
                [[{"field": field_name, "operator": "in", "value": chunk}]]
                for chunk in _chunks(values, MAX_IN_VALUES)
            ]
        if self.allows(field_name, "eq"):
            return [
                [[{"field": field_name, "operator": "eq", "value": value}] for value in chunk]
                for chunk in _chunks(values, max(1, eq_per_search))
            ]
        allowed = ", ".join(sorted(self.operators.get(field_name, ()))) or "none"
        raise ValueError(
            f"{self.resource} field {field_name!r} allows neither `in` nor `eq` "
            f"(allowed: {allowed})"
        )

    def sku_lookups(
        self, skus: Sequence[str], eq_per_search: int = DEFAULT_SKU_EQ_PER_SEARCH
    ) -> list[Filters]:
        """The searches that find these SKUs (v1: OR groups of `sku eq`; `sku in` if allowed)."""
        return self.lookup_filters("sku", skus, eq_per_search)

    def describe(self) -> str:
        """One line for the log: what the plan allows for the fields that matter."""
        shown = [
            f"{name}: {' '.join(sorted(self.operators[name]))}"
            for name in ("modified", "sku", "id")
            if name in self.operators
        ]
        return f"{self.resource} filters from {self.source} ({'; '.join(shown) or 'none'})"


def _entries(value: Any) -> Iterable[dict[str, Any]]:
    return (item for item in value if isinstance(item, dict)) if isinstance(value, list) else ()


def _chunks(values: list[str], size: int) -> list[list[str]]:
    return [values[i : i + size] for i in range(0, len(values), size)]
