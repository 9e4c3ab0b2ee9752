"""Sector forecasts use nothing after their origin, are deterministic, and nest the seasonal-naive baseline."""

import numpy as np
import pytest

from etl.model import features, forecast, settings
from etl.model.panel import SectorPanel

ORIGIN = "2012-Q4"


def perturbed_after(panel: SectorPanel, row: int, factor: float) -> SectorPanel:
    values = {name: matrix.copy() for name, matrix in panel.values.items()}
    for matrix in values.values():
        matrix[row + 1:] *= factor
    return SectorPanel(panel.first_q, panel.series, panel.levels, values)


def forecasts_at(panel: SectorPanel, indicator: str, origin: int) -> np.ndarray:
    config = settings.load()
    sections = panel.reference("section")
    return forecast.backtest(panel, indicator, [origin], 1.0, config, sections)["forecast"].to_numpy()


@pytest.mark.parametrize("indicator", ["vacancies_open", "open_filled_ratio"])
def test_changing_data_after_the_origin_does_not_change_the_forecast(panel, indicator):
    origin = panel.row(ORIGIN)
    before = forecasts_at(panel, indicator, origin)
    after = forecasts_at(perturbed_after(panel, origin, 3.0), indicator, origin)
    assert len(before) == len(after) > 0
    np.testing.assert_array_equal(before, after)


def test_changing_data_at_the_origin_does_change_the_forecast(panel):
    origin = panel.row(ORIGIN)
    before = forecasts_at(panel, "vacancies_open", origin)
    after = forecasts_at(perturbed_after(panel, origin - 1, 3.0), "vacancies_open", origin)
    assert not np.allclose(before, after)


def test_two_runs_give_identical_forecasts(panel):
    origin = panel.row(ORIGIN)
    np.testing.assert_array_equal(forecasts_at(panel, "open_filled_ratio", origin),
                                  forecasts_at(panel, "open_filled_ratio", origin))


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
