"""Console entry point: the SDK's CLI with one-line errors."""

from __future__ import annotations

from tap_photoshelter.cli import run


def main() -> None:
    from target_photoshelter.target import TargetPhotoShelter

    run(TargetPhotoShelter, "target-photoshelter")
