"""Backtest metrics as sums per evaluated period, and the paired moving-block bootstrap of model minus baseline.

Every metric is a ratio of two sums over predictions (numerator, denominator); a 0/0 ratio counts as 0 (as
scikit-learn's zero_division=0 does), which is how persistence, predicting no change, scores 0 on change_f1.
Errors of neighbouring quarters are correlated, so the bootstrap resamples runs of consecutive periods (blocks).
"""

from __future__ import annotations

from functools import cache
from typing import NamedTuple

import numpy as np
import pandas as pd

LOWER_IS_BETTER = {"mase", "mae", "brier", "rps"}


def ratio(numerator: float, denominator: float) -> float:
    return float(numerator / denominator) if denominator else 0.0


def forecast_parts(forecast: pd.Series, actual: pd.Series, scale: pd.Series) -> pd.DataFrame:
    """MASE: absolute error divided by the series' in-sample seasonal-naive MAE (up to the origin); also MAE."""
    error = (forecast - actual).abs()
    return pd.DataFrame({"mase": error / scale, "mase_den": 1.0, "mae": error, "mae_den": 1.0}, index=forecast.index)


def coverage_parts(low: pd.Series, high: pd.Series, actual: pd.Series) -> pd.DataFrame:
    inside = (actual >= low) & (actual <= high)
    return pd.DataFrame({"coverage_80": inside * 1.0, "coverage_80_den": 1.0}, index=actual.index)


def probability_parts(probabilities: np.ndarray, outcome: np.ndarray, event: int, index: pd.Index) -> pd.DataFrame:
    """Brier score of one event class and the ranked probability score over ordered classes.

    probabilities: rows x classes (ordered, e.g. slack, normal, tight); outcome: the observed class index per row.
    """
    observed = np.zeros_like(probabilities)
    observed[np.arange(len(outcome)), outcome] = 1.0
    rps = ((np.cumsum(probabilities, axis=1) - np.cumsum(observed, axis=1))[:, :-1] ** 2).sum(axis=1) \
        / (probabilities.shape[1] - 1)
    return pd.DataFrame({"brier": (probabilities[:, event] - observed[:, event]) ** 2, "brier_den": 1.0,
                         "rps": rps, "rps_den": 1.0}, index=index)


def change_parts(current: pd.Series, predicted: pd.Series, actual: pd.Series) -> pd.DataFrame:
    """change_f1 (a diagnostic): a change is caught when predicted and actual both leave the current class alike."""
    actual_change, predicted_change = actual != current, predicted != current
    caught = actual_change & predicted_change & (predicted == actual)
    return pd.DataFrame({"change_f1": 2.0 * caught, "change_f1_den": predicted_change * 1.0 + actual_change * 1.0},
                        index=current.index)


class PeriodSums(NamedTuple):
    """Every metric's numerator and denominator summed per evaluated period (sorted), and the number of rows."""

    sums: pd.DataFrame
    rows: int


def by_period(parts: pd.DataFrame, periods: pd.Series) -> PeriodSums:
    """Sum once per method: the paired comparisons of all its metrics against every baseline reuse the sums."""
    # grouped by a column's name: an array as the key makes pandas format it into an error message it then catches
    sums = parts.assign(period=periods.to_numpy()).groupby("period", sort=True).sum()
    return PeriodSums(sums, len(parts))


@cache  # the same few period counts recur in every scorecard row; callers only read the draws
def block_draws(n_periods: int, block: int, samples: int, seed: int) -> np.ndarray:
    """Indexes of a moving-block bootstrap: each sample joins random runs of `block` consecutive periods."""
    block = min(block, n_periods)
    blocks = -(-n_periods // block)
    rng = np.random.default_rng(seed)
    starts = rng.integers(0, n_periods - block + 1, size=(samples, blocks))
    return (starts[:, :, None] + np.arange(block)[None, None, :]).reshape(samples, -1)[:, :n_periods]


def _ratios(numerator: np.ndarray, denominator: np.ndarray, draws: np.ndarray) -> np.ndarray:
    num, den = numerator[draws].sum(axis=1), denominator[draws].sum(axis=1)
    return np.divide(num, den, out=np.zeros_like(num, dtype=float), where=den > 0)


def paired(model: PeriodSums, baseline: PeriodSums | None, metric: str, settings: dict) -> dict:
    """Model value, baseline value and a 95% moving-block bootstrap interval of model - baseline.

    Both are scored on the same rows; the interval is left empty with fewer periods than min_periods_for_interval.
    """
    backtest = settings["backtest"]
    numerator, denominator = (model.sums[c].to_numpy() for c in (metric, f"{metric}_den"))
    value = ratio(numerator.sum(), denominator.sum())
    out = {"value": value, "baseline_value": None, "diff_ci_low": None, "diff_ci_high": None,
           "n": int(model.rows), "n_periods": int(len(numerator))}
    if baseline is None:
        return out
    base_numerator, base_denominator = (baseline.sums[c].to_numpy() for c in (metric, f"{metric}_den"))
    out["baseline_value"] = ratio(base_numerator.sum(), base_denominator.sum())
    if len(numerator) >= backtest["min_periods_for_interval"] and denominator.sum() > 0:
        draws = block_draws(len(numerator), backtest["block_quarters"], backtest["bootstrap_samples"], settings["seed"])
        differences = _ratios(numerator, denominator, draws) - _ratios(base_numerator, base_denominator, draws)
        out["diff_ci_low"], out["diff_ci_high"] = (float(x) for x in np.percentile(differences, [2.5, 97.5]))
    return out


def reliability(probability: np.ndarray, outcome: np.ndarray, bins: int) -> pd.DataFrame:
    """Per probability bin: how many forecasts, their mean probability and how often the event happened."""
    edges = np.linspace(0.0, 1.0, bins + 1)
    which = np.clip(np.searchsorted(edges, probability, side="right") - 1, 0, bins - 1)
    frame = pd.DataFrame({"bin": which, "probability": probability, "outcome": outcome})
    grouped = frame.groupby("bin").agg(n=("outcome", "size"), mean_probability=("probability", "mean"),
                                       observed_rate=("outcome", "mean")).reset_index()
    return grouped.assign(bin_low=edges[grouped["bin"]], bin_high=edges[grouped["bin"] + 1]).drop(columns="bin")
