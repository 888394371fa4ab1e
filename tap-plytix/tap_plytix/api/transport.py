"""Why a request got no answer (refused, DNS, timeout, reset), and whether retrying is worth it.

A wrong `api_url` / `auth_url`, or emulators that are not running, show up as a refused
connection or a failed DNS lookup on the very first request; retrying those nine times with
backoff only makes the user wait. Once a host has answered in this run, the same errors are
taken as transient and retried as usual.
"""

from __future__ import annotations

import socket
from urllib.parse import urlsplit

import requests
from pim_dam_urls import is_loopback

from tap_plytix.api.errors import PlytixError

REFUSED = "connection refused"
DNS = "DNS lookup failed"
TIMEOUT = "timed out"
FIRST_CONTACT_RETRIES = 2
"""Retries of a refused or unresolved first request to a host that is not loopback."""


class Unreachable(PlytixError):
    """The host of a URL setting cannot be reached; the message names the setting."""


def transport_kind(error: BaseException) -> str:
    """`connection refused`, `DNS lookup failed`, `timed out` or the error's class name."""
    if isinstance(error, requests.Timeout):
        return TIMEOUT
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, ConnectionRefusedError):
            return REFUSED
        if isinstance(current, socket.gaierror) or type(current).__name__ == \
                "NameResolutionError":
            return DNS
        if isinstance(current, TimeoutError | socket.timeout):
            return TIMEOUT
        current = current.__cause__ or current.__context__ or \
            (current.args[0] if current.args and isinstance(current.args[0], BaseException)
             else getattr(current, "reason", None))
    text = str(error)
    if "Connection refused" in text:
        return REFUSED
    if "Name or service not known" in text or "Failed to resolve" in text \
            or "nodename nor servname" in text or "Temporary failure in name resolution" in text:
        return DNS
    return type(error).__name__


def give_up_at_once(url: str, kind: str, attempt: int, answered_before: bool) -> bool:
    """Whether a transport error on `url` should end the run now instead of being retried."""
    if answered_before or kind not in (REFUSED, DNS):
        return False
    if kind == REFUSED and is_loopback(urlsplit(url).hostname):
        return True
    return attempt >= FIRST_CONTACT_RETRIES


def unreachable(url: str, kind: str, setting: str, attempts: int) -> Unreachable:
    parts = urlsplit(url)
    where = f"{parts.scheme}://{parts.netloc}"
    hint = ""
    if is_loopback(parts.hostname):
        hint = " (for the local emulators: `make emulators`)"
    tries = "" if attempts <= 1 else f" after {attempts} attempts"
    return Unreachable(f"cannot reach Plytix at {where} ({kind}{tries}): check the {setting} "
                       f"setting{hint}")
