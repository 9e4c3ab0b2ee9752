"""Panels: a graph is given its figure's height plus room for the legend under it."""

import plotly.graph_objects as go

from dashboard import panel


def test_a_graph_with_three_legend_entries_is_three_legend_lines_taller_than_its_figure():
    figure = go.Figure([go.Scatter(x=[1], y=[1]) for _ in range(3)], layout=dict(height=320))
    assert panel.graph_height(figure) == 320 + 3 * panel.LEGEND_LINE_PX


def test_a_single_series_or_a_hidden_legend_adds_nothing():
    assert panel.graph_height(go.Figure([go.Bar(x=[1], y=[1])], layout=dict(height=180))) == 180
    hidden = go.Figure([go.Bar(x=[1], y=[1]), go.Bar(x=[2], y=[2])], layout=dict(height=180, showlegend=False))
    assert panel.graph_height(hidden) == 180


def test_a_wrapped_legend_name_gets_a_line_for_each_of_its_lines():
    figure = go.Figure([go.Scatter(x=[1], y=[1], name="a<br>b"), go.Scatter(x=[1], y=[1], name="c")],
                       layout=dict(height=320))
    assert panel.graph_height(figure) == 320 + 3 * panel.LEGEND_LINE_PX


def test_a_period_ends_on_its_last_day():
    from datetime import date

    assert [panel.period_end(p) for p in ("2024", "2025-Q1", "2025-H1", "2024-02", "2025-Q4")] == [
        date(2024, 12, 31), date(2025, 3, 31), date(2025, 6, 30), date(2024, 2, 29), date(2025, 12, 31)]


def test_a_view_is_current_up_to_a_year_after_its_latest_period_ends():
    from datetime import date

    built = date(2026, 11, 30)
    assert panel.is_current("2025-Q4", built)
    assert not panel.is_current("2025-Q3", built)
    assert not panel.is_current("2023-Q3", built)


def test_a_panel_names_its_latest_period_and_marks_an_old_one_not_current(db):
    import pandas as pd

    from dashboard import database

    rows = database.current().observations({"dataset_id": "cbs-80472NED", "indicator": "vacancies_open",
                                            "sector_scheme": "nace2", "sector_code": "N", "breakdown": ""})
    line = str(panel.currency_line(rows, "en"))
    assert "Latest period: 2023-Q3" in line and "Not current." in line
    assert panel.reported_note(rows, "en") is None
    reported = pd.DataFrame({"status": ["final", "reported"]})
    assert "◇ from a publication" in str(panel.reported_note(reported, "en"))
    assert panel.status_text("reported", "nl") == "◇ uit publicatie"
