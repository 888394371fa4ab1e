"""The SDK base streams: Plytix search endpoints paged by the SDK, sent by the shared client.

The stream's `requests_session` (an SDK hook) is a `ClientSession`: it hands each request the
SDK prepared to `PlytixClient.request`, so auth, pacing, retries and error mapping happen in
one place for the tap and the target. The SDK's own backoff is switched off
(`request_decorator`): it would replay a request signed with an expired token.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any, cast

import requests
from pim_dam_core.errors import BadRowError
from plytix_api import (
    COLUMN_CAPS,
    Coercions,
    FilterPlan,
    PlytixClient,
    TooManyMatchesError,
    UnreadableError,
    has_more,
)
from plytix_api.conformance import conform, schema_problem, shown
from plytix_api.values import to_datetime
from singer_sdk.pagination import BaseAPIPaginator
from singer_sdk.streams import RESTStream
from singer_sdk.streams.rest import HTTPRequest, PageContext

from tap_plytix.modified_ranges import ModifiedRange, parse_instant
from tap_plytix.records import merge_rows

if TYPE_CHECKING:
    from singer_sdk.helpers.types import Context

UNREADABLE_WARNINGS = 20
"""UnreadableError values described one by one in the log per stream; the rest are counted."""
BOUNDARY_IDS = "boundary_ids"
"""State key: ids already emitted whose `modified` equals the bookmark (resume without loss)."""


@dataclass(frozen=True)
class Cursor:
    """Where the next page of an incremental search starts: `modified >= start`, page
    `page`, without the ids in `skip` (already emitted at `start`)."""

    start: str | None
    page: int = 1
    skip: frozenset[str] = frozenset()


class CursorPaginator(BaseAPIPaginator[Cursor]):
    """Keyset pages: the next page starts at the last row's `modified` (page 1, skipping the
    ids already emitted at that instant), so an edit during the scan, which moves a row to
    the end, never shifts an unread row onto a page already read. Rows that all share one
    instant are paged by number. With `keyset` off (a stream that is not incremental, or an
    account that allows no `gte` on `modified`), plain page numbers 1, 2, ...
    """

    def __init__(self, start: Cursor, page_size: int, keyset: bool) -> None:
        super().__init__(start)
        self.page_size = page_size
        self.keyset = keyset

    def has_more(self, response: requests.Response) -> bool:
        payload = response.json()
        return has_more(
            payload, self.current_value.page, self.page_size, len(payload.get("data") or [])
        )

    def continue_if_empty(self, response: requests.Response) -> bool:
        """A page can be empty after dropping already-emitted rows; keep paging then."""
        return self.has_more(response)

    def get_next(self, response: requests.Response) -> Cursor:
        current = self.current_value
        last = None
        rows = [r for r in response.json().get("data") or [] if isinstance(r, dict)]
        for row in reversed(rows):
            try:
                last = to_datetime(row.get("modified"))
                break
            except UnreadableError:
                continue
        if not self.keyset or last is None or _same_instant(last, current.start):
            return Cursor(current.start, current.page + 1, current.skip)
        return Cursor(
            last,
            1,
            frozenset(str(r.get("id")) for r in rows if _same_instant(r.get("modified"), last)),
        )


class ClientSession(requests.Session):
    """What the SDK sends goes through the stream's search (`send_search`), hence through
    the shared `PlytixClient`; the SDK's timeout and redirect options are the client's."""

    def __init__(self, search_stream: PlytixStream) -> None:
        super().__init__()
        self.search_stream = search_stream

    def send(self, request: requests.PreparedRequest, **kwargs: Any) -> requests.Response:
        assert request.url is not None
        return self.search_stream.send_search(request.url, json.loads(request.body or b"{}"))


class PlytixStream(RESTStream):
    """A `POST .../search` endpoint of the v1 API, paged by page number."""

    search_path: str = ""
    """The search path under `/api/v1`."""
    columns: list[str] | None = None
    order: str | None = None

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.http_method = "POST"
        self.bad_rows = 0
        """Rows reported and skipped in this run."""
        self.coercions = Coercions()
        """Loose values coerced to their column types (and unreadable ones nulled)."""

    @property
    def path(self) -> str:  # type: ignore[override]
        return f"/api/v1{self.search_path}"

    @property
    def url_base(self) -> str:
        return self.client.settings.api_root

    @property
    def client(self) -> PlytixClient:
        return self._tap.client  # type: ignore[attr-defined]

    @property
    def page_size(self) -> int:
        return int(self.config.get("page_size") or 100)

    def get_new_paginator(self) -> CursorPaginator:
        """Pages 1, 2, ... while `pagination.total_count` says more rows exist."""
        return CursorPaginator(Cursor(None), self.page_size, keyset=False)

    def search_filters(self, context: Context | None) -> list[list[dict[str, Any]]]:
        return []

    def first_columns(self) -> list[str] | None:
        """The columns of the search the SDK pages through."""
        return self.columns

    def page_number(self, token: Any) -> int:
        return int(token.page)

    def get_http_request(self, *, page: PageContext) -> HTTPRequest:
        body: dict[str, Any] = {
            "pagination": {
                "page": self.page_number(page.next_page_token),
                "page_size": self.page_size,
                "order": self.order,
            }
        }
        if columns := self.first_columns():
            body["attributes"] = list(columns)
        if filters := self.search_filters(page.stream_context):
            body["filters"] = filters
        return HTTPRequest(url=self.get_url(page.stream_context), method="POST", data=body)

    def request_decorator(self, func: Any) -> Any:
        """No SDK backoff: PlytixClient retries (and renews the token inside the retry)."""
        return func

    @cached_property
    def requests_session(self) -> requests.Session:
        """Every request through the shared client (see `ClientSession`)."""
        return ClientSession(self)

    def send_search(self, url: str, body: dict[str, Any]) -> requests.Response:
        """Send one page's search through the shared client."""
        return self.client.request("POST", url, json=body)

    def parse_response(self, response: requests.Response) -> Iterable[dict[str, Any]]:
        yield from self.checked(response.json().get("data") or [], dict)

    def get_records(self, context: Context | None) -> Iterable[dict[str, Any]]:
        yield from super().get_records(context)
        self.log_summary()

    def checked(
        self, rows: Iterable[Any], to_record: Callable[[dict[str, Any]], dict[str, Any]]
    ) -> Iterator[dict[str, Any]]:
        """Each row as a record, its loose values coerced to the schema; a row that cannot be
        a record (not an object, no id, no `modified`) is reported and skipped, so one odd
        row never costs the rest of its page."""
        for row in rows:
            try:
                if not isinstance(row, dict):
                    raise BadRowError(f"the row is not an object: {shown(row)}")
                record = to_record(row)
                for problem in conform(record, self.schema, self.coercions):
                    self.report_unreadable(row, problem)
                if mismatch := schema_problem(record, self.schema):
                    raise BadRowError(mismatch)
            except (BadRowError, KeyError, TypeError, ValueError, AttributeError) as error:
                reason = (
                    str(error)
                    if isinstance(error, BadRowError)
                    else f"cannot be read ({type(error).__name__}: {shown(str(error))})"
                )
                self.report_bad_row(row, reason)
                continue
            yield record

    def report_bad_row(self, row: Any, reason: str) -> None:
        row_id = row.get("id") if isinstance(row, dict) else None
        self.bad_rows += 1
        self.logger.warning("%s: skipped the row with id %s: %s", self.name, shown(row_id), reason)

    def report_unreadable(self, row: dict[str, Any], problem: str) -> None:
        if sum(self.coercions.unreadable.values()) <= UNREADABLE_WARNINGS:
            self.logger.warning(
                "%s: row with id %s: %s; emitted as null", self.name, shown(row.get("id")), problem
            )

    def log_summary(self) -> None:
        """One line per stream: how many loose values were coerced, nulled and rows skipped."""
        if self.coercions.coerced or self.coercions.unreadable or self.bad_rows:
            self.logger.info(
                "%s: %s; %d rows skipped", self.name, self.coercions.summary(), self.bad_rows
            )


class IncrementalSearchStream(PlytixStream):
    """Incremental on `modified`: `modified gte bookmark` ordered by `modified`, windowed.

    The filter operators come from the account's `/filters` plan (`gte`, else `gt`, else no
    lower bound and rows before the bookmark dropped here). Columns beyond the cap come in
    further batches: the same search and page asked again with the next columns and merged
    by id (never one GET per row; product `id` is not filterable on v1); a row the repeat
    did not return (the page moved under a concurrent edit) is looked up on its own.

    `gte` plus the ids already emitted at the bookmark (kept in state) means a record that
    shares the bookmark's timestamp is neither lost nor emitted twice, and an interrupted
    sync resumes where it stopped. A window with more than 10,000 matches (428) is split.
    """

    replication_key = "modified"
    is_sorted = True
    order = "modified"

    wanted_columns: list[str] = []
    filter_resource: str | None = "asset"
    """`GET /filters/<resource>` plans this stream's filters; None: the documented table."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.batches: list[list[str]] | None = None
        self.window = ModifiedRange(None, None)
        self.cursor = Cursor(None)
        self.resume_at: str | None = None
        self.resume_ids: frozenset[str] = frozenset()
        self.windows_split = 0
        self.rows_repaired = 0

    def wanted(self) -> list[str]:
        """The columns to ask for (`modified` first)."""
        return list(self.wanted_columns)

    def column_cap(self) -> int:
        return self.client.settings.max_columns_per_search or COLUMN_CAPS["v1"]

    def column_plan(self) -> list[list[str]]:
        if self.batches is None:
            self.batches = column_batches(self.wanted(), self.column_cap())
        return self.batches

    def first_columns(self) -> list[str] | None:
        return self.column_plan()[0] or None

    def filter_plan(self) -> FilterPlan:
        if self.filter_resource is None:
            return FilterPlan.documented("asset", f"{self.name} has no /filters endpoint")
        return self.client.filter_plan(self.filter_resource)

    def search_filters(self, context: Context | None) -> list[list[dict[str, Any]]]:
        filters, _ = self.filter_plan().window(self.cursor.start, self.window.end)
        return filters

    def get_http_request(self, *, page: PageContext) -> HTTPRequest:
        self.cursor = cast(Cursor, page.next_page_token)
        return super().get_http_request(page=page)

    def get_new_paginator(self) -> CursorPaginator:
        """Pages of the current window, from its start (skipping the ids the state says
        were emitted at the bookmark)."""
        _, lower = self.filter_plan().window("", None)
        skip = (
            self.resume_ids
            if self.window.start and _same_instant(self.window.start, self.resume_at)
            else frozenset()
        )
        return CursorPaginator(
            Cursor(self.window.start, 1, skip), self.page_size, keyset=lower == "gte"
        )

    def request_records(self, context: Context | None) -> Iterable[dict[str, Any]]:
        state = self.get_context_state(context)
        start = self.get_starting_replication_key_value(context)
        start = str(start) if start else None
        if start and start == state.get("replication_key_value"):
            self.resume_at, self.resume_ids = start, frozenset(state.get(BOUNDARY_IDS) or [])
        batches = self.column_plan()
        _, lower = self.filter_plan().window(start or "", None)
        self.logger.info(
            "%s: %d column(s) in %d search batch(es) of at most %d; lower bound `modified %s`",
            self.name,
            sum(map(len, batches)),
            len(batches),
            self.column_cap(),
            lower or "(none: filtered here)",
        )
        pending = [ModifiedRange(start, None)]
        while pending:
            self.window = pending.pop(0)
            emitted = False
            try:
                for record in super().request_records(context):
                    emitted = True
                    self._remember_boundary(state, record)
                    yield record
            except TooManyMatchesError:
                if emitted:
                    raise
                self.windows_split += 1
                pending[0:0] = self.window.split()

    def page_rows(self, response: requests.Response) -> list[dict[str, Any]]:
        """The page's rows not emitted before, with every column batch merged in.

        A row without an object shape or an id cannot be merged or resumed: it is reported
        here and skipped.
        """
        _, lower = self.filter_plan().window("", None)
        floor = parse_instant(self.window.start) if self.window.start and not lower else None
        rows = []
        for row in response.json().get("data") or []:
            if not isinstance(row, dict) or not isinstance(row.get("id"), str) or not row["id"]:
                self.report_bad_row(
                    row,
                    "the row has no id"
                    if isinstance(row, dict)
                    else f"the row is not an object: {shown(row)}",
                )
            elif floor and _before(row.get("modified"), floor):
                continue
            elif not (
                row["id"] in self.cursor.skip
                and _same_instant(row.get("modified"), self.cursor.start)
            ):
                rows.append(row)
        by_id = {row["id"]: row for row in rows}
        asked = json.loads(response.request.body or b"{}") if response.request else {}
        for batch in self.column_plan()[1:]:
            if not by_id:
                break
            page = self.client.search_page(self.path, {**asked, "attributes": batch})
            merged = merge_rows(by_id, page.get("data") or [])
            missing = [row for row_id, row in by_id.items() if row_id not in merged]
            if missing:
                self.rows_repaired += len(missing)
                merge_rows(by_id, self.rows_by_lookup(missing, batch))
        return rows

    def rows_by_lookup(
        self, rows: list[dict[str, Any]], columns: list[str]
    ) -> list[dict[str, Any]]:
        """`columns` of rows a repeated page did not return: one GET each (rare: only when
        the page moved under a concurrent edit)."""
        found = []
        base = self.search_path.removesuffix("/search")
        for row in rows:
            data = self.client.data("GET", f"/api/v1{base}/{row['id']}")
            if data and isinstance(data[0], dict):
                found.append({k: v for k, v in data[0].items() if k in ("id", *columns)})
        return found

    @staticmethod
    def _remember_boundary(state: dict[str, Any], record: dict[str, Any]) -> None:
        """Called before the SDK moves the bookmark to this record's `modified`."""
        if record.get("modified") != state.get("replication_key_value"):
            state[BOUNDARY_IDS] = []
        state.setdefault(BOUNDARY_IDS, []).append(record["id"])


def _same_instant(value: Any, other: str | None) -> bool:
    """`modified` as the row has it (maybe without a zone) equals the bookmark's."""
    if value == other:
        return True
    try:
        return parse_instant(str(value)) == parse_instant(str(other))
    except ValueError:
        return False


def _before(value: Any, floor: Any) -> bool:
    try:
        return bool(parse_instant(str(value)) < floor)
    except ValueError:
        return False


def column_batches(columns: list[str], size: int) -> list[list[str]]:
    """Consecutive batches of at most `size` columns (the first holds `modified`)."""
    return [columns[i : i + size] for i in range(0, len(columns), size)] or [[]]
