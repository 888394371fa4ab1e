"""The SDK base streams: Plytix search endpoints paged by the SDK, sent by the shared client.

`PlytixStream._request` hands the SDK's prepared request to `PlytixClient.request`, so auth,
pacing, retries and error mapping happen in one place for the tap and the target; the SDK's
own backoff is switched off (it would replay a request signed with an expired token).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Any

import requests
from singer_sdk.pagination import PageNumberPaginator
from singer_sdk.streams import RESTStream
from singer_sdk.streams.rest import HTTPRequest, PageContext

from tap_plytix.api import PlytixClient, TooManyMatches, has_more
from tap_plytix.conformance import BadRow, schema_problem, shown
from tap_plytix.records import merge_rows
from tap_plytix.windows import Window

if TYPE_CHECKING:
    from singer_sdk.helpers.types import Context

BOUNDARY_IDS = "boundary_ids"
"""State key: ids already emitted whose `modified` equals the bookmark (resume without loss)."""


class SearchPaginator(PageNumberPaginator):
    """Pages 1, 2, ... while `pagination.total_count` says more rows exist."""

    def __init__(self, page_size: int) -> None:
        super().__init__(1)
        self.page_size = page_size

    def has_more(self, response: requests.Response) -> bool:
        payload = response.json()
        return has_more(payload, self.current_value, self.page_size,
                        len(payload.get("data") or []))

    def continue_if_empty(self, response: requests.Response) -> bool:
        """A page can be empty after dropping already-emitted rows; keep paging then."""
        return self.has_more(response)


class PlytixStream(RESTStream):
    """A `POST .../search` endpoint, paged by page number."""

    search_path: str = ""
    columns: list[str] | None = None
    order: str | None = None

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.bad_rows = 0
        """Rows reported and skipped in this run."""

    @property
    def path(self) -> str:  # type: ignore[override]
        return self.search_path

    @property
    def http_method(self) -> str:
        return "POST"

    @property
    def url_base(self) -> str:
        return self.client.settings.api_url

    @property
    def client(self) -> PlytixClient:
        return self._tap.client  # type: ignore[attr-defined,no-any-return]

    @property
    def page_size(self) -> int:
        return int(self.config.get("page_size") or 100)

    def get_new_paginator(self) -> SearchPaginator:
        return SearchPaginator(self.page_size)

    def search_filters(self, context: Context | None) -> list[list[dict[str, Any]]]:
        return []

    def get_http_request(self, *, page: PageContext) -> HTTPRequest:
        body: dict[str, Any] = {"pagination": {"page": page.next_page_token,
                                               "page_size": self.page_size,
                                               "order": self.order}}
        if self.columns:
            body["attributes"] = list(self.columns)
        if filters := self.search_filters(page.stream_context):
            body["filters"] = filters
        return HTTPRequest(url=self.get_url(page.stream_context), method="POST", data=body)

    def request_decorator(self, func: Any) -> Any:
        """No SDK backoff: PlytixClient retries (and renews the token inside the retry)."""
        return func

    def _request(self, prepared_request: requests.PreparedRequest,
                 context: Context | None) -> requests.Response:
        assert prepared_request.method is not None and prepared_request.url is not None
        return self.client.request(prepared_request.method, prepared_request.url,
                                   data=prepared_request.body,
                                   headers={"Content-Type": "application/json"})

    def parse_response(self, response: requests.Response) -> Iterable[dict[str, Any]]:
        yield from self.checked(response.json().get("data") or [], dict)

    def checked(self, rows: Iterable[Any],
                to_record: Callable[[dict[str, Any]], dict[str, Any]]) -> Iterator[dict[str, Any]]:
        """Each row as a record; a row that cannot be one is reported and skipped, so one
        odd row never costs the rest of its page."""
        for row in rows:
            try:
                if not isinstance(row, dict):
                    raise BadRow(f"the row is not an object: {shown(row)}")
                record = to_record(row)
                if problem := schema_problem(record, self.schema):
                    raise BadRow(problem)
            except (BadRow, KeyError, TypeError, ValueError, AttributeError) as error:
                reason = str(error) if isinstance(error, BadRow) else \
                    f"cannot be read ({type(error).__name__}: {shown(str(error))})"
                self.report_bad_row(row, reason)
                continue
            yield record

    def report_bad_row(self, row: Any, reason: str) -> None:
        row_id = row.get("id") if isinstance(row, dict) else None
        self.bad_rows += 1
        self.logger.warning("%s: skipped the row with id %s: %s", self.name,
                            shown(row_id), reason)


class IncrementalSearchStream(PlytixStream):
    """Incremental on `modified`: `modified gte bookmark` ordered by `modified`, windowed.

    Columns beyond `max_columns_per_search` come in further batches: the same page's ids
    asked with `id in [...]` and merged by id (never one GET per row).

    `gte` plus the ids already emitted at the bookmark (kept in state) means a record that
    shares the bookmark's timestamp is neither lost nor emitted twice, and an interrupted
    sync resumes where it stopped. A window with more than 10,000 matches (428) is split.
    """

    replication_key = "modified"
    is_sorted = True
    order = "modified"

    wanted_columns: list[str] = []

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        size = int(self.config.get("max_columns_per_search") or 50)
        batches = column_batches(self.wanted_columns, size)
        self.columns, self.extra_batches = batches[0], batches[1:]
        self.window = Window(None, None)
        self.skip_at: str | None = None
        self.skip_ids: set[str] = set()
        self.windows_split = 0

    def search_filters(self, context: Context | None) -> list[list[dict[str, Any]]]:
        return self.window.filters()

    def request_records(self, context: Context | None) -> Iterable[dict[str, Any]]:
        state = self.get_context_state(context)
        start = self.get_starting_replication_key_value(context)
        start = str(start) if start else None
        if start and start == state.get("replication_key_value"):
            self.skip_at, self.skip_ids = start, set(state.get(BOUNDARY_IDS) or [])
        pending = [Window(start, None)]
        while pending:
            self.window = pending.pop(0)
            emitted = False
            try:
                for record in super().request_records(context):
                    emitted = True
                    self._remember_boundary(state, record)
                    yield record
            except TooManyMatches:
                if emitted:
                    raise
                self.windows_split += 1
                pending[0:0] = self.window.split()

    def page_rows(self, response: requests.Response) -> list[dict[str, Any]]:
        """The page's rows not emitted before, with every column batch merged in.

        A row without an object shape or an id cannot be merged or resumed: it is reported
        here and skipped.
        """
        rows = []
        for row in response.json().get("data") or []:
            if not isinstance(row, dict) or not isinstance(row.get("id"), str) or not row["id"]:
                self.report_bad_row(row, "the row has no id" if isinstance(row, dict)
                                    else f"the row is not an object: {shown(row)}")
            elif not (self.skip_ids and row.get("modified") == self.skip_at
                      and row["id"] in self.skip_ids):
                rows.append(row)
        by_id = {row["id"]: row for row in rows}
        for batch in self.extra_batches:
            if not by_id:
                break
            page = self.client.search_page(self.search_path, {
                "filters": [[{"field": "id", "operator": "in", "value": list(by_id)}]],
                "attributes": batch,
                "pagination": {"page": 1, "page_size": len(by_id)},
            })
            merge_rows(by_id, page.get("data") or [])
        return rows

    @staticmethod
    def _remember_boundary(state: dict[str, Any], record: dict[str, Any]) -> None:
        """Called before the SDK moves the bookmark to this record's `modified`."""
        if record.get("modified") != state.get("replication_key_value"):
            state[BOUNDARY_IDS] = []
        state.setdefault(BOUNDARY_IDS, []).append(record["id"])


def column_batches(columns: list[str], size: int) -> list[list[str]]:
    """Consecutive batches of at most `size` columns (the first holds `modified`)."""
    return [columns[i:i + size] for i in range(0, len(columns), size)] or [[]]
