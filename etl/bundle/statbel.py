"""Statbel for the bundle: job vacancy survey figures (vacancies, vacancy rate by region, NACE, size, contract)
and wage-survey headline figures, as Statbel published them or the press reported them."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from etl.bundle import _tidy
from etl.observation import KEY
from etl.parsed import Parsed

JVS_FILE = "be/statbel_job_vacancy.csv"
WAGES_FILE = "be/statbel_wages.csv"
EXTRA_FILE = "eu/be_extra_press.csv"
JVS_DATASET = "statbel-jvs"
WAGES_DATASET = "statbel-wages"
# Statbel's region codes -> NUTS 1 codes used in the observation table ('' = Belgium).
REGIONS = {"BE": "", "BE-BRU": "BE1", "BE-VLG": "BE2", "BE-WAL": "BE3"}
# Eurostat-style dimension codes of the reference -> (sector code or breakdown); NACE ranges stay as published.
SIZE_CLASSES = {"sizeclas=LT10": "size=LT10", "sizeclas=GE10": "size=GE10"}
# Rows without a dimension code are cut by their label; these labels are Statbel's, not NACE or size codes,
# so they keep Statbel's wording rather than being guessed onto a size class.
UNCODED_LABEL_BREAKDOWN = {
    "kleine ondernemingen": "size=small",
    "grote en middelgrote ondernemingen": "size=medium_large",
    "interimbanen": "contract=interim",
    "vaste banen": "contract=permanent",
    "non-profitsector": "sector_group=non_profit",
}
JVS_MEASURES = {"job vacancies": ("vacancies_open", "vacancies"), "job vacancy rate": ("vacancy_rate", "percent")}
JVS_LEFT_OUT = {"share of vacancies": "no indicator for a share of vacancies"}
# Rows whose quarter the collector inferred (the article printed none) are left out rather than guessed.
INFERRED_PERIOD_NOTE = "quarter inferred"
# be_extra_press.csv: Statbel's own figures for quarters the JVS file lacks; its sector text -> nace2 code.
EXTRA_SECTORS = {"B-S": "B-S", "M+N (Statbel sector 'Scientific activities and administrative services')": "M-N"}
EXTRA_MEASURES = {"vacancy_rate": ("vacancy_rate", "percent"), "job_vacancies": ("vacancies_open", "vacancies")}
# The press's 'professional, scientific and technical services' (2019-Q3) may not be Statbel's M+N grouping.
EXTRA_UNSURE_SECTOR = "M+N?"
WAGE_MEASURES = {
    "mean gross monthly wage": "monthly_wage_mean",
    "median gross monthly wage": "monthly_wage_median",
    "P10 gross monthly wage": "monthly_wage_p10",
    "P90 gross monthly wage": "monthly_wage_p90",
}
WAGE_LEFT_OUT = {"growth of mean gross monthly wage": "a growth rate between two surveys, not a level"}
# Wage rows cut by an occupation group Statbel names without an ISCO code keep the name in breakdown.
WAGE_LABEL_BREAKDOWN = {
    "directeurs van grote ondernemingen": "occupation_group=directeurs van grote ondernemingen",
}
WAGE_DIMENSION_BREAKDOWN = {"isced=master": "education=master"}
ALL_LABELS = {"all employees", "total", "Vlaanderen", "Brussel", "Wallonie"}
STATBEL_LICENCE = ("Statbel open data licence (reuse free; cite source and date of publication); figures here are "
                   "as Statbel's pages or the press reported them, see each row's source")


def bundle(reference_dir: Path) -> Parsed:
    jvs = _tidy.read(reference_dir, JVS_FILE)
    wages = _tidy.read(reference_dir, WAGES_FILE)
    extra = _tidy.read(reference_dir, EXTRA_FILE)
    observations = pd.concat([_jvs_rows(jvs), _extra_rows(extra), _wage_rows(wages)], ignore_index=True)
    observations = _tidy.drop_repeated(observations, KEY, f"{JVS_FILE}, {EXTRA_FILE}, {WAGES_FILE}")
    return Parsed(observations=observations, datasets=_datasets(reference_dir, observations))


def _region(code: str, where: str) -> str:
    if code not in REGIONS:
        raise _tidy.TidyError(f"{where}: unknown region {code!r}")
    return REGIONS[code]


def _base(dataset_id: str, row, where: str) -> dict:
    return {"dataset_id": dataset_id, "country": "BE", "region": _region(row.region, where),
            "occupation_scheme": "", "occupation_code": "", "sector_scheme": "", "sector_code": "",
            "breakdown": "", "status": "reported", "source_url": row.source_url}


def _kept(frame: pd.DataFrame, name: str, mapped: dict, left_out: dict):
    """(where, row) for every row to translate; a measure neither mapped nor deliberately left out is an error."""
    for number, row in enumerate(frame.itertuples(), start=2):
        where = f"{name} line {number}"
        if row.measure in left_out or INFERRED_PERIOD_NOTE in row.note:
            continue
        if row.measure not in mapped:
            raise _tidy.TidyError(f"{where}: measure {row.measure!r} is neither mapped nor listed as left out")
        yield where, row


def _jvs_rows(frame: pd.DataFrame) -> pd.DataFrame:
    rows = []
    for where, row in _kept(frame, JVS_FILE, JVS_MEASURES, JVS_LEFT_OUT):
        out = _base(JVS_DATASET, row, where)
        if row.dimension_codes.startswith("nace_r2="):
            out["sector_scheme"], out["sector_code"] = "nace2", row.dimension_codes.split("=", 1)[1]
        elif row.dimension_codes in SIZE_CLASSES:
            out["breakdown"] = SIZE_CLASSES[row.dimension_codes]
        elif row.dimension_codes == "" and row.dimension_labels in UNCODED_LABEL_BREAKDOWN:
            out["breakdown"] = UNCODED_LABEL_BREAKDOWN[row.dimension_labels]
        else:
            raise _tidy.TidyError(f"{where}: no rule for the cut {row.dimension_codes!r} / {row.dimension_labels!r}")
        indicator, unit = JVS_MEASURES[row.measure]
        rows.append(out | {"indicator": indicator, "unit": unit, "period": row.period, "value": float(row.value)})
    return pd.DataFrame(rows)


def _extra_rows(frame: pd.DataFrame) -> pd.DataFrame:
    """Belgian national rates and vacancy counts Statbel published (its page or an article quoting it); the
    aggregates' rows belong to the Eurostat bundle, the industry's contact-centre estimates are not statistics."""
    rows = []
    for number, row in enumerate(frame.itertuples(), start=2):
        if row.geo != "BE" or row.indicator not in EXTRA_MEASURES or row.nace.startswith(EXTRA_UNSURE_SECTOR):
            continue
        if row.nace not in EXTRA_SECTORS:
            raise _tidy.TidyError(f"{EXTRA_FILE} line {number}: no rule for the sector {row.nace!r}")
        indicator, unit = EXTRA_MEASURES[row.indicator]
        rows.append({"dataset_id": JVS_DATASET, "indicator": indicator, "country": "BE", "region": "",
                     "occupation_scheme": "", "occupation_code": "", "sector_scheme": "nace2",
                     "sector_code": EXTRA_SECTORS[row.nace], "breakdown": "", "period": row.period,
                     "value": float(row.value), "unit": unit, "status": "reported", "source_url": row.source_url})
    return pd.DataFrame(rows)


def _wage_rows(frame: pd.DataFrame) -> pd.DataFrame:
    rows = []
    for where, row in _kept(frame, WAGES_FILE, WAGE_MEASURES, WAGE_LEFT_OUT):
        out = _base(WAGES_DATASET, row, where)
        if row.dimension_codes in WAGE_DIMENSION_BREAKDOWN:
            out["breakdown"] = WAGE_DIMENSION_BREAKDOWN[row.dimension_codes]
        elif row.dimension_labels in WAGE_LABEL_BREAKDOWN:
            out["breakdown"] = WAGE_LABEL_BREAKDOWN[row.dimension_labels]
        elif row.dimension_codes or row.dimension_labels not in ALL_LABELS:
            raise _tidy.TidyError(f"{where}: no rule for the cut {row.dimension_codes!r} / {row.dimension_labels!r}")
        # The survey's reference month is October: the period says so ('2017-10') rather than claiming a year.
        rows.append(out | {"indicator": WAGE_MEASURES[row.measure], "unit": "EUR/month", "period": row.period,
                           "value": float(row.value)})
    return pd.DataFrame(rows)


def _datasets(reference_dir: Path, obs: pd.DataFrame) -> pd.DataFrame:
    jvs_periods = sorted(obs.loc[obs["dataset_id"] == JVS_DATASET, "period"].unique())
    common = {"source": "statbel", "publisher": "Statbel", "licence": STATBEL_LICENCE, "retrieved_at": "",
              "origin": "bundled", "replaced_by": ""}
    return pd.DataFrame([
        common | {
            "dataset_id": JVS_DATASET, "table_id": "jvs",
            "title": "Vacatures op de arbeidsmarkt (vacatureenquête)", "title_en": "Job vacancy survey",
            "url": "https://statbel.fgov.be/nl/themas/werk-opleiding/arbeidsmarkt/vacatures-op-de-arbeidsmarkt",
            "checksum": _tidy.checksum(reference_dir, JVS_FILE),
            "completeness": (
                f"scattered quarters {jvs_periods[0]} to {jvs_periods[-1]} ({len(jvs_periods)} quarters) as "
                "reported: the Belgian total (NACE B-S), the three regions in some quarters, and a few sectors "
                "(I, J, M-N), size and contract cuts; no complete series. Left out: the 2017-Q4/2018-Q1 figures "
                "whose quarter the article did not print, and the share of permanent jobs in vacancies."),
            "note": (
                "Job vacancy rate = vacancies / (occupied posts + vacancies), NACE B-S. Regions as NUTS 1 codes "
                "(BE1 Brussels, BE2 Flanders, BE3 Wallonia). size=LT10|GE10 are Eurostat size classes (< 10, "
                ">= 10 employees); size=small|medium_large, contract=interim|permanent and "
                "sector_group=non_profit keep Statbel's wording where no code was published. Rates with two "
                "decimals for 2019-Q3, 2021-Q4, 2022-Q1, 2023-Q3 and 2023-Q4 come from Statbel's releases (2021-Q4 "
                "and 2023-Q3 as the 'from' figure of the next quarter's release); a press figure for 'professional, "
                "scientific and technical services' (2019-Q3) is left out because its scope is unsure. All rows "
                "status reported."),
        },
        common | {
            "dataset_id": WAGES_DATASET, "table_id": "wages-ses",
            "title": "Gemiddelde bruto maandlonen", "title_en": "Average gross monthly wages",
            "url": "https://statbel.fgov.be/nl/themas/werk-opleiding/lonen-en-arbeidskosten/gemiddelde-bruto-maandlonen",
            "checksum": _tidy.checksum(reference_dir, WAGES_FILE),
            "completeness": (
                "headline figures only: mean monthly wage 2010 and 2017 (Belgium, regions 2017, master's degree "
                "2017, directors of large enterprises 2017), median 2008 and 2017, P10/P90 2008; no occupation "
                "detail, no other years. Growth rates between surveys are left out."),
            "note": (
                "Full-time employees in enterprises with >= 10 employees, excluding agriculture, fishing, public "
                "administration, education, health and other personal services; gross monthly wage including "
                "periodic bonuses, excluding 13th month and double holiday pay. The survey's reference month is "
                "October, so periods are 'YYYY-10'. All rows status reported."),
        },
    ])
