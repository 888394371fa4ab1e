"""The live accounts from the environment (or `.env`); see conftest.py for the variables."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
PLYTIX_VARS = ("PLYTIX_API_KEY", "PLYTIX_API_PASSWORD")
PHOTOSHELTER_VARS = (
    "PHOTOSHELTER_API_KEY",
    "PHOTOSHELTER_EMAIL",
    "PHOTOSHELTER_PASSWORD",
    "PHOTOSHELTER_ORG_ID",
)


def dotenv(path: Path = ROOT / ".env") -> dict[str, str]:
    """KEY=value lines of `.env` (read, never put into this process's environment)."""
    found: dict[str, str] = {}
    if path.exists():
        for line in path.read_text().splitlines():
            key, sep, value = line.strip().partition("=")
            if sep and key and not key.startswith("#"):
                found[key.strip()] = value.split(" #", 1)[0].strip().strip("'\"")
    return found


ENV = {**dotenv(), **os.environ}
"""The environment wins over `.env`, as with Meltano."""


def needs(names: tuple[str, ...], what: str) -> None:
    missing = [n for n in names if not ENV.get(n)]
    if missing:
        pytest.skip(
            f"{what}: {', '.join(missing)} not set (live smoke tests run against real "
            "accounts only when their credentials are in the environment or .env)"
        )


def plytix_config() -> dict[str, Any]:
    needs(PLYTIX_VARS, "Plytix")
    config: dict[str, Any] = {
        "api_key": ENV["PLYTIX_API_KEY"],
        "api_password": ENV["PLYTIX_API_PASSWORD"],
        "max_retries": 3,
    }
    for name in ("api_url", "auth_url"):
        if ENV.get(f"PLYTIX_{name.upper()}"):
            config[name] = ENV[f"PLYTIX_{name.upper()}"]
    return config


def photoshelter_config() -> dict[str, Any]:
    needs(PHOTOSHELTER_VARS[:3], "PhotoShelter")
    config: dict[str, Any] = {
        "api_key": ENV["PHOTOSHELTER_API_KEY"],
        "email": ENV["PHOTOSHELTER_EMAIL"],
        "password": ENV["PHOTOSHELTER_PASSWORD"],
        "org_id": ENV.get("PHOTOSHELTER_ORG_ID") or None,
        "max_retries": 3,
    }
    if ENV.get("PHOTOSHELTER_API_URL"):
        config["api_url"] = ENV["PHOTOSHELTER_API_URL"]
    return config
