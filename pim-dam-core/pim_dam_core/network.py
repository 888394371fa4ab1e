"""Why a request got no answer (refused, DNS, timeout, lost), and whether retrying helps.

A wrong URL setting, or emulators that are not running, show up as a refused connection or a
failed DNS lookup on the very first request; retrying those with backoff only makes the user
wait. A refused connection to this machine means nothing listens there, so it fails at once.
"""

from __future__ import annotations

import socket

import requests

REFUSED = "connection refused"
DNS = "DNS lookup failed"
TIMEOUT = "timed out"


def failure_kind(error: BaseException) -> str:
    """`connection refused`, `DNS lookup failed`, `timed out` or the error's class name."""
    if isinstance(error, requests.Timeout):
        return TIMEOUT
    for cause in causes(error):
        if isinstance(cause, ConnectionRefusedError):
            return REFUSED
        if isinstance(cause, socket.gaierror) or type(cause).__name__ == "NameResolutionError":
            return DNS
        if isinstance(cause, TimeoutError | socket.timeout):
            return TIMEOUT
    text = str(error)
    if "Connection refused" in text:
        return REFUSED
    if (
        "Name or service not known" in text
        or "Failed to resolve" in text
        or "nodename nor servname" in text
        or "Temporary failure in name resolution" in text
    ):
        return DNS
    return type(error).__name__


def causes(error: BaseException) -> list[BaseException]:
    """The exception, what it wraps (`args`, `reason`) and its causes, without repeats."""
    seen: list[BaseException] = []
    todo: list[object] = [error]
    while todo:
        item = todo.pop(0)
        if not isinstance(item, BaseException) or any(item is s for s in seen):
            continue
        seen.append(item)
        todo.extend([*item.args, getattr(item, "reason", None), item.__cause__, item.__context__])
    return seen
