"""The search language shared by every `POST .../search` endpoint.

Filters are an OR of AND groups of `{field, operator, value}`; columns pick what a row holds;
pagination pages through the matches in a stable order (ties broken by id). Each resource
describes its fields once (a `Resource`: kinds for values, and which operators each field
allows, as `GET /filters/...` lists them), so products, assets, attributes, families and
categories all search the same way. What differs between API generations (the column cap)
comes in as a `Generation`.
"""

from __future__ import annotations

import operator as op
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from emulators.core import HTTPError
from emulators.plytix.errors import fail, invalid
from emulators.plytix.timefmt import parse_instant

OPERATORS = (
    "exists",
    "!exists",
    "eq",
    "!eq",
    "like",
    "!like",
    "in",
    "!in",
    "gt",
    "gte",
    "lt",
    "lte",
    "text_search",
    "bte",
    "last_days",
)
KINDS = ("text", "number", "date", "bool", "list", "ref", "refs")
"""text: case-insensitive string; list: list of strings; ref: `{"id"}`; refs: `[{"id"}]`."""
MULTI = ("list", "refs")
UNCOUNTED = ("id", "sku")
"""Columns that always come and do not count against the column cap."""
WORD = re.compile(r"\w+")
DAY = 86400.0

Predicate = Callable[[Any], bool]


@dataclass(frozen=True)
class Generation:
    """What a search of one API generation differs in: the setting holding its column cap.

    v1 reads `max_columns` (20), v2 `v2_max_columns` (50); rows are shaped by the caller
    (`PlytixEmulator.search_response(..., row=...)`), so each generation keeps its own rows.
    """

    name: str
    cap_setting: str


V1 = Generation("v1", "max_columns")
V2 = Generation("v2", "v2_max_columns")


@dataclass
class Resource:
    """How one kind of record is searched: its fields, their kinds, how to read a value."""

    name: str
    kinds: dict[str, str]
    get: Callable[[dict[str, Any], str], Any]
    always: tuple[str, ...] = ("id",)
    dynamic: Callable[[str], str | None] | None = None
    """Kind of a field not in `kinds` (e.g. `attributes.<label>`), None when unknown."""
    rules: Callable[[str], tuple[str, ...] | None] | None = None
    """Operators a field allows (None: not filterable); None here: every operator of its kind."""

    def kind(self, field: str) -> str | None:
        if field in self.kinds:
            return self.kinds[field]
        return self.dynamic(field) if self.dynamic else None

    def allowed(self, field: str) -> tuple[str, ...] | None:
        """The operators `field` takes under strict rules; None when it is not filterable."""
        if self.kind(field) is None:
            return None
        return self.rules(field) if self.rules else OPERATORS


@dataclass
class Page:
    items: list[dict[str, Any]]
    columns: list[str] | None
    pagination: dict[str, Any]


@dataclass(frozen=True)
class Limits:
    """The settings one search runs under."""

    max_columns: int
    default_page_size: int
    max_page_size: int
    max_ordered_results: int
    count_is_total: bool = False
    strict_operators: bool = True
    now: float = 0.0
    """The emulator clock, for `last_days`."""


def normalise(kind: str, raw: Any) -> Any:
    """A stored value in the comparable form of its kind; None when empty or unreadable."""
    if raw is None:
        return None
    try:
        if kind == "text":
            return raw.casefold() if isinstance(raw, str) else str(raw).casefold()
        if kind == "number":
            return None if isinstance(raw, bool) else float(raw)
        if kind == "date":
            return parse_instant(raw)
        if kind == "bool":
            return raw if isinstance(raw, bool) else str(raw).casefold() == "true"
        if kind == "list":
            return [str(v).casefold() for v in raw] if isinstance(raw, list) else [str(raw)]
        if kind == "ref":
            return raw.get("id") if isinstance(raw, dict) else str(raw)
        if kind == "refs":
            return [v.get("id") if isinstance(v, dict) else str(v) for v in raw]
    except (TypeError, ValueError, AttributeError):
        return None
    raise ValueError(f"unknown kind {kind}")


def _target(kind: str, field: str, value: Any) -> Any:
    """A filter's value in the comparable form of the field's kind (422 when it can't be)."""
    scalar_kind = {"list": "text", "refs": "ref"}.get(kind, kind)
    if isinstance(value, dict | list):
        raise invalid(field, f"expected a single value, got {value!r}")
    if scalar_kind == "ref":
        return str(value)
    if scalar_kind == "number" and (isinstance(value, bool) or value is None):
        raise invalid(field, f"expected a number, got {value!r}")
    if (
        scalar_kind == "bool"
        and not isinstance(value, bool)
        and str(value).casefold() not in ("true", "false")
    ):
        raise invalid(field, f"expected true or false, got {value!r}")
    converted = normalise(scalar_kind, value)
    if converted is None:
        expected = {"number": "a number", "date": "an ISO-8601 date"}.get(scalar_kind, "a value")
        raise invalid(field, f"expected {expected}, got {value!r}")
    return converted


def _is_empty(value: Any) -> bool:
    return value is None or value == "" or value == []


def _words_match(terms: list[str], text: str) -> bool:
    words = WORD.findall(text)
    return all(any(word.startswith(term) for word in words) for term in terms)


def _scalar_test(operator: str, target: Any) -> Predicate:
    """Test of one (non-list) comparable value; None never matches."""
    if operator in ("eq", "in"):
        wanted = target if operator == "in" else [target]
        return lambda v: v is not None and v in wanted
    if operator == "like":
        return lambda v: v is not None and str(target) in str(v)
    if operator == "bte":
        low, high = target
        return lambda v: v is not None and _compare(op.ge, v, low) and _compare(op.le, v, high)
    compare = {"gt": op.gt, "gte": op.ge, "lt": op.lt, "lte": op.le}[operator]
    return lambda v: v is not None and _compare(compare, v, target)


def _compare(compare: Callable[[Any, Any], bool], left: Any, right: Any) -> bool:
    try:
        return bool(compare(left, right))
    except TypeError:
        return False


def _check_operator(resource: Resource, field: str, operator: str, limits: Limits) -> None:
    """422 naming field and operator when strict rules do not allow the pair."""
    if not limits.strict_operators:
        return
    allowed = resource.allowed(field)
    if allowed is None:
        raise invalid(
            field,
            f"operator {operator!r} not allowed: {field} is not filterable "
            f"in {resource.name} search",
        )
    if operator not in allowed:
        raise invalid(
            field, f"operator {operator!r} is not allowed on {field}; allowed: {', '.join(allowed)}"
        )


def _text_search(resource: Resource, fields: Any, value: Any, limits: Limits) -> Predicate:
    """`text_search`: every word of `value` starts a word in one of the listed fields."""
    if isinstance(fields, str) and fields:
        if limits.strict_operators:
            raise invalid(fields, "operator 'text_search' needs field to be a list of field names")
        fields = [fields]
    if (
        not isinstance(fields, list)
        or not fields
        or not all(isinstance(f, str) and f for f in fields)
    ):
        raise invalid("filters", "text_search needs field to be a list of field names")
    for field in fields:
        if resource.kind(field) is None:
            raise unknown_field(field)
        _check_operator(resource, field, "text_search", limits)
    if not isinstance(value, str) or not value.strip():
        raise invalid(fields[0], "text_search needs a text value")
    terms = WORD.findall(value.casefold())
    read = resource.get

    def text_of(item: dict[str, Any]) -> str:
        parts = []
        for field in fields:
            raw = read(item, field)
            parts += (
                [str(v) for v in raw]
                if isinstance(raw, list)
                else []
                if raw is None
                else [str(raw)]
            )
        return " ".join(parts).casefold()

    return lambda item: _words_match(terms, text_of(item))


def compile_condition(resource: Resource, condition: Any, limits: Limits) -> Predicate:
    if not isinstance(condition, dict):
        raise invalid("filters", f"a condition must be an object, got {condition!r}")
    field, operator = condition.get("field"), condition.get("operator")
    if operator == "text_search":
        return _text_search(resource, field, condition.get("value"), limits)
    if not isinstance(field, str) or not field:
        raise invalid("filters", "every condition needs a field (text_search: a list)")
    kind = resource.kind(field)
    if kind is None:
        raise unknown_field(field)
    if operator not in OPERATORS:
        raise invalid(field, f"unknown operator {operator!r}; use one of {', '.join(OPERATORS)}")
    _check_operator(resource, field, operator, limits)
    read = resource.get

    def value_of(item: dict[str, Any]) -> Any:
        return normalise(kind, read(item, field))

    if operator in ("exists", "!exists"):
        wanted_empty = operator == "!exists"
        return lambda item: _is_empty(value_of(item)) == wanted_empty
    raw = condition.get("value")
    if operator == "last_days":
        if kind != "date":
            raise invalid(field, "operator last_days needs a date field")
        if isinstance(raw, bool) or not isinstance(raw, int | float) or raw < 0:
            raise invalid(field, f"operator last_days needs a number of days, got {raw!r}")
        low, high = limits.now - float(raw) * DAY, limits.now
        return lambda item: (
            _compare(op.le, low, value_of(item)) and _compare(op.le, value_of(item), high)
        )
    negate = operator.startswith("!")
    base = operator[1:] if negate else operator
    if base == "in":
        if not isinstance(raw, list):
            raise invalid(field, f"operator {operator} needs a list value")
        target: Any = [_target(kind, field, v) for v in raw]
    elif base == "bte":
        if not isinstance(raw, list) or len(raw) != 2:
            raise invalid(field, "operator bte needs a [low, high] value")
        target = (_target(kind, field, raw[0]), _target(kind, field, raw[1]))
    else:
        target = _target(kind, field, raw)
    test = _scalar_test(base, target)
    if kind in MULTI:

        def matches(item: dict[str, Any]) -> bool:
            values = value_of(item) or []
            return any(test(v) for v in values)
    else:

        def matches(item: dict[str, Any]) -> bool:
            return test(value_of(item))

    if negate:
        return lambda item: not matches(item)
    return matches


def compile_filters(resource: Resource, filters: Any, limits: Limits) -> Predicate | None:
    """OR of AND groups; None means no filter. A flat list of conditions is one AND group."""
    if filters in (None, []):
        return None
    if not isinstance(filters, list):
        raise invalid("filters", "must be a list of condition groups")
    if all(isinstance(group, dict) for group in filters):
        filters = [filters]
    groups: list[list[Predicate]] = []
    for group in filters:
        if not isinstance(group, list):
            raise invalid("filters", f"a group must be a list of conditions, got {group!r}")
        groups.append([compile_condition(resource, condition, limits) for condition in group])
    return lambda item: any(all(test(item) for test in group) for group in groups)


def instant_bounds(filters: Any, field: str) -> tuple[float, float] | None:
    """The widest [low, high] a date `field` can hold in any match; None when unbounded.

    Only narrows the candidates (the full filter still runs on them), so anything it cannot
    read just means "no narrowing".
    """
    if not isinstance(filters, list) or not filters:
        return None
    groups = [filters] if all(isinstance(g, dict) for g in filters) else filters
    lows, highs = [], []
    for group in groups:
        low, high = float("-inf"), float("inf")
        for condition in group if isinstance(group, list) else []:
            if not isinstance(condition, dict) or condition.get("field") != field:
                continue
            operator, value = condition.get("operator"), condition.get("value")
            try:
                if operator in ("gt", "gte", "eq"):
                    low = max(low, parse_instant(value))
                if operator in ("lt", "lte", "eq"):
                    high = min(high, parse_instant(value))
                if operator == "bte":
                    low = max(low, parse_instant(value[0]))
                    high = min(high, parse_instant(value[1]))
            except (TypeError, ValueError, IndexError, KeyError):
                return None
        if (low, high) == (float("-inf"), float("inf")):
            return None
        lows.append(low)
        highs.append(high)
    return min(lows), max(highs)


def unknown_field(name: str) -> HTTPError:
    """422 as the collection saved it: `Schema validation error`, `{field, "unknown field"}`."""
    return fail(422, "Schema validation error", errors=[{"field": name, "msg": "unknown field"}])


def select_columns(resource: Resource, requested: Any, max_columns: int) -> list[str] | None:
    """The columns asked for (validated), None when none were asked for.

    `id` and `sku` always come and do not count against `max_columns`.
    """
    if requested in (None, []):
        return None
    if not isinstance(requested, list) or not all(isinstance(c, str) for c in requested):
        raise invalid("attributes", "must be a list of column names")
    counted = [c for c in dict.fromkeys(requested) if c not in UNCOUNTED]
    if max_columns and len(counted) > max_columns:
        raise fail(
            422,
            "Schema validation error",
            errors=[
                {
                    "field": "schema",
                    "msg": f"columns limit exceeded, current limit is {max_columns}",
                }
            ],
        )
    for column in requested:
        if resource.kind(column) is None:
            raise unknown_field(column)
    columns = list(resource.always)
    columns += [c for c in dict.fromkeys(requested) if c not in columns]
    return columns


def _paging(body: dict[str, Any], default_size: int, max_size: int) -> tuple[int, int, str]:
    paging = body.get("pagination") or {}
    if not isinstance(paging, dict):
        raise invalid("pagination", "must be an object")
    page, size, order = (
        paging.get("page", 1),
        paging.get("page_size", default_size),
        paging.get("order") or "",
    )
    if isinstance(page, bool) or not isinstance(page, int) or page < 1:
        raise invalid("pagination.page", f"must be an integer from 1, got {page!r}")
    if isinstance(size, bool) or not isinstance(size, int) or size < 1:
        raise invalid("pagination.page_size", f"must be a positive integer, got {size!r}")
    if size > max_size:
        raise invalid("pagination.page_size", f"at most {max_size}, got {size}")
    if not isinstance(order, str):
        raise invalid("pagination.order", f"must be a column name, got {order!r}")
    return page, size, order


def _ordered(resource: Resource, matches: list[dict[str, Any]], order: str) -> list[dict[str, Any]]:
    descending = order.startswith("-")
    field = order.lstrip("-+")
    kind, read = resource.kind(field) or "text", resource.get
    keyed = sorted(
        ((normalise(kind, read(item, field)), item) for item in matches),
        key=lambda pair: pair[1]["id"],
    )
    present = [(_sortable(v), item) for v, item in keyed if not _is_empty(v)]
    missing = [item for v, item in keyed if _is_empty(v)]
    present.sort(key=lambda pair: pair[0], reverse=descending)
    return [item for _, item in present] + missing


def _sortable(value: Any) -> Any:
    return tuple(str(v) for v in value) if isinstance(value, list) else value


def search(resource: Resource, items: Iterable[dict[str, Any]], body: Any, limits: Limits) -> Page:
    """Run one search body over `items` (in store order) and cut out the page asked for."""
    if body is None:
        body = {}
    if not isinstance(body, dict):
        raise fail(400, "search body must be a JSON object")
    predicate = compile_filters(resource, body.get("filters"), limits)
    columns = select_columns(resource, body.get("attributes"), limits.max_columns)
    page, size, order = _paging(body, limits.default_page_size, limits.max_page_size)
    if order and resource.kind(order.lstrip("-+")) is None:
        raise unknown_field(order.lstrip("-+"))
    matches = [item for item in items if predicate is None or predicate(item)]
    total = len(matches)
    if order:
        if limits.max_ordered_results and total > limits.max_ordered_results:
            raise fail(
                428,
                f"Too many results ({total}) to sort: narrow the filters to at most "
                f"{limits.max_ordered_results} matches or drop the order",
            )
        matches = _ordered(resource, matches, order)
    chosen = matches[(page - 1) * size : page * size]
    pagination = {
        "page": page,
        "page_size": size,
        "order": order or None,
        "count": total if limits.count_is_total else len(chosen),
        "total_count": total,
    }
    return Page(chosen, columns, pagination)
