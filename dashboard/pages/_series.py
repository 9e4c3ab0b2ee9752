"""Series panels shared by the industry and comparison pages: readable series names, one chart per unit, a table."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
from dash import html

from dashboard import enrich, figures
from dashboard.downloads import view_links
from dashboard.i18n import breakdown_text, format_value, text, text_or
from dashboard.panel import data_table, panel
from etl.periods import sort_key

TABLE = [("period", "table.period"), ("series", "table.series"), ("value", "table.value"), ("unit_text", "table.unit"),
         ("status", "table.status")]
HIGHLIGHT = "#D55E00"
OTHER = "#0072B2"
BAR_ROW_HEIGHT = 26
WIDE_CONTROL = {"maxWidth": "40rem"}  # long NACE and ISCO titles stay readable in the closed dropdown
SLUG_SCHEMES = ("vdab", "uwv")
WAGE_PERCENTILES = ("hourly_wage_p25", "hourly_wage_median", "hourly_wage_p75")
# A provisional or reported bar is hatched, as open markers mark such points on the line charts.
UNMARKED_STATUSES = ("final", "revised")


def finish(rows: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Labelled rows (enrich.EXPORT_COLUMNS) in reading order: dataset, indicator, codes, region, breakdown, period."""
    out = enrich.with_labels(rows, lang)
    return out.assign(_order=out["period"].map(sort_key)).sort_values(
        ["dataset_id", "indicator", "occupation_scheme", "occupation_code", "sector_code", "region", "breakdown",
         "_order"]).drop(columns="_order").reset_index(drop=True)


def series_label(rows: pd.DataFrame, lang: str, *, code: bool = True, indicator: bool = True) -> pd.Series:
    """One name per series: code and label (occupation, else industry), region, breakdown, indicator."""
    labels = []
    for row in rows.itertuples(index=False):
        occupation = row.occupation_code != ""
        # A VDAB or UWV code is a slug of its title, so the title alone names it.
        shown_code = "" if row.occupation_scheme in SLUG_SCHEMES else row.occupation_code
        name = (f"{shown_code} {row.occupation_label or row.occupation_code}" if occupation
                else f"{row.sector_code} {row.sector_label}" if row.sector_code else text("series.national", lang))
        parts = [name.strip()] if code else []
        extra = [text_or("region." + row.region, lang, row.region)] if row.region else []
        if row.breakdown:
            extra.append(breakdown_text(row.breakdown, lang))
        if indicator:
            parts.append(row.indicator_label)
        label = " — ".join(parts)
        labels.append(f"{label} ({', '.join(extra)})" if extra else label)
    return pd.Series(labels, index=rows.index, dtype=object)


def country_column(country: str, lang: str, *children) -> html.Div:
    """One country's half of a side-by-side row, under the country's name."""
    return html.Div([html.H2(text("country." + country, lang), className="country-heading"), *children],
                    className="country-column", lang=lang)


def table(rows: pd.DataFrame, lang: str, caption: str) -> html.Figure:
    shown = rows.assign(unit_text=rows["unit"].map(lambda u: text_or("unit." + u, lang, u)))
    return data_table(shown, lang, caption, [(name, text(key, lang)) for name, key in TABLE])


def series_panel(*, page: str, view: str, title: str, rows: pd.DataFrame, state, labels: pd.Series | None = None,
                 notes: list | None = None, empty: str = "", caption: str = "") -> html.Section:
    """A panel with one line chart per unit (a count and a percentage never share an axis) and the table."""
    lang = state.lang
    charts, shown_table = [], None
    if not rows.empty:
        labelled = rows.assign(series=labels if labels is not None else series_label(rows, lang))
        for unit, part in labelled.groupby("unit", sort=False):
            if set(part["indicator"]) <= set(WAGE_PERCENTILES) and "hourly_wage_median" in set(part["indicator"]):
                # Percentiles are whiskers around the median, not lines of their own.
                part = part.assign(series=series_label(part, lang, indicator=False))
                charts.append(figures.wage_figure(part, "series", lang, text_or("unit." + unit, lang, unit)))
                notes = [text("sector.wages_note", lang), *(notes or [])]
            else:
                charts.append(figures.series_figure(part, "series", lang, text_or("unit." + unit, lang, unit)))
        for chart in charts:
            # A lone series still needs its name on screen; a million needs room beside the axis.
            chart.update_layout(showlegend=True, margin_l=80)
        shown_table = table(labelled, lang, caption or title)
    return panel(page=page, view=view, title=title, rows=rows, lang=lang, figure=charts or None, table=shown_table,
                 notes=[text("figure.markers", lang), *(notes or [])], links=view_links(page, view, state, lang),
                 empty=empty)


def bar_figure(rows: pd.DataFrame, lang: str, x_title: str, highlight: str) -> go.Figure:
    """Horizontal bars, one per row (label column `series`), the `highlight` sector code in another colour."""
    unit = rows["unit"].iloc[0]
    colours = [HIGHLIGHT if code == highlight else OTHER for code in rows["sector_code"]]
    patterns = ["" if status in UNMARKED_STATUSES else "/" for status in rows["status"]]
    figure = go.Figure(go.Bar(
        x=rows["value"].tolist(), y=rows["series"].tolist(), orientation="h",
        marker=dict(color=colours, pattern=dict(shape=patterns, fillmode="overlay", fgcolor="#ffffff")),
        customdata=[[format_value(v, unit, lang), text("status." + s, lang)]
                    for v, s in zip(rows["value"], rows["status"], strict=True)],
        hovertemplate="%{y}: %{customdata[0]} (%{customdata[1]})<extra></extra>",
    ))
    layout = figures.base_layout(lang, "", height=80 + BAR_ROW_HEIGHT * len(rows), unit=unit)
    layout["margin"] = dict(l=20, r=20, t=10, b=40)
    layout["xaxis"] = dict(title=dict(text=x_title), rangemode="tozero", gridcolor="#e5e5e5",
                           tickformat="," if unit in figures.COUNT_UNITS else "")
    layout["yaxis"] = dict(autorange="reversed", automargin=True)
    layout["showlegend"] = False
    figure.update_layout(layout)
    return figure
