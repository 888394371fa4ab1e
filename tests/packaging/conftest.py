"""The packaging tests build and install the packages in fresh venvs: minutes, not seconds."""

from __future__ import annotations

import pytest


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "install: builds wheels and installs packages in fresh venvs (minutes; "
        "deselect with -m 'not install')",
    )
