"""Regenerate the bundled snapshot (data/bundled) from the tidy reference CSVs in ../shared/reference."""

from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path

import pandas as pd

from etl import bundle_files
from etl.parsed import CONTEXT_FIELDS, DATASET_FIELDS, OCCUPATION_FIELDS, SECTOR_FIELDS, Parsed

REFERENCE_PARTS = ("nl", "be", "eu")


class ReferenceMissingError(FileNotFoundError):
    """The reference folder (../shared/reference) is not beside the project."""


def bundler_names() -> list[str]:
    """Every module in this package, in name order; each has `bundle(reference_dir) -> Parsed`."""
    return sorted(m.name for m in pkgutil.iter_modules(__path__) if not m.name.startswith("_"))


def collect(reference_dir: Path) -> Parsed:
    """Run every bundler on the reference folder and stack their outputs."""
    reference_dir = Path(reference_dir)
    if not all((reference_dir / part).is_dir() for part in REFERENCE_PARTS):
        raise ReferenceMissingError(f"reference data not found at {reference_dir} "
                                    f"(expected {', '.join(p + '/' for p in REFERENCE_PARTS)} inside)")
    parts = [importlib.import_module(f"etl.bundle.{name}").bundle(reference_dir) for name in bundler_names()]

    def stack(frames: list[pd.DataFrame], fields: list[str]) -> pd.DataFrame:
        frames = [f for f in frames if len(f)]
        return pd.concat(frames, ignore_index=True).reindex(columns=fields) if frames else pd.DataFrame(columns=fields)

    return Parsed(
        observations=pd.concat([p.observations for p in parts], ignore_index=True),
        datasets=stack([p.datasets for p in parts], DATASET_FIELDS),
        occupations=stack([p.occupations for p in parts], OCCUPATION_FIELDS),
        sectors=stack([p.sectors for p in parts], SECTOR_FIELDS),
        context=stack([p.context for p in parts], CONTEXT_FIELDS),
    )


def write_bundle(reference_dir: Path, out_dir: Path) -> list[Path]:
    return bundle_files.write(collect(reference_dir), out_dir)
