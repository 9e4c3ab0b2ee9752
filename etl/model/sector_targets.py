"""Sector tension targets from the panel: class transitions behind each forecast and the 'tight next quarter' panel."""

from __future__ import annotations

import numpy as np
import pandas as pd

from etl.model import forecast, tension
from etl.model.panel import SectorPanel

CLASSIFIER_FEATURES = ["ratio_vs_high", "ratio_vs_low", "ratio_yoy", "ratio_yoy_lag1", "open_yoy", "total_open_yoy",
                       "tight_now", "target_q1", "target_q2", "target_q3"]
# The ratio forecast made at t for t+1 (same thresholds): offered to the classifier as a candidate feature set,
# kept only if it scores better on the validation window.
FORECAST_FEATURES = ["forecast_vs_high", "forecast_vs_low"]
FEATURE_SETS = {"indicators": CLASSIFIER_FEATURES, "indicators+forecast": CLASSIFIER_FEATURES + FORECAST_FEATURES}


def _log(matrix: np.ndarray) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(matrix > 0, np.log(matrix), np.nan)


def tight_panel(panel: SectorPanel, settings: dict, ratio_forecast: np.ndarray | None = None) -> pd.DataFrame:
    """One row per (quarter t, series): features known at t, the class at t and whether t+1 is tight.

    Both classes use the thresholds of the series' own history up to t, so the label is comparable with the
    current class and needs nothing after t+1. ratio_forecast[t, s], if given, is the ratio forecast for t+1
    made at t (see one_step_ratio_forecasts).
    """
    ratio = panel.values["open_filled_ratio"]
    low, high = tension.thresholds(ratio, settings)
    season = settings["forecast"]["season"]
    now = tension.classes(ratio, low, high)
    following = tension.classes(forecast._shift(ratio, -1), low, high)
    log_ratio, log_open = _log(ratio), _log(panel.values["vacancies_open"])
    ratio_yoy = log_ratio - forecast._shift(log_ratio, season)
    open_yoy = log_open - forecast._shift(log_open, season)
    total = panel.total()
    rows, cols = np.indices(ratio.shape)
    target_quarter = (panel.first_q + rows + 1) % 4
    frame = pd.DataFrame({
        "row": rows.ravel(), "entity": cols.ravel(), "label_row": rows.ravel() + 1,
        "ratio_vs_high": (log_ratio - _log(high)).ravel(), "ratio_vs_low": (log_ratio - _log(low)).ravel(),
        "ratio_yoy": ratio_yoy.ravel(), "ratio_yoy_lag1": forecast._shift(ratio_yoy, 1).ravel(),
        "open_yoy": open_yoy.ravel(),
        "total_open_yoy": np.repeat(open_yoy[:, [total]], ratio.shape[1], axis=1).ravel() if total is not None
        else np.nan,
        "target_q1": (target_quarter == 0).ravel() * 1.0, "target_q2": (target_quarter == 1).ravel() * 1.0,
        "target_q3": (target_quarter == 2).ravel() * 1.0,
        "class_now": now.ravel(), "class_next": following.ravel(),
    })
    frame["current"] = np.where(frame["class_now"] == "", np.nan, (frame["class_now"] == tension.TIGHT) * 1.0)
    frame["label"] = np.where(frame["class_next"] == "", np.nan, (frame["class_next"] == tension.TIGHT) * 1.0)
    frame["tight_now"] = frame["current"]
    forecast_log = _log(ratio_forecast) if ratio_forecast is not None else np.full(ratio.shape, np.nan)
    frame["forecast_vs_high"] = (forecast_log - _log(high)).ravel()
    frame["forecast_vs_low"] = (forecast_log - _log(low)).ravel()
    return frame


def one_step_ratio_forecasts(panel: SectorPanel, alpha: float, settings: dict, train_series: np.ndarray) -> np.ndarray:
    """At each row t, the open/filled ratio forecast for t+1 from a model fitted on data <= t (NaN where none)."""
    frame = forecast.design(panel, "open_filled_ratio", 1, settings)
    out = np.full(panel.values["open_filled_ratio"].shape, np.nan)
    for origin in range(panel.quarters):
        predicted = forecast.fit_predict(frame, origin, train_series, alpha)
        out[predicted["row"].to_numpy(dtype=int), predicted["series"].to_numpy(dtype=int)] = predicted["forecast"]
    return out


def class_transitions(panel: SectorPanel, forecasts: pd.DataFrame, settings: dict) -> pd.DataFrame:
    """Ratio forecasts turned into tension classes against the thresholds as of each origin.

    forecasts: rows of forecast.backtest / forecast.forward for the open/filled ratio.
    Adds current, actual (when observed), predicted and the baselines' classes; rows without a current class drop.
    """
    ratio = panel.values["open_filled_ratio"]
    low, high = tension.thresholds(ratio, settings)
    at = (forecasts["row"].to_numpy(), forecasts["series"].to_numpy())
    lo, hi = low[at], high[at]

    def classify(values: pd.Series) -> np.ndarray:
        return tension.classes(values.to_numpy(dtype=float), lo, hi)

    out = forecasts.assign(current=classify(forecasts["persistence"]), predicted=classify(forecasts["forecast"]),
                           actual=classify(forecasts["actual"]), seasonal_class=classify(forecasts["seasonal_naive"]),
                           low=lo, high=hi)
    return out[out["current"] != ""]
