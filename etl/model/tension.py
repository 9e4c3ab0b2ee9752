"""Sector tension classes: slack / normal / tight against the sector's own open/filled ratios in a stated window up to t."""

from __future__ import annotations

import numpy as np
import pandas as pd

SLACK, NORMAL, TIGHT = "slack", "normal", "tight"
ORDER = [SLACK, NORMAL, TIGHT]  # ranked: the ranked probability score compares cumulative probabilities in this order


def thresholds(ratio: np.ndarray, settings: dict) -> tuple[np.ndarray, np.ndarray]:
    """Per quarter row t and series: the low and high quantiles of that series' ratios in the window ending at t.

    The window is the last window_quarters quarters (a fixed length, so the bar does not drift with the length of
    history); NaN where it holds fewer than min_history_quarters ratios, so no class is given without enough history.
    """
    tension = settings["tension"]
    rolling = pd.DataFrame(ratio).rolling(tension["window_quarters"], min_periods=tension["min_history_quarters"])
    low = rolling.quantile(tension["slack_below_quantile"], interpolation="linear").to_numpy()
    high = rolling.quantile(tension["tight_above_quantile"], interpolation="linear").to_numpy()
    return low, high


def class_index(values: np.ndarray, low: np.ndarray, high: np.ndarray) -> np.ndarray:
    """0 slack, 1 normal, 2 tight; -1 where the value or a threshold is missing."""
    out = np.where(values > high, 2, np.where(values < low, 0, 1))
    out[np.isnan(values) | np.isnan(low) | np.isnan(high)] = -1
    return out


def names(index: np.ndarray) -> np.ndarray:
    """Class names for class indexes; '' for -1."""
    return np.array([""] + ORDER, dtype=object)[np.asarray(index) + 1]
