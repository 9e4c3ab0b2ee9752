"""Key figures of a sector per country: the best available latest figure per topic, with period, status and source."""

from __future__ import annotations

from urllib.parse import urlsplit

import pandas as pd
from dash import html

from dashboard import database, enrich, sectors
from dashboard.i18n import format_value, text
from dashboard.pages import _eurostat_rate, _series
from dashboard.panel import build_date, is_current, status_text
from etl import tension_classes
from etl.periods import sort_key

TOPICS = ("workforce", "wages", "vacancies", "vacancy_rate", "tension")
# Who publishes the figure a topic lacks, named in the sentence that says what would fill the gap (policy).
PUBLISHERS = {("workforce", "NL"): "CBS", ("workforce", "BE"): "Statbel", ("wages", "NL"): "CBS",
              ("wages", "BE"): "Statbel", ("vacancies", "NL"): "CBS", ("vacancies", "BE"): "VDAB",
              ("vacancy_rate", "NL"): "CBS", ("vacancy_rate", "BE"): "Statbel", ("tension", "NL"): "UWV",
              ("tension", "BE"): "VDAB"}
# Per topic, the indicators a key figure may be (first found wins within a source).
KEY_INDICATORS = {"workforce": ("employed_persons",), "wages": ("hourly_wage_median", "monthly_wage_median"),
                  "vacancies": ("vacancies_open", "vacancies_new"), "vacancy_rate": ("vacancy_rate",),
                  "tension": ("tension_ratio", "vacancies_per_100_unemployed", "shortage_listed")}
# VDAB publishes a title's new vacancies over a 12-month window; that is the title's vacancy figure.
TITLE_BREAKDOWNS = ("", "window=12m")
MOST_ITEMS = 3


@database.per_version
def _title_vacancies(sector_id: str, country: str) -> pd.DataFrame:
    """Vacancies of the sector's occupation titles, including VDAB's 12-month counts."""
    codes = sectors.occupation_codes(sector_id, country)
    codes = codes[codes["scheme"] == "vdab"]
    return database.current().observations({
        "occupation_scheme": "vdab", "occupation_code": list(codes["code"]), "country": country,
        "indicator": list(KEY_INDICATORS["vacancies"]), "breakdown": list(TITLE_BREAKDOWNS)})


def candidates(topic_rows, sector_id: str, country: str, topic: str, lang: str) -> list[pd.DataFrame]:
    """The labelled rows that could give the topic's key figure, best source first: the sector's own codes in an
    official table, then wider or quoted figures (the whole economy, a publication)."""
    publications = _series.finish(sectors.publication_rows(sector_id, country), lang)
    if topic == "vacancies":
        own = [_series.finish(_title_vacancies(sector_id, country), lang)] if country == "BE" else []
        found = [*own, topic_rows(country, "vacancies"), publications]
    elif topic == "vacancy_rate":
        eurostat = _eurostat_rate.rows(lang)
        found = [topic_rows(country, "vacancy_rate"), eurostat[eurostat["country"] == country]]
    elif topic == "tension" and country == "BE":
        found = [topic_rows(country, "shortage")]
    elif topic == "tension":
        rows = topic_rows(country, "tension")
        found = [rows[rows["occupation_code"] != ""], rows[rows["occupation_code"] == ""]]
    elif topic == "wages":
        national = _series.finish(sectors.national_rows(country, KEY_INDICATORS["wages"]), lang)
        found = [topic_rows(country, "wages"), publications, national]
    else:
        found = [topic_rows(country, topic), publications]
    return [f[f["indicator"].isin(KEY_INDICATORS[topic])] for f in found]


def best(frames: list[pd.DataFrame]) -> pd.DataFrame:
    """From the first source with figures: an official figure before a reported one, the first indicator listed, the
    latest period of each code (at most MOST_ITEMS codes)."""
    for rows in frames:
        if rows.empty:
            continue
        official = rows[rows["status"] != "reported"]
        rows = official if not official.empty else rows
        rows = rows[rows["indicator"] == rows["indicator"].iloc[0]]
        # One figure per code: a successor edition or a 12-month window of the same code is the same series here.
        series = ["occupation_code", "sector_code", "region"]
        latest = rows.loc[rows.groupby(series, sort=False)["period"].agg(lambda p: p.map(sort_key).idxmax())]
        return latest.head(MOST_ITEMS).reset_index(drop=True)
    return pd.DataFrame()


def _value(row, lang: str) -> str:
    if row.indicator == "shortage_listed":
        return text("shortage.yes" if row.value == 1 else "shortage.no", lang)
    shown = format_value(row.value, row.unit, lang)
    if row.unit == "percent":
        return f"{shown}%"
    if row.unit.startswith("EUR/"):
        return f"€ {shown} {text('unit.' + row.unit, lang).removeprefix('euro ')}"
    if row.indicator == "tension_ratio":
        return f"{shown} ({tension_classes.label(tension_classes.tension_class(row.value), lang)})"
    return shown


def _source(row) -> html.A | html.Span:
    """The publisher's page: the table for a table figure; for a reported one, the page or publication that printed it
    (and whose figure it quotes, when that is a statistics office)."""
    meta = enrich.datasets()
    dataset = meta.loc[row.dataset_id] if row.dataset_id in meta.index else None
    if dataset is None:
        return html.Span(row.publisher)
    # "VDAB (figures quoted in the press)" names the office; the parenthesis is the maintainers' note on the route.
    office = " ".join(filter(None, [dataset["publisher"].split(" (")[0], dataset["table_id"]]))
    if row.status == "reported" and row.source_url.startswith("http"):
        host = urlsplit(row.source_url).hostname.removeprefix("www.")
        return html.A(host if dataset["source"] == "publication" else f"{office}, via {host}", href=row.source_url)
    if row.status == "reported" and row.source_url:
        return html.Span(row.source_url)  # a printed publication without a web page: "Knack, november 2024"
    return html.A(office, href=dataset["url"]) if dataset["url"].startswith("http") else html.Span(office)


def item(row, lang: str) -> html.Li:
    what = _series.series_label(pd.DataFrame([row._asdict()]), lang).iloc[0]
    built = build_date()
    stale = [html.Strong(text("currency.not_current", lang), className="not-current"), " "] if (
        built and not is_current(row.period, built)) else []
    return html.Li([
        html.Span(_value(row, lang), className="key-value"), " ", html.Span(what, className="key-what"),
        html.Br(),
        html.Span([*stale, f"{row.period} · {status_text(row.status, lang)} · {text('source.label', lang)}: ",
                   _source(row)], className="key-meta note"),
    ], className="reported" if row.status == "reported" else "", style={"marginBottom": ".6rem"})


def cell(topic_rows, sector_id: str, country: str, topic: str, lang: str) -> html.Div:
    chosen = best(candidates(topic_rows, sector_id, country, topic, lang))
    heading = html.Span(text("country." + country, lang), className="key-country")
    if chosen.empty:
        return html.Div([heading, html.P(text("key.missing", lang, publisher=PUBLISHERS[(topic, country)]),
                                         className="empty")], className="key-cell")
    return html.Div([heading, html.Ul([item(r, lang) for r in chosen.itertuples(index=False)],
                                      className="key-figures")], className="key-cell")


def section(topic_rows, sector_id: str, countries: tuple[str, ...], lang: str) -> html.Section:
    """Per topic a row: its name, then each country's key figure side by side (stacked on a phone)."""
    rows = []
    for topic in TOPICS:
        rows.append(html.Div([html.H3(text(f"key.{topic}", lang), className="key-topic", style={"gridColumn": "1 / -1"}),
                              *(cell(topic_rows, sector_id, c, topic, lang) for c in countries)],
                             className="key-row", id=f"key-{topic}"))
    return html.Section([html.H2(text("key.heading", lang), id="key-heading"), html.P(text("key.intro", lang),
                                                                                     className="note"), *rows],
                        className="key-section", **{"aria-labelledby": "key-heading"})
