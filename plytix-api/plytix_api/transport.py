"""Whether a request that got no answer is worth retrying, and the error when it is not.

A wrong `api_url` / `auth_url`, or emulators that are not running, show up as a refused
connection or a failed DNS lookup on the very first request; retrying those nine times with
backoff only makes the user wait. Once a host has answered in this run, the same errors are
taken as transient and retried as usual. (What kind of failure it was: `pim_dam_core.network`.)
"""

from __future__ import annotations

from urllib.parse import urlsplit

from pim_dam_core.errors import UnreachableError
from pim_dam_core.network import DNS, REFUSED
from pim_dam_core.urls import is_loopback

FIRST_CONTACT_RETRIES = 2
"""Retries of a refused or unresolved first request to a host that is not loopback."""


def give_up_at_once(url: str, kind: str, attempt: int, answered_before: bool) -> bool:
    """Whether a transport error on `url` should end the run now instead of being retried."""
    if answered_before or kind not in (REFUSED, DNS):
        return False
    if kind == REFUSED and is_loopback(urlsplit(url).hostname):
        return True
    return attempt >= FIRST_CONTACT_RETRIES


def unreachable(url: str, kind: str, setting: str, attempts: int) -> UnreachableError:
    """The error naming the URL setting whose host gave no answer."""
    parts = urlsplit(url)
    where = f"{parts.scheme}://{parts.netloc}"
    hint = ""
    if is_loopback(parts.hostname):
        hint = " (for the local emulators: `make emulators`)"
    tries = "" if attempts <= 1 else f" after {attempts} attempts"
    return UnreachableError(
        f"cannot reach Plytix at {where} ({kind}{tries}): check the {setting} setting{hint}"
    )
