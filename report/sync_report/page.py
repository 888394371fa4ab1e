"""The report as one static HTML page: launches, products, imagery, rights, writes, rejects."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import UTC, datetime
from html import escape
from typing import Any

from sync_report.data import RunData

STYLE = """
body{font-family:system-ui,sans-serif;margin:2rem;color:#222;background:#fafafa}
h1{margin-bottom:.2rem} h2{margin-top:2.2rem;border-bottom:2px solid #ddd}
table{border-collapse:collapse;margin:.6rem 0} td,th{border:1px solid #ddd;padding:.25rem .6rem;
text-align:left;font-size:.9rem} th{background:#eee}
.summary{display:flex;gap:1rem;flex-wrap:wrap}
.stat{background:#fff;border:1px solid #ddd;border-radius:6px;padding:.6rem 1rem}
.stat b{display:block;font-size:1.5rem}
.product{background:#fff;border:1px solid #ddd;border-radius:6px;padding:.8rem;margin:.6rem 0}
.product h3{margin:.1rem 0 .4rem;font-size:1rem}
.images{display:flex;gap:.4rem;align-items:flex-end;flex-wrap:wrap}
.images img{border:1px solid #ccc;background:#eee;object-fit:cover}
img.hero{width:120px;height:120px;border:2px solid #2a7} img.alt{width:64px;height:64px}
.badge{display:inline-block;border-radius:4px;padding:0 .4rem;margin-right:.3rem;font-size:.8rem}
.complete{background:#d6f5dd} .incomplete{background:#fde2c8} .expired{background:#f8c6c6}
.expiring{background:#fff0b3} .limited{background:#d9e6ff}
.missing{color:#a33;font-size:.85rem;margin:.3rem 0 0 1rem}
"""


def badge(css: str, text: str) -> str:
    return f'<span class="badge {css}">{escape(text)}</span>'


def table(headers: list[str], rows: list[list[Any]], empty: str) -> str:
    if not rows:
        return f"<p>{escape(empty)}</p>"
    head = "".join(f"<th>{escape(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{escape(str(c))}</td>" for c in row) + "</tr>"
                   for row in rows)
    return f"<table><tr>{head}</tr>{body}</table>"


def product_card(product: dict[str, Any], package: dict[str, Any] | None) -> str:
    badges = []
    if package is not None:
        badges.append(badge("complete", "package complete") if package["is_complete"]
                      else badge("incomplete", "package incomplete"))
    if product["n_expired"]:
        badges.append(badge("expired", f"expired rights ({product['n_expired']} image(s))"))
    if product["is_expiring_soon"]:
        badges.append(badge("expiring", f"rights expiring soon ({product['rights_expiry']})"))
    if product["is_channel_limited"]:
        allowed = ", ".join(product["allowed_channels"]) or "none"
        badges.append(badge("limited", f"channel-limited: {allowed}"))
    images = []
    if product["hero_link_url"]:
        images.append(f'<img class="hero" src="{escape(product["hero_link_url"])}" '
                      f'alt="hero {escape(product["hero_file_name"] or "")}" '
                      f'title="hero: {escape(product["hero_file_name"] or "")}">')
    for alternate in product["alternates"] or []:
        images.append(f'<img class="alt" src="{escape(alternate["link_url"] or "")}" '
                      f'alt="alternate {escape(alternate["file_name"] or "")}" '
                      f'title="{escape(alternate["file_name"] or "")}">')
    if not images:
        images.append("<em>no approved imagery</em>")
    missing = ""
    if package is not None and package["incomplete_reasons"]:
        missing = ('<ul class="missing">' + "".join(
            f"<li>{escape(r)}</li>" for r in package["incomplete_reasons"]) + "</ul>")
    return (f'<div class="product" data-sku="{escape(product["sku"])}">'
            f'<h3>{escape(product["sku"])} · {escape(product["label"] or "")} '
            f'<small>({escape(product["imagery_status"])}; '
            f'{escape(product["launch_status"] or "no launch status")})</small></h3>'
            f'<div>{"".join(badges)}</div><div class="images">{"".join(images)}</div>'
            f"{missing}</div>")


def render(data: RunData, now: datetime | None = None) -> str:
    now = now or datetime.now(UTC)
    outcomes = data.outcomes
    stats = [
        ("products matched", data.matches),
        ("images linked", data.linked_images),
        ("Plytix writes", outcomes.total("created", "target-plytix")
         + outcomes.total("updated", "target-plytix")),
        ("PhotoShelter writes", outcomes.total("created", "target-photoshelter")
         + outcomes.total("updated", "target-photoshelter")),
        ("unchanged", outcomes.total("unchanged")),
        ("rejects", outcomes.total("rejected")),
    ]
    summary = "".join(f'<div class="stat"><b>{n}</b>{escape(label)}</div>' for label, n in stats)
    counts = table(["target", "stream", "outcome", "records"],
                   [[t, s, o, n] for (t, s, o), n in sorted(outcomes.counts.items())],
                   "No writes recorded for this run (dry run, or nothing to apply).")
    outbox = table(["outbox model", "records planned"], [[k, v] for k, v in data.outbox.items()],
                   "")
    reasons = Counter((r["target"], r["stream"], r["reason"]) for r in outcomes.rejects)
    rejects = table(["target", "stream", "reason", "records"],
                    [[*key, n] for key, n in reasons.most_common()], "No record was rejected.")
    if outcomes.rejects:
        rejects += (f"<details><summary>all {len(outcomes.rejects)} rejected records</summary>"
                    + table(["target", "stream", "record", "reason"],
                            [[r["target"], r["stream"], r["key"], r["reason"]]
                             for r in outcomes.rejects], "")
                    + "</details>")
    launches: dict[str, list[str]] = defaultdict(list)
    for product in data.products:
        launches[product["season"] or "No season"].append(
            product_card(product, data.packages.get(product["product_id"])))
    launch_html = "".join(
        f'<section class="launch" data-launch="{escape(name)}"><h2>Launch {escape(name)} '
        f"({len(cards)} products)</h2>{''.join(cards)}</section>"
        for name, cards in sorted(launches.items()))
    problems = (
        "<h2>Needs attention</h2>"
        "<h3>Ambiguous images (several products, one rule: not linked)</h3>"
        + table(["media", "file", "rule", "identifiers"],
                [[a["media_id"], a["file_name"], a["match_rule"], ", ".join(a["identifiers"])]
                 for a in data.ambiguous], "None.")
        + "<h3>SKUs unknown to Plytix</h3>"
        + table(["media", "file", "rule", "identifier"],
                [[u["media_id"], u["file_name"], u["match_rule"], u["identifier"]]
                 for u in data.unknown_skus], "None.")
        + "<h3>Images matching no product</h3>"
        + table(["media", "file", "approval"],
                [[u["media_id"], u["file_name"], u["approval_status"] or ""]
                 for u in data.unmatched], "None.")
        + "<h3>Products without approved imagery</h3>"
        + table(["SKU", "product", "launch", "why"],
                [[p["sku"], p["label"], p["season"] or "", p["reason"]]
                 for p in data.without_imagery], "None.")
        + "<h3>PhotoShelter tags missing (values not written until the tag exists)</h3>"
        + table(["field", "tag", "images"],
                [[t["field_name"], t["tag_name"], t["images"]] for t in data.missing_tags],
                "None.")
    )
    return (
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">"
        "<title>pim-dam-sync report</title>"
        f"<style>{STYLE}</style></head><body>"
        f"<h1>pim-dam-sync report</h1><p>Generated {now:%Y-%m-%d %H:%M} UTC.</p>"
        f'<div class="summary">{summary}</div>'
        f"<h2>Writes of this run</h2>{counts}<h3>Rejects</h3>{rejects}"
        f"<h3>Planned by dbt (outbox)</h3>{outbox}"
        f"{problems}{launch_html}</body></html>"
    )


def summary_lines(data: RunData) -> list[str]:
    """The demo's plain-text summary of one run."""
    outcomes = data.outcomes

    def written(target: str, stream: str) -> int:
        return (outcomes.total("created", target, stream)
                + outcomes.total("updated", target, stream))

    return [
        f"products matched    {data.matches}",
        f"images linked       {data.linked_images} "
        f"(product media writes: {written('target-plytix', 'product_media')})",
        f"rights written      {written('target-plytix', 'products')} products",
        f"metadata written    {written('target-photoshelter', 'media_metadata')} images, "
        f"{written('target-photoshelter', 'galleries')} galleries",
        f"unchanged           {outcomes.total('unchanged')}",
        f"rejects             {outcomes.total('rejected')}",
        *(f"  {n} x {stream}: {reason}" for (stream, reason), n in Counter(
            (r["stream"], r["reason"]) for r in outcomes.rejects).most_common(5)),
        f"reported            {len(data.ambiguous)} ambiguous, {len(data.unknown_skus)} unknown "
        f"SKU(s), {len(data.unmatched)} unmatched image(s), {len(data.without_imagery)} "
        "product(s) without imagery, "
        f"{len(data.missing_tags)} missing PhotoShelter tag(s)",
    ]
