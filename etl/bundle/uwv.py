"""UWV spanningsindicator figures (national, UWV occupation groups, numerator and denominator) for the bundle."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from etl.bundle import _tidy
from etl.observation import DEFINITIONS_DIR, KEY
from etl.parsed import Parsed

REFERENCE_FILE = "nl/uwv_spanningsindicator.csv"
MEASURES_FILE = DEFINITIONS_DIR / "uwv_measures.csv"
GROUPS_FILE = DEFINITIONS_DIR / "uwv_occupation_groups.csv"
DATASET_ID = "uwv-spanningsindicator"
OCCUPATION_SCHEME = "uwv"
GROUP_DIMENSION = "Beroepsgroep (UWV)"
NATIONAL_REGION_CODES = {"NL"}
LICENCE = "figures as published by UWV and quoted in the press; the sources state no licence"


def bundle(reference_dir: Path) -> Parsed:
    frame = _tidy.read(reference_dir, REFERENCE_FILE)
    measures = pd.read_csv(MEASURES_FILE, dtype=str, keep_default_na=False).set_index("measure")
    groups = pd.read_csv(GROUPS_FILE, dtype=str, keep_default_na=False)
    code_by_label = dict(zip(groups["label_nl"], groups["code"], strict=True))
    rows = []
    for number, row in enumerate(frame.itertuples(), start=2):
        where = f"{REFERENCE_FILE} line {number}"
        if row.measure not in measures.index:
            raise _tidy.TidyError(f"{where}: measure {row.measure!r} has no indicator in {MEASURES_FILE.name}")
        scheme = code = ""
        if row.dim1_name == GROUP_DIMENSION:
            if row.dim1_label not in code_by_label:
                raise _tidy.TidyError(f"{where}: UWV group {row.dim1_label!r} is not in {GROUPS_FILE.name}")
            scheme, code = OCCUPATION_SCHEME, code_by_label[row.dim1_label]
        elif row.dim1_code not in NATIONAL_REGION_CODES:
            raise _tidy.TidyError(f"{where}: region {row.dim1_code!r} is not national; no regional code list yet")
        rows.append({
            "dataset_id": DATASET_ID, "indicator": measures.at[row.measure, "indicator"], "country": "NL",
            "region": "", "occupation_scheme": scheme, "occupation_code": code, "sector_scheme": "",
            "sector_code": "", "breakdown": "", "period": _tidy.period(row.period),
            "value": _tidy.scaled(row.value, row.unit, where), "unit": measures.at[row.measure, "unit"],
            "status": _tidy.status(row.status, row.source_kind), "source_url": row.source_url,
        })
    observations = _tidy.drop_repeated(pd.DataFrame(rows), KEY, REFERENCE_FILE)
    datasets = pd.DataFrame([{
        "dataset_id": DATASET_ID, "source": "uwv", "publisher": "UWV", "table_id": "spanningsindicator",
        "title": "Spanningsindicator arbeidsmarkt", "title_en": "Labour-market tension indicator",
        "url": "https://www.arbeidsmarktinzicht.nl/", "licence": LICENCE,
        "retrieved_at": _tidy.latest_vintage_date(frame), "origin": "bundled",
        "checksum": _tidy.checksum(reference_dir, REFERENCE_FILE),
        "completeness": "figures quoted by UWV and the press only: national indicator 2023-Q1 (4.32) with its "
                        "numerator and denominator, open vacancies 2022-Q3, 2022-Q4 and 2023-Q1, short WW "
                        "recipients 2022-Q4 and 2023-Q1, five of UWV's ~92 occupation groups for 2023-Q1, the "
                        "number of very tight regions 2022-Q1 and 2023-Q1; no regional indicators",
        "note": "Open vacancies divided by people whose WW benefit has run less than six months, at quarter end. "
                "Classes: < 0.25 zeer ruim, 0.25-0.67 ruim, 0.67-1.5 gemiddeld, 1.5-4.0 krap, > 4.0 zeer krap. "
                "UWV occupation groups (scheme uwv) are UWV's own, not BRC groups. All rows status reported.",
    }])
    occupations = groups.assign(scheme=OCCUPATION_SCHEME, level="beroepsgroep", parent_code="")
    return Parsed(observations=observations, datasets=datasets, occupations=occupations)
