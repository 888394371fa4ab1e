"""The table `check` prints: one row per thing checked, OK or the exact fix."""

from __future__ import annotations

import textwrap
from dataclasses import dataclass

OK, WARN, FAIL, INFO = "OK", "WARN", "FAIL", "INFO"
"""FAIL is a blocker (exit 1); WARN works but loses something; INFO is a fact."""


@dataclass
class Row:
    section: str
    item: str
    status: str
    detail: str

    @property
    def blocker(self) -> bool:
        return self.status == FAIL


def render(rows: list[Row], width: int = 118) -> str:
    """A plain-text table (section, item, status, detail wrapped) and a closing verdict."""
    item_w = min(38, max((len(r.item) for r in rows), default=10))
    sect_w = max((len(r.section) for r in rows), default=8)
    detail_w = max(30, width - sect_w - item_w - 4 - 6)
    lines = [
        f"{'area':<{sect_w}}  {'item':<{item_w}}  {'':<4}  detail / fix",
        "-" * min(width, sect_w + item_w + detail_w + 10),
    ]
    for row in rows:
        wrapped = textwrap.wrap(row.detail, detail_w) or [""]
        item = row.item if len(row.item) <= item_w else row.item[: item_w - 1] + "…"
        lines.append(f"{row.section:<{sect_w}}  {item:<{item_w}}  {row.status:<4}  {wrapped[0]}")
        pad = " " * (sect_w + item_w + 10)
        lines.extend(pad + more for more in wrapped[1:])
    blockers = sum(r.blocker for r in rows)
    warnings = sum(r.status == WARN for r in rows)
    lines.append("")
    if blockers:
        lines.append(
            f"check: {blockers} blocker(s), {warnings} warning(s): the sync would "
            "fail or write wrong data; fix the FAIL rows (make setup shows what it "
            "can create)"
        )
    else:
        lines.append(f"check: OK ({warnings} warning(s))")
    return "\n".join(lines)
