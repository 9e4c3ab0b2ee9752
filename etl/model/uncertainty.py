"""Forecast distributions from the errors of earlier forecasts: 80% intervals and class probabilities, calibrated.

At origin t only forecasts whose target quarter is <= t have a known error, so the interval, the class
probabilities and their calibration at t use nothing after t (an online split-conformal scheme on the log scale).
"""

from __future__ import annotations

import numpy as np


class KnownErrors:
    """Log errors of one method and horizon, ordered by target row, to look up those known at an origin."""

    def __init__(self, target_rows: np.ndarray, errors: np.ndarray):
        order = np.argsort(target_rows, kind="stable")
        self.target_rows, self.errors = target_rows[order], errors[order]

    def at(self, origin: int) -> np.ndarray:
        """Sorted errors of the forecasts whose target row is <= origin."""
        return np.sort(self.errors[: int(np.searchsorted(self.target_rows, origin, side="right"))])


def interval(forecast: np.ndarray, known: np.ndarray, coverage: float, min_errors: int) -> tuple[np.ndarray, np.ndarray]:
    """Central interval forecast x exp(error quantiles); NaN when fewer than min_errors errors are known."""
    if len(known) < min_errors:
        empty = np.full(np.shape(forecast), np.nan)
        return empty, empty.copy()
    low, high = np.quantile(known, [(1 - coverage) / 2, (1 + coverage) / 2])
    return forecast * np.exp(low), forecast * np.exp(high)


def below_above(log_forecast: np.ndarray, log_low: np.ndarray, log_high: np.ndarray,
                known: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """P(value < low) and P(value > high) when the log value is log_forecast plus one of the known errors."""
    n = len(known)
    below = np.searchsorted(known, log_low - log_forecast, side="left") / n
    above = 1.0 - np.searchsorted(known, log_high - log_forecast, side="right") / n
    return below, above


def calibrate(raw: np.ndarray, past_raw: np.ndarray, past_outcome: np.ndarray, min_pairs: int) -> np.ndarray:
    """Raw probabilities mapped through an isotonic fit on earlier (raw probability, outcome) pairs.

    Unchanged when fewer than min_pairs pairs, or a single outcome, are known.
    """
    if len(past_raw) < min_pairs or np.unique(past_outcome).size < 2:
        return raw
    from sklearn.isotonic import IsotonicRegression  # scikit-learn loads scipy.stats: only where calibration runs

    return IsotonicRegression(out_of_bounds="clip").fit(past_raw, past_outcome).predict(raw)


def markov(current: np.ndarray, past_current: np.ndarray, past_next: np.ndarray, classes: int,
           prior: float) -> np.ndarray:
    """Markov persistence: P(class at t+h | class at t) counted on earlier pairs, plus `prior` per cell."""
    counts = np.full((classes, classes), prior)
    np.add.at(counts, (past_current, past_next), 1.0)
    return (counts / counts.sum(axis=1, keepdims=True))[current]
