"""Drift checks name what a new snapshot lost or changed against the previous one of the same dataset."""

from etl import drift
from tests.etl.store_fixtures import statline_rows


def test_the_same_rows_again_are_no_drift():
    assert drift.changes(statline_rows(), statline_rows()) == []


def test_more_rows_are_no_drift():
    assert drift.changes(statline_rows(keep_lines=5), statline_rows()) == []


def test_losing_one_line_of_six_loses_a_period_and_more_than_the_allowed_share_of_figures():
    assert drift.changes(statline_rows(), statline_rows(keep_lines=5)) == [
        "2 of 17 figures missing (12%)", "periods gone: cbs-80472NED 1997"]


def test_a_changed_unit_and_a_lost_measure_are_named():
    new = statline_rows()
    new.loc[new["indicator"] == "vacancies_new", "unit"] = "jobs"
    new = new[new["indicator"] != "vacancies_filled"]
    assert drift.changes(statline_rows(), new)[1:] == [
        "measures gone: cbs-80472NED vacancies_filled", "units changed: cbs-80472NED/vacancies_new vacancies -> jobs"]
