"""The harmonised NL–BE vacancy rate: Eurostat's job vacancy rate (industry, construction and services) for both
countries on one percent axis, the euro area as a dashed reference line, and the latest common quarter in a sentence."""

from __future__ import annotations

import pandas as pd
from dash import html

from dashboard import database, figures
from dashboard.downloads import view_links
from dashboard.i18n import format_value, text
from dashboard.pages import _series
from dashboard.panel import panel
from etl.periods import sort_key

DATASET_PREFIX = "eurostat-jvs"
COUNTRIES = ("NL", "BE")
# Published aggregates drawn as a reference, never as a country: the euro area as composed at the time.
REFERENCE = ("EA",)
SECTOR = ("nace2", "B-S")


@database.per_version
def rows(lang: str) -> pd.DataFrame:
    """The job vacancy rate, NACE B-S, of NL, BE and the euro area from Eurostat's series (quoted or fetched)."""
    db = database.current()
    datasets = db.query("SELECT dataset_id FROM dataset WHERE dataset_id LIKE ? ORDER BY dataset_id",
                        (DATASET_PREFIX + "%",))["dataset_id"].tolist()
    found = db.observations({"dataset_id": datasets, "indicator": "vacancy_rate", "country": [*COUNTRIES, *REFERENCE],
                             "region": "", "occupation_scheme": "", "sector_scheme": SECTOR[0],
                             "sector_code": SECTOR[1], "breakdown": ""})
    order = {c: i for i, c in enumerate((*COUNTRIES, *REFERENCE))}
    out = _series.finish(found, lang)
    return out.assign(_c=out["country"].map(order)).sort_values("_c", kind="stable").drop(columns="_c").reset_index(
        drop=True)


def common_periods(found: pd.DataFrame) -> list[str]:
    """Quarters with a rate for both countries, oldest first."""
    by_country = [set(found.loc[found["country"] == c, "period"]) for c in COUNTRIES]
    return sorted(set.intersection(*by_country), key=sort_key)


def latest_sentence(found: pd.DataFrame, lang: str) -> str:
    """The latest common quarter with both values (and the euro area's, when published for it)."""
    common = common_periods(found)
    if not common:
        return text("eurostat_rate.no_common", lang)
    period = common[-1]
    value = {c: found.loc[(found["country"] == c) & (found["period"] == period), "value"] for c in
             (*COUNTRIES, *REFERENCE)}
    sentence = text("eurostat_rate.latest", lang, period=period, nl=format_value(value["NL"].iloc[0], "percent", lang),
                    be=format_value(value["BE"].iloc[0], "percent", lang), count=len(common))
    if not value["EA"].empty:
        sentence += " " + text("eurostat_rate.latest_ea", lang, ea=format_value(value["EA"].iloc[0], "percent", lang))
    return sentence


def _short(name: str, lang: str) -> str:
    """NL, BE or EA for a country or area named in the page's language."""
    return next((c for c in (*COUNTRIES, *REFERENCE) if text("country." + c, lang) == name), name)


def rate_panel(*, page: str, view: str, state) -> html.Section:
    """One chart of NL and BE on one percent axis (gaps stay gaps), the euro area dashed, the sentence, the table."""
    lang = state.lang
    found = rows(lang)
    title = text("eurostat_rate.title", lang)
    chart = shown_table = None
    notes = []
    if not found.empty:
        labelled = found.assign(series=found["country"].map(lambda c: text("country." + c, lang)))
        reference = tuple(text("country." + c, lang) for c in REFERENCE)
        chart = figures.series_figure(labelled, "series", lang, text("unit.percent", lang), references=reference)
        # Three lines of one indicator end close together: each latest value names its line, right of the last point.
        for trace in chart.data:
            trace.text = [f"{value} {_short(trace.name, lang)}" if value else "" for value in trace.text]
            trace.textposition = "middle right"
        chart.update_layout(showlegend=True, margin_r=90)
        shown_table = _series.table(labelled, lang, title)
        notes = [html.Strong(latest_sentence(found, lang)), text("eurostat_rate.definition", lang),
                 text("eurostat_rate.reference", lang), text("figure.markers", lang)]
    return panel(page=page, view=view, title=title, rows=found, lang=lang, figure=chart, table=shown_table,
                 notes=notes, links=view_links(page, view, state, lang), empty=text("eurostat_rate.empty", lang))
