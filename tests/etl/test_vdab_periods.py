"""Arvastat period labels: Dutch 12-month windows filed under their last month, English month labels."""

import pytest

from etl.sources import vdab_periods


def test_a_calendar_year_window_ends_in_december():
    assert vdab_periods.window_end("januari 2017 - december 2017") == "2017-12"


def test_a_rolling_window_across_two_years_ends_in_its_last_month():
    assert vdab_periods.window_end("mei 2025 - april 2026") == "2026-04"


def test_a_window_that_is_not_twelve_months_is_rejected():
    with pytest.raises(vdab_periods.PeriodLabelError, match="spans 11 months"):
        vdab_periods.window_end("februari 2017 - december 2017")


def test_an_unknown_dutch_month_is_named():
    with pytest.raises(vdab_periods.PeriodLabelError, match="unknown month 'janvier'"):
        vdab_periods.window_end("janvier 2017 - december 2017")


def test_english_month_labels_of_monthly_files():
    assert vdab_periods.english_month("January 2026") == "2026-01"
    assert vdab_periods.english_month("December 2016") == "2016-12"


def test_a_dutch_month_in_a_monthly_file_is_rejected():
    with pytest.raises(vdab_periods.PeriodLabelError):
        vdab_periods.english_month("januari 2026")
