"""Transparent shortage score in the style of the BA Engpassanalyse: each indicator 0-3 against its distribution.

For every period and indicator, the cut-offs are the quantiles (settings: 25/50/75 %) of the values across the
reference entities (NACE sections; BRC occupation groups). An entity scores one point per cut-off its value
exceeds in the tighter direction; the mean over scored indicators gives shortage / watch / none.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from etl.model import calendar, features

SHORTAGE = "shortage"
WATCH = "watch"
NONE = "none"
INSUFFICIENT = "insufficient"
SECTOR_REFERENCE_SCHEME = "nace2"  # the all-sectors total and SBI subclasses are scored against NACE sections


def classify(mean_score: float, n_scored: int, settings: dict) -> str:
    """Shortage / watch / none from the mean score; 'insufficient' when too few indicators were scored."""
    score = settings["score"]
    if n_scored < score["min_scored_indicators"] or np.isnan(mean_score):
        return INSUFFICIENT
    if mean_score >= score["shortage_at_or_above"]:
        return SHORTAGE
    if mean_score < score["none_below"]:
        return NONE
    return WATCH


def points(values: np.ndarray, cutoffs: np.ndarray, direction: int) -> np.ndarray:
    """0-3 points: how many cut-offs each value exceeds (direction +1) or falls below (direction -1)."""
    if direction > 0:
        return (values[:, None] > cutoffs[None, :]).sum(axis=1).astype(float)
    return (values[:, None] < cutoffs[None, :]).sum(axis=1).astype(float)


def grid(values: pd.DataFrame, family: str) -> pd.DataFrame:
    """The entity-periods to score: quarters for sectors, calendar years (as of their last quarter) for occupations."""
    if values.empty:
        return pd.DataFrame(columns=features.ENTITY + ["period", "end_q"])
    if family == "sector":
        out = values[values["period"].map(calendar.is_quarter)][features.ENTITY + ["period", "end_q"]]
    else:
        out = values.assign(period=values["period"].str[:4])[features.ENTITY + ["period"]]
        out = out.assign(end_q=out["period"].map(calendar.end_quarter))
    return out.drop_duplicates().sort_values(features.ENTITY + ["end_q"]).reset_index(drop=True)


def aligned(values: pd.DataFrame, cells: pd.DataFrame, definitions: list[dict], family: str) -> pd.DataFrame:
    """One row per cell and defined indicator: the as-of value (NaN when there is none)."""
    # A yearly cell is described by any value from within its year, and by older ones up to max_age_quarters.
    within_cell = 3 if family == "occupation" else 0
    parts = []
    for definition in definitions:
        own = values[values["indicator"] == definition["name"]]
        tolerance = max(definition["max_age_quarters"], within_cell)
        found = features.as_of(own, cells, features.ENTITY, tolerance)
        full = cells.merge(found[features.ENTITY + ["end_q", "value", "value_period"]],
                           on=features.ENTITY + ["end_q"], how="left")
        parts.append(full.assign(indicator=definition["name"], direction=definition["direction"]))
    out = pd.concat(parts, ignore_index=True)
    out["value_period"] = out["value_period"].fillna("")
    return out


def score(values: pd.DataFrame, levels: pd.DataFrame, definitions: list[dict], family: str,
          settings: dict) -> pd.DataFrame:
    """Scored indicator rows for every entity-period with at least one value, plus its mean score and class.

    levels: scheme, code, level (from the sector/occupation code lists) to find the reference entities.
    """
    cells = grid(values, family)
    rows = aligned(values, cells, definitions, family)
    has_any = rows.dropna(subset=["value"])[features.ENTITY + ["end_q"]].drop_duplicates()
    rows = rows.merge(has_any, on=features.ENTITY + ["end_q"], how="inner")
    rows = rows.merge(levels, on=["scheme", "code"], how="left")
    rows["level"] = rows["level"].fillna("")
    reference_level = settings["score"]["reference_level"]
    rows["reference_scheme"] = SECTOR_REFERENCE_SCHEME if family == "sector" else rows["scheme"]
    # A scheme without a reference level (UWV groups, VDAB titles) is ranked across all of its entities.
    wanted_level = rows["scheme"].map(lambda scheme: reference_level.get(scheme, ""))
    rows["is_reference"] = (((wanted_level == "") | (wanted_level == rows["level"]))
                            & ((family == "occupation") | (rows["scheme"] == SECTOR_REFERENCE_SCHEME)))
    quantiles = settings["score"]["quantiles"]
    minimum = settings["score"]["min_reference_entities"]
    rows["score"] = np.nan
    rows["reference_n"] = 0
    for name in [f"cut_{round(q * 100)}" for q in quantiles]:
        rows[name] = np.nan
    rows["note"] = ""
    cut_names = [f"cut_{round(q * 100)}" for q in quantiles]
    keys = ["reference_scheme", "period", "indicator"]
    reference = rows[rows["is_reference"] & rows["value"].notna()]
    # One grouped quantile per cut-off for all groups at once (linear interpolation, as numpy's default).
    cuts = pd.concat({name: reference.groupby(keys)["value"].quantile(q) for name, q in zip(cut_names, quantiles,
                                                                                              strict=True)}, axis=1)
    cuts["reference_n"] = reference.groupby(keys).size()
    rows = rows.drop(columns=cut_names + ["reference_n"]).merge(cuts.reset_index(), on=keys, how="left")
    rows["reference_n"] = rows["reference_n"].fillna(0).astype(int)
    has_value = rows["value"].notna()
    unscored = rows["direction"] == 0
    thin = ~unscored & (rows["reference_n"] < minimum)
    rows.loc[thin, cut_names] = np.nan
    rows.loc[has_value & unscored, "note"] = "not scored: direction not established"
    rows.loc[has_value & thin, "note"] = [f"not ranked: {n} reference values" for n in rows.loc[has_value & thin,
                                                                                                   "reference_n"]]
    scored = has_value & ~unscored & ~thin
    cutoffs, values, direction = rows[cut_names].to_numpy(), rows["value"].to_numpy()[:, None], rows["direction"].to_numpy()
    passed = np.where(direction[:, None] > 0, values > cutoffs, values < cutoffs).sum(axis=1).astype(float)
    rows["score"] = np.where(scored, passed, np.nan)
    rows.loc[unscored, cut_names] = np.nan
    summary = rows.groupby(features.ENTITY + ["period"], sort=False)["score"].agg(["mean", "count"])
    summary = summary.rename(columns={"mean": "mean_score", "count": "n_scored"}).reset_index()
    summary["class"] = [classify(m, n, settings) for m, n in zip(summary["mean_score"], summary["n_scored"],
                                                                 strict=True)]
    # Only indicators with a value are stored: an entity's missing indicators are the defined ones not listed.
    out = rows[rows["value"].notna()].merge(summary, on=features.ENTITY + ["period"], how="left")
    return out.drop(columns=["reference_scheme", "is_reference"]).sort_values(
        features.ENTITY + ["end_q", "indicator"]).reset_index(drop=True)
