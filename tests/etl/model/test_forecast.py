"""Sector forecasts and baselines use nothing after their origin, and the ridge is the textbook ridge."""

import numpy as np
import pytest

from etl.model import ets, features, forecast, settings
from etl.model.panel import SectorPanel

ORIGIN = "2012-Q4"


def perturbed_after(panel: SectorPanel, row: int, factor: float) -> SectorPanel:
    values = {name: matrix.copy() for name, matrix in panel.values.items()}
    for matrix in values.values():
        matrix[row + 1:] *= factor
    return SectorPanel(panel.first_q, panel.series, panel.levels, values)


def ridge_at(panel: SectorPanel, indicator: str, origin: int, horizon: int = 1) -> np.ndarray:
    config = settings.load()
    return forecast.ridge(panel, indicator, horizon, [origin], config, panel.reference("section"))[1.0][origin]


@pytest.mark.parametrize("indicator", ["vacancies_open", "open_filled_ratio"])
def test_changing_data_after_the_origin_does_not_change_the_ridge_forecast(panel, indicator):
    origin = panel.row(ORIGIN)
    before = ridge_at(panel, indicator, origin)
    after = ridge_at(perturbed_after(panel, origin, 3.0), indicator, origin)
    assert np.isfinite(before).sum() >= 15
    np.testing.assert_array_equal(before, after)


def test_changing_data_at_the_origin_does_change_the_ridge_forecast(panel):
    origin = panel.row(ORIGIN)
    before = ridge_at(panel, "vacancies_open", origin)
    after = ridge_at(perturbed_after(panel, origin - 1, 3.0), "vacancies_open", origin)
    assert not np.allclose(before, after, equal_nan=True)


@pytest.mark.parametrize("horizon", [1, 4])
def test_every_baseline_ignores_data_after_the_origin(panel, horizon):
    origin = panel.row(ORIGIN)
    levels = panel.values["vacancies_open"]
    later = perturbed_after(panel, origin, 3.0).values["vacancies_open"]
    for name, matrix in forecast.baselines(levels, horizon, 4).items():
        np.testing.assert_array_equal(matrix[origin], forecast.baselines(later, horizon, 4)[name][origin], err_msg=name)
    series = panel.reference("section")
    fit_until = panel.row("2005-Q1")
    before = ets.forecasts(levels, [horizon], 4, fit_until, 16, series)[horizon][origin]
    after = ets.forecasts(later, [horizon], 4, fit_until, 16, series)[horizon][origin]
    assert np.isfinite(before[series]).sum() == len(series)
    np.testing.assert_allclose(before, after, rtol=1e-12)


def test_ridge_paths_recover_an_exact_linear_relation_and_shrink_it_as_the_penalty_grows():
    rng = np.random.default_rng(7)
    x = rng.normal(size=(60, 3))
    y = 0.5 + x @ np.array([2.0, -1.0, 0.25])
    coefficients, intercepts = forecast.ridge_paths(x, y, [1e-9, 10.0, 1000.0])
    np.testing.assert_allclose(coefficients[0], [2.0, -1.0, 0.25], atol=1e-6)
    assert intercepts[0] == pytest.approx(0.5, abs=1e-6)
    norms = np.linalg.norm(coefficients, axis=1)
    assert norms[0] > norms[1] > norms[2]


def test_ridge_paths_equal_scikit_learns_svd_ridge_to_the_last_bit_on_the_bundled_training_pairs(panel):
    from sklearn.linear_model import Ridge

    config = settings.load()
    alphas = config["forecast"]["ridge_alpha_candidates"]
    x, target = forecast._features(panel, "vacancies_open", 2, config)
    usable = ~np.isnan(x).any(axis=2) & ~np.isnan(target)
    train_x, train_y = x[usable], target[usable]
    assert len(train_y) > 1000
    for rows in (24, 300, len(train_y)):
        fitted = Ridge(alpha=np.asarray(alphas), fit_intercept=True, solver="svd").fit(
            train_x[:rows], np.repeat(train_y[:rows, None], len(alphas), axis=1))
        coefficients, intercepts = forecast.ridge_paths(train_x[:rows], train_y[:rows], alphas)
        np.testing.assert_array_equal(coefficients, fitted.coef_)
        np.testing.assert_array_equal(intercepts, fitted.intercept_)


def test_the_seasonally_adjusted_naive_forecast_of_a_purely_seasonal_series_is_exact():
    pattern = np.array([1.2, 0.9, 1.1, 0.8])
    levels = (100.0 * np.tile(pattern, 10))[:, None]
    for horizon in (1, 2, 3):
        forecasts = forecast.baselines(levels, horizon, 4)["sa_naive"][:, 0]
        actual = forecast.shift(levels, -horizon)[:, 0]
        known = ~np.isnan(forecasts) & ~np.isnan(actual)
        assert known.sum() >= 25
        np.testing.assert_allclose(forecasts[known], actual[known], rtol=1e-12)


def test_the_panel_holds_the_published_all_sectors_series(panel):
    total = panel.total()
    assert panel.label(0) == "1997-Q1" and panel.label(panel.quarters - 1) == "2023-Q3"
    assert panel.values["vacancies_open"][panel.row("2023-Q1"), total] == 432900.0
    assert len(panel.reference("section")) == 19


def test_seasonal_scale_is_the_mean_seasonal_difference_up_to_each_row():
    levels = np.array([10.0, 12, 14, 11, 13, 15, 16, 12])[:, None]
    scale = forecast.seasonal_scale(levels, 4)
    assert scale[4, 0] == 3.0 and scale[7, 0] == 2.25
    assert np.isnan(scale[3, 0])


def test_a_ratio_with_too_few_filled_vacancies_is_missing_not_a_number():
    frame = features.pd.DataFrame({"vacancies_open": [900.0, 4000.0], "vacancies_filled": [0.0, 8000.0]})
    ratio = features.open_filled_ratio(frame, min_filled=5000)
    assert np.isnan(ratio[0]) and ratio[1] == 0.5
