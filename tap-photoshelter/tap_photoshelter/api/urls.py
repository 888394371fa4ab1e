"""The `api_url` setting: an http(s) URL with a host; plain http only where it is safe.

TLS verification is always on (the `requests` default, never switched off here). A plain
`http://` URL would send the API key and the session token in clear text, so it is refused
unless the host is loopback (the emulators, a local proxy) or `allow_insecure` is set.
"""

from __future__ import annotations

import ipaddress
from typing import Any
from urllib.parse import urlsplit

from tap_photoshelter.api.errors import ConfigError

LOOPBACK_NAMES = frozenset({"localhost", "localhost.localdomain", "ip6-localhost"})


def is_loopback(host: str) -> bool:
    """127.0.0.0/8, ::1 and the names that always mean this machine."""
    name = host.strip("[]").lower().rstrip(".")
    if name in LOOPBACK_NAMES or name.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def checked_api_url(raw: Any, allow_insecure: bool) -> str:
    """The URL without a trailing slash; ConfigError naming `api_url` when it is unusable."""
    if not isinstance(raw, str) or not raw.strip():
        raise ConfigError(f"setting api_url: expected a URL, got {raw!r}")
    url = raw.strip().rstrip("/")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise ConfigError(f"setting api_url: {url!r} is not an http(s) URL")
    try:
        host, _ = parts.hostname, parts.port
    except ValueError:
        raise ConfigError(f"setting api_url: {url!r} has an invalid port") from None
    if not host:
        raise ConfigError(f"setting api_url: {url!r} has no host")
    if parts.username or parts.password:
        raise ConfigError("setting api_url: must not carry a user name or password; use the "
                          "api_key, email and password settings")
    if parts.query or parts.fragment:
        raise ConfigError(f"setting api_url: {url!r} must not have a query or fragment")
    if parts.scheme == "http" and not allow_insecure and not is_loopback(host):
        raise ConfigError(f"setting api_url: {url!r} is plain http to a host that is not "
                          "loopback; use https:// or set allow_insecure to true")
    return url
