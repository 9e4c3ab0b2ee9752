"""Translate one CBS table (measures, dimension codes, periods, units) into contract rows, whatever API it came from."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache

import numpy as np
import pandas as pd

from etl import observation, periods
from etl.errors import ContractError
from etl.observation import DEFINITIONS_DIR, KEY
from etl.parsed import Parsed, dataset_texts

TABLES_FILE = DEFINITIONS_DIR / "cbs_tables.csv"
MEASURES_FILE = DEFINITIONS_DIR / "cbs_measures.csv"
SBI_KEYS_FILE = DEFINITIONS_DIR / "cbs_sbi_keys.csv"
DIMENSION_KEYS_FILE = DEFINITIONS_DIR / "cbs_dimension_keys.csv"
UNITS_FILE = DEFINITIONS_DIR / "cbs_units.csv"
BRC2025_LABELS_EN_FILE = DEFINITIONS_DIR / "cbs_brc2014e2025_labels_en.csv"
# A re-cut edition's codes are not in the bundled BRC 2014 list, so its tables bring their own code list.
SCHEMES_WITH_OWN_CODE_LIST = {"brc2014e2025"}
BRC_LEVELS = {2: "beroepsklasse", 3: "beroepssegment", 4: "beroepsgroep"}
STATLINE_URL = "https://opendata.cbs.nl/statline/#/CBS/nl/dataset/{table_id}"
PUBLISHER = "CBS"
LICENCE = "CC BY 4.0"
PERIOD_DIMENSION = "Perioden"
# CBS total categories have keys like T001038 (sex), T009002 (persons), T001081 (all sectors).
TOTAL_KEY = re.compile(r"^T\d{6}$")
# Occupation dimensions name a BRC code at the start of each category title ("0334 Callcentermedewerkers ...").
OCCUPATION_DIMENSION = re.compile(r"^Beroep(?!.*[Ww]issel)")
BRC_CODE_IN_TITLE = re.compile(r"^(\d{2,4})\s")
SECTOR_DIMENSION = re.compile(r"SBI|Bedrijfskenmerken|Bedrijfstak")
# Categories published without a usable key, recognised by their title.
BREAKDOWN_BY_TITLE = {"Geen wisseling beroep": "occupation_change=none", "Totaal": ""}
CHANGE_TABLES = {"83120NED", "85388NED"}
NO_CHANGER_DERIVATION = {"13"}  # CBS records nobody in class 13 'overig' as unchanged


class MappingError(ContractError):
    """A CBS table whose measures, units or codes the definitions cannot translate."""


@dataclass
class CbsTable:
    """One CBS table as downloaded, in a shape common to OData v3, v4 and StatLine CSV."""

    table_id: str
    title: str = ""
    modified: str = ""
    output_status: str = ""
    # key, title, group (title of the topic group, '' if none), unit ('' when the download has no metadata)
    measures: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=["key", "title", "group", "unit"]))
    # dimension name -> key, title, description, status (status only for Perioden)
    codes: dict[str, pd.DataFrame] = field(default_factory=dict)
    # one column per dimension (keys stripped of CBS padding), plus measure and value (None when missing)
    observations: pd.DataFrame = field(default_factory=pd.DataFrame)


def _read(path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False)


@cache
def tables() -> pd.DataFrame:
    return _read(TABLES_FILE)


@cache
def measures() -> pd.DataFrame:
    return _read(MEASURES_FILE)


@cache
def sbi_keys() -> pd.DataFrame:
    return _read(SBI_KEYS_FILE)


@cache
def dimension_keys() -> dict[tuple[str, str], str]:
    frame = _read(DIMENSION_KEYS_FILE)
    return dict(zip(zip(frame["dimension"], frame["key"], strict=True), frame["breakdown"], strict=True))


@cache
def unit_factors() -> dict[str, Decimal]:
    frame = _read(UNITS_FILE)
    return {row.cbs_unit: Decimal(row.factor) for row in frame.itertuples()}


def unit_factor(unit: str, where: str) -> Decimal:
    """The multiplier that turns a CBS figure in `unit` into absolute units (x 1 000 -> 1000)."""
    factors = unit_factors()
    if unit.strip() not in factors:
        raise MappingError(f"{where}: unit {unit!r} has no multiplier in {UNITS_FILE.name}")
    return factors[unit.strip()]


def scaled(value, factor: Decimal) -> float:
    """Exact decimal scaling, so 89.8 thousand is 89800 and not 89799.99999."""
    return float(Decimal(str(value)) * factor)


def status(text: str) -> str:
    """Contract status of a CBS period status (Voorlopig, Nader voorlopig -> provisional; Definitief -> final)."""
    return "provisional" if "voorlopig" in str(text).lower() else "final"


def definition(table_id: str) -> pd.Series:
    """The versioned definition row of a table (case-insensitive id, as CBS spells ids both ways)."""
    found = tables()[tables()["table_id"].str.upper() == table_id.upper()]
    if found.empty:
        raise MappingError(f"CBS table {table_id} is not in {TABLES_FILE.name}; add it with its measures first")
    return found.iloc[0]


def measure_map(table_id: str, table_measures: pd.DataFrame) -> dict[str, pd.Series]:
    """Measure key -> its definition row, matched by key, then 'group/title', then title."""
    defined = measures()[measures()["table_id"].str.upper() == table_id.upper()].set_index("measure")
    found = {}
    for row in table_measures.itertuples():
        for candidate in (row.key, f"{row.group}/{row.title}", row.title):
            if candidate in defined.index:
                found[row.key] = defined.loc[candidate]
                break
    return found


def brc2025_code_rows(labels_nl: dict[str, str]) -> pd.DataFrame:
    """Occupation code-list rows of BRC 2014 editie 2025: Dutch labels as CBS gives them, unofficial English ones."""
    labels_en = _read(BRC2025_LABELS_EN_FILE).set_index("code")["label_en"]
    return pd.DataFrame([{"scheme": "brc2014e2025", "code": code, "level": BRC_LEVELS.get(len(code), ""),
                          "parent_code": code[:-1] if len(code) == 3 else code[:3] if len(code) == 4 else "",
                          "label_nl": label, "label_en": labels_en.get(code, "")}
                         for code, label in sorted(labels_nl.items())],
                        columns=["scheme", "code", "level", "parent_code", "label_nl", "label_en"])


def occupation_labels(codes: pd.DataFrame) -> dict[str, str]:
    """BRC code -> full Dutch label: the title without its code, or the description where CBS truncated the title."""
    labels = {}
    for row in codes.itertuples():
        match = BRC_CODE_IN_TITLE.match(row.title)
        if not match:
            continue
        title = row.title[match.end():].strip()
        full = str(row.description).split(":")[0].strip()
        full = full[match.end():].strip() if BRC_CODE_IN_TITLE.match(full) else full
        labels[match.group(1)] = full if title.endswith("...") and full else title
    return labels


def occupation_codes(codes: pd.DataFrame) -> dict[str, str]:
    """CBS occupation key -> BRC code from the category title (or description); totals -> ''."""
    mapping = {}
    for row in codes.itertuples():
        match = BRC_CODE_IN_TITLE.match(row.title) or BRC_CODE_IN_TITLE.match(str(row.description))
        if match:
            mapping[row.key] = match.group(1)
        elif TOTAL_KEY.match(row.key) or row.title.strip().lower().startswith("totaal"):
            mapping[row.key] = ""
    return mapping


def other_breakdown(dimension: str, key: str, title: str = "") -> str:
    """Breakdown pair of a category of a dimension that is neither occupation, sector nor period; totals give ''."""
    known = dimension_keys()
    if (dimension, key) in known:
        return known[(dimension, key)]
    if title.strip() in BREAKDOWN_BY_TITLE:
        return BREAKDOWN_BY_TITLE[title.strip()]
    if TOTAL_KEY.match(key):
        return ""
    return f"{re.sub(r'[^a-z_]', '', dimension.lower()) or 'dimension'}={key}"


def to_parsed(table: CbsTable, source_url: str) -> Parsed:
    """Contract rows for every published figure whose measure the definitions name; what is left out is counted."""
    spec = definition(table.table_id)
    table_id = spec["table_id"]
    where = f"CBS {table_id}"
    mapped = measure_map(table_id, table.measures)
    loaded = {key: row for key, row in mapped.items() if row["indicator"]}
    if not loaded:
        raise MappingError(f"{where}: none of its measures ({', '.join(table.measures['key'])}) is in {MEASURES_FILE.name}")
    obs = table.observations
    missing_dims = [d for d in [PERIOD_DIMENSION] if d not in obs.columns]
    if missing_dims or "measure" not in obs.columns or "value" not in obs.columns:
        raise MappingError(f"{where}: the data has no {', '.join(missing_dims or ['measure/value'])} column")
    units = dict(zip(table.measures["key"], table.measures["unit"], strict=True))
    left_out: dict[str, int] = {}
    frame = obs[obs["measure"].isin(loaded) & obs["value"].notna()].copy()
    left_out["empty cells"] = int(obs["value"].isna().sum())
    # Every lookup below runs once per distinct key and is spread to the rows by their codes: a table repeats each
    # code thousands of times, and a pandas lookup per observation cost half of a 1M-row import.
    measure_codes, measure_keys = pd.factorize(frame["measure"])
    frame["indicator"] = spread(measure_codes, [loaded[k]["indicator"] for k in measure_keys])
    frame["unit"] = spread(measure_codes, [loaded[k]["unit"] for k in measure_keys])
    factors = {k: unit_factor(units.get(k) or row["cbs_unit"], f"{where} measure {k}") for k, row in loaded.items()}
    frame["value"] = scaled_values(frame["value"], frame["measure"], factors)
    parts = [spread(measure_codes, [loaded[k]["breakdown"] for k in measure_keys])]
    frame["occupation_scheme"] = frame["occupation_code"] = frame["sector_scheme"] = frame["sector_code"] = ""
    keep = np.ones(len(frame), dtype=bool)
    code_list = pd.DataFrame()
    sbi = {row.key: row for row in sbi_keys().itertuples()}
    for dimension in [c for c in obs.columns if c not in ("measure", "value", PERIOD_DIMENSION)]:
        key_codes, keys = factorized_keys(frame[dimension])
        codes = table.codes.get(dimension)
        if OCCUPATION_DIMENSION.match(dimension):
            if codes is None:
                raise MappingError(f"{where}: occupation dimension {dimension} came without its code list")
            known_codes = occupation_codes(codes)
            if not any(known_codes.values()):
                raise MappingError(f"{where}: no BRC code at the start of any {dimension} title (format changed?)")
            brc = [known_codes.get(k) for k in keys]
            keep &= spread(key_codes, [b is not None for b in brc]).astype(bool)
            frame["occupation_code"] = spread(key_codes, [b or "" for b in brc])
            frame["occupation_scheme"] = spread(key_codes, [spec["occupation_scheme"] if b else "" for b in brc])
            if spec["occupation_scheme"] in SCHEMES_WITH_OWN_CODE_LIST:
                code_list = brc2025_code_rows(occupation_labels(codes))
        elif SECTOR_DIMENSION.search(dimension):
            found = [sbi.get(k) for k in keys]
            keep &= spread(key_codes, [f is not None for f in found]).astype(bool)
            frame["sector_scheme"] = spread(key_codes, [f.sector_scheme if f else "" for f in found])
            frame["sector_code"] = spread(key_codes, [f.sector_code if f else "" for f in found])
            parts.append(spread(key_codes, [f.breakdown if f else "" for f in found]))
        else:
            titles = dict(zip(codes["key"], codes["title"], strict=True)) if codes is not None else {}
            parts.append(spread(key_codes, [other_breakdown(dimension, k, titles.get(k, "")) for k in keys]))
    left_out["categories without a contract code"] = int((~keep).sum())
    frame = frame[keep]
    frame["breakdown"] = joined_breakdowns([part[keep] for part in parts])
    period_codes, period_keys = factorized_keys(frame[PERIOD_DIMENSION])
    frame["period"] = spread(period_codes, [_period_or_none(k) for k in period_keys])
    left_out["series-break periods"] = int(frame["period"].isna().sum())
    code_rows = table.codes.get(PERIOD_DIMENSION)
    period_status = dict(zip(code_rows["key"], code_rows["status"], strict=True)) if code_rows is not None else {}
    frame["status"] = spread(period_codes, [status(period_status.get(k, "")) for k in period_keys])
    frame = frame[frame["period"].notna()]
    frame = frame.assign(dataset_id=f"cbs-{table_id}", country="NL", region="", source_url=source_url)
    if table_id in CHANGE_TABLES:
        frame = pd.concat([frame, occupation_changers(frame)], ignore_index=True)
    parsed = Parsed(observations=frame.reindex(columns=KEY + ["value", "unit", "status", "source_url"]),
                    datasets=pd.DataFrame([dataset_row(table, spec, left_out)]))
    if len(code_list):
        parsed.occupations = code_list
    return parsed


def factorized_keys(column: pd.Series) -> tuple[np.ndarray, list]:
    """Each row's code and the distinct keys it points to, stripped of CBS padding (a missing key stays missing)."""
    codes, distinct = pd.factorize(column, use_na_sentinel=False)
    return codes, [key if pd.isna(key) else str(key).strip() for key in distinct]


def spread(codes: np.ndarray, per_key: list) -> np.ndarray:
    """What was worked out once per distinct key, for every row (by the row's code)."""
    out = np.empty(len(per_key), dtype=object)
    out[:] = per_key
    return out[codes]


def scaled_values(values, measures, factors: dict[str, Decimal]) -> np.ndarray:
    """`scaled` for every value, computed once per distinct (value, measure): published tables repeat figures often."""
    values = values.to_numpy() if isinstance(values, pd.Series) else np.asarray(values, dtype=object)
    measures = np.asarray(measures, dtype=object)
    out = np.empty(len(values), dtype="float64")
    measure_codes, measure_keys = pd.factorize(measures)
    for code, measure in enumerate(measure_keys):
        rows = measure_codes == code
        value_codes, distinct = pd.factorize(values[rows])
        out[rows] = np.array([scaled(value, factors[measure]) for value in distinct], dtype="float64")[value_codes]
    return out


def joined_breakdowns(parts: list) -> np.ndarray:
    """Per row, the non-empty `key=value` pairs of every dimension, sorted and joined by ';' (joined once per combination)."""
    factorized = [pd.factorize(np.asarray(part, dtype=object), use_na_sentinel=False) for part in parts]
    combination = observation.row_ids([codes for codes, _ in factorized], [len(distinct) for _, distinct in factorized])
    _, first, inverse = np.unique(combination, return_index=True, return_inverse=True)
    joined = [";".join(sorted(x for x in (distinct[codes[row]] for codes, distinct in factorized) if x)) for row in first]
    return spread(inverse, joined)


def _period_or_none(key: str) -> str | None:
    try:
        return periods.from_cbs(key)
    except periods.PeriodError:
        return None


# What a table's mapping leaves out, in the dataset texts' languages (the keys of `left_out`).
LEFT_OUT_NL = {"empty cells": "lege cellen", "categories without a contract code": "categorieën zonder code in het contract",
               "series-break periods": "perioden bij een trendbreuk"}


def dataset_row(table: CbsTable, spec: pd.Series, left_out: dict[str, int]) -> dict:
    dropped = "; ".join(f"{n} {what}" for what, n in left_out.items() if n)
    dropped_nl = "; ".join(f"{n} {LEFT_OUT_NL[what]}" for what, n in left_out.items() if n)
    return {
        "dataset_id": f"cbs-{spec['table_id']}", "source": "cbs", "publisher": PUBLISHER,
        "table_id": spec["table_id"], "title": table.title or spec["title_nl"], "title_en": spec["title_en"],
        "url": STATLINE_URL.format(table_id=spec["table_id"]), "licence": LICENCE,
        "completeness": "every period and category of the table as downloaded"
                        + (f"; left out: {dropped}" if dropped else ""),
        "replaced_by": spec["replaced_by"], "note": spec["note"],
        **dataset_texts(publisher=(PUBLISHER, PUBLISHER), licence=(LICENCE, LICENCE), completeness=(
            "alle perioden en categorieën van de tabel zoals gedownload" + (f"; weggelaten: {dropped_nl}" if dropped_nl else ""),
            "every period and category of the table as downloaded" + (f"; left out: {dropped}" if dropped else ""))),
    }


def occupation_changers(obs: pd.DataFrame) -> pd.DataFrame:
    """Changers = published total minus published 'no change of occupation', per class and period (status estimated)."""
    key = ["dataset_id", "occupation_scheme", "occupation_code", "sector_scheme", "sector_code", "period"]
    employed = obs[obs["indicator"] == "employed_persons"]
    totals = employed[employed["breakdown"] == ""]
    stayers = employed[employed["breakdown"] == "occupation_change=none"][key + ["value"]]
    both = totals.merge(stayers, on=key, how="inner", suffixes=("", "_stayers"))
    both = both[~both["occupation_code"].isin(NO_CHANGER_DERIVATION)]
    return both.assign(indicator="occupation_changers", value=both["value"] - both["value_stayers"],
                       status="estimated").drop(columns="value_stayers")
