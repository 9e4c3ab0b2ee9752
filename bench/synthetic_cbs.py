"""Write a SYNTHETIC CBS OData v3 table of any size in the layout of tests/fixtures/cbs/v3_80472NED (bench input only)."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from etl.sources.cbs_mapping import SBI_KEYS_FILE

FIXTURE = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "cbs" / "v3_80472NED"
MEASURES = ["OpenstaandeVacatures_1", "OntstaneVacatures_2", "VervuldeVacatures_3"]
# A year's worth of period codes as CBS writes them: twelve months and the year. No quarters, so the shortage model
# (quarterly 80472NED series) reads none of these rows: the import is measured, not the model on invented numbers.
PERIOD_SUFFIXES = [f"MM{m:02d}" for m in range(1, 13)] + ["JJ00"]
FIRST_YEAR = 1000  # far from any real period, so nobody mistakes these rows for CBS figures
SYNTHETIC_TITLE = "SYNTHETIC benchmark table - generated numbers, not CBS data"


def write(folder: Path, observations: int) -> Path:
    """Write a table yielding exactly `observations` contract rows (rounded down to whole data rows) into `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    sectors = pd.read_csv(SBI_KEYS_FILE, dtype=str, keep_default_na=False)
    rows = observations // len(MEASURES)
    periods_needed = -(-rows // len(sectors))
    periods = [f"{FIRST_YEAR + i // len(PERIOD_SUFFIXES)}{PERIOD_SUFFIXES[i % len(PERIOD_SUFFIXES)]}"
               for i in range(periods_needed)]
    for name in ("DataProperties.json",):
        (folder / name).write_bytes((FIXTURE / name).read_bytes())
    info = json.loads((FIXTURE / "TableInfos.json").read_text("utf-8"))
    info[0].update(Title=SYNTHETIC_TITLE, ShortTitle=SYNTHETIC_TITLE, Summary=SYNTHETIC_TITLE)
    _dump(folder / "TableInfos.json", info)
    _dump(folder / "Bedrijfskenmerken.json",
          [{"Key": key, "Title": label, "Description": ""} for key, label in zip(sectors["key"], sectors["label_nl"],
                                                                               strict=True)])
    _dump(folder / "Perioden.json",
          [{"Key": p, "Title": p, "Description": None, "Status": "Definitief"} for p in periods])
    data = []
    for i in range(rows):
        record = {"ID": i, "Bedrijfskenmerken": sectors["key"].iloc[i % len(sectors)],
                  "Perioden": periods[i // len(sectors)]}
        record.update({m: float((i * 7 + j) % 9973) / 10 for j, m in enumerate(MEASURES)})
        data.append(record)
    _dump(folder / "TypedDataSet.json", data)
    return folder


def _dump(path: Path, document) -> None:
    path.write_text(json.dumps(document, ensure_ascii=False), "utf-8")
