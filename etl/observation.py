"""The `observation` contract: column names, key, allowed values, and a validator that names what is wrong."""

from __future__ import annotations

import csv
import re
from functools import cache
from pathlib import Path

import pandas as pd

from etl.errors import ContractError

DEFINITIONS_DIR = Path(__file__).parent / "definitions"

COLUMNS = [
    "dataset_id",
    "indicator",
    "country",
    "region",
    "occupation_scheme",
    "occupation_code",
    "sector_scheme",
    "sector_code",
    "breakdown",
    "period",
    "value",
    "unit",
    "status",
    "source_url",
]
# An observation is identified by everything but the number itself and what is said about it.
KEY = [c for c in COLUMNS if c not in ("value", "unit", "status", "source_url")]
TEXT_COLUMNS = [c for c in COLUMNS if c != "value"]
COUNTRIES = {"NL", "BE"}
# Eurostat aggregates allowed only as a comparison line beside the two countries.
REFERENCE_AGGREGATES = {"EA", "EU27", "EU28"}
STATUSES = {"final", "provisional", "revised", "estimated", "reported"}
OCCUPATION_SCHEMES = {"", "brc2014", "brc2014e2025", "isco08", "vdab", "uwv"}
SECTOR_SCHEMES = {"", "nace2", "sbi2008"}  # sbi2008 only for SBI subclasses finer than NACE (78201)
PERIOD_PATTERN = re.compile(r"^\d{4}(-Q[1-4]|-(0[1-9]|1[0-2])|-H[12])?$")
BREAKDOWN_PATTERN = re.compile(r"^([a-z_]+=[^;=]+)(;[a-z_]+=[^;=]+)*$")


class ObservationError(ContractError):
    """Rows that break the observation contract; the message names the dataset and the problem."""


def value_text(value: float) -> str:
    """An observation value as the shortest faithful text (CSV files): 118000 not 118000.0, 20.7 not 20.699999999999999."""
    if pd.isna(value):
        return ""
    if float(value).is_integer():
        return str(int(value))
    return repr(float(value))


@cache
def indicator_units() -> dict[str, str]:
    """Indicator id -> its unit, from the versioned vocabulary file."""
    with open(DEFINITIONS_DIR / "indicators.csv", encoding="utf-8", newline="") as handle:
        return {row["indicator"]: row["unit"] for row in csv.DictReader(handle)}


def empty_frame() -> pd.DataFrame:
    """An observation frame with no rows and the contract's columns."""
    frame = pd.DataFrame({column: pd.Series(dtype="object") for column in COLUMNS})
    frame["value"] = frame["value"].astype("float64")
    return frame


def conform(frame: pd.DataFrame) -> pd.DataFrame:
    """Put a parser's output in contract shape: every column present, text blank not null, value float."""
    missing = [c for c in COLUMNS if c not in frame.columns and c not in ("source_url", "breakdown", "region")]
    if missing:
        raise ObservationError(f"observation rows lack columns: {', '.join(missing)}")
    out = frame.copy()
    for column in ("source_url", "breakdown", "region"):
        if column not in out.columns:
            out[column] = ""
    for column in TEXT_COLUMNS:
        out[column] = out[column].fillna("").astype(str).str.strip()
    out["value"] = pd.to_numeric(out["value"], errors="raise").astype("float64")
    return out[COLUMNS].reset_index(drop=True)


def _first_bad(frame: pd.DataFrame, mask: pd.Series, column: str) -> str:
    row = frame.loc[mask].iloc[0]
    return f"{row['dataset_id']}: {mask.sum()} row(s) with {column}={row[column]!r}"


def validate(frame: pd.DataFrame) -> pd.DataFrame:
    """Check a conformed frame against the contract; raise ObservationError naming the first problem."""
    units = indicator_units()
    checks = [
        ("indicator", ~frame["indicator"].isin(units.keys())),
        ("country", ~frame["country"].isin(COUNTRIES | REFERENCE_AGGREGATES)),
        ("status", ~frame["status"].isin(STATUSES)),
        ("occupation_scheme", ~frame["occupation_scheme"].isin(OCCUPATION_SCHEMES)),
        ("sector_scheme", ~frame["sector_scheme"].isin(SECTOR_SCHEMES)),
        ("period", ~frame["period"].str.match(PERIOD_PATTERN)),
        ("breakdown", (frame["breakdown"] != "") & ~frame["breakdown"].str.match(BREAKDOWN_PATTERN)),
        ("dataset_id", frame["dataset_id"] == ""),
        ("unit", frame["unit"] == ""),
    ]
    for column, mask in checks:
        if mask.any():
            raise ObservationError(f"invalid {column} in {_first_bad(frame, mask, column)}")
    wrong_unit = frame["unit"] != frame["indicator"].map(units)
    if wrong_unit.any():
        row = frame.loc[wrong_unit].iloc[0]
        raise ObservationError(f"unit does not match the indicator in {_first_bad(frame, wrong_unit, 'unit')}: "
                               f"indicator {row['indicator']} is in {units[row['indicator']]!r} "
                               f"(etl/definitions/indicators.csv)")
    scheme_without_code = (frame["occupation_scheme"] == "") != (frame["occupation_code"] == "")
    if scheme_without_code.any():
        raise ObservationError(f"occupation scheme and code must be both set or both blank: "
                               f"{_first_bad(frame, scheme_without_code, 'occupation_code')}")
    sector_without_code = (frame["sector_scheme"] == "") != (frame["sector_code"] == "")
    if sector_without_code.any():
        raise ObservationError(f"sector scheme and code must be both set or both blank: "
                               f"{_first_bad(frame, sector_without_code, 'sector_code')}")
    null_reported = frame["value"].isna() & (frame["status"] == "final")
    if null_reported.any():
        raise ObservationError(f"a missing value must carry a status other than final: "
                               f"{_first_bad(frame, null_reported, 'indicator')}")
    duplicated = frame.duplicated(KEY, keep=False)
    if duplicated.any():
        row = frame.loc[duplicated].iloc[0]
        key = ", ".join(f"{k}={row[k]!r}" for k in KEY if row[k] != "")
        raise ObservationError(f"duplicate observation key ({duplicated.sum()} rows), first: {key}")
    return frame


def combine(frames: list[pd.DataFrame]) -> pd.DataFrame:
    """Stack valid frames in order of precedence: a later frame's row replaces an earlier one with the same key.

    Each frame is validated on its own first, so a duplicate key within one input is an error, not a silent pick.
    """
    if not frames:
        return empty_frame()
    stacked = pd.concat([validate(conform(f)) for f in frames if len(f)] or [empty_frame()], ignore_index=True)
    return stacked.drop_duplicates(KEY, keep="last").sort_values(KEY, kind="stable").reset_index(drop=True)
