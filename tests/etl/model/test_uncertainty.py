"""Intervals, class probabilities, their calibration and the Markov baseline use only errors known at the origin."""

import numpy as np
import pytest

from etl.model import tension, uncertainty


def test_only_errors_of_targets_up_to_the_origin_are_known():
    known = uncertainty.KnownErrors(np.array([5, 3, 9, 4]), np.array([0.5, -0.1, 9.0, 0.2]))
    assert known.at(4).tolist() == [-0.1, 0.2]
    assert known.at(2).tolist() == []


def test_the_interval_is_the_forecast_times_the_error_quantiles():
    errors = np.log(np.linspace(0.5, 1.5, 101))
    low, high = uncertainty.interval(np.array([100.0]), np.sort(errors), 0.8, min_errors=50)
    assert low[0] == pytest.approx(100 * np.exp(np.quantile(errors, 0.1)), rel=1e-12)
    assert high[0] == pytest.approx(100 * np.exp(np.quantile(errors, 0.9)), rel=1e-12)
    assert np.isnan(uncertainty.interval(np.array([100.0]), errors[:10], 0.8, min_errors=50)[0]).all()


def test_class_probabilities_are_shares_of_errors_crossing_each_bar():
    errors = np.array([-0.2, -0.1, 0.0, 0.1, 0.2])
    below, above = uncertainty.below_above(np.array([0.0]), np.array([-0.15]), np.array([0.05]), errors)
    assert below[0] == 0.2 and above[0] == 0.4


def test_calibration_maps_raw_probabilities_to_observed_frequencies_monotonically_and_clips_outside():
    raw = np.repeat([0.1, 0.5, 0.9], 100)
    outcome = np.r_[np.zeros(80), np.ones(20), np.zeros(50), np.ones(50), np.zeros(10), np.ones(90)]
    new = np.array([-0.1, 0.1, 0.3, 0.5, 0.9, 1.2])
    np.testing.assert_allclose(uncertainty.calibrate(new, raw, outcome, min_pairs=100), [0.2, 0.2, 0.35, 0.5, 0.9, 0.9])
    assert uncertainty.calibrate(new, raw[:50], outcome[:50], min_pairs=100) is new


def test_markov_persistence_counts_transitions_with_a_prior():
    chances = uncertainty.markov(np.array([0, 2]), np.array([0, 0, 0, 2]), np.array([0, 0, 1, 2]), 3, prior=1.0)
    np.testing.assert_allclose(chances, [[3 / 6, 2 / 6, 1 / 6], [1 / 4, 1 / 4, 2 / 4]])


def test_tension_thresholds_are_quantiles_of_the_last_ten_years_only():
    rng = np.random.default_rng(5)
    ratio = rng.uniform(0.5, 2.0, size=(80, 2))
    ratio[10, 1] = np.nan
    config = {"tension": {"window_quarters": 40, "min_history_quarters": 20, "slack_below_quantile": 0.25,
                          "tight_above_quantile": 0.75}}
    low, high = tension.thresholds(ratio, config)
    for t in (25, 39, 60, 79):
        window = ratio[max(0, t - 39): t + 1, 1]
        assert high[t, 1] == pytest.approx(np.nanquantile(window, 0.75), rel=1e-12)
        assert low[t, 1] == pytest.approx(np.nanquantile(window, 0.25), rel=1e-12)
    assert np.isnan(high[18, 0]) and not np.isnan(high[19, 0])
    assert tension.class_index(np.array([0.1, 1.0, 9.0, np.nan]), np.full(4, 0.5), np.full(4, 1.5)).tolist() == [0, 1, 2, -1]
