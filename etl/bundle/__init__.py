"""Regenerate the bundled snapshot (data/bundled) from the tidy reference CSVs in ../shared/reference."""

from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path

import pandas as pd

from etl import bundle_files
from etl.parsed import CONTEXT_FIELDS, DATASET_FIELDS, DATASET_TEXT_FIELDS, OCCUPATION_FIELDS, SECTOR_FIELDS, Parsed

REFERENCE_PARTS = ("nl", "be", "eu")
# Each bundled dataset's publisher, licence and coverage in plain Dutch and English, for the pages (hand-written: the
# bundlers' own notes name columns and keys for the maintainers).
TEXTS_FILE = Path(__file__).with_name("dataset_texts.csv")


class ReferenceMissingError(FileNotFoundError):
    """The reference folder (../shared/reference) is not beside the project."""


class DatasetTextsError(ValueError):
    """The dataset texts file does not hold exactly one complete row for each bundled dataset."""


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
        datasets=with_texts(stack([p.datasets for p in parts], DATASET_FIELDS)),
        occupations=stack([p.occupations for p in parts], OCCUPATION_FIELDS),
        sectors=stack([p.sectors for p in parts], SECTOR_FIELDS),
        context=stack([p.context for p in parts], CONTEXT_FIELDS),
    )


def with_texts(datasets: pd.DataFrame, texts_file: Path = TEXTS_FILE) -> pd.DataFrame:
    """The dataset rows (all bundled datasets or some of them) with their texts for people in both languages."""
    texts = pd.read_csv(texts_file, dtype=str, keep_default_na=False).set_index("dataset_id")
    missing = sorted(set(datasets["dataset_id"]) - set(texts.index))
    blank = sorted(texts.index[(texts[DATASET_TEXT_FIELDS] == "").any(axis=1)])
    for problem, ids in (("no texts for", missing), ("empty texts for", blank)):
        if ids:
            raise DatasetTextsError(f"{texts_file.name}: {problem} {', '.join(ids)}")
    out = datasets.copy()
    for field in DATASET_TEXT_FIELDS:
        out[field] = out["dataset_id"].map(texts[field])
    return out


def write_bundle(reference_dir: Path, out_dir: Path) -> list[Path]:
    return bundle_files.write(collect(reference_dir), out_dir)
