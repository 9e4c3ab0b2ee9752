"""Plotly figures (graph_objects only) for observation series: gaps stay gaps, provisional points are marked."""

from __future__ import annotations

import textwrap

import pandas as pd
import plotly.graph_objects as go

from dashboard.i18n import PLOTLY_SEPARATORS, format_value, text
from etl import tension_classes
from etl.periods import sort_key

# Okabe-Ito palette: distinguishable with colour-blindness, dark enough on white for 3:1 contrast.
COLOURS = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#56B4E9", "#E69F00", "#000000", "#F0E442"]
# One colour per indicator on every page (policy); an indicator not listed takes the palette's next free colour.
INDICATOR_COLOURS = {
    "employed_persons": "#0072B2", "employees": "#56B4E9", "jobs": "#56B4E9",
    "hourly_wage_median": "#009E73", "hourly_wage_mean": "#009E73", "monthly_wage_mean": "#009E73",
    "vacancies_open": "#D55E00", "vacancies_new": "#E69F00", "vacancies_filled": "#CC79A7",
    "vacancy_rate": "#D55E00", "tension_ratio": "#CC79A7", "vacancies_per_100_unemployed": "#CC79A7",
    "occupation_changers": "#000000", "occupation_change_rate": "#000000",
}
# A reference series (the euro area beside two countries) is grey and dashed, never a colour of its own.
REFERENCE_COLOUR = "#767676"
# Several series of one indicator in one chart share its colour and differ in line style.
LINE_STYLES = ["solid", "dash", "dot", "dashdot", "longdash"]
LEGEND_WRAP = 42  # characters per legend line: a phone shows ~45 at 13 px
STATUS_SYMBOLS = {"final": "circle", "provisional": "circle-open", "revised": "square",
                  "estimated": "x", "reported": "diamond-open"}
HEIGHT = 320


def frequency(period: str) -> str:
    if len(period) == 4:
        return "year"
    return {"Q": "quarter", "H": "half"}.get(period[5], "month")


def period_date(period: str) -> str:
    """A point in the middle of the period, so years and quarters of one series sit in the right place."""
    year = int(period[:4])
    kind = frequency(period)
    if kind == "year":
        return f"{year}-07-01"
    if kind == "quarter":
        return f"{year}-{int(period[6]) * 3 - 1:02d}-15"
    if kind == "half":
        return f"{year}-{4 if period[6] == '1' else 10:02d}-01"
    return f"{period}-15"


def every_period(first: str, last: str) -> list[str]:
    """All periods of one frequency from first to last, so absent ones become explicit gaps."""
    kind = frequency(first)
    y0, y1 = int(first[:4]), int(last[:4])
    if kind == "year":
        return [str(y) for y in range(y0, y1 + 1)]
    if kind == "quarter":
        out = [f"{y}-Q{q}" for y in range(y0, y1 + 1) for q in range(1, 5)]
    elif kind == "half":
        out = [f"{y}-H{h}" for y in range(y0, y1 + 1) for h in (1, 2)]
    else:
        out = [f"{y}-{m:02d}" for y in range(y0, y1 + 1) for m in range(1, 13)]
    return [p for p in out if sort_key(first) <= sort_key(p) <= sort_key(last)]


COUNT_UNITS = {"persons", "vacancies", "jobs", "firms"}
MANY_POINTS = 40


def base_layout(lang: str, y_title: str, *, height: int = HEIGHT, unit: str = "") -> dict:
    return dict(
        separators=PLOTLY_SEPARATORS[lang],
        height=height,
        margin=dict(l=60, r=20, t=20, b=40),
        # A plain white layout set directly: copying the "plotly_white" template costs ~30 ms per figure.
        template=None,
        plot_bgcolor="#ffffff",
        paper_bgcolor="#ffffff",
        xaxis=dict(gridcolor="#e5e5e5", linecolor="#999999", ticks="outside"),
        # Whole numbers with a thousands separator (118.000), not SI suffixes (118k).
        yaxis=dict(title=dict(text=y_title), rangemode="tozero", tickformat="," if unit in COUNT_UNITS else "",
                   gridcolor="#e5e5e5", zerolinecolor="#999999"),
        legend=dict(orientation="h", yanchor="top", y=-0.15, x=0),
        hovermode="closest",
        font=dict(size=13, color="#1a1a1a"),
    )


def legend_name(label: str) -> str:
    """A legend entry broken into lines, so a long series name wraps on a phone instead of being cut off."""
    return "<br>".join(textwrap.wrap(str(label), LEGEND_WRAP)) or str(label)


def series_colours(rows: pd.DataFrame, label_column: str) -> dict[str, tuple[str, str]]:
    """(colour, line style) per series: its indicator's colour; the 2nd, 3rd ... series of one indicator dashed."""
    styles: dict[str, tuple[str, str]] = {}
    seen: dict[str, int] = {}
    colours = dict(INDICATOR_COLOURS)
    spare = iter(c for c in COLOURS * 2 if c not in INDICATOR_COLOURS.values())
    for label, indicator in rows.drop_duplicates(label_column)[[label_column, "indicator"]].itertuples(index=False):
        if indicator not in colours:
            colours[indicator] = next(spare, COLOURS[0])
        count = seen.get(indicator, 0)
        seen[indicator] = count + 1
        styles[label] = (colours[indicator], LINE_STYLES[count % len(LINE_STYLES)])
    return styles


def series_figure(rows: pd.DataFrame, label_column: str, lang: str, y_title: str,
                  references: tuple[str, ...] = ()) -> go.Figure:
    """One trace per series and frequency; every missing period in between is None so the line breaks there.

    The latest value of each series is written beside its last point; series named in `references` are grey and dashed.
    """
    figure = go.Figure()
    styles = series_colours(rows, label_column)
    for label, series in rows.groupby(label_column, sort=False):
        colour, dash = (REFERENCE_COLOUR, "dash") if label in references else styles[label]
        by_frequency = series.assign(_freq=series["period"].map(frequency)).groupby("_freq", sort=False)
        for kind, part in by_frequency:
            part = part.set_index("period")
            periods = every_period(min(part.index, key=sort_key), max(part.index, key=sort_key))
            values = [part["value"].get(p) for p in periods]
            statuses = [part["status"].get(p, "") for p in periods]
            units = part["unit"].iloc[0]
            size = 5 if len(periods) > MANY_POINTS else 8
            shown = [None if v is None or pd.isna(v) else v for v in values]
            name = label if by_frequency.ngroups == 1 else f"{label} ({text('frequency.' + kind, lang)})"
            figure.add_trace(go.Scatter(
                x=[period_date(p) for p in periods],
                y=shown,
                mode="lines+markers+text",
                connectgaps=False,
                name=legend_name(name),
                line=dict(color=colour, width=2, dash=dash if kind != "year" else "dot"),
                marker=dict(color=colour, size=size, symbol=[STATUS_SYMBOLS.get(s, "circle") for s in statuses],
                            line=dict(color=colour, width=2 if size > 5 else 1)),
                # The latest value, labelled: the figure a reader looks for first.
                text=[format_value(v, units, lang) if i == len(shown) - 1 and v is not None else ""
                      for i, v in enumerate(shown)],
                textposition="top center", textfont=dict(color=colour, size=12), cliponaxis=False,
                customdata=[[p, format_value(v, units, lang), text("status." + s, lang) if s else ""]
                            for p, v, s in zip(periods, values, statuses, strict=True)],
                hovertemplate="%{customdata[0]}: %{customdata[1]} %{customdata[2]}<extra>" + str(label) + "</extra>",
            ))
    layout = base_layout(lang, y_title, unit=rows["unit"].iloc[0] if len(rows) else "")
    layout["xaxis"].update(year_axis(rows["period"]))
    figure.update_layout(layout)
    return figure


def year_axis(periods: pd.Series) -> dict:
    """One label per year (or per 2 or 5 years on long spans), centred on the year it names."""
    years = periods.str[:4].astype(int)
    first, last = (int(years.min()), int(years.max())) if len(years) else (2000, 2000)
    span = last - first + 1
    step = 12 if span <= 10 else 24 if span <= 20 else 60
    return dict(type="date", tickformat="%Y", dtick=f"M{step}", tick0="2000-01-01", ticklabelmode="period",
                range=[f"{first}-01-01", f"{last + 1}-01-01"])


def wage_figure(rows: pd.DataFrame, label_column: str, lang: str, y_title: str) -> go.Figure:
    """Median per period with whiskers to the 25th and 75th percentile where those are published."""
    figure = go.Figure()
    wide = rows.pivot_table(index=[label_column, "period"], columns="indicator", values="value", aggfunc="first")
    status = rows[rows["indicator"] == "hourly_wage_median"].set_index([label_column, "period"])["status"]
    for index, label in enumerate(dict.fromkeys(rows[label_column])):
        if label not in wide.index.get_level_values(0):
            continue
        part = wide.loc[label]
        if "hourly_wage_median" not in part or part["hourly_wage_median"].isna().all():
            continue
        present = part.index[part["hourly_wage_median"].notna()]
        periods = every_period(min(present, key=sort_key), max(present, key=sort_key))
        median = [part["hourly_wage_median"].get(p) for p in periods]
        low = [part["hourly_wage_p25"].get(p) if "hourly_wage_p25" in part else None for p in periods]
        high = [part["hourly_wage_p75"].get(p) if "hourly_wage_p75" in part else None for p in periods]
        statuses = [status.get((label, p), "") for p in periods]
        # The median wage keeps its colour; a second group (e.g. the successor edition) differs in line style.
        colour = INDICATOR_COLOURS["hourly_wage_median"]

        def gap(v):
            return None if v is None or pd.isna(v) else v

        figure.add_trace(go.Scatter(
            x=[period_date(p) for p in periods],
            y=[gap(m) for m in median],
            mode="lines+markers", connectgaps=False, name=legend_name(label),
            line=dict(color=colour, width=2, dash=LINE_STYLES[index % len(LINE_STYLES)]),
            marker=dict(color=colour, size=9, symbol=[STATUS_SYMBOLS.get(s, "circle") for s in statuses],
                        line=dict(color=colour, width=2)),
            error_y=dict(type="data", symmetric=False, color=colour, thickness=1.5, width=6,
                         array=[None if gap(h) is None or gap(m) is None else h - m for h, m in zip(high, median, strict=True)],
                         arrayminus=[None if gap(lo) is None or gap(m) is None else m - lo
                                     for lo, m in zip(low, median, strict=True)]),
            customdata=[[p, format_value(lo, "EUR/hour", lang), format_value(m, "EUR/hour", lang),
                         format_value(h, "EUR/hour", lang), text("status." + s, lang) if s else ""]
                        for p, lo, m, h, s in zip(periods, low, median, high, statuses, strict=True)],
            hovertemplate=("%{customdata[0]}: P25 %{customdata[1]} · " + text("wage.median", lang)
                           + " %{customdata[2]} · P75 %{customdata[3]} %{customdata[4]}<extra>" + str(label) + "</extra>"),
        ))
    layout = base_layout(lang, y_title, unit="EUR/hour")
    layout["xaxis"].update(year_axis(rows["period"]))
    figure.update_layout(layout)
    return figure


def add_tension_bands(figure: go.Figure, lang: str) -> go.Figure:
    """Dotted lines at UWV's class boundaries, labelled with the class above each line (one layout update)."""
    bounds = [row for row in tension_classes.classes() if row["lower"]]
    shapes = [dict(type="line", xref="x domain", x0=0, x1=1, yref="y", y0=float(r["lower"]), y1=float(r["lower"]),
                   line=dict(color="#767676", width=1, dash="dot")) for r in bounds]
    notes = [dict(xref="x domain", x=0, yref="y", y=float(r["lower"]), text=r[f"label_{lang}"], showarrow=False,
                  xanchor="left", yanchor="bottom", font=dict(size=11, color="#4d4d4d")) for r in bounds]
    figure.update_layout(shapes=shapes, annotations=notes)
    return figure
