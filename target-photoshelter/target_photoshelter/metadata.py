"""What a `media_metadata` record asks for, checked, and its difference with the image.

Pure functions: no HTTP here, so the rules (managed keyword prefixes, IPTC field names and
lengths, tag resolution) are tested and read on their own.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from photoshelter_api.formats import IPTC_FIELDS, split_keywords
from pim_dam_core.errors import RecordRejectedError

IPTC_MAX_LENGTH = {
    "title": 64,
    "headline": 256,
    "caption": 2000,
    "author": 32,
    "credit": 32,
    "source": 32,
    "copyright": 128,
    "rights": 2000,
    "instructions": 256,
    "trans_ref": 32,
    "category": 3,
    "edit_status": 64,
    "city": 32,
    "state": 32,
    "country": 64,
    "country_iso": 3,
}
"""IPTC-IIM record 2 limits (characters); `rights` (usage terms) uses the caption limit."""
KEYWORD_MAX_LENGTH = 64
WRITABLE_IPTC = tuple(name for name in IPTC_FIELDS if name != "keywords")


@dataclass
class Desired:
    media_id: str
    iptc: dict[str, str] = field(default_factory=dict)
    keywords: list[str] | None = None
    custom_metadata: dict[str, str | None] | None = None


def parse_record(record: dict[str, Any], prefixes: tuple[str, ...]) -> Desired:
    """Validate one record; RecordRejectedError names the column and the problem."""
    media_id = record.get("media_id")
    if not isinstance(media_id, str) or not media_id.strip():
        raise RecordRejectedError("missing media_id")
    desired = Desired(media_id.strip())
    iptc = record.get("iptc")
    if iptc is not None:
        if not isinstance(iptc, dict):
            raise RecordRejectedError("iptc must be an object of IPTC fields")
        for name, value in iptc.items():
            if name == "keywords":
                raise RecordRejectedError("iptc.keywords: set keywords through the keywords column")
            if name not in WRITABLE_IPTC:
                raise RecordRejectedError(
                    f"iptc.{name}: no such IPTC field (known: {', '.join(WRITABLE_IPTC)})"
                )
            text = "" if value is None else value
            if not isinstance(text, str):
                raise RecordRejectedError(
                    f"iptc.{name}: must be a string, got {type(value).__name__}"
                )
            if len(text) > IPTC_MAX_LENGTH[name]:
                raise RecordRejectedError(
                    f"iptc.{name}: {len(text)} characters, more than the "
                    f"{IPTC_MAX_LENGTH[name]} IPTC allows"
                )
            desired.iptc[name] = text
    keywords = record.get("keywords")
    if keywords is not None:
        if not isinstance(keywords, list) or not all(isinstance(k, str) for k in keywords):
            raise RecordRejectedError("keywords must be a list of strings")
        desired.keywords = split_keywords(list(keywords))
        for keyword in desired.keywords:
            if not is_managed(keyword, prefixes):
                raise RecordRejectedError(
                    f"keywords: {keyword!r} is outside the managed prefixes ({' '.join(prefixes)})"
                )
            if len(keyword) > KEYWORD_MAX_LENGTH:
                raise RecordRejectedError(
                    f"keywords: {keyword[:20]!r}... is longer than {KEYWORD_MAX_LENGTH} characters"
                )
            if "," in keyword:
                raise RecordRejectedError(f"keywords: {keyword!r} contains a comma")
    custom = record.get("custom_metadata")
    if custom is not None:
        if not isinstance(custom, dict) or not all(
            v is None or isinstance(v, str) for v in custom.values()
        ):
            raise RecordRejectedError("custom_metadata must map field names to tag names or null")
        desired.custom_metadata = dict(custom)
    return desired


def is_managed(keyword: str, prefixes: tuple[str, ...]) -> bool:
    lowered = keyword.lower()
    return any(lowered.startswith(p.lower()) for p in prefixes)


def merged_keywords(
    current: list[str], desired: list[str], prefixes: tuple[str, ...]
) -> list[str] | None:
    """The image's new keyword list, or None when the managed ones already match.

    Keywords outside the managed prefixes stay as they are, where they are.
    """
    current_managed = [k for k in current if is_managed(k, prefixes)]
    if {k.lower() for k in current_managed} == {k.lower() for k in desired}:
        return None
    kept = [k for k in current if not is_managed(k, prefixes)]
    return kept + desired


def iptc_changes(current: dict[str, Any], desired: dict[str, str]) -> dict[str, str]:
    return {name: value for name, value in desired.items() if (current.get(name) or "") != value}


@dataclass
class FieldCatalog:
    """The organisation's custom fields by name, with their tags by name."""

    fields: list[dict[str, Any]]

    def field(self, name: str) -> dict[str, Any] | None:
        wanted = name.strip().lower()
        return next((f for f in self.fields if f["name"].strip().lower() == wanted), None)

    @staticmethod
    def tag(field_row: dict[str, Any], name: str) -> dict[str, Any] | None:
        exact = next((t for t in field_row["tags"] if t["name"] == name), None)
        if exact is not None:
            return exact
        wanted = name.strip().lower()
        return next((t for t in field_row["tags"] if t["name"].strip().lower() == wanted), None)
