"""Where one occupation stands among all occupations of its scheme and level: the published values, ranked, as a chart."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from dashboard import database, enrich, figures
from dashboard.i18n import format_value, text
from etl.periods import sort_key

# Which period counts as "latest" per indicator: employment in its latest published period of any length, wages in
# their latest year (CBS publishes hourly wages per year).
STANDING_INDICATORS = {"employed_persons": "any", "hourly_wage_median": "year"}
HIGHLIGHT = figures.COLOURS[1]
OTHERS = "#9db9d3"
BAR_HEIGHT = 7
MIN_HEIGHT = 260


@database.per_version
def peers(scheme: str, code: str, indicator: str) -> pd.DataFrame:
    """The national totals of every occupation of the same scheme and level as (scheme, code), for the selected
    occupation's latest period of `indicator` and from the same dataset; largest first, with `rank` (1 = largest).

    Empty when the selected occupation has no figure for the indicator.
    """
    db = database.current()
    own = db.query(
        "SELECT dataset_id, period FROM observation WHERE occupation_scheme = ? AND occupation_code = ? AND indicator = ? "
        "AND region = '' AND breakdown = '' AND value IS NOT NULL", (scheme, code, indicator))
    if STANDING_INDICATORS[indicator] == "year":
        own = own[own["period"].str.len() == 4]
    if own.empty:
        return pd.DataFrame(columns=[*enrich.EXPORT_COLUMNS, "rank", "of"])
    latest = own.loc[own["period"].map(sort_key).idxmax()]
    rows = db.query(
        "SELECT o.* FROM observation o JOIN occupation c ON c.scheme = o.occupation_scheme AND c.code = o.occupation_code "
        "WHERE o.dataset_id = ? AND o.indicator = ? AND o.period = ? AND o.occupation_scheme = ? AND o.region = '' "
        "AND o.breakdown = '' AND o.value IS NOT NULL "
        "AND c.level = (SELECT level FROM occupation WHERE scheme = ? AND code = ?)",
        (latest["dataset_id"], indicator, latest["period"], scheme, scheme, code))
    rows = rows.sort_values(["value", "occupation_code"], ascending=[False, True]).reset_index(drop=True)
    # Equal values share the better rank, as a reader would count them.
    rank = rows["value"].rank(method="min", ascending=False).astype(int)
    return rows.assign(rank=rank, of=len(rows))


def labelled(rows: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The peers with the labels and provenance columns of every download, plus rank and count."""
    if rows.empty:
        return rows
    return enrich.with_labels(rows, lang).assign(rank=rows["rank"].to_numpy(), of=rows["of"].to_numpy())


def position(rows: pd.DataFrame, code: str) -> dict | None:
    """The selected occupation's row (rank, of, value, period), or None when it is not among the peers."""
    found = rows[rows["occupation_code"] == code]
    return found.iloc[0].to_dict() if len(found) else None


def figure(rows: pd.DataFrame, code: str, lang: str, x_title: str) -> go.Figure:
    """One horizontal bar per occupation, largest on top, the selected one in a contrasting colour."""
    names = (rows["occupation_code"] + " " + rows["occupation_label"]).str.slice(0, 48)
    colours = [HIGHLIGHT if c == code else OTHERS for c in rows["occupation_code"]]
    unit = rows["unit"].iloc[0]
    chart = go.Figure(go.Bar(
        x=rows["value"], y=names, orientation="h", marker=dict(color=colours),
        customdata=[[format_value(v, unit, lang), r] for v, r in zip(rows["value"], rows["rank"], strict=True)],
        hovertemplate="%{y}: %{customdata[0]} (" + text("occupation.rank_short", lang) + " %{customdata[1]})<extra></extra>",
    ))
    layout = figures.base_layout(lang, "", height=max(MIN_HEIGHT, BAR_HEIGHT * len(rows) + 80), unit=unit)
    layout["xaxis"].update(title=dict(text=x_title), tickformat="," if unit in figures.COUNT_UNITS else "")
    layout["yaxis"] = dict(autorange="reversed", showticklabels=False, title=dict(
        text=text("occupation.standing_axis", lang, count=len(rows))))
    layout["margin"] = dict(l=40, r=20, t=10, b=50)
    chart.update_layout(layout, showlegend=False, bargap=0.15)
    selected = rows[rows["occupation_code"] == code]
    if len(selected):
        row = selected.iloc[0]
        chart.add_annotation(x=row["value"], y=names[selected.index[0]], text=f"{row['occupation_code']} ◀", showarrow=False,
                             xanchor="left", xshift=4, font=dict(color=HIGHLIGHT, size=12))
    return chart
