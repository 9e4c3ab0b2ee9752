"""Metric arithmetic on small hand-checked cases."""

import numpy as np
import pandas as pd
import pytest

from etl.model import metrics


def summary(parts, periods, metric, **kwargs):
    options = {"samples": 200, "seed": 7, "min_periods": 1000} | kwargs
    return metrics.summarise(parts, pd.Series(periods), metric, **options)


def test_change_metrics_count_only_caught_changes():
    frame = pd.DataFrame({"current": [0, 0, 1, 1, 0], "actual": [1, 0, 0, 1, 1], "predicted": [1, 1, 0, 0, 0]})
    parts = metrics.class_parts(frame)
    periods = ["p1"] * 5
    # actual changes: rows 0, 2, 4 (3); predicted changes: rows 0, 1, 2, 3 (4); caught: rows 0 and 2 (2)
    assert summary(parts, periods, "change_precision")["value"] == 0.5
    assert summary(parts, periods, "change_recall")["value"] == 2 / 3
    assert summary(parts, periods, "change_f1")["value"] == 4 / 7
    # positives: actual rows 0, 3, 4; predicted rows 0, 1; both: row 0 -> F1 = 2 * 1 / (3 + 2)
    assert summary(parts, periods, "f1")["value"] == 0.4


def test_a_change_to_the_wrong_class_is_not_caught():
    frame = pd.DataFrame({"current": ["normal"], "actual": ["tight"], "predicted": ["slack"]})
    parts = metrics.class_parts(frame, positive="tight")
    assert summary(parts, ["p"], "change_precision")["value"] == 0.0
    assert summary(parts, ["p"], "change_recall")["value"] == 0.0


def test_persistence_predicts_no_change_and_scores_zero_on_change_metrics():
    frame = pd.DataFrame({"current": [0, 1, 1], "actual": [1, 1, 0]})
    parts = metrics.class_parts(frame.assign(predicted=frame["current"]))
    assert [summary(parts, ["a", "a", "b"], m)["value"] for m in metrics.CHANGE_METRICS] == [0.0, 0.0, 0.0]


def test_brier_is_the_mean_squared_probability_error():
    parts = metrics.brier_parts(pd.Series([0.9, 0.2, 0.5]), pd.Series([1.0, 0.0, 1.0]))
    assert summary(parts, ["a", "b", "c"], "brier")["value"] == pytest.approx(0.1, abs=1e-15)


def test_mase_on_a_hand_computed_series():
    history = np.array([10.0, 12, 14, 11, 13, 15, 16, 12])
    # seasonal differences |13-10|, |15-12|, |16-14|, |12-11| = 3, 3, 2, 1 -> scale 9 / 4 = 2.25
    assert metrics.seasonal_naive_scale(history, season=4) == 2.25
    parts = metrics.forecast_parts(pd.Series([13.0, 15.0]), pd.Series([14.0, 17.0]), pd.Series([2.25, 2.25]))
    # errors 1 and 2 -> (1 / 2.25 + 2 / 2.25) / 2 = 2 / 3
    assert summary(parts, ["2024-Q1", "2024-Q2"], "mase")["value"] == pytest.approx(2 / 3, rel=1e-15)
    assert summary(parts, ["2024-Q1", "2024-Q2"], "mae")["value"] == 1.5


def test_interval_needs_enough_periods_and_is_reproducible():
    parts = metrics.brier_parts(pd.Series(np.linspace(0, 1, 40)), pd.Series([0.0, 1.0] * 20))
    periods = [f"p{i // 2:02d}" for i in range(40)]
    assert summary(parts, periods, "brier", min_periods=21)["ci_low"] is None
    first = summary(parts, periods, "brier", min_periods=20)
    again = summary(parts, periods, "brier", min_periods=20)
    assert first == again
    assert first["n"] == 40 and first["n_periods"] == 20
    assert first["ci_low"] < first["value"] < first["ci_high"]
