"""The report a sync leaves: rendered by the Meltano utility, read back as HTML."""

from __future__ import annotations

import json
import shutil
from html.parser import HTMLParser
from pathlib import Path

from sync_project import Project

from emulators.catalog import Catalog


class Page(HTMLParser):
    """Launch sections, product cards (their images and badges), and table cells."""

    def __init__(self) -> None:
        super().__init__()
        self.launches: list[str] = []
        self.products: dict[str, dict] = {}
        self.cells: list[str] = []
        self._product: dict | None = None
        self._in: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "section" and attributes.get("data-launch"):
            self.launches.append(attributes["data-launch"])
        if tag == "div" and attributes.get("data-sku"):
            self._product = self.products.setdefault(
                attributes["data-sku"], {"images": [], "badges": [], "missing": []})
        if tag == "img" and self._product is not None:
            self._product["images"].append((attributes.get("class"), attributes.get("src")))
        if tag == "span" and "badge" in (attributes.get("class") or ""):
            self._in = "badge"
        if tag == "li" and self._product is not None:
            self._in = "missing"
        if tag == "td":
            self._in = "cell"

    def handle_endtag(self, tag: str) -> None:
        if tag in ("span", "li", "td"):
            self._in = None

    def handle_data(self, data: str) -> None:
        if self._in == "badge" and self._product is not None:
            self._product["badges"].append(data)
        elif self._in == "missing" and self._product is not None:
            self._product["missing"].append(data)
        elif self._in == "cell":
            self.cells.append(data)


def test_report_shows_launches_products_rights_writes_and_rejects(
        built: Path, seeded: Catalog, tmp_path: Path) -> None:
    project = Project(tmp_path / "run")
    project.workdir.mkdir()
    shutil.copy(built, project.warehouse)
    outcomes = project.workdir / "outcomes"
    outcomes.mkdir()
    (outcomes / "target-plytix.jsonl").write_text("\n".join(json.dumps(line) for line in [
        {"stream": "product_media", "outcome": "updated", "sku": "HD-1001-BLK-XS",
         "attribute_label": "thumbnail"},
        {"stream": "products", "outcome": "unchanged", "sku": "HD-1001-BLK-XS"},
    ]) + "\n")
    (outcomes / "target-photoshelter.jsonl").write_text(json.dumps(
        {"stream": "media_metadata", "outcome": "rejected", "key": {"media_id": "I0000teal"},
         "reason": "custom_metadata.Color: no tag 'Teal'"}) + "\n")

    project.meltano("invoke", "sync-report", "render")

    page = Page()
    page.feed((project.workdir / "report.html").read_text())
    assert page.launches == sorted({p["attributes"]["season"] for p in seeded.products})
    expired_sku = seeded.hard_cases["expired_sku"]
    expired = page.products[expired_sku]
    hero_class, hero_src = expired["images"][0]
    assert hero_class == "hero" and "/img-get2/" in hero_src
    assert [c for c, _ in expired["images"][1:]] == ["alt"] * (len(expired["images"]) - 1)
    assert not any(seeded.hard_cases["expired_media_id"] in src for _, src in expired["images"])
    assert any(b.startswith("expired rights") for b in expired["badges"])
    for sku in seeded.hard_cases["skus_without_imagery"]:
        card = page.products[sku]
        assert card["images"] == [] and "no hero image" in card["missing"]
    assert any(b.startswith("channel-limited") for p in page.products.values()
               for b in p["badges"])
    assert "custom_metadata.Color: no tag 'Teal'" in page.cells
    assert "I0000teal" in page.cells
    assert seeded.hard_cases["ambiguous_media_id"] in page.cells
    assert seeded.hard_cases["unknown_sku"] in page.cells
