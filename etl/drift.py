"""Drift checks: what a new snapshot lost or changed against the last good snapshot of the same dataset."""

from __future__ import annotations

import pandas as pd

from etl import observation, periods

# A new snapshot is held back when it lacks more than this share of the previous snapshot's figures.
ROWS_LOST_SHARE = 0.10
# ... or when more than this many of the previous snapshot's periods are gone altogether.
PERIODS_LOST_ALLOWED = 0
# ... or when a measure (indicator), a dimension or an indicator's unit appears or disappears.
MEASURES_MAY_CHANGE = False
DIMENSIONS_MAY_CHANGE = False
UNITS_MAY_CHANGE = False
LISTED = 5  # how many lost periods or changed names one line shows

DIMENSION_COLUMNS = ["region", "occupation_scheme", "sector_scheme"]


def changes(previous: pd.DataFrame, new: pd.DataFrame) -> list[str]:
    """Plain descriptions of each suspicious difference (empty when the new snapshot looks like a normal update)."""
    found = []
    old_keys, new_keys = observation.shared_key_ids(previous, new)
    lost_rows = int((~pd.Series(pd.unique(old_keys)).isin(new_keys)).sum())
    if previous.shape[0] and lost_rows / previous.shape[0] > ROWS_LOST_SHARE:
        found.append(f"{lost_rows} of {previous.shape[0]} figures missing ({lost_rows / previous.shape[0]:.0%})")
    lost_periods = _per_dataset(previous, "period") - _per_dataset(new, "period")
    if len(lost_periods) > PERIODS_LOST_ALLOWED:
        found.append(f"periods gone: {_listed(lost_periods, sort=lambda pair: (pair[0], periods.sort_key(pair[1])))}")
    if not MEASURES_MAY_CHANGE:
        found += _set_change("measures", _per_dataset(previous, "indicator"), _per_dataset(new, "indicator"))
    if not DIMENSIONS_MAY_CHANGE:
        found += _set_change("dimensions", _dimensions(previous), _dimensions(new))
    if not UNITS_MAY_CHANGE:
        old_units, new_units = _units(previous), _units(new)
        changed = {i: (old_units[i], new_units[i]) for i in old_units.keys() & new_units.keys()
                   if old_units[i] != new_units[i]}
        if changed:
            found.append("units changed: " + ", ".join(f"{i} {old} -> {new}" for i, (old, new) in sorted(changed.items())))
    return found


def _per_dataset(frame: pd.DataFrame, column: str) -> set[tuple[str, str]]:
    return observation.distinct_pairs(frame, "dataset_id", column)


def _dimensions(frame: pd.DataFrame) -> set[tuple[str, str]]:
    """(dataset, dimension) for each dimension the rows use: region, schemes and the names in `breakdown`."""
    used = set()
    for column in DIMENSION_COLUMNS:
        used |= {(d, f"{column} {v}" if column.endswith("scheme") else column)
                 for d, v in observation.distinct_pairs(frame, "dataset_id", column) if v != ""}
    for dataset_id, breakdown in observation.distinct_pairs(frame, "dataset_id", "breakdown"):
        if breakdown != "":
            used |= {(dataset_id, pair.split("=", 1)[0]) for pair in breakdown.split(";")}
    return used


def _units(frame: pd.DataFrame) -> dict[str, str]:
    pairs = frame[["dataset_id", "indicator", "unit"]].drop_duplicates()
    return {f"{d}/{i}": ",".join(sorted(g["unit"])) for (d, i), g in pairs.groupby(["dataset_id", "indicator"])}


def _set_change(what: str, old: set[tuple[str, str]], new: set[tuple[str, str]]) -> list[str]:
    found = []
    if old - new:
        found.append(f"{what} gone: {_listed(old - new)}")
    if new - old:
        found.append(f"{what} new: {_listed(new - old)}")
    return found


def _listed(pairs: set[tuple[str, str]], sort=None) -> str:
    ordered = sorted(pairs, key=sort)
    shown = ", ".join(f"{dataset} {name}" for dataset, name in ordered[:LISTED])
    return shown + (f" and {len(ordered) - LISTED} more" if len(ordered) > LISTED else "")
