"""Ridge forecasts of each sector's year-on-year change and the simple baselines, from every origin, as matrices.

For horizon h the ridge predicts log y(t+h) - log y(t+h-season) from features known at t (recent year-on-year
changes, the move since the base quarter, the log level against its own five-year mean and the all-sectors change);
the forecast is the same quarter a year earlier times that change. At every origin t the ridge is refitted on pairs
whose target quarter is <= t: nothing after t is used. Every method's forecasts are (quarters x series) matrices
indexed by origin row, NaN where a method has no forecast.
"""

from __future__ import annotations

import warnings

import numpy as np

from etl.model.panel import SectorPanel

FEATURES = ["yoy_now", "yoy_lag1", "yoy_lag2", "since_base", "level_gap", "total_yoy_now"]
RIDGE = "ridge_yoy"
SIMPLE_BASELINES = ["persistence", "seasonal_naive", "sa_naive"]
MIN_TRAINING_ROWS_PER_FEATURE = 4


def shift(matrix: np.ndarray, k: int) -> np.ndarray:
    """matrix[t - k] at row t (NaN where t - k is outside); negative k looks ahead."""
    out = np.full(matrix.shape, np.nan)
    if k >= 0:
        out[k:] = matrix[: matrix.shape[0] - k]
    else:
        out[:k] = matrix[-k:]
    return out


def log(matrix: np.ndarray) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(matrix > 0, np.log(matrix), np.nan)


def _trailing_mean(matrix: np.ndarray, window: int) -> np.ndarray:
    """Mean of rows t-window+1..t, NaN unless all of them are present (cumulative sums, one pass)."""
    present = ~np.isnan(matrix)
    sums = np.vstack([np.zeros((1, matrix.shape[1])), np.cumsum(np.where(present, matrix, 0.0), axis=0)])
    counts = np.vstack([np.zeros((1, matrix.shape[1])), np.cumsum(present, axis=0)])
    out = np.full(matrix.shape, np.nan)
    if matrix.shape[0] >= window:
        window_sums, window_counts = sums[window:] - sums[:-window], counts[window:] - counts[:-window]
        out[window - 1:] = np.where(window_counts == window, window_sums / window, np.nan)
    return out


def seasonal_scale(levels: np.ndarray, season: int) -> np.ndarray:
    """At row t and series s: mean |y_q - y_(q-season)| over q <= t (the MASE denominator as of t)."""
    diffs = np.abs(levels - shift(levels, season))
    present = ~np.isnan(diffs)
    sums = np.cumsum(np.where(present, diffs, 0.0), axis=0)
    counts = np.cumsum(present, axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(counts > 0, sums / np.maximum(counts, 1), np.nan)


def seasonal_factors(logs: np.ndarray, season: int) -> np.ndarray:
    """Seasonal factors (log scale) as known at each origin row t: an array (rows, season, series).

    Factor k at t is the mean of log y minus its centred 2x4 moving average over the rows q of position k in the
    year (q % season == k) up to t - season/2, the last row whose centred average is known at t; the factors of a
    row are centred to sum to zero (classical decomposition, with nothing after t).
    """
    half = season // 2
    weights = np.r_[0.5, np.ones(season - 1), 0.5] / season
    centred = np.full(logs.shape, np.nan)
    for offset, weight in enumerate(weights):
        part = shift(logs, half - offset) * weight
        centred = part if offset == 0 else centred + part
    deviation = logs - centred
    present = ~np.isnan(deviation)
    rows, series = logs.shape
    factors = np.full((rows, season, series), np.nan)
    quarter_of_row = np.arange(rows) % season
    for k in range(season):
        own = np.where((quarter_of_row == k)[:, None] & present, deviation, 0.0)
        sums, counts = np.cumsum(own, axis=0), np.cumsum((quarter_of_row == k)[:, None] & present, axis=0)
        with np.errstate(invalid="ignore", divide="ignore"):
            mean = np.where(counts > 0, sums / np.maximum(counts, 1), np.nan)
        factors[:, k, :] = shift(mean, half)  # known at t: centred averages end at t - half
    with np.errstate(invalid="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # a row before any factor is known: all NaN, stays NaN
        return factors - np.nanmean(factors, axis=1, keepdims=True)


def baselines(levels: np.ndarray, horizon: int, season: int) -> dict[str, np.ndarray]:
    """Persistence, seasonal naive and seasonally adjusted naive forecasts for t + horizon, made at each row t."""
    logs = log(levels)
    factors = seasonal_factors(logs, season)
    rows = np.arange(levels.shape[0])
    now_factor, then_factor = factors[rows, rows % season, :], factors[rows, (rows + horizon) % season, :]
    return {"persistence": levels.copy(), "seasonal_naive": shift(levels, season - horizon),
            "sa_naive": np.exp(logs - now_factor + then_factor)}


def _features(panel: SectorPanel, indicator: str, horizon: int, settings: dict) -> tuple[np.ndarray, np.ndarray]:
    """(features: rows x series x FEATURES, target change: rows x series), both indexed by origin row."""
    season = settings["forecast"]["season"]
    logs = log(panel.values[indicator])
    yoy = logs - shift(logs, season)
    total = panel.total()
    total_yoy = np.repeat(yoy[:, [total]], logs.shape[1], axis=1) if total is not None else np.full(yoy.shape, np.nan)
    columns = [yoy, shift(yoy, 1), shift(yoy, 2),
               # how far the series moved since the base quarter: lets the fit lean towards persistence where it pays
               logs - shift(logs, season - horizon),
               logs - _trailing_mean(logs, settings["forecast"]["level_window_quarters"]), total_yoy]
    target = shift(logs, -horizon) - shift(logs, season - horizon)
    return np.stack(columns, axis=2), target


def ridge_paths(x: np.ndarray, y: np.ndarray, alphas: list[float]) -> tuple[np.ndarray, np.ndarray]:
    """Ridge with an unpenalised intercept for several penalties at once: (coefficients alphas x features, intercepts).

    scikit-learn's Ridge(solver="svd", fit_intercept=True) with one alpha per target, operation for operation (the
    same results to the last bit, tests/etl/model/test_forecast.py checks it) without its input validation, which
    cost 80% of the fit at 600 small fits per build.
    """
    alpha = np.asarray(alphas, dtype=float)
    x_offset = x.mean(axis=0)
    targets = np.repeat(y[:, None], len(alpha), axis=1)
    y_offset = targets.mean(axis=0)
    u, s, vt = np.linalg.svd(x - x_offset, full_matrices=False)
    kept = s > 1e-15  # scikit-learn's cut-off for a zero singular value
    shrink = np.zeros((len(s), len(alpha)))
    shrink[kept] = s[kept][:, None] / (s[kept][:, None] ** 2 + alpha)
    coefficients = (vt.T @ (shrink * (u.T @ (targets - y_offset)))).T
    return coefficients, y_offset - x_offset @ coefficients.T


def ridge(panel: SectorPanel, indicator: str, horizon: int, origins: list[int], settings: dict,
          train_series: np.ndarray) -> dict[float, np.ndarray]:
    """Ridge forecasts for t + horizon from each origin t, one (rows x series) matrix per candidate penalty."""
    alphas = settings["forecast"]["ridge_alpha_candidates"]
    season = settings["forecast"]["season"]
    levels = panel.values[indicator]
    x, target = _features(panel, indicator, horizon, settings)
    base = shift(levels, season - horizon)  # y(t+h-season), known at t because h <= season
    rows = np.arange(levels.shape[0])
    usable = ~np.isnan(x).any(axis=2) & ~np.isnan(target)
    usable[:, np.setdiff1d(np.arange(levels.shape[1]), train_series)] = False
    row_index, series_index = np.nonzero(usable)
    order = np.argsort(row_index + horizon, kind="stable")  # training pairs by target row: each fit is a prefix
    target_rows = (row_index + horizon)[order]
    train_x, train_y = x[row_index[order], series_index[order]], target[row_index[order], series_index[order]]
    out = {alpha: np.full(levels.shape, np.nan) for alpha in alphas}
    for origin in origins:
        known = int(np.searchsorted(target_rows, origin, side="right"))
        current = ~np.isnan(x[origin]).any(axis=1) & ~np.isnan(base[origin])
        if known < len(FEATURES) * MIN_TRAINING_ROWS_PER_FEATURE or not current.any() or origin not in rows:
            continue
        coefficients, intercepts = ridge_paths(train_x[:known], train_y[:known], alphas)
        change = x[origin][current] @ coefficients.T + intercepts  # series x alphas
        for i, alpha in enumerate(alphas):
            out[alpha][origin, current] = base[origin, current] * np.exp(change[:, i])
    return out
