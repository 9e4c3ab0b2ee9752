"""Crosswalks between classification schemes, read from versioned CSV files under definitions/crosswalk/."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from etl.errors import ContractError

CROSSWALK_DIR = Path(__file__).parent / "definitions" / "crosswalk"
FIELDS = ["from_scheme", "from_code", "to_scheme", "to_code", "confidence", "source", "note"]
CONFIDENCE_LEVELS = {"exact", "high", "medium", "low", "unmapped"}


class CrosswalkError(ContractError):
    """A crosswalk file with missing columns, unknown confidence levels or duplicate links."""


def load(directory: Path = CROSSWALK_DIR) -> pd.DataFrame:
    """All crosswalk files stacked; every file must have the FIELDS columns."""
    frames = []
    for path in sorted(Path(directory).glob("*.csv")):
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
        missing = [f for f in FIELDS if f not in frame.columns]
        if missing:
            raise CrosswalkError(f"{path.name}: missing columns {', '.join(missing)}")
        bad = ~frame["confidence"].isin(CONFIDENCE_LEVELS)
        if bad.any():
            raise CrosswalkError(f"{path.name}: confidence {frame.loc[bad, 'confidence'].iloc[0]!r} "
                                 f"is not one of {sorted(CONFIDENCE_LEVELS)}")
        frames.append(frame[FIELDS])
    if not frames:
        return pd.DataFrame(columns=FIELDS)
    stacked = pd.concat(frames, ignore_index=True)
    duplicated = stacked.duplicated(["from_scheme", "from_code", "to_scheme", "to_code"], keep=False)
    if duplicated.any():
        row = stacked.loc[duplicated].iloc[0]
        raise CrosswalkError(f"duplicate crosswalk link {row.from_scheme} {row.from_code} -> {row.to_scheme} {row.to_code}")
    return stacked
