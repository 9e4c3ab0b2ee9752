"""The bundled snapshot's files, read and written: observation CSVs per dataset plus dataset and code-list CSVs."""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd

from etl import observation
from etl.parsed import CONTEXT_FIELDS, DATASET_FIELDS, OCCUPATION_FIELDS, SECTOR_FIELDS, Parsed

OBSERVATION_DIR = "observation"
DATASET_FILE = "dataset.csv"
OCCUPATION_FILE = "occupation.csv"
SECTOR_FILE = "sector.csv"
CONTEXT_FILE = "context_fact.csv"


def write(parsed: Parsed, out_dir: Path) -> list[Path]:
    """Write a bundle deterministically (sorted rows, fixed columns) so a rebuild gives identical bytes."""
    out_dir = Path(out_dir)
    obs_dir = out_dir / OBSERVATION_DIR
    obs_dir.mkdir(parents=True, exist_ok=True)
    for stale in obs_dir.glob("*.csv"):
        stale.unlink()
    frame = observation.validate(observation.conform(parsed.observations))
    written = []
    for dataset_id, rows in frame.groupby("dataset_id", sort=True):
        rows = rows.sort_values(observation.KEY, kind="stable").copy()
        rows["value"] = rows["value"].map(observation.value_text)
        path = obs_dir / f"{dataset_id}.csv"
        rows.to_csv(path, index=False, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
        written.append(path)
    tables = [
        (DATASET_FILE, parsed.datasets, DATASET_FIELDS, ["dataset_id"]),
        (OCCUPATION_FILE, parsed.occupations, OCCUPATION_FIELDS, ["scheme", "code"]),
        (SECTOR_FILE, parsed.sectors, SECTOR_FIELDS, ["scheme", "code"]),
        (CONTEXT_FILE, parsed.context, CONTEXT_FIELDS, ["fact_id"]),
    ]
    for name, table, fields, key in tables:
        shaped = table.reindex(columns=fields).astype(object).fillna("").astype(str)
        duplicated = shaped.duplicated(key, keep=False)
        if duplicated.any():
            raise observation.ObservationError(f"{name}: duplicate rows for {shaped.loc[duplicated, key].iloc[0].tolist()}")
        shaped.sort_values(key).to_csv(out_dir / name, index=False, lineterminator="\n")
        written.append(out_dir / name)
    return written


def read(bundle_dir: Path) -> Parsed:
    """Load a bundle written by `write`; codes stay text (`0334` keeps its zero)."""
    bundle_dir = Path(bundle_dir)
    files = sorted((bundle_dir / OBSERVATION_DIR).glob("*.csv"))
    frames = [pd.read_csv(f, dtype=str, keep_default_na=False) for f in files]
    obs = pd.concat(frames, ignore_index=True) if frames else observation.empty_frame()
    obs["value"] = pd.to_numeric(obs["value"].replace("", None), errors="raise")

    def table(name: str, fields: list[str]) -> pd.DataFrame:
        path = bundle_dir / name
        if not path.exists():
            return pd.DataFrame(columns=fields)
        return pd.read_csv(path, dtype=str, keep_default_na=False).reindex(columns=fields).fillna("")

    return Parsed(
        observations=observation.conform(obs),
        datasets=table(DATASET_FILE, DATASET_FIELDS),
        occupations=table(OCCUPATION_FILE, OCCUPATION_FIELDS),
        sectors=table(SECTOR_FILE, SECTOR_FIELDS),
        context=table(CONTEXT_FILE, CONTEXT_FIELDS),
    )
