"""Base stream: PhotoShelter's page-numbered JSON:API lists, fetched by the shared client."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from singer_sdk.pagination import PageNumberPaginator
from singer_sdk.streams import RESTStream
from singer_sdk.streams.rest import PageContext

from tap_photoshelter.api import PhotoShelterClient
from tap_photoshelter.api.client import attributes, data_list, has_next_page

if TYPE_CHECKING:
    from singer_sdk.helpers.types import Context

    from tap_photoshelter.directory import Directory


class NextLinkPaginator(PageNumberPaginator):
    """Page numbers from 1 while `meta.paging.next` is present."""

    def has_more(self, response: Any) -> bool:
        return has_next_page(response)


class PhotoShelterStream(RESTStream):
    """A list endpoint of the v4.0 API; requests go through the tap's shared client."""

    records_jsonpath = "$.data[*]"

    @property
    def url_base(self) -> str:
        return self.api.settings.api_url

    @property
    def api(self) -> PhotoShelterClient:
        return self._tap.api  # type: ignore[attr-defined]

    @property
    def directory(self) -> Directory:
        return self._tap.directory  # type: ignore[attr-defined]

    @property
    def per_page(self) -> int:
        return int(self.config.get("per_page") or 500)

    def get_new_paginator(self) -> NextLinkPaginator:
        return NextLinkPaginator(start_value=1)

    def get_url_params(self, context: Context | None, next_page_token: Any) -> dict[str, Any]:
        return {"page": next_page_token or 1, "per_page": self.per_page}

    def request_records(self, context: Context | None) -> Iterable[dict[str, Any]]:
        """Page through the list with the SDK paginator; each page via the shared client."""
        paginator = self.get_new_paginator()
        while not paginator.finished:
            request = self.get_http_request(page=PageContext(
                stream_context=context, next_page_token=paginator.current_value))
            path = request.url[len(self.url_base):]
            body = self.api.get(path, request.params)
            items = data_list(body, path)
            yield from self.parse_items(items, context)
            if not items:
                break
            paginator.advance(body)

    def parse_items(self, items: list[dict[str, Any]],
                    context: Context | None) -> Iterable[dict[str, Any]]:
        """Flatten JSON:API objects to `{id, **attributes}`."""
        for item in items:
            yield attributes(item)
