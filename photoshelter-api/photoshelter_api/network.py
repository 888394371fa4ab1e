"""Why a request never got an answer (the kinds are the core's, `pim_dam_core.network`), whether
it may have reached the server, and whether trying again can help.

A refused connection to this machine means nothing listens there (the emulators are not
started, a wrong port): retrying only makes the user wait, so it fails at once. A name that
does not resolve is almost always a typo in the URL. Timeouts and refusals by a remote host
may pass, so they are retried with backoff.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

import requests
from pim_dam_core.network import DNS, REFUSED, TIMEOUT, causes, failure_kind
from pim_dam_core.urls import is_loopback
from urllib3.exceptions import NewConnectionError

CONNECT_TIMEOUT = "connect timed out"
RESET = "connection lost"


@dataclass(frozen=True)
class NetworkFailure:
    kind: str
    host: str
    sent: bool
    """Whether the request may have reached the server (a write may then have happened)."""

    def retry_helps(self) -> bool:
        if self.kind == DNS:
            return False
        return not (self.kind == REFUSED and is_loopback(self.host.rsplit(":", 1)[0]))

    def message(self, setting: str, url: str, timeout: float, retries: int | None) -> str:
        """One line naming the URL setting; `retries` None when none were made."""
        base = _base(url)
        if self.kind == REFUSED:
            why = (
                f"connection refused by {self.host}: nothing is listening there (is the "
                "server running, and is the port right?)"
            )
        elif self.kind == DNS:
            why = f"host {self.host.rsplit(':', 1)[0]!r} not found (DNS lookup failed)"
        elif self.kind in (TIMEOUT, CONNECT_TIMEOUT):
            why = f"no answer from {self.host} within request_timeout ({timeout:g} s)"
        else:
            why = f"the connection to {self.host} was lost before an answer"
        tail = f", after {retries} retries" if retries else ""
        return f"setting {setting}: cannot reach {base}: {why}{tail}"


def classify(error: BaseException, url: str) -> NetworkFailure | None:
    """The failure behind a requests exception; None when it is not a network failure."""
    host = urlsplit(url).netloc.rsplit("@", 1)[-1]
    if isinstance(error, requests.exceptions.ConnectTimeout):
        return NetworkFailure(CONNECT_TIMEOUT, host, sent=False)
    if isinstance(error, requests.exceptions.Timeout):
        return NetworkFailure(TIMEOUT, host, sent=True)
    if not isinstance(error, requests.exceptions.ConnectionError):
        return None
    kind = failure_kind(error)
    if kind in (DNS, REFUSED):
        return NetworkFailure(kind, host, sent=False)
    never_sent = any(isinstance(c, NewConnectionError) for c in causes(error))
    return NetworkFailure(RESET, host, sent=not never_sent)


def _base(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc.rsplit('@', 1)[-1]}{parts.path}"
