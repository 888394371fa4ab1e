"""Link mode: the fewest link/unlink calls that turn a media slot's list into the wanted one.

Links append to a gallery (and replace a thumbnail or single media attribute); an unlink
drops the asset from the whole product. So the assets kept in place must be a prefix of the
wanted order that appears, in order, in what is there now: keep the longest such prefix,
unlink the rest, and link what follows in order.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class SlotPlan:
    unlink: list[str] = field(default_factory=list)
    link: list[str] = field(default_factory=list)

    @property
    def calls(self) -> int:
        return len(self.unlink) + len(self.link)


def plan_gallery(current: list[str], wanted: list[str]) -> SlotPlan:
    """Unlinks then links (in order) that make `current` equal `wanted`."""
    if current == wanted:
        return SlotPlan()
    kept = 0
    for asset_id in current:
        if kept < len(wanted) and asset_id == wanted[kept]:
            kept += 1
    keep = set(wanted[:kept])
    return SlotPlan(unlink=[a for a in current if a not in keep], link=wanted[kept:])


def plan_single(current: str | None, wanted: str | None) -> SlotPlan:
    """A thumbnail or single media attribute: a link replaces; clearing needs an unlink."""
    if current == wanted:
        return SlotPlan()
    if wanted is None:
        return SlotPlan(unlink=[current] if current else [])
    return SlotPlan(link=[wanted])
