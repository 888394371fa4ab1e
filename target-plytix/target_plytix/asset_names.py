"""Asset file names that carry their identity: `<source_id>__<tag>__<filename>`.

`source_id` (e.g. a PhotoShelter media id) finds the asset again after any loss of local
state; `tag` is 8 hex characters of sha256(source checksum), so a changed source file is
seen from the name alone and its content replaced instead of a new asset created.
"""

from __future__ import annotations

import hashlib
import re

SEPARATOR = "__"
TAG = re.compile(r"^[0-9a-f]{8}$")


def checksum_tag(checksum: str | None) -> str | None:
    if not checksum:
        return None
    return hashlib.sha256(checksum.encode()).hexdigest()[:8]


def asset_filename(source_id: str, checksum: str | None, filename: str) -> str:
    tag = checksum_tag(checksum)
    parts = [source_id, tag, filename] if tag else [source_id, filename]
    return SEPARATOR.join(parts)


def owned_by(filename: str, source_id: str) -> bool:
    """Whether an asset's file name says it holds `source_id` (case-sensitive prefix)."""
    return filename.startswith(f"{source_id}{SEPARATOR}")


def stored_tag(filename: str, source_id: str) -> tuple[str | None, str]:
    """(checksum tag, the rest of the name) of an asset named for `source_id`."""
    rest = filename[len(source_id) + len(SEPARATOR) :]
    tag, found, after = rest.partition(SEPARATOR)
    if found and TAG.match(tag):
        return tag, after
    return None, rest


def retagged(filename: str, source_id: str, checksum: str | None) -> str:
    """The same name with the tag of `checksum` (the extension is kept)."""
    _, rest = stored_tag(filename, source_id)
    return asset_filename(source_id, checksum, rest)
