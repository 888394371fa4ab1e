"""Shared by the tap-photoshelter tests (a module name of its own: `conftest` is ambiguous
when several test folders run together)."""

from __future__ import annotations

HONOURED = {
    "media_modify_window": "honoured",
    "media_sort_by": "honoured",
    "media_list_include": "honoured",
}
"""Emulator settings of a server that honours every unconfirmed media-list parameter the
tap sends (the incremental plan)."""
