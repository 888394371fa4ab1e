"""Build hook: the contracts live once, in the repository's docs/contracts/.

A build from the source tree (pip install ./contracts, git+...#subdirectory=contracts, uv
build) puts them into the package as `pim_dam_contracts/schemas/`; a wheel built from the
sdist finds them there already. An editable install reads docs/contracts/ directly.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

SOURCE = Path(__file__).parent.parent / "docs" / "contracts"
PACKAGED = "pim_dam_contracts/schemas"


class ContractsHook(BuildHookInterface):
    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if version == "editable":
            return
        if SOURCE.is_dir():
            build_data["force_include"][str(SOURCE)] = PACKAGED
        elif not (Path(self.root) / PACKAGED).is_dir():
            raise FileNotFoundError(f"no contracts at {SOURCE} nor {PACKAGED}")
