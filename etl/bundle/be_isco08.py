"""The ISCO-08 code list (ILO; official English labels) that crosswalks and sector presets point into."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from etl.observation import DEFINITIONS_DIR
from etl.parsed import OCCUPATION_FIELDS, Parsed

CODES_FILE = DEFINITIONS_DIR / "isco08_codes.csv"
SCHEME = "isco08"


def code_list() -> pd.DataFrame:
    """All 619 ISCO-08 groups (10 major, 43 sub-major, 130 minor, 436 unit); no Dutch labels could be sourced."""
    codes = pd.read_csv(CODES_FILE, dtype=str, keep_default_na=False)
    return codes.assign(scheme=SCHEME).reindex(columns=OCCUPATION_FIELDS)


def bundle(reference_dir: Path) -> Parsed:
    empty = pd.DataFrame(columns=["dataset_id"])
    return Parsed(observations=empty, datasets=empty, occupations=code_list())
