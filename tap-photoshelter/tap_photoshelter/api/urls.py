"""The `api_url` setting, held to the connectors' shared base-URL policy (`pim_dam_urls`).

A plain `http://` URL would send the API key and the session token in clear text, so it is
refused unless the host is loopback (the emulators, a local proxy) or `allow_insecure` is set.
"""

from __future__ import annotations

from typing import Any

from pim_dam_urls import base_url_problem

from tap_photoshelter.api.errors import ConfigError


def checked_api_url(raw: Any, allow_insecure: bool) -> str:
    """The URL without a trailing slash; ConfigError naming `api_url` when it is unusable."""
    url = raw.strip().rstrip("/") if isinstance(raw, str) else raw
    if problem := base_url_problem(url, allow_insecure=allow_insecure):
        raise ConfigError(f"setting api_url {problem}")
    return url
