"""Metric arithmetic on small hand-checked cases, and the paired moving-block bootstrap."""

import numpy as np
import pandas as pd
import pytest

from etl.model import metrics, settings

SETTINGS = {"seed": 7, "backtest": {"bootstrap_samples": 400, "block_quarters": 4, "min_periods_for_interval": 20}}


def value(parts, periods, metric):
    return metrics.paired(metrics.by_period(parts, pd.Series(periods)), None, metric, SETTINGS)["value"]


def test_change_f1_counts_only_caught_changes_and_is_zero_for_persistence():
    frame = pd.DataFrame({"current": [0, 0, 1, 1, 0], "actual": [1, 0, 0, 1, 1], "predicted": [1, 1, 0, 0, 0]})
    parts = metrics.change_parts(frame["current"], frame["predicted"], frame["actual"])
    # actual changes: rows 0, 2, 4 (3); predicted changes: rows 0, 1, 2, 3 (4); caught: rows 0 and 2 (2)
    assert value(parts, ["p"] * 5, "change_f1") == 4 / 7
    unchanged = metrics.change_parts(frame["current"], frame["current"], frame["actual"])
    assert value(unchanged, ["p"] * 5, "change_f1") == 0.0


def test_brier_and_rps_on_three_ordered_classes():
    probabilities = np.array([[0.2, 0.5, 0.3], [0.0, 0.0, 1.0]])
    parts = metrics.probability_parts(probabilities, np.array([2, 0]), event=2, index=pd.RangeIndex(2))
    # Brier on 'tight': (0.3 - 1)^2 = 0.49 and (1 - 0)^2 = 1 -> mean 0.745
    assert value(parts, ["a", "b"], "brier") == pytest.approx(0.745, abs=1e-15)
    # RPS: row 1 cumulative (0.2, 0.7) vs (0, 0): (0.04 + 0.49) / 2 = 0.265; row 2 (0, 0) vs (1, 1): 1 -> mean 0.6325
    assert value(parts, ["a", "b"], "rps") == pytest.approx(0.6325, abs=1e-15)


def test_mase_divides_each_error_by_its_scale():
    parts = metrics.forecast_parts(pd.Series([13.0, 15.0]), pd.Series([14.0, 17.0]), pd.Series([2.25, 2.25]))
    # errors 1 and 2 -> (1 / 2.25 + 2 / 2.25) / 2 = 2 / 3
    assert value(parts, ["2024-Q1", "2024-Q2"], "mase") == pytest.approx(2 / 3, rel=1e-15)
    assert value(parts, ["2024-Q1", "2024-Q2"], "mae") == 1.5


def test_coverage_counts_actuals_inside_the_interval_bounds_included():
    parts = metrics.coverage_parts(pd.Series([1.0, 1.0, 1.0]), pd.Series([2.0, 2.0, 2.0]), pd.Series([1.0, 2.5, 1.5]))
    assert value(parts, ["a", "b", "c"], "coverage_80") == pytest.approx(2 / 3, rel=1e-15)


def test_block_draws_are_runs_of_consecutive_periods():
    draws = metrics.block_draws(10, 4, 50, seed=1)
    assert draws.shape == (50, 10)
    for draw in draws:
        for start in (0, 4):
            assert list(np.diff(draw[start:start + 4])) == [1, 1, 1]
    assert draws.min() >= 0 and draws.max() <= 9


def test_the_paired_interval_brackets_the_difference_and_is_zero_for_identical_forecasts():
    rng = np.random.default_rng(3)
    periods = pd.Series([f"p{i // 3:03d}" for i in range(120)])
    actual = pd.Series(rng.normal(size=120))
    scale = pd.Series(np.ones(120))
    good = metrics.forecast_parts(actual + rng.normal(scale=0.5, size=120), actual, scale)
    bad = metrics.forecast_parts(actual + rng.normal(scale=2.0, size=120), actual, scale)
    good_sums, bad_sums = metrics.by_period(good, periods), metrics.by_period(bad, periods)
    result = metrics.paired(good_sums, bad_sums, "mase", SETTINGS)
    assert result["diff_ci_low"] < result["value"] - result["baseline_value"] < result["diff_ci_high"] < 0
    same = metrics.paired(good_sums, good_sums, "mase", SETTINGS)
    assert same["diff_ci_low"] == same["diff_ci_high"] == 0.0
    assert metrics.paired(good_sums, bad_sums, "mase", SETTINGS) == result  # seeded: reproducible
    few = metrics.paired(metrics.by_period(good.iloc[:30], periods.iloc[:30]),
                         metrics.by_period(bad.iloc[:30], periods.iloc[:30]), "mase", SETTINGS)
    assert few["diff_ci_low"] is None and few["n_periods"] == 10


def test_the_bootstrap_blocks_are_at_least_four_quarters():
    assert settings.load()["backtest"]["block_quarters"] >= 4


def test_the_reliability_table_counts_forecasts_and_outcomes_per_band():
    table = metrics.reliability(np.array([0.05, 0.08, 0.55, 0.95, 1.0]), np.array([0, 1, 1, 1, 1]), bins=10)
    rows = table.set_index("bin_low")
    assert list(rows.index) == pytest.approx([0.0, 0.5, 0.9])
    assert rows["n"].tolist() == [2, 1, 2]
    assert rows["observed_rate"].tolist() == [0.5, 1.0, 1.0]
    assert rows["mean_probability"].tolist() == pytest.approx([0.065, 0.55, 0.975])
