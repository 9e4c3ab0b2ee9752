"""Calibrated classifier of next period's shortage status, with a rolling-origin backtest against persistence.

Logistic regression on standardised features, calibrated with a sigmoid on time-ordered folds; at origin t it
is fitted only on rows whose label period is <= t, and refitted every `refit_every_quarters` origins.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
from sklearn.calibration import CalibratedClassifierCV
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import TimeSeriesSplit
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

MODEL = "logistic_calibrated"
BASELINE = "persistence"


def fit(train: pd.DataFrame, feature_columns: list[str], c: float, settings: dict) -> CalibratedClassifierCV | None:
    """A calibrated classifier on rows ordered by time; None when a fold would see a single class."""
    train = train.sort_values(["row", "entity"], kind="stable")
    y = train["label"].to_numpy(dtype=int)
    splits = TimeSeriesSplit(n_splits=settings["classifier"]["calibration_splits"])
    for fit_index, calibrate_index in splits.split(train):
        if len(set(y[fit_index])) < 2 or len(set(y[calibrate_index])) < 2:
            return None
    base = make_pipeline(StandardScaler(), LogisticRegression(C=c, max_iter=1000))
    model = CalibratedClassifierCV(base, method="sigmoid", cv=splits, ensemble=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # sklearn warns when a TimeSeriesSplit skips early rows
        return model.fit(train[feature_columns].to_numpy(), y)


def contributions(model: CalibratedClassifierCV, rows: pd.DataFrame, feature_columns: list[str],
                  top: int) -> list[str]:
    """Per row, the features pushing the log-odds most (coefficient x standardised value, averaged over folds)."""
    effects = np.zeros((len(rows), len(feature_columns)))
    for calibrated in model.calibrated_classifiers_:
        scaler, logistic = calibrated.estimator.named_steps.values()
        effects += scaler.transform(rows[feature_columns].to_numpy()) * logistic.coef_[0]
    effects /= len(model.calibrated_classifiers_)
    out = []
    for effect in effects:
        order = np.argsort(-np.abs(effect), kind="stable")[:top]
        out.append("; ".join(f"{feature_columns[i]} {effect[i]:+.2f}" for i in order))
    return out


def backtest(panel: pd.DataFrame, feature_columns: list[str], origins: list[int], c: float,
             settings: dict) -> pd.DataFrame:
    """Probabilities for the rows at each origin from a model fitted on rows labelled by then.

    panel columns: entity, row (origin index), label_row (index of the labelled period), label (0/1 next period),
    current (0/1 now), and the feature columns. Rows with missing features are not predicted.
    """
    complete = panel.dropna(subset=feature_columns + ["label", "current"])
    refit = settings["classifier"]["refit_every_quarters"]
    model, fitted_at, parts = None, None, []
    for origin in origins:
        if fitted_at is None or origin - fitted_at >= refit:
            model, fitted_at = fit(complete[complete["label_row"] <= origin], feature_columns, c, settings), origin
        rows = complete[complete["row"] == origin]
        if model is None or rows.empty:
            continue
        probability = model.predict_proba(rows[feature_columns].to_numpy())[:, 1]
        parts.append(rows.assign(probability=probability, fitted_at=fitted_at))
    return pd.concat(parts, ignore_index=True) if parts else complete.iloc[0:0].assign(probability=np.nan)


def choose_c(panel: pd.DataFrame, feature_columns: list[str], origins: list[int], settings: dict) -> tuple[float, dict]:
    """The regularisation with the lowest Brier score over the validation origins only."""
    scores = {}
    for c in settings["classifier"]["c_candidates"]:
        result = backtest(panel, feature_columns, origins, c, settings)
        scores[c] = float(((result["probability"] - result["label"]) ** 2).mean()) if len(result) else np.inf
    best = min(scores, key=lambda c: (scores[c], c))
    return best, scores


def predict_latest(panel: pd.DataFrame, feature_columns: list[str], c: float, settings: dict,
                   train: pd.DataFrame | None = None) -> pd.DataFrame:
    """Probabilities for the last origin (its label not yet known), from a model fitted on every labelled row.

    train: the rows to fit on when they differ from the rows to predict (e.g. sections only), else panel.
    """
    latest = panel[panel["row"] == panel["row"].max()].dropna(subset=feature_columns + ["current"])
    labelled = (panel if train is None else train).dropna(subset=feature_columns + ["label", "current"])
    model = fit(labelled, feature_columns, c, settings) if len(labelled) else None
    if model is None or latest.empty:
        return latest.iloc[0:0].assign(probability=np.nan, top_indicators="")
    top = settings["classifier"]["top_indicators"]
    return latest.assign(probability=model.predict_proba(latest[feature_columns].to_numpy())[:, 1],
                         top_indicators=contributions(model, latest, feature_columns, top))
