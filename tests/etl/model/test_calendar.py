"""Quarter arithmetic across annual, quarterly and monthly periods."""

from etl.model import calendar


def test_periods_end_in_the_right_quarter():
    assert calendar.end_quarter("2025") == calendar.end_quarter("2025-Q4") == calendar.end_quarter("2025-12")
    assert calendar.end_quarter("2025-02") == calendar.end_quarter("2025-Q1") == 2025 * 4
    assert calendar.end_quarter("2025-H1") == calendar.end_quarter("2025-Q2")


def test_labels_and_neighbours():
    assert calendar.quarter_label(2024 * 4 + 3) == "2024-Q4"
    assert calendar.year_earlier("2025-Q4") == "2024-Q4" and calendar.year_earlier("2024") == "2023"
    assert calendar.next_period("2023-Q4") == "2024-Q1" and calendar.next_period("2026") == "2027"
