"""Backtest metrics as sums per evaluated period, so each metric and its period-bootstrap interval share one formula.

Every metric is a ratio of two sums over predictions (numerator, denominator); a 0/0 ratio counts as 0 (as
scikit-learn's zero_division=0 does), which is how persistence, predicting no change, scores 0 on change metrics.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

CHANGE_METRICS = ["change_f1", "change_precision", "change_recall"]
CLASS_METRICS = CHANGE_METRICS + ["f1"]


def ratio(numerator: float, denominator: float) -> float:
    return float(numerator / denominator) if denominator else 0.0


def class_parts(frame: pd.DataFrame, positive: str | int = 1) -> pd.DataFrame:
    """Per-row numerators/denominators for class predictions.

    frame columns: current (class at the origin), actual (class at the target period), predicted.
    A change is a target class different from the current one; a change is caught when predicted and actual both
    differ from the current class and the predicted class is the actual one.
    """
    actual_change = frame["actual"] != frame["current"]
    predicted_change = frame["predicted"] != frame["current"]
    caught = actual_change & predicted_change & (frame["predicted"] == frame["actual"])
    hit = (frame["actual"] == positive) & (frame["predicted"] == positive)
    return pd.DataFrame({
        "change_f1": 2.0 * caught, "change_f1_den": predicted_change * 1.0 + actual_change * 1.0,
        "change_precision": caught * 1.0, "change_precision_den": predicted_change * 1.0,
        "change_recall": caught * 1.0, "change_recall_den": actual_change * 1.0,
        "f1": 2.0 * hit, "f1_den": (frame["actual"] == positive) * 1.0 + (frame["predicted"] == positive) * 1.0,
    }, index=frame.index)


def brier_parts(probability: pd.Series, actual: pd.Series) -> pd.DataFrame:
    return pd.DataFrame({"brier": (probability - actual) ** 2, "brier_den": 1.0}, index=probability.index)


def forecast_parts(forecast: pd.Series, actual: pd.Series, scale: pd.Series) -> pd.DataFrame:
    """MASE: absolute error divided by the series' in-sample seasonal-naive MAE (up to the origin); also MAE."""
    error = (forecast - actual).abs()
    return pd.DataFrame({"mase": error / scale, "mase_den": 1.0, "mae": error, "mae_den": 1.0}, index=forecast.index)


def seasonal_naive_scale(history: np.ndarray, season: int) -> float:
    """Mean absolute seasonal difference of a history (Hyndman & Koehler's MASE denominator); NaNs are skipped."""
    diffs = np.abs(history[season:] - history[:-season])
    diffs = diffs[~np.isnan(diffs)]
    return float(diffs.mean()) if len(diffs) else np.nan


def summarise(parts: pd.DataFrame, periods: pd.Series, metric: str, samples: int, seed: int,
              min_periods: int) -> dict:
    """Value, n, period count and a 95% percentile interval from resampling whole periods (None when too few)."""
    by_period = pd.DataFrame({"num": parts[metric], "den": parts[f"{metric}_den"], "period": periods}).groupby(
        "period", sort=True)[["num", "den"]].sum()
    numerator, denominator = by_period["num"].to_numpy(), by_period["den"].to_numpy()
    value = ratio(numerator.sum(), denominator.sum())
    low = high = None
    if len(by_period) >= min_periods and denominator.sum() > 0:
        rng = np.random.default_rng(seed)
        draws = rng.integers(0, len(by_period), size=(samples, len(by_period)))
        num, den = numerator[draws].sum(axis=1), denominator[draws].sum(axis=1)
        boot = np.divide(num, den, out=np.zeros_like(num, dtype=float), where=den > 0)
        low, high = (float(x) for x in np.percentile(boot, [2.5, 97.5]))
    return {"value": value, "ci_low": low, "ci_high": high, "n": int(len(parts)), "n_periods": int(len(by_period))}
