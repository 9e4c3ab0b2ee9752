"""Indicator values per sector or occupation and period, derived from the observation table, with as-of alignment.

Every derived value keeps the period it describes (`value_period`); `as_of` attaches to a period only values whose
own period ended no later than it, so no feature ever uses data from after the period it describes.
"""

from __future__ import annotations

import sqlite3

import numpy as np
import pandas as pd

from etl.model import calendar

SECTOR_VACANCY_DATASET = "cbs-80472NED"
SECTOR_JOBS_WAGES_DATASET = "cbs-81431NED"
ENTITY = ["family", "country", "region", "scheme", "code"]
VALUE_COLUMNS = ENTITY + ["indicator", "period", "end_q", "value"]
OCCUPATION_INDICATORS = ("employed_persons", "hourly_wage_median", "tension_ratio", "occupation_changers")


def read(conn: sqlite3.Connection, sql: str, params: tuple = ()) -> pd.DataFrame:
    return pd.read_sql_query(sql, conn, params=params)


def sector_vacancies(conn: sqlite3.Connection) -> pd.DataFrame:
    """Quarterly open/new/filled vacancies per sector series of 80472NED, all company sizes (breakdown '')."""
    rows = read(conn, """
        SELECT sector_scheme AS scheme, sector_code AS code, indicator, period, value FROM observation
        WHERE dataset_id = ? AND breakdown = '' AND region = '' AND occupation_scheme = ''
          AND indicator IN ('vacancies_open', 'vacancies_new', 'vacancies_filled') AND period LIKE '____-Q_'
          AND value IS NOT NULL""", (SECTOR_VACANCY_DATASET,))
    if rows.empty:
        return pd.DataFrame(columns=["scheme", "code", "period", "end_q", "vacancies_open", "vacancies_new",
                                     "vacancies_filled"])
    wide = rows.pivot_table(index=["scheme", "code", "period"], columns="indicator", values="value",
                            aggfunc="first").reset_index()
    wide.columns.name = None
    wide["end_q"] = wide["period"].map(calendar.end_quarter)
    return wide.sort_values(["scheme", "code", "end_q"]).reset_index(drop=True)


def open_filled_ratio(vacancies: pd.DataFrame, min_filled: float) -> pd.Series:
    """Open at quarter end / filled in the quarter; missing where filled is below min_filled (rounding noise)."""
    filled = vacancies["vacancies_filled"]
    return (vacancies["vacancies_open"] / filled).where(filled >= min_filled)


def yoy_growth(frame: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """Percent change on the same period a year earlier, within each series (keys) and at the same frequency."""
    earlier = frame[keys + ["period", "value"]].rename(columns={"period": "earlier", "value": "earlier_value"})
    out = frame.assign(earlier=frame["period"].map(calendar.year_earlier))
    out = out.merge(earlier, on=keys + ["earlier"], how="inner")
    out = out[out["earlier_value"] > 0]
    return out.assign(value=(out["value"] / out["earlier_value"] - 1.0) * 100.0).drop(columns=["earlier",
                                                                                               "earlier_value"])


def as_of(values: pd.DataFrame, grid: pd.DataFrame, on: list[str], max_age_quarters: int) -> pd.DataFrame:
    """For each grid row (on + end_q), the latest value with value end_q <= grid end_q and at most max_age older."""
    if values.empty or grid.empty:
        return grid.assign(value=np.nan, value_period="").iloc[0:0]
    left = grid.sort_values("end_q").reset_index(drop=True)
    right = values[on + ["end_q", "value", "period"]].rename(columns={"period": "value_period"})
    right = right.assign(value_end_q=right["end_q"]).sort_values("end_q")
    merged = pd.merge_asof(left, right, on="end_q", by=on, direction="backward",
                           tolerance=max_age_quarters if max_age_quarters > 0 else 0)
    merged = merged.drop(columns="value_end_q")
    return merged.dropna(subset=["value"])


def sector_values(conn: sqlite3.Connection, min_filled: float) -> pd.DataFrame:
    """Sector indicator values at the periods they describe (before any as-of alignment)."""
    vacancies = sector_vacancies(conn)
    base = vacancies.assign(family="sector", country="NL", region="")
    ratio = base.assign(indicator="open_filled_ratio", value=open_filled_ratio(vacancies, min_filled))
    opened = base.assign(value=base["vacancies_open"])
    growth = yoy_growth(opened[ENTITY + ["period", "end_q", "value"]], ENTITY).assign(indicator="open_vacancies_yoy")
    annual = read(conn, """
        SELECT sector_scheme AS scheme, sector_code AS code, indicator, period, value FROM observation
        WHERE dataset_id = ? AND breakdown = '' AND region = '' AND indicator IN ('jobs', 'hourly_wage_mean')
          AND value IS NOT NULL AND length(period) = 4""", (SECTOR_JOBS_WAGES_DATASET,))
    annual = annual.assign(family="sector", country="NL", region="", end_q=annual["period"].map(calendar.end_quarter))
    keys = ENTITY + ["indicator"]
    annual_growth = yoy_growth(annual, keys)
    annual_growth["indicator"] = annual_growth["indicator"].map({"jobs": "jobs_growth",
                                                                 "hourly_wage_mean": "hourly_wage_growth"})
    jobs = annual[annual["indicator"] == "jobs"]
    grid = base[ENTITY + ["period", "end_q", "vacancies_open"]]
    per_jobs = as_of(jobs, grid, ENTITY, max_age_quarters=4)
    per_jobs = per_jobs.assign(indicator="vacancies_per_1000_jobs",
                               value=per_jobs["vacancies_open"] / per_jobs["value"] * 1000.0)
    parts = [ratio, growth, annual_growth, per_jobs]
    return pd.concat([p.reindex(columns=VALUE_COLUMNS) for p in parts], ignore_index=True).dropna(subset=["value"])


def occupation_values(conn: sqlite3.Connection) -> pd.DataFrame:
    """Occupation indicator values (any occupation scheme) at the periods they describe; growth within one table."""
    rows = read(conn, f"""
        SELECT dataset_id, country, region, occupation_scheme AS scheme, occupation_code AS code, indicator,
               breakdown, period, value FROM observation
        WHERE occupation_scheme <> '' AND sector_scheme = '' AND value IS NOT NULL
          AND indicator IN ({", ".join("?" for _ in OCCUPATION_INDICATORS)})""", OCCUPATION_INDICATORS)
    rows = rows.assign(family="occupation", end_q=rows["period"].map(calendar.end_quarter))
    total = rows[rows["breakdown"] == ""]
    keys = ["dataset_id"] + ENTITY
    employment = yoy_growth(total[total["indicator"] == "employed_persons"], keys).assign(indicator="employment_growth")
    wages = yoy_growth(total[total["indicator"] == "hourly_wage_median"], keys).assign(indicator="hourly_wage_growth")
    tension = total[total["indicator"] == "tension_ratio"]
    changers = total[total["indicator"] == "occupation_changers"]
    employed = total[total["indicator"] == "employed_persons"][keys + ["period", "value"]]
    change = changers.merge(employed, on=keys + ["period"], suffixes=("", "_employed"))
    change = change.assign(indicator="occupation_change_rate",
                           value=change["value"] / change["value_employed"] * 100.0)
    parts = [employment, wages, tension, change]
    values = pd.concat([p.sort_values("dataset_id", kind="stable").reindex(columns=VALUE_COLUMNS) for p in parts],
                       ignore_index=True)
    # Two tables can describe the same occupation and period: keep one value, the table listed last alphabetically
    # (newer CBS tables carry higher numbers), so the choice is stable.
    return values.drop_duplicates(ENTITY + ["indicator", "period"], keep="last").reset_index(drop=True)
