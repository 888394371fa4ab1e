"""The report a sync leaves: rendered by the Meltano utility, read back as HTML."""

from __future__ import annotations

import json
import shutil
from html.parser import HTMLParser
from pathlib import Path

from dbt_runner import rows
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
                attributes["data-sku"], {"images": [], "badges": [], "missing": []}
            )
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
    built: Path, seeded: Catalog, tmp_path: Path
) -> None:
    project = Project(tmp_path / "run")
    project.workdir.mkdir()
    shutil.copy(built, project.warehouse)
    outcomes = project.workdir / "outcomes"
    outcomes.mkdir()
    (outcomes / "target-plytix.jsonl").write_text(
        "\n".join(
            json.dumps(line)
            for line in [
                {
                    "stream": "product_media",
                    "outcome": "updated",
                    "sku": "HD-1001-BLK-XS",
                    "attribute_label": "thumbnail",
                },
                {"stream": "products", "outcome": "unchanged", "sku": "HD-1001-BLK-XS"},
            ]
        )
        + "\n"
    )
    (outcomes / "target-photoshelter.jsonl").write_text(
        json.dumps(
            {
                "stream": "media_metadata",
                "outcome": "rejected",
                "key": {"media_id": "I0000teal"},
                "reason": "custom_metadata.Color: no tag 'Teal'",
            }
        )
        + "\n"
    )

    done = project.meltano("invoke", "sync-report", "render", check=False)
    # a record was rejected: with fail_on_rejects (default on) the run fails, saying why
    assert done.returncode == 1
    assert "sync-report: run failed: 1 record(s) rejected (target-photoshelter 1)" in done.stderr
    assert "fail_on_rejects" in done.stderr

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
    assert any(b.startswith("channel-limited") for p in page.products.values() for b in p["badges"])
    assert "custom_metadata.Color: no tag 'Teal'" in page.cells
    html = (project.workdir / "report.html").read_text()
    assert "attributes judged by setting package_required_attributes" in html
    assert "Run failed" in html and "setting fail_on_rejects" in html.replace("Setting", "setting")
    assert "I0000teal" in page.cells
    assert seeded.hard_cases["ambiguous_media_id"] in page.cells
    assert seeded.hard_cases["unknown_sku"] in page.cells


def report_project(built: Path, tmp_path: Path, **env: str) -> Project:
    project = Project(tmp_path / "run", extra_env=env)
    project.workdir.mkdir()
    shutil.copy(built, project.warehouse)
    return project


def outcome_lines(project: Project, target: str, lines: list[dict]) -> None:
    outcomes = project.workdir / "outcomes"
    outcomes.mkdir(exist_ok=True)
    (outcomes / f"{target}.jsonl").write_text("".join(json.dumps(x) + "\n" for x in lines))


def test_rejects_only_reported_when_fail_on_rejects_is_off(built: Path, tmp_path: Path) -> None:
    project = report_project(built, tmp_path, SYNC_REPORT_FAIL_ON_REJECTS="false")
    outcome_lines(
        project,
        "target-plytix",
        [{"stream": "products", "outcome": "rejected", "sku": "X-1", "reason": "no such SKU"}],
    )
    done = project.meltano("invoke", "sync-report", "render", check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    html = (project.workdir / "report.html").read_text()
    assert "Run OK" in html and "no such SKU" in html


def planned(project: Project) -> dict[str, int]:
    return {
        table: rows(project.warehouse, f"select count(*) as n from outbox.{table}")[0]["n"]  # noqa: S608
        for table in (
            "plytix_products",
            "plytix_product_media",
            "photoshelter_media_metadata",
            "photoshelter_galleries",
        )
    }


def test_plan_report_says_nothing_was_sent_and_hides_the_last_apply(
    built: Path, tmp_path: Path
) -> None:
    """After a plan, neither the report nor the summary shows the previous apply's counts."""
    project = report_project(built, tmp_path)
    outcome_lines(
        project,
        "target-plytix",
        [  # what the last apply left
            {"stream": "products", "outcome": "updated", "sku": f"OLD-{n}"} for n in range(7)
        ],
    )
    done = project.meltano("invoke", "sync-report", "plan")
    assert "report written" in done.stdout
    html = (project.workdir / "report.html").read_text()
    assert 'data-mode="plan"' in html and "nothing was sent" in html
    assert "OLD-" not in html
    summary = project.meltano("invoke", "sync-report", "summary").stdout
    counts = planned(project)
    assert "status              OK (plan only: nothing sent)" in summary
    assert f"rights planned      {counts['plytix_products']} products" in summary
    assert f"product media writes planned: {counts['plytix_product_media']}" in summary
    assert "written" not in summary and "unchanged" not in summary
    # the last apply's outcomes were set aside, not lost
    assert (project.workdir / "outcomes" / "previous" / "target-plytix.jsonl").is_file()


def test_dry_run_report_says_would_write(built: Path, tmp_path: Path) -> None:
    project = report_project(built, tmp_path)
    outcome_lines(
        project,
        "target-plytix",
        [
            {"stream": "products", "outcome": "updated", "sku": "A-1", "dry_run": True},
            {
                "stream": "product_media",
                "outcome": "created",
                "sku": "A-1",
                "attribute_label": "thumbnail",
                "dry_run": True,
            },
        ],
    )
    project.meltano("invoke", "sync-report", "render")
    html = (project.workdir / "report.html").read_text()
    assert 'data-mode="dry_run"' in html and "What this run would write (dry run)" in html
    assert "would be updated" in html and "Plytix would write" in html
    summary = project.meltano("invoke", "sync-report", "summary").stdout
    assert "status              OK (dry run: nothing written)" in summary
    assert "rights would write  1 products" in summary
    assert "rights written" not in summary and "metadata written" not in summary
