"""Helpers that arrange and read an emulated account the way its owner would (over HTTP)."""

from __future__ import annotations

from typing import Any

from plytix_api import PlytixClient

from emulators.runtime import AdminClient


def attribute_id(api: PlytixClient, label: str) -> str:
    rows = api.data(
        "POST",
        "/attributes/product/search",
        json={
            "filters": [[{"field": "label", "operator": "eq", "value": label}]],
            "attributes": ["label"],
            "pagination": {"page": 1, "page_size": 10},
        },
    )
    return next(str(r["id"]) for r in rows if r.get("label") == label)


def attributes(api: PlytixClient) -> dict[str, dict[str, Any]]:
    return {
        r["label"]: r
        for r in api.search_all(
            "/attributes/product/search", attributes=["label", "name", "type_class", "options"]
        )
    }


def state_without_requests(admin: AdminClient) -> dict[str, Any]:
    state = admin.state()
    for key in ("requests", "sessions", "tokens", "clock"):
        state.pop(key, None)
    return state
