"""What an account's owner changes by hand, for tests on an account that is not the demo's."""

from __future__ import annotations

from plytix_api import PlytixClient

from emulators.runtime import AdminClient


def make_account_their_own(plytix: PlytixClient, photoshelter: AdminClient) -> None:
    """Lacks attributes and fields the sync needs and names others its own way: Plytix
    without style_code, image_credit, imagery_status, launch_date but with style_number;
    PhotoShelter's Status renamed Approval, Color replaced by Colour, no Size."""
    labels = {
        r["label"]: r["id"]
        for r in plytix.search_all("/attributes/product/search", attributes=["label"])
    }
    for label in ("style_code", "image_credit", "imagery_status", "launch_date"):
        plytix.request("DELETE", f"/attributes/product/{labels[label]}")
    plytix.call(
        "POST",
        "/attributes/product",
        json={"name": "Style number", "label": "style_number", "type_class": "TextAttribute"},
    )
    fields = {f["name"]: f["id"] for f in photoshelter.state()["metadata_fields"]}
    photoshelter.call("PATCH", f"fields/{fields['Status']}", {"name": "Approval"})
    photoshelter.call("DELETE", f"fields/{fields['Color']}")
    photoshelter.call("POST", "fields", {"name": "Colour", "tags": ["Black", "White"]})
    photoshelter.call("DELETE", f"fields/{fields['Size']}")


CHECK_FAILS_ON_THEIR_OWN = {
    "attribute style_code",
    "attribute image_credit",
    "attribute imagery_status",
    "attribute launch_date",
    "field Status",
    "field Color",
    "field Size",
}
"""The rows `check` must fail on that account, with the default settings."""
