"""The `observation` contract: column names, key, allowed values, and a validator that names what is wrong."""

from __future__ import annotations

import csv
import re
import weakref
from functools import cache
from pathlib import Path

import numpy as np
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
# What `astype(str)` gives in pandas 3: the text dtype every text column of a conformed frame has.
TEXT_DTYPE = pd.Series([""]).astype(str).dtype


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
        out[column] = stripped_text(out[column])
    out["value"] = pd.to_numeric(out["value"], errors="raise").astype("float64")
    return out[COLUMNS].reset_index(drop=True)


def stripped_text(column: pd.Series) -> pd.Series:
    """`column.fillna("").astype(str).str.strip()`, worked out once per distinct value (a table repeats its codes)."""
    if column.dtype == TEXT_DTYPE and all(isinstance(v, str) and v == v.strip() for v in _distinct(column)):
        return column
    codes, distinct = pd.factorize(column)
    text = pd.Series(distinct, dtype=object).astype(str).str.strip().tolist()
    # The blank for a missing value goes last, where factorize's code -1 for it points.
    return pd.Series(pd.array(text + [""], dtype=TEXT_DTYPE).take(codes), index=column.index, name=column.name)


class KeyCodes:
    """The KEY columns of a frame factorized once: per column, each row's code and the distinct values. Validation,
    de-duplication and sorting all work on these integers instead of hashing and comparing the texts again."""

    def __init__(self, frame: pd.DataFrame):
        self.columns = {column: factorized(frame[column]) for column in KEY}

    def per_row(self, column: str, of_value) -> np.ndarray:
        """`of_value` (a function of one distinct value) for every row of the column, computed once per value."""
        codes, distinct = self.columns[column]
        return np.array([of_value(value) for value in distinct], dtype=object if len(distinct) == 0 else None)[codes]

    def ids(self) -> np.ndarray:
        """One integer per row, equal exactly for rows with equal keys."""
        return row_ids([codes for codes, _ in self.columns.values()],
                       [len(distinct) for _, distinct in self.columns.values()])

    @staticmethod
    def united(parts: list[KeyCodes]) -> list[np.ndarray]:
        """Per KEY column, the codes of the frames stacked in order, against the sorted union of their values (so the
        codes order rows as the texts do)."""
        united = []
        for column in KEY:
            _, inverse = np.unique(np.concatenate([p.columns[column][1] for p in parts]), return_inverse=True)
            offsets = np.cumsum([0] + [len(p.columns[column][1]) for p in parts])
            united.append(np.concatenate([inverse[offsets[i]:offsets[i + 1]][p.columns[column][0]]
                                          for i, p in enumerate(parts)]))
        return united


def factorized(column: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Each value's code and the distinct values (pd.factorize; a missing value is one more distinct value)."""
    values = column.to_numpy(dtype=object)
    # One value throughout (a dataset id, a country): comparing is much cheaper than hashing every row.
    if len(values) and (values == values[0]).all():
        return np.zeros(len(values), dtype=np.intp), values[:1]
    codes, distinct = pd.factorize(values)  # an object array hashes faster than the text dtype's own factorize
    if len(codes) and codes.min() < 0:
        codes = np.where(codes < 0, len(distinct), codes)
        distinct = np.append(distinct, np.nan)
    return codes, distinct


def shared_key_ids(*frames: pd.DataFrame) -> list[np.ndarray]:
    """Per frame, one integer per row for its KEY columns: equal across the frames exactly when the keys are equal."""
    columns = [factorized(pd.concat([f[column] for f in frames], ignore_index=True)) for column in KEY]
    ids = row_ids([codes for codes, _ in columns], [len(distinct) for _, distinct in columns])
    return np.split(ids, np.cumsum([len(f) for f in frames])[:-1])


def distinct_pairs(frame: pd.DataFrame, first: str, second: str) -> set[tuple]:
    """The distinct (first, second) value pairs of a frame's rows."""
    first_codes, first_values = factorized(frame[first])
    second_codes, second_values = factorized(frame[second])
    pairs = pd.unique(first_codes.astype(np.int64) * len(second_values) + second_codes)
    return {(first_values[p // len(second_values)], second_values[p % len(second_values)]) for p in pairs}


def row_ids(codes: list[np.ndarray], sizes: list[int]) -> np.ndarray:
    """Mix per-column codes into one int64 per row (lexicographic), renumbering densely before it could overflow."""
    ids = np.zeros(len(codes[0]) if codes else 0, dtype=np.int64)
    for column_codes, size in zip(codes, sizes, strict=True):
        if size <= 1:
            continue
        if len(ids) and int(ids.max()) >= np.iinfo(np.int64).max // size:
            ids = pd.factorize(ids, sort=True)[0]
        ids = ids * size + column_codes
    return ids


def _distinct(column: pd.Series):
    values = column.to_numpy(dtype=object)
    # One value throughout (a dataset id, a country): comparing is much cheaper than hashing every row.
    if len(values) and (values == values[0]).all():
        return values[:1]
    return column.unique()


def _first_bad(frame: pd.DataFrame, mask, column: str) -> str:
    row = frame.iloc[int(np.flatnonzero(mask)[0])]
    return f"{row['dataset_id']}: {int(mask.sum())} row(s) with {column}={row[column]!r}"


def validate(frame: pd.DataFrame) -> pd.DataFrame:
    """Check a conformed frame against the contract; raise ObservationError naming the first problem."""
    _check(frame, KeyCodes(frame))
    return frame


# Frames `validated_for_combine` checked, by identity, with their key codes. An import checks a table's rows before
# storing them, and its rebuild then combines that very frame object: checking it again would repeat the work.
_known_valid: dict[int, tuple[weakref.ref, KeyCodes]] = {}


def validated_for_combine(frame: pd.DataFrame) -> pd.DataFrame:
    """`validate(conform(frame))`, remembered so that `combine` takes the result as it is. Nobody may change the
    returned frame afterwards: combine would not see the change."""
    conformed = conform(frame)
    keys = KeyCodes(conformed)
    _check(conformed, keys)
    key = id(conformed)
    _known_valid[key] = (weakref.ref(conformed, lambda _, key=key: _known_valid.pop(key, None)), keys)
    return conformed


def _conformed_and_checked(frame: pd.DataFrame) -> tuple[pd.DataFrame, KeyCodes]:
    known = _known_valid.get(id(frame))
    if known is not None and known[0]() is frame:
        return frame, known[1]
    conformed = conform(frame)
    keys = KeyCodes(conformed)
    _check(conformed, keys)
    return conformed, keys


def _check(frame: pd.DataFrame, keys: KeyCodes) -> None:
    units = indicator_units()
    per_row = keys.per_row
    checks = [
        ("indicator", lambda: per_row("indicator", lambda v: v not in units)),
        ("country", lambda: per_row("country", lambda v: v not in COUNTRIES | REFERENCE_AGGREGATES)),
        ("status", lambda: ~frame["status"].isin(STATUSES).to_numpy()),
        ("occupation_scheme", lambda: per_row("occupation_scheme", lambda v: v not in OCCUPATION_SCHEMES)),
        ("sector_scheme", lambda: per_row("sector_scheme", lambda v: v not in SECTOR_SCHEMES)),
        ("period", lambda: per_row("period", lambda v: not PERIOD_PATTERN.match(v))),
        ("breakdown", lambda: per_row("breakdown", lambda v: v != "" and not BREAKDOWN_PATTERN.match(v))),
        ("dataset_id", lambda: per_row("dataset_id", lambda v: v == "")),
        ("unit", lambda: (frame["unit"] == "").to_numpy()),
    ]
    for column, bad in checks:
        mask = bad()
        if mask.any():
            raise ObservationError(f"invalid {column} in {_first_bad(frame, mask, column)}")
    wrong_unit = frame["unit"].to_numpy(dtype=object) != keys.per_row("indicator", units.get)
    if wrong_unit.any():
        row = frame.iloc[int(np.flatnonzero(wrong_unit)[0])]
        raise ObservationError(f"unit does not match the indicator in {_first_bad(frame, wrong_unit, 'unit')}: "
                               f"indicator {row['indicator']} is in {units[row['indicator']]!r} "
                               f"(etl/definitions/indicators.csv)")
    scheme_without_code = per_row("occupation_scheme", lambda v: v == "") != per_row("occupation_code", lambda v: v == "")
    if scheme_without_code.any():
        raise ObservationError(f"occupation scheme and code must be both set or both blank: "
                               f"{_first_bad(frame, scheme_without_code, 'occupation_code')}")
    sector_without_code = per_row("sector_scheme", lambda v: v == "") != per_row("sector_code", lambda v: v == "")
    if sector_without_code.any():
        raise ObservationError(f"sector scheme and code must be both set or both blank: "
                               f"{_first_bad(frame, sector_without_code, 'sector_code')}")
    missing = frame["value"].isna().to_numpy()
    null_reported = missing & (frame["status"] == "final").to_numpy() if missing.any() else missing
    if null_reported.any():
        raise ObservationError(f"a missing value must carry a status other than final: "
                               f"{_first_bad(frame, null_reported, 'indicator')}")
    duplicated = pd.Series(keys.ids()).duplicated(keep=False).to_numpy()
    if duplicated.any():
        row = frame.iloc[int(np.flatnonzero(duplicated)[0])]
        key = ", ".join(f"{k}={row[k]!r}" for k in KEY if row[k] != "")
        raise ObservationError(f"duplicate observation key ({int(duplicated.sum())} rows), first: {key}")


def combine(frames: list[pd.DataFrame]) -> pd.DataFrame:
    """Stack valid frames in order of precedence: a later frame's row replaces an earlier one with the same key.

    Each frame is validated on its own first, so a duplicate key within one input is an error, not a silent pick.
    """
    checked, keys = [], []
    for frame in frames:
        if len(frame):
            conformed, frame_keys = _conformed_and_checked(frame)
            checked.append(conformed)
            keys.append(frame_keys)
    if not checked:
        return empty_frame()
    stacked = pd.concat(checked, ignore_index=True)
    united = KeyCodes.united(keys)
    ids = row_ids(united, [int(codes.max()) + 1 for codes in united])
    # The last row of each key wins; the winners in key order (ids are unique among them, so any sort is stable).
    last = len(ids) - 1 - np.unique(ids[::-1], return_index=True)[1]
    return stacked.iloc[last].reset_index(drop=True)
