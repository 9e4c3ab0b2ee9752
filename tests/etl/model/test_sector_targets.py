"""The tight-next-quarter classifier and the tension classes use nothing after their origin."""

import numpy as np
import pytest

from etl.model import classify, sector_targets, settings, tension
from tests.etl.model.test_forecast import ORIGIN, perturbed_after


def probabilities_at(panel, origin):
    config = settings.load()
    frame = sector_targets.tight_panel(panel, config)
    sections = frame[frame["entity"].isin(panel.reference("section"))]
    result = classify.backtest(sections, sector_targets.CLASSIFIER_FEATURES, [origin], 0.1, config)
    return result.sort_values("entity")[["entity", "probability"]].to_numpy()


def test_changing_data_after_the_origin_does_not_change_the_probabilities(panel):
    origin = panel.row(ORIGIN)
    before = probabilities_at(panel, origin)
    assert len(before) > 0
    np.testing.assert_array_equal(before, probabilities_at(perturbed_after(panel, origin, 0.2), origin))


def test_changing_data_before_the_origin_changes_the_probabilities(panel):
    origin = panel.row(ORIGIN)
    changed = probabilities_at(perturbed_after(panel, origin - 2, 0.2), origin)
    assert not np.allclose(probabilities_at(panel, origin)[:, 1], changed[:, 1])


def test_tension_thresholds_use_only_history_up_to_each_quarter():
    ratio = np.arange(1.0, 31.0)[:, None]
    config = {"tension": {"min_history_quarters": 20, "slack_below_quantile": 0.25, "tight_above_quantile": 0.75}}
    low, high = tension.thresholds(ratio, config)
    assert np.isnan(low[18, 0])
    # rows 0..19 hold 1..20: quantiles 5.75 and 15.25 (linear interpolation)
    assert (low[19, 0], high[19, 0]) == (5.75, 15.25)
    later = ratio.copy()
    later[20:] = 100.0
    assert tension.thresholds(later, config)[1][19, 0] == 15.25


def test_tension_classes_are_empty_without_a_threshold():
    classes = tension.classes(np.array([1.0, 5.0, 9.0, 9.0]), np.array([2.0, 2.0, 2.0, np.nan]),
                              np.array([8.0, 8.0, 8.0, np.nan]))
    assert list(classes) == ["slack", "normal", "tight", ""]


@pytest.mark.parametrize("name", sector_targets.CLASSIFIER_FEATURES)
def test_every_classifier_feature_is_present_in_the_panel(panel, name):
    frame = sector_targets.tight_panel(panel, settings.load())
    assert frame[name].notna().any()


def test_the_one_step_ratio_forecast_feature_ignores_data_after_its_row(panel):
    config = settings.load()
    sections = panel.reference("section")
    origin = panel.row(ORIGIN)
    before = sector_targets.one_step_ratio_forecasts(panel, 1.0, config, sections)[origin]
    after = sector_targets.one_step_ratio_forecasts(perturbed_after(panel, origin, 2.0), 1.0, config, sections)[origin]
    assert np.isfinite(before[sections]).sum() > 10
    np.testing.assert_array_equal(before, after)


def test_latest_probabilities_come_from_a_model_fitted_on_sections_only(panel):
    config = settings.load()
    frame = sector_targets.tight_panel(panel, config)
    sections = frame[frame["entity"].isin(panel.reference("section"))]
    columns = sector_targets.CLASSIFIER_FEATURES
    latest = classify.predict_latest(frame, columns, 0.1, config, train=sections)
    assert latest["row"].eq(panel.quarters - 1).all() and len(latest) > len(panel.reference("section"))
    pooled = classify.predict_latest(frame, columns, 0.1, config)
    assert not np.allclose(latest["probability"], pooled["probability"])
