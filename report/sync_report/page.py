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
.decided{color:#666;font-size:.8rem;margin:.2rem 0 0 1rem}
.status.failed{color:#a00} .status.ok{color:#275} .mode{font-style:italic}
"""


def badge(css: str, text: str) -> str:
    return f'<span class="badge {css}">{escape(text)}</span>'


def table(headers: list[str], rows: list[list[Any]], empty: str) -> str:
    if not rows:
        return f"<p>{escape(empty)}</p>"
    head = "".join(f"<th>{escape(h)}</th>" for h in headers)
    body = "".join(
        "<tr>" + "".join(f"<td>{escape(str(c))}</td>" for c in row) + "</tr>" for row in rows
    )
    return f"<table><tr>{head}</tr>{body}</table>"


def product_card(product: dict[str, Any], package: dict[str, Any] | None) -> str:
    badges = []
    if package is not None:
        badges.append(
            badge("complete", "package complete")
            if package["is_complete"]
            else badge("incomplete", "package incomplete")
        )
    if product["n_expired"]:
        badges.append(badge("expired", f"expired rights ({product['n_expired']} image(s))"))
    if product["is_expiring_soon"]:
        badges.append(badge("expiring", f"rights expiring soon ({product['rights_expiry']})"))
    if product["is_channel_limited"]:
        allowed = ", ".join(product["allowed_channels"]) or "none"
        badges.append(badge("limited", f"channel-limited: {allowed}"))
    images = []
    if product["hero_link_url"]:
        images.append(
            f'<img class="hero" src="{escape(product["hero_link_url"])}" '
            f'alt="hero {escape(product["hero_file_name"] or "")}" '
            f'title="hero: {escape(product["hero_file_name"] or "")}">'
        )
    for alternate in product["alternates"] or []:
        images.append(
            f'<img class="alt" src="{escape(alternate["link_url"] or "")}" '
            f'alt="alternate {escape(alternate["file_name"] or "")}" '
            f'title="{escape(alternate["file_name"] or "")}">'
        )
    if not images:
        images.append("<em>no approved imagery</em>")
    missing = ""
    if package is not None and package["incomplete_reasons"]:
        missing = (
            '<ul class="missing">'
            + "".join(f"<li>{escape(r)}</li>" for r in package["incomplete_reasons"])
            + "</ul>"
        )
    if package is not None and package.get("decided_by"):
        missing += (
            f'<p class="decided">package attributes judged by {escape(package["decided_by"])}</p>'
        )
    return (
        f'<div class="product" data-sku="{escape(product["sku"])}">'
        f"<h3>{escape(product['sku'])} · {escape(product['label'] or '')} "
        f"<small>({escape(product['imagery_status'])}; "
        f"{escape(product['launch_status'] or 'no launch status')})</small></h3>"
        f'<div>{"".join(badges)}</div><div class="images">{"".join(images)}</div>'
        f"{missing}</div>"
    )


def mode(data: RunData) -> str:
    """`plan` (nothing sent to the targets), `dry_run` (they compared, wrote nothing), `apply`."""
    if not data.outcomes.applied:
        return "plan"
    return "dry_run" if data.outcomes.dry_run else "apply"


MODE_NOTES = {
    "plan": "Plan only (`meltano run extract plan`): nothing was sent to Plytix or PhotoShelter; "
    "the outbox below is what `apply` would write.",
    "dry_run": "Dry run (the targets' dry_run is on): nothing was written; the counts are what "
    "would be written.",
    "apply": "",
}


def failures(data: RunData, fail_on_rejects: bool) -> list[str]:
    """Why this run failed (it exits non-zero): one line each, naming the setting.

    Guards count only before apply (plan mode): after an apply they were let through.
    """
    found = []
    if mode(data) == "plan":
        for guard in data.guards:
            if guard.tripped:
                found.append(
                    f"guard {guard.name}: the plan would change {guard.describe()}; stopped "
                    f"before apply, nothing was written. If intended, let it through for one "
                    f"run: SYNC_REPORT_{guard.setting.upper()}=<higher> meltano run sync"
                )
    rejected = data.outcomes.total("rejected")
    if rejected and fail_on_rejects:
        by_target = Counter(r["target"] for r in data.outcomes.rejects)
        detail = ", ".join(f"{target} {n}" for target, n in sorted(by_target.items()))
        found.append(
            f"{rejected} record(s) rejected ({detail}); they are retried on the next "
            "sync. Setting fail_on_rejects of sync-report (on) makes that a failure: "
            "`meltano config set sync-report fail_on_rejects false` to only report them"
        )
    return found


def written(data: RunData, target: str, stream: str | None = None) -> int:
    """Records the run wrote (or would write, in a dry run) to one target."""
    return data.outcomes.total("created", target, stream) + data.outcomes.total(
        "updated", target, stream
    )


PLANNED = {
    "target-plytix": ("plytix_products", "plytix_product_media"),
    "target-photoshelter": ("photoshelter_media_metadata", "photoshelter_galleries"),
}


def render(data: RunData, now: datetime | None = None, fail_on_rejects: bool = True) -> str:
    now = now or datetime.now(UTC)
    outcomes = data.outcomes
    run_mode = mode(data)
    if run_mode == "plan":
        stats = [
            ("products matched", data.matches),
            ("images linked", data.linked_images),
            *(
                (f"{side} writes planned", sum(data.outbox[t] for t in PLANNED[target]))
                for side, target in (
                    ("Plytix", "target-plytix"),
                    ("PhotoShelter", "target-photoshelter"),
                )
            ),
        ]
    else:
        verb = "would write" if run_mode == "dry_run" else "writes"
        stats = [
            ("products matched", data.matches),
            ("images linked", data.linked_images),
            (f"Plytix {verb}", written(data, "target-plytix")),
            (f"PhotoShelter {verb}", written(data, "target-photoshelter")),
            ("unchanged", outcomes.total("unchanged")),
            ("rejects", outcomes.total("rejected")),
        ]
    summary = "".join(f'<div class="stat"><b>{n}</b>{escape(label)}</div>' for label, n in stats)
    problems_now = failures(data, fail_on_rejects)
    status = (
        '<p class="status failed"><b>Run failed</b></p><ul class="status">'
        + "".join(f"<li>{escape(p)}</li>" for p in problems_now)
        + "</ul>"
        if problems_now
        else '<p class="status ok"><b>Run OK</b></p>'
    )
    note = f'<p class="mode" data-mode="{run_mode}">{escape(MODE_NOTES[run_mode])}</p>'
    heading = {
        "plan": "Writes of this run: none (plan only)",
        "dry_run": "What this run would write (dry run)",
        "apply": "Writes of this run",
    }[run_mode]
    counts = table(
        ["target", "stream", "outcome", "records"],
        [
            [t, s, o if run_mode != "dry_run" else f"would be {o}", n]
            for (t, s, o), n in sorted(outcomes.counts.items())
        ],
        "Nothing was sent to the targets (plan only)."
        if run_mode == "plan"
        else "The targets had nothing to apply.",
    )
    outbox = table(
        ["outbox model", "records planned"], [[k, v] for k, v in data.outbox.items()], ""
    )
    outbox += "<h3>Guards (what the plan destroys)</h3>" + table(
        ["guard", "measure", "changed", "of", "limit (setting of sync-report)", "state"],
        [
            [
                g.name,
                g.measure,
                g.changed,
                "" if g.base is None else g.base,
                f"{g.setting} {g.limit}{'' if g.base is None else ' %'}",
                ("STOPPED" if run_mode == "plan" else "let through") if g.tripped else "ok",
            ]
            for g in data.guards
        ],
        "No guard measures (marts.plan_guards) in this warehouse.",
    )
    reasons = Counter((r["target"], r["stream"], r["reason"]) for r in outcomes.rejects)
    rejects = table(
        ["target", "stream", "reason", "records"],
        [[*key, n] for key, n in reasons.most_common()],
        "No record was rejected.",
    )
    if outcomes.rejects:
        rejects += (
            f"<details><summary>all {len(outcomes.rejects)} rejected records</summary>"
            + table(
                ["target", "stream", "record", "reason"],
                [[r["target"], r["stream"], r["key"], r["reason"]] for r in outcomes.rejects],
                "",
            )
            + "</details>"
        )
    launches: dict[str, list[str]] = defaultdict(list)
    for product in data.products:
        launches[product["season"] or "No season"].append(
            product_card(product, data.packages.get(product["product_id"]))
        )
    judged = sorted({p["decided_by"] for p in data.packages.values() if p.get("decided_by")})
    launch_html = (
        f'<p class="decided">Launch packages: attributes judged by {escape(", ".join(judged))}.</p>'
        if judged
        else ""
    ) + "".join(
        f'<section class="launch" data-launch="{escape(name)}"><h2>Launch {escape(name)} '
        f"({len(cards)} products)</h2>{''.join(cards)}</section>"
        for name, cards in sorted(launches.items())
    )
    problems = (
        "<h2>Needs attention</h2>"
        "<h3>Ambiguous images (several products, one rule: not linked)</h3>"
        + table(
            ["media", "file", "rule", "identifiers"],
            [
                [a["media_id"], a["file_name"], a["match_rule"], ", ".join(a["identifiers"])]
                for a in data.ambiguous
            ],
            "None.",
        )
        + "<h3>SKUs unknown to Plytix</h3>"
        + table(
            ["media", "file", "rule", "identifier"],
            [
                [u["media_id"], u["file_name"], u["match_rule"], u["identifier"]]
                for u in data.unknown_skus
            ],
            "None.",
        )
        + "<h3>Images matching no product</h3>"
        + table(
            ["media", "file", "approval"],
            [[u["media_id"], u["file_name"], u["approval_status"] or ""] for u in data.unmatched],
            "None.",
        )
        + "<h3>Products without approved imagery</h3>"
        + table(
            ["SKU", "product", "launch", "why"],
            [[p["sku"], p["label"], p["season"] or "", p["reason"]] for p in data.without_imagery],
            "None.",
        )
        + "<h3>PhotoShelter tags missing (values not written until the tag exists)</h3>"
        + table(
            ["field", "tag", "images"],
            [[t["field_name"], t["tag_name"], t["images"]] for t in data.missing_tags],
            "None.",
        )
    )
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        "<title>pim-dam-sync report</title>"
        f"<style>{STYLE}</style></head><body>"
        f"<h1>pim-dam-sync report</h1><p>Generated {now:%Y-%m-%d %H:%M} UTC.</p>"
        f"{status}{note}"
        f'<div class="summary">{summary}</div>'
        f"<h2>{escape(heading)}</h2>{counts}<h3>Rejects</h3>{rejects}"
        f"<h3>Planned by dbt (outbox: what apply sends)</h3>{outbox}"
        f"{problems}{launch_html}</body></html>"
    )


def summary_lines(data: RunData, fail_on_rejects: bool = True) -> list[str]:
    """The demo's plain-text summary of one run ("would" wording after a dry run or a plan)."""
    outcomes = data.outcomes
    run_mode = mode(data)
    problems_now = failures(data, fail_on_rejects)
    lines = [
        f"status              {'FAILED' if problems_now else 'OK'}"
        + {
            "plan": " (plan only: nothing sent)",
            "dry_run": " (dry run: nothing written)",
            "apply": "",
        }[run_mode],
        *(f"  {p}" for p in problems_now),
        f"products matched    {data.matches}",
    ]
    if run_mode == "plan":
        lines += [
            f"images linked       {data.linked_images} (product media writes planned: "
            f"{data.outbox['plytix_product_media']})",
            f"rights planned      {data.outbox['plytix_products']} products",
            f"metadata planned    {data.outbox['photoshelter_media_metadata']} images, "
            f"{data.outbox['photoshelter_galleries']} galleries",
        ]
    else:
        dry = run_mode == "dry_run"
        lines += [
            f"images linked       {data.linked_images} (product media "
            f"{'would write' if dry else 'writes'}: "
            f"{written(data, 'target-plytix', 'product_media')})",
            f"{'rights would write  ' if dry else 'rights written      '}"
            f"{written(data, 'target-plytix', 'products')} products",
            f"{'metadata would write ' if dry else 'metadata written    '}"
            f"{written(data, 'target-photoshelter', 'media_metadata')} images, "
            f"{written(data, 'target-photoshelter', 'galleries')} galleries",
            f"unchanged           {outcomes.total('unchanged')}",
            f"rejects             {outcomes.total('rejected')}",
            *(
                f"  {n} x {stream}: {reason}"
                for (stream, reason), n in Counter(
                    (r["stream"], r["reason"]) for r in outcomes.rejects
                ).most_common(5)
            ),
        ]
    return [
        *lines,
        f"reported            {len(data.ambiguous)} ambiguous, {len(data.unknown_skus)} "
        f"unknown SKU(s), {len(data.unmatched)} unmatched image(s), "
        f"{len(data.without_imagery)} product(s) without imagery, "
        f"{len(data.missing_tags)} missing PhotoShelter tag(s)",
    ]
