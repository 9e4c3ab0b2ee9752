"""Sector tension classes: slack / normal / tight against the sector's own history of open/filled ratios up to t."""

from __future__ import annotations

import numpy as np

SLACK, NORMAL, TIGHT = "slack", "normal", "tight"


def thresholds(ratio: np.ndarray, settings: dict) -> tuple[np.ndarray, np.ndarray]:
    """Per quarter row t and series: the low and high quantiles of that series' ratios in rows <= t.

    NaN where fewer than min_history_quarters ratios exist up to t, so no class is given without enough history.
    """
    tension = settings["tension"]
    low = np.full(ratio.shape, np.nan)
    high = np.full(ratio.shape, np.nan)
    counts = np.cumsum(~np.isnan(ratio), axis=0)
    for t in range(ratio.shape[0]):
        enough = counts[t] >= tension["min_history_quarters"]
        if not enough.any():
            continue
        history = ratio[: t + 1, enough]
        low[t, enough] = np.nanquantile(history, tension["slack_below_quantile"], axis=0)
        high[t, enough] = np.nanquantile(history, tension["tight_above_quantile"], axis=0)
    return low, high


def classes(values: np.ndarray, low: np.ndarray, high: np.ndarray) -> np.ndarray:
    """Class names for values against thresholds (same shape); '' where the value or a threshold is missing."""
    out = np.where(values > high, TIGHT, np.where(values < low, SLACK, NORMAL)).astype(object)
    out[np.isnan(values) | np.isnan(low) | np.isnan(high)] = ""
    return out
