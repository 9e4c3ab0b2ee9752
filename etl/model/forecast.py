"""Sector forecasts 1-4 quarters ahead (open vacancies, open/filled ratio) with a rolling-origin backtest.

Model: for horizon h, a ridge regression pooled over NACE sections predicts the year-on-year log change at the
target quarter from the latest year-on-year changes, the move since that quarter a year earlier, the level
against its five-year mean and the all-sectors change; the forecast is the same quarter a year earlier times
that change (seasonal naive plus a learned drift).
At every origin t the model is refitted on pairs whose target quarter is <= t: nothing after t is used.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.linear_model import Ridge

from etl.model.panel import SectorPanel

FEATURES = ["yoy_now", "yoy_lag1", "yoy_lag2", "since_base", "level_gap", "total_yoy_now"]
MODEL = "ridge_yoy"
BASELINES = ["persistence", "seasonal_naive"]


def _shift(matrix: np.ndarray, k: int) -> np.ndarray:
    """matrix[t - k] at row t (NaN where t - k is outside); negative k looks ahead."""
    out = np.full(matrix.shape, np.nan)
    if k >= 0:
        out[k:] = matrix[: matrix.shape[0] - k]
    else:
        out[:k] = matrix[-k:]
    return out


def _trailing_mean(matrix: np.ndarray, window: int) -> np.ndarray:
    """Mean of rows t-window+1..t, NaN unless all of them are present."""
    out = np.full(matrix.shape, np.nan)
    for t in range(window - 1, matrix.shape[0]):
        block = matrix[t - window + 1: t + 1]
        out[t] = np.where(np.isnan(block).any(axis=0), np.nan, block.mean(axis=0))
    return out


def seasonal_scale(levels: np.ndarray, season: int) -> np.ndarray:
    """At row t and series s: mean |y_q - y_(q-season)| over q <= t (the MASE denominator as of t)."""
    diffs = np.abs(levels - _shift(levels, season))
    present = ~np.isnan(diffs)
    sums = np.cumsum(np.where(present, diffs, 0.0), axis=0)
    counts = np.cumsum(present, axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(counts > 0, sums / np.maximum(counts, 1), np.nan)


def design(panel: SectorPanel, indicator: str, horizon: int, settings: dict) -> pd.DataFrame:
    """One row per (origin row t, series): features known at t, the target change, the baselines and the actual."""
    season = settings["forecast"]["season"]
    levels = panel.values[indicator]
    with np.errstate(divide="ignore", invalid="ignore"):
        logs = np.where(levels > 0, np.log(levels), np.nan)
    yoy = logs - _shift(logs, season)
    total = panel.total()
    total_yoy = np.repeat(yoy[:, [total]], levels.shape[1], axis=1) if total is not None else np.full(yoy.shape, np.nan)
    same_quarter_before = _shift(levels, season - horizon)  # y(t+h-season), known at t because h <= season
    columns = {
        "yoy_now": yoy, "yoy_lag1": _shift(yoy, 1), "yoy_lag2": _shift(yoy, 2),
        # how far the series moved since the base quarter: lets the fit lean towards persistence where it pays
        "since_base": logs - _shift(logs, season - horizon),
        "level_gap": logs - _trailing_mean(logs, settings["forecast"]["level_window_quarters"]),
        "total_yoy_now": total_yoy,
        "target_change": _shift(logs, -horizon) - np.log(np.where(same_quarter_before > 0, same_quarter_before,
                                                                   np.nan)),
        "persistence": levels, "seasonal_naive": same_quarter_before,
        "actual": _shift(levels, -horizon), "scale": seasonal_scale(levels, season),
    }
    rows, cols = np.indices(levels.shape)
    frame = pd.DataFrame({"row": rows.ravel(), "series": cols.ravel()})
    for name, matrix in columns.items():
        frame[name] = matrix.ravel()
    frame["horizon"] = horizon
    frame["target_row"] = frame["row"] + horizon
    return frame


def fit_predict(frame: pd.DataFrame, origin: int, train_series: np.ndarray, alpha: float) -> pd.DataFrame:
    """Fit on rows whose target quarter is <= origin (train_series only) and forecast every series at origin."""
    usable = frame[FEATURES + ["target_change"]].notna().all(axis=1)
    train = frame[usable & (frame["target_row"] <= origin) & frame["series"].isin(train_series)]
    current = frame[(frame["row"] == origin) & frame[FEATURES].notna().all(axis=1)
                    & frame["seasonal_naive"].notna()].copy()
    if len(train) < len(FEATURES) * 4 or current.empty:
        return current.iloc[0:0].assign(forecast=np.nan)
    model = Ridge(alpha=alpha).fit(train[FEATURES].to_numpy(), train["target_change"].to_numpy())
    change = model.predict(current[FEATURES].to_numpy())
    current["forecast"] = current["seasonal_naive"].to_numpy() * np.exp(change)
    return current


def backtest(panel: SectorPanel, indicator: str, origins: list[int], alpha: float, settings: dict,
             series: np.ndarray) -> pd.DataFrame:
    """Forecasts from every origin and horizon whose target is observed, for the given series."""
    parts = []
    for horizon in settings["forecast"]["horizons"]:
        frame = design(panel, indicator, horizon, settings)
        for origin in origins:
            if origin + horizon >= panel.quarters:
                continue
            predicted = fit_predict(frame, origin, series, alpha)
            parts.append(predicted[predicted["series"].isin(series) & predicted["actual"].notna()])
    out = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()
    return out.assign(indicator=indicator, alpha=alpha)


def choose_alpha(panel: SectorPanel, indicator: str, origins: list[int], settings: dict,
                 series: np.ndarray) -> tuple[float, dict]:
    """The ridge penalty with the lowest mean scaled error over the validation origins only."""
    errors = {}
    for alpha in settings["forecast"]["ridge_alpha_candidates"]:
        result = backtest(panel, indicator, origins, alpha, settings, series)
        errors[alpha] = float(((result["forecast"] - result["actual"]).abs() / result["scale"]).mean())
    best = min(errors, key=lambda a: (errors[a], a))
    return best, errors


def forward(panel: SectorPanel, indicator: str, alpha: float, settings: dict, train_series: np.ndarray) -> pd.DataFrame:
    """Forecasts from the last observed quarter for every series, 1..4 quarters ahead."""
    origin = panel.quarters - 1
    parts = [fit_predict(design(panel, indicator, h, settings), origin, train_series, alpha)
             for h in settings["forecast"]["horizons"]]
    return pd.concat(parts, ignore_index=True).assign(indicator=indicator, alpha=alpha)
