"""Both emulated services as a test sees them: admin API, remote state, user edits."""

from __future__ import annotations

from typing import Any

import requests
from sync_project import write_requests

from emulators.runtime import DEMO_CREDENTIALS, AdminClient, RunningEmulators


class Remote:
    """Both emulated services: admin API, state, and the few public calls a user makes."""

    def __init__(self, running: RunningEmulators) -> None:
        self.running = running
        self.plytix = AdminClient(running.plytix_url)
        self.photoshelter = AdminClient(running.photoshelter_url)

    def clear_requests(self) -> None:
        self.plytix.clear_requests()
        self.photoshelter.clear_requests()

    def writes(self) -> dict[str, dict[str, int]]:
        return {
            "plytix": write_requests(self.plytix.requests()),
            "photoshelter": write_requests(self.photoshelter.requests()),
        }

    def write_paths(self, side: str) -> list[str]:
        """Paths of the write calls in the recent log (every write of a short run)."""
        admin = self.plytix if side == "plytix" else self.photoshelter
        log = admin.requests()
        recent = [
            f"{r['method']} {r['path']}"
            for r in log["recent"]
            if f"{r['method']} {r['route'].split(' ', 1)[1]}" in write_requests(log)
        ]
        assert len(recent) == sum(write_requests(log).values()), "request log overflowed"
        return recent

    # --- Plytix ---------------------------------------------------------------------------
    def plytix_state(self) -> dict[str, Any]:
        return self.plytix.state()

    def product(self, sku: str, state: dict[str, Any] | None = None) -> dict[str, Any]:
        state = state or self.plytix_state()
        return next(p for p in state["products"] if p["sku"] == sku)

    def product_media(
        self,
        sku: str,
        state: dict[str, Any] | None = None,
    ) -> dict[str, list[str]]:
        """attribute -> PhotoShelter ids (or `plytix:<asset>` for foreign assets)."""
        state = state or self.plytix_state()
        names = {a["id"]: a["filename"] for a in state["assets"]}
        product = self.product(sku, state)

        def source(asset_id: str) -> str:
            name = names.get(asset_id, "")
            return name.split("__")[0] if "__" in name else f"plytix:{asset_id}"

        media: dict[str, list[str]] = {}
        if product.get("thumbnail"):
            thumbnail = product["thumbnail"]
            media["thumbnail"] = [
                source(thumbnail["id"] if isinstance(thumbnail, dict) else thumbnail)
            ]
        for label, value in product["attributes"].items():
            if isinstance(value, list) and value and isinstance(value[0], dict):
                media[label] = [source(v["id"]) for v in value]
        return media

    def patch_product(self, sku: str, attributes: dict[str, Any]) -> None:
        """What a product manager does in Plytix, through the public API."""
        base = self.running.plytix_url
        token = requests.post(
            f"{base}/auth/api/get-token", json=DEMO_CREDENTIALS["plytix"], timeout=10
        ).json()["data"][0]["access_token"]
        product_id = self.product(sku)["id"]
        response = requests.patch(
            f"{self.running.plytix_api_url}/products/{product_id}",
            json={"attributes": attributes},
            timeout=10,
            headers={"Authorization": f"Bearer {token}"},
        )
        assert response.status_code == 200, response.text

    # --- PhotoShelter ---------------------------------------------------------------------
    def ps_state(self) -> dict[str, Any]:
        return self.photoshelter.state()

    def media(self, media_id: str, state: dict[str, Any] | None = None) -> dict[str, Any]:
        state = state or self.ps_state()
        return next(m for m in state["media"] if m["id"] == media_id)

    def keywords(self, media_id: str, state: dict[str, Any] | None = None) -> list[str]:
        text = self.media(media_id, state)["iptc"]["keywords"]
        return [k.strip() for k in text.split(",") if k.strip()]

    def custom_metadata(
        self,
        media_id: str,
        state: dict[str, Any] | None = None,
    ) -> dict[str, str]:
        """field name -> tag name."""
        state = state or self.ps_state()
        fields = {f["id"]: f for f in state["metadata_fields"]}
        tags = {t["id"]: t["name"] for f in state["metadata_fields"] for t in f["tags"]}
        return {
            fields[f]["name"]: tags[t]
            for f, t in self.media(media_id, state)["custom_metadata"].items()
        }

    def galleries(self, state: dict[str, Any] | None = None) -> dict[tuple[str, str], dict]:
        """(collection path, gallery name) -> gallery."""
        state = state or self.ps_state()
        collections = {c["id"]: c for c in state["collections"]}

        def path(collection_id: str) -> str:
            node, parts = collections.get(collection_id), []
            while node is not None:
                parts.append(node["name"])
                node = collections.get(node["parent_id"]) if node["parent_id"] else None
            return "/".join(reversed(parts))

        return {(path(p), g["name"]): g for g in state["galleries"] for p in g["parent_ids"]}

    def edit_media(self, media_id: str, **changes: Any) -> None:
        """What a photographer does in PhotoShelter (admin API of the emulator)."""
        self.photoshelter.call("PATCH", f"media/{media_id}", changes)

    def upload_media(self, **fields: Any) -> dict[str, Any]:
        return self.photoshelter.call("POST", "media", fields)
