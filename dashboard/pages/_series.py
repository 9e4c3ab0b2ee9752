"""The page toolkit shared by every page: indicator groups, reading order, series names, one chart per axis, a table."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
from dash import html

from dashboard import enrich, figures
from dashboard.downloads import view_links
from dashboard.i18n import breakdown_text, format_value, text, text_or
from dashboard.panel import data_table, panel
from etl import tension_classes
from etl.periods import sort_key

# The indicators each topic shows, in reading order; pages and their downloads take their topics from here.
INDICATOR_GROUPS = {
    "workforce": ("employed_persons", "employees"),
    "wages": ("hourly_wage_p25", "hourly_wage_median", "hourly_wage_p75"),
    "vacancies": ("vacancies_open", "vacancies_new", "vacancies_filled"),
    "vacancy_rate": ("vacancy_rate",),
    "tension": ("tension_ratio", "vacancies_per_100_unemployed"),
    "shortage": ("shortage_listed",),
    "mobility": ("occupation_changers", "occupation_change_rate"),
}
INDICATOR_ORDER = {name: i for i, name in enumerate(i for group in INDICATOR_GROUPS.values() for i in group)}
# Employed persons (everyone who works) and employees (people in paid employment) are different populations:
# each gets a chart of its own, even though both are counted in persons.
OWN_CHART = ("employed_persons", "employees")
TABLE = [("period", "table.period"), ("series", "table.series"), ("value", "table.value"), ("unit_text", "table.unit"),
         ("status", "table.status")]
HIGHLIGHT = figures.INDICATOR_COLOURS["vacancies_open"]
OTHER = figures.INDICATOR_COLOURS["employed_persons"]
BAR_ROW_HEIGHT = 26
WIDE_CONTROL = {"maxWidth": "40rem"}  # long NACE and ISCO titles stay readable in the closed dropdown
SLUG_SCHEMES = ("vdab", "uwv")
WAGE_PERCENTILES = INDICATOR_GROUPS["wages"]
# A provisional or reported bar is hatched, as open markers mark such points on the line charts.
UNMARKED_STATUSES = ("final", "revised")


def finish(rows: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Labelled rows (enrich.EXPORT_COLUMNS) in reading order: indicator as grouped above, dataset, codes, region,
    breakdown, period."""
    out = enrich.with_labels(rows, lang)
    rank = out["indicator"].map(INDICATOR_ORDER).fillna(len(INDICATOR_ORDER))
    return out.assign(_rank=rank, _order=out["period"].map(sort_key)).sort_values(
        ["_rank", "indicator", "dataset_id", "occupation_scheme", "occupation_code", "sector_code", "region",
         "breakdown", "_order"]).drop(columns=["_rank", "_order"]).reset_index(drop=True)


def series_label(rows: pd.DataFrame, lang: str, *, code: bool = True, indicator: bool = True) -> pd.Series:
    """One name per series: code and label (occupation, else industry), edition, region, breakdown, indicator."""
    labels = []
    for row in rows.itertuples(index=False):
        occupation = row.occupation_code != ""
        # A VDAB or UWV code is a slug of its title, so the title alone names it.
        shown_code = "" if row.occupation_scheme in SLUG_SCHEMES else row.occupation_code
        # A publication's figure for a whole sector carries the sector in its breakdown (sector=customer_contact).
        scope = [p for p in row.breakdown.split(";") if p.startswith("sector=")]
        breakdown = ";".join(p for p in row.breakdown.split(";") if p not in scope)
        name = (f"{shown_code} {row.occupation_label or row.occupation_code}" if occupation
                else f"{row.sector_code} {row.sector_label}" if row.sector_code
                else breakdown_text(scope[0], lang) if scope else text("series.national", lang))
        parts = [name.strip()] if code else []
        extra = [text("scheme." + row.occupation_scheme, lang)] if row.occupation_scheme == "brc2014e2025" else []
        if row.region:
            extra.append(text_or("region." + row.region, lang, row.region))
        if breakdown:
            extra.append(breakdown_text(breakdown, lang))
        if indicator:
            parts.append(row.indicator_label)
        label = " — ".join(parts)
        labels.append(f"{label} ({', '.join(extra)})" if extra else label)
    return pd.Series(labels, index=rows.index, dtype=object)


def country_column(country: str, lang: str, *children) -> html.Div:
    """One country's half of a side-by-side row, under the country's name."""
    # A grid column shrinks below its content's width only with min-width 0, so wide tables scroll inside it.
    return html.Div([html.H2(text("country." + country, lang), className="country-heading"), *children],
                    className="country-column", lang=lang, style={"minWidth": 0})


def table(rows: pd.DataFrame, lang: str, caption: str) -> html.Figure:
    shown = rows.assign(unit_text=rows["unit"].map(lambda u: text_or("unit." + u, lang, u)))
    return data_table(shown, lang, caption, [(name, text(key, lang)) for name, key in TABLE])


def _chart_key(row) -> str:
    return f"{row.unit}/{row.indicator}" if row.indicator in OWN_CHART else row.unit


def charts(labelled: pd.DataFrame, lang: str) -> tuple[list[go.Figure], list[str]]:
    """One chart per axis (a count and a percentage never share one; employed persons and employees neither), and
    the notes those charts need."""
    out, notes = [], []
    keys = [_chart_key(row) for row in labelled.itertuples(index=False)]
    for _, part in labelled.groupby(pd.Series(keys, index=labelled.index), sort=False):
        unit = part["unit"].iloc[0]
        axis = text_or("unit." + unit, lang, unit)
        present = set(part["indicator"])
        if present <= set(WAGE_PERCENTILES) and "hourly_wage_median" in present:
            # Percentiles are whiskers around the median, not lines of their own.
            part = part.assign(series=series_label(part, lang, indicator=False))
            chart = figures.wage_figure(part, "series", lang, axis)
            notes.append(text("series.wages_note", lang))
        else:
            chart = figures.series_figure(part, "series", lang, axis)
            if present == {"tension_ratio"}:
                figures.add_tension_bands(chart, lang)
        # A lone series still needs its name on screen; a million needs room beside the axis.
        chart.update_layout(showlegend=True, margin_l=80)
        out.append(chart)
    return out, notes


def series_panel(*, page: str, view: str, title: str, rows: pd.DataFrame, state, labels: pd.Series | None = None,
                 notes: list | None = None, empty: str = "", caption: str = "") -> html.Section:
    """A panel with one line chart per axis and the table; notes only where there are figures."""
    lang = state.lang
    shown, shown_table, chart_notes = [], None, []
    if not rows.empty:
        labelled = rows.assign(series=labels if labels is not None else series_label(rows, lang))
        shown, chart_notes = charts(labelled, lang)
        shown_table = table(labelled, lang, caption or title)
    notes = [*chart_notes, text("figure.markers", lang), *(notes or [])] if not rows.empty else []
    return panel(page=page, view=view, title=title, rows=rows, lang=lang, figure=shown or None, table=shown_table,
                 notes=notes, links=view_links(page, view, state, lang), empty=empty)


def tension_notes(rows: pd.DataFrame, lang: str, labels: pd.Series | None = None) -> list[str]:
    """The UWV class of the latest tension ratio of each series, in words."""
    ratios = rows[rows["indicator"] == "tension_ratio"]
    names = (labels if labels is not None else series_label(rows, lang, indicator=False))[ratios.index]
    notes = []
    for series, part in ratios.groupby(names, sort=False):
        latest = part.loc[part["period"].map(sort_key).idxmax()]
        category = tension_classes.tension_class(latest["value"])
        notes.append(text("series.tension_class", lang, series=series, period=latest["period"],
                          value=format_value(latest["value"], "ratio", lang),
                          label=tension_classes.label(category, lang)))
    return notes


def shortage_table(rows: pd.DataFrame, lang: str, caption: str, *, evidence: bool = False) -> html.Figure:
    """A shortage-list history: year, occupation, listed or not (and what the evidence was), status."""
    shown = rows.assign(
        series=rows["occupation_label"].where(rows["occupation_label"] != "", rows["occupation_code"]),
        listed=rows["value"].map(lambda v: text("shortage.yes" if v == 1 else "shortage.no", lang)),
        evidence=rows["breakdown"].map(lambda b: breakdown_text(b, lang) or text("shortage.full_list", lang)))
    columns = [("period", text("table.year", lang)), ("series", text("table.series", lang)),
               ("listed", text("shortage.listed", lang))]
    if evidence:
        columns.append(("evidence", text("shortage.evidence", lang)))
    columns.append(("status", text("table.status", lang)))
    return data_table(shown, lang, caption, columns)


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
