"""CBS period codes become contract periods; series-break records are refused."""

import pytest

from etl import periods


@pytest.mark.parametrize(("code", "expected"), [
    ("2025KW04", "2025-Q4"), ("2024JJ00", "2024"), ("2023MM03", "2023-03"), (" 2019KW01 ", "2019-Q1"),
])
def test_cbs_period_codes_translate(code, expected):
    assert periods.from_cbs(code) == expected


@pytest.mark.parametrize("code", ["2010X000", "2025KW05", "2025", "KW04"])
def test_unreadable_or_series_break_periods_raise(code):
    with pytest.raises(periods.PeriodError):
        periods.from_cbs(code)


def test_a_year_sorts_after_its_quarters_and_months():
    assert sorted(["2024", "2024-Q4", "2024-03", "2023-Q1"], key=periods.sort_key) == ["2023-Q1", "2024-03", "2024-Q4", "2024"]
