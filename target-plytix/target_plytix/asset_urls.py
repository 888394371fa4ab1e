"""Which asset URLs may be handed to Plytix, which then downloads them from its own network.

A crafted record must not make Plytix fetch an internal address, so a URL must be https on
one of `allowed_asset_hosts` (default: PhotoShelter's public link hosts). Loopback URLs are
accepted only when they are listed, or when the Plytix API itself is on loopback (a local
emulator: the fetch then stays on this machine).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

from pim_dam_core.urls import is_loopback
from pim_dam_core.urls import shown as shown_url
from plytix_api import ConfigError

DEFAULT_ASSET_HOSTS = ("*.photoshelter.com",)
LABEL = r"[a-z0-9]([a-z0-9-]*[a-z0-9])?"
HOST_PATTERN = re.compile(rf"^(\*\.)?{LABEL}(\.{LABEL})*$|^[0-9a-f:.]+$")


def normal_host(host: str) -> str:
    return host.strip().strip("[]").rstrip(".").casefold()


@dataclass(frozen=True)
class AssetUrlPolicy:
    hosts: tuple[str, ...] = DEFAULT_ASSET_HOSTS
    loopback: bool = False
    """Whether loopback hosts are accepted without being listed."""

    @classmethod
    def from_settings(cls, hosts: Iterable[str] | None, api_url: str) -> AssetUrlPolicy:
        """The policy for `allowed_asset_hosts`; a malformed entry raises ConfigError."""
        listed = DEFAULT_ASSET_HOSTS if hosts is None else tuple(hosts)
        for entry in listed:
            if not isinstance(entry, str) or not HOST_PATTERN.match(normal_host(entry)):
                raise ConfigError(
                    f"setting allowed_asset_hosts: {entry!r} is not a host name "
                    "or a *.domain pattern (no scheme, port or path)"
                )
        return cls(tuple(normal_host(h) for h in listed), is_loopback(urlsplit(api_url).hostname))

    def allows_host(self, host: str) -> bool:
        host = normal_host(host)
        for pattern in self.hosts:
            if pattern.startswith("*.") and host.endswith(pattern[1:]):
                return True
            if host == pattern:
                return True
        return self.loopback and is_loopback(host)

    def problem(self, url: object, where: str) -> str | None:
        """Why `url` may not be handed to Plytix (None when it may)."""
        wrong = f"{where} must be an https URL, got {shown_url(url)}"
        if not isinstance(url, str) or any(c.isspace() for c in url):
            return wrong
        try:
            parts = urlsplit(url)
            parts.port  # noqa: B018 - raises ValueError on a bad port
        except ValueError:
            return wrong
        if parts.scheme not in ("http", "https") or not parts.hostname:
            return wrong
        if parts.username is not None or parts.password is not None:
            return f"{where} must not carry a user name or password"
        host = parts.hostname
        if parts.scheme == "http" and not is_loopback(host):
            return (
                f"{where} must be https (plain http only for a loopback host), got {shown_url(url)}"
            )
        if not self.allows_host(host):
            return f"{where} host {host!r} is not in allowed_asset_hosts"
        return None
