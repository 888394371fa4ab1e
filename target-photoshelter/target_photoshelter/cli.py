"""Console entry point: the SDK's CLI with one-line errors (`pim_dam_core.cli`)."""

from __future__ import annotations

from pim_dam_core.cli import run


def main() -> None:
    from target_photoshelter.target import TargetPhotoShelter

    run(TargetPhotoShelter, "target-photoshelter")
