"""Which base URLs a connector may send credentials to: https, or plain http only locally.

Used by the Plytix and PhotoShelter API clients (and so by all four connectors). A token
sent over plain http to another host can be read on the way, so `http://` is refused unless
the host is loopback (an emulator or a local proxy) or `allow_insecure` says the network in
between is trusted. TLS verification itself is never switched off anywhere.
"""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

LOOPBACK_NAMES = frozenset({"localhost", "localhost.localdomain", "ip6-localhost"})


def is_loopback(host: str | None) -> bool:
    """Whether a host name or IP literal is this machine (127.0.0.0/8, ::1, localhost)."""
    if not host:
        return False
    host = host.strip("[]").rstrip(".").casefold()
    if host in LOOPBACK_NAMES or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def shown(value: object) -> str:
    """A URL as it may appear in an error: never with the user-info part (it may be a secret)."""
    if isinstance(value, str) and "@" in value:
        return "<a URL with user-info, hidden>"
    return repr(value)


def base_url_problem(value: object, *, allow_insecure: bool) -> str | None:
    """Why `value` cannot be an API base URL, to follow `setting <name> `; None when it can."""
    if not isinstance(value, str) or not value.strip() or any(c.isspace() for c in value):
        return f"must be an https URL, got {shown(value)}"
    try:
        parts = urlsplit(value)
    except ValueError:  # an unclosed IPv6 bracket, for one
        return f"must be an https URL, got {shown(value)}"
    if parts.scheme not in ("http", "https"):
        return f"must be an https URL, got {shown(value)}"
    try:
        parts.port  # noqa: B018 - raises ValueError on a bad port
    except ValueError:
        return f"has an invalid port: {shown(value)}"
    if not parts.hostname:
        return f"has no host: {shown(value)}"
    if parts.username or parts.password:
        return "must not carry a user name or password (use the credential settings)"
    if parts.query or parts.fragment:
        return f"must not carry a query or fragment, got {shown(value)}"
    if parts.scheme == "http" and not (allow_insecure or is_loopback(parts.hostname)):
        return (
            f"uses plain http to {parts.hostname!r}: use https, or set allow_insecure "
            "if the network in between is trusted"
        )
    return None
