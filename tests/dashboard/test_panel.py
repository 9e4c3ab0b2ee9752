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
