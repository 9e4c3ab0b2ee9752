"""Occupation targets (VDAB shortage list, UWV 'zeer krap'): their labels, whether they can be evaluated, and why not.

A period counts as labelled only when the full list is there: partial evidence (a breakdown such as
'evidence=top10') is never read as a full list, and a period with fewer entities than the target requires
(e.g. five UWV groups quoted in an article) is not a label set.
"""

from __future__ import annotations

import operator
import sqlite3

import numpy as np
import pandas as pd

from etl.model import calendar, features

PARTIAL_KINDS_SHOWN = 3  # the reason names a few kinds of partial evidence, not all of them
COMPARISONS = {">=": operator.ge, ">": operator.gt, "<=": operator.le, "<": operator.lt, "==": operator.eq}


def labels(conn: sqlite3.Connection, target: dict) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(complete labels, partial rows) for a target: code, period, value, label (0/1)."""
    rows = features.read(conn, """
        SELECT occupation_code AS code, breakdown, period, value FROM observation
        WHERE indicator = ? AND country = ? AND region = ? AND occupation_scheme = ? AND sector_scheme = ''
          AND value IS NOT NULL""", (target["indicator"], target["country"], target["region"],
                                     target["occupation_scheme"]))
    symbol, threshold = target["positive_when"].split()
    compare = COMPARISONS[symbol]
    rows["label"] = compare(rows["value"], float(threshold)).astype(int)
    complete, partial = rows[rows["breakdown"] == ""].drop(columns="breakdown"), rows[rows["breakdown"] != ""]
    if target.get("absent_is_negative") and len(complete):
        # A list names only what is on it: an occupation on another year's full list is off this year's one.
        grid = pd.MultiIndex.from_product([sorted(set(complete["code"])), sorted(set(complete["period"]))],
                                          names=["code", "period"]).to_frame(index=False)
        complete = grid.merge(complete, on=["code", "period"], how="left")
        complete["label"] = complete["label"].fillna(0).astype(int)
    return complete, partial


def complete_periods(complete: pd.DataFrame, target: dict) -> list[str]:
    """Periods whose label set is large enough to be a full list, in time order."""
    sizes = complete.groupby("period")["code"].nunique()
    enough = sizes[sizes >= target.get("min_entities_per_period", 1)]
    return sorted(enough.index, key=calendar.end_quarter)


def assess(conn: sqlite3.Connection, name: str, target: dict, occupation_values: pd.DataFrame) -> dict:
    """Whether a target has labelled history to train and evaluate on; the reason in plain words if not."""
    complete, partial = labels(conn, target)
    periods = complete_periods(complete, target)
    scheme = target["occupation_scheme"]
    has_features = not occupation_values[occupation_values["scheme"] == scheme].empty
    problems = []
    if len(periods) < target["min_complete_periods"]:
        seen = ", ".join(periods) if periods else "none"
        problems.append(f"complete labels for {len(periods)} period(s) ({seen}); at least "
                        f"{target['min_complete_periods']} consecutive are needed (two to train, one to evaluate)")
    partial_only = partial[~partial["period"].isin(periods)]
    if len(partial_only):
        years = ", ".join(sorted(set(partial_only["period"]), key=calendar.end_quarter))
        kinds = sorted(set(partial_only["breakdown"]), key=lambda k: (len(k), k))
        shown = ", ".join(kinds[:PARTIAL_KINDS_SHOWN]) + (", ..." if len(kinds) > PARTIAL_KINDS_SHOWN else "")
        problems.append(f"partial evidence for {years} ({shown}) is not a full list and is not used")
    thin = complete.groupby("period")["code"].nunique()
    thin = thin[thin < target.get("min_entities_per_period", 1)]
    if len(thin):
        problems.append("too few entities to be a label set in " + ", ".join(
            f"{p} ({n})" for p, n in thin.sort_index().items()))
    if not has_features:
        problems.append(f"no indicator by {scheme} occupation in the database to predict from")
    evaluable = len(periods) >= target["min_complete_periods"] and has_features
    return {"target": name, "country": target["country"], "kind": "classifier", "evaluable": int(evaluable),
            "reason": "" if evaluable else "; ".join(problems), "labelled_periods": ",".join(periods),
            "about": target["about"]}


def panel(conn: sqlite3.Connection, target: dict, occupation_values: pd.DataFrame,
          definitions: list[dict]) -> tuple[pd.DataFrame, list[str], list[str]]:
    """Classifier panel for an evaluable target: features as of each labelled period t, label at the next one.

    Returns (panel, feature columns, period labels by row index).
    """
    complete, _ = labels(conn, target)
    periods = complete_periods(complete, target)
    complete = complete[complete["period"].isin(periods)]
    index = {p: i for i, p in enumerate(periods)}
    grid = complete[["code", "period"]].assign(end_q=complete["period"].map(calendar.end_quarter))
    own = occupation_values[occupation_values["scheme"] == target["occupation_scheme"]]
    feature_columns = []
    for definition in definitions:
        values = own[own["indicator"] == definition["name"]]
        if values.empty:
            continue
        found = features.as_of(values[["code", "end_q", "value", "period"]], grid, ["code"],
                               definition["max_age_quarters"] + 3)
        grid = grid.merge(found[["code", "end_q", "value"]].rename(columns={"value": definition["name"]}),
                          on=["code", "end_q"], how="left")
        feature_columns.append(definition["name"])
    now = complete.assign(row=complete["period"].map(index))[["code", "row", "label"]]
    following = now.assign(row=now["row"] - 1).rename(columns={"label": "next_label"})
    out = now.merge(following, on=["code", "row"], how="left").rename(columns={"label": "current"})
    out = out.merge(grid.assign(row=grid["period"].map(index))[["code", "row"] + feature_columns],
                    on=["code", "row"], how="left")
    out = out.rename(columns={"next_label": "label"})
    out["label_row"] = out["row"] + 1
    out["entity"] = out["code"]
    out["tight_now"] = out["current"]
    feature_columns = ["tight_now"] + feature_columns
    # A missing indicator is made explicit as its own 0/1 column and a neutral value, not dropped silently.
    for column in feature_columns[1:]:
        out[f"{column}_missing"] = out[column].isna() * 1.0
        out[column] = out[column].fillna(0.0)
    feature_columns += [f"{c}_missing" for c in feature_columns[1:]]
    out["label"] = out["label"].astype(float)
    return out.replace([np.inf, -np.inf], np.nan), feature_columns, periods
