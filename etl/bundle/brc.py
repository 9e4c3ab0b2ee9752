"""The BRC 2014 occupation code list (CBS), with Dutch labels and unofficial English ones, for the bundle."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from etl.parsed import Parsed

CODES_FILE = "nl/brc2014_codes.csv"
SCHEME = "brc2014"


def bundle(reference_dir: Path) -> Parsed:
    codes = pd.read_csv(Path(reference_dir) / CODES_FILE, dtype=str, keep_default_na=False)
    occupations = pd.DataFrame({
        "scheme": SCHEME,
        "code": codes["brc_code"],
        "level": codes["level_name"],
        "parent_code": codes["parent_code"],
        "label_nl": codes["label_nl"],
        "label_en": codes["label_en_unofficial"],
    })
    empty = pd.DataFrame(columns=["dataset_id"])
    return Parsed(observations=empty, datasets=empty, occupations=occupations)
