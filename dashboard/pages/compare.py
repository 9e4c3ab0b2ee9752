"""NL–BE comparison on the harmonised classifications: an ISCO-08 occupation via the crosswalks, a NACE vacancy rate."""

from __future__ import annotations

import dash
import pandas as pd
from dash import Input, dcc, html

from dashboard import database, enrich, figures, params, shell
from dashboard.downloads import view_links
from dashboard.i18n import format_value, text, text_or
from dashboard.pages import _eurostat_rate, _series
from dashboard.panel import data_table, downloads, panel
from etl.periods import sort_key

NAME = "compare"
COUNTRIES = ("NL", "BE")
DEFAULT_ISCO = "4222"  # contact centre information clerks
DEFAULT_SECTION = "N"
ALL = "all"
# Schemes linked straight to ISCO-08, per country; links that say nothing (unmapped) are left out.
ISCO_SOURCES = {"NL": "brc2014", "BE": "vdab"}
LINK_CONFIDENCE = ("exact", "high", "medium", "low")
# One hop further from a BRC group: its successor edition (forward) and UWV's groups (backward), as on the sector page.
FORWARD_SCHEMES = ("brc2014e2025",)
BACKWARD_SCHEMES = ("uwv",)
NL_INDICATORS = ("employed_persons", "hourly_wage_p25", "hourly_wage_median", "hourly_wage_p75", "tension_ratio")
BE_VACANCIES = ("vacancies_open", "vacancies_new")
BE_SHORTAGE = ("shortage_listed",)
# Vacancy rates compared by section: CBS 80567NED and Statbel's job vacancy survey, both in percent.
RATE_DATASETS = {"NL": "cbs-80567NED", "BE": "statbel-jvs"}
RATE_ALL_SECTORS = {"NL": ("", ""), "BE": ("nace2", "B-S")}
# VDAB and UWV codes are their titles written as web-address slugs: the table shows the title only (downloads keep them).
SLUG_SCHEMES = ("vdab", "uwv")
# The links table is wider than a phone: it scrolls sideways in its box rather than squeezing each row to ten lines.
LINKS_MIN_WIDTH = "64rem"
LINK_COLUMNS = ["country", "isco08", "scheme", "code", "label", "confidence", "via", "note", "source"]


# -- choices -----------------------------------------------------------------------------------------------------

def _isco_label(code: str, lang: str) -> str:
    labels = enrich.occupation_labels(lang)
    return labels.get(("isco08", code)) or enrich.occupation_labels("en").get(("isco08", code), "")


@database.per_version
def isco_choices() -> tuple[str, ...]:
    """ISCO-08 codes something links to (a BRC group or a VDAB title) or that have observations of their own."""
    rows = database.current().query(
        "SELECT DISTINCT to_code AS code FROM crosswalk WHERE to_scheme = 'isco08' AND to_code != '' "
        "UNION SELECT DISTINCT occupation_code FROM observation WHERE occupation_scheme = 'isco08' ORDER BY code")
    return tuple(rows["code"])


@database.per_version
def section_choices() -> tuple[str, ...]:
    rows = database.current().query("SELECT code FROM sector WHERE scheme = 'nace2' ORDER BY code")
    return tuple(rows["code"])


def state(query: dict) -> params.PageState:
    return params.read(query, {"isco": (DEFAULT_ISCO, set(isco_choices())),
                               "section": (DEFAULT_SECTION, set(section_choices()) | {ALL})})


# -- the rows behind each view (what the page shows is exactly what its downloads hold) --------------------------

@database.per_version
def _links(isco: str, lang: str) -> pd.DataFrame:
    """Crosswalk links to the ISCO code per country, then one hop further (BRC successor edition, UWV groups)."""
    db = database.current()
    occupations = enrich.occupation_labels(lang)
    marks = ", ".join("?" for _ in LINK_CONFIDENCE)
    frames = []
    for country, scheme in ISCO_SOURCES.items():
        direct = db.query(
            f"SELECT from_scheme AS scheme, from_code AS code, confidence, note, source FROM crosswalk "
            f"WHERE to_scheme = 'isco08' AND to_code = ? AND from_scheme = ? AND confidence IN ({marks}) ORDER BY code",
            (isco, scheme, *LINK_CONFIDENCE))
        frames.append(direct.assign(country=country, via=""))
        for code in direct["code"]:
            forward = db.query(
                f"SELECT to_scheme AS scheme, to_code AS code, confidence, note, source FROM crosswalk "
                f"WHERE from_scheme = ? AND from_code = ? AND to_scheme IN ({', '.join('?' for _ in FORWARD_SCHEMES)}) "
                f"AND confidence IN ({marks})", (scheme, code, *FORWARD_SCHEMES, *LINK_CONFIDENCE))
            backward = db.query(
                f"SELECT from_scheme AS scheme, from_code AS code, confidence, note, source FROM crosswalk "
                f"WHERE to_scheme = ? AND to_code = ? AND from_scheme IN ({', '.join('?' for _ in BACKWARD_SCHEMES)}) "
                f"AND confidence IN ({marks})", (scheme, code, *BACKWARD_SCHEMES, *LINK_CONFIDENCE))
            frames.append(pd.concat([forward, backward], ignore_index=True).assign(country=country,
                                                                                   via=f"{scheme} {code}"))
    links = pd.concat(frames, ignore_index=True)
    links["isco08"] = isco
    links["label"] = [occupations.get((s, c), "") for s, c in zip(links["scheme"], links["code"], strict=True)]
    return links[LINK_COLUMNS].reset_index(drop=True)


def _observations(filters: dict, lang: str) -> pd.DataFrame:
    return _series.finish(database.current().observations(filters), lang)


@database.per_version
def _country_rows(isco: str, country: str, indicators: tuple[str, ...], lang: str) -> pd.DataFrame:
    """The country's observations for every code linked to the ISCO code (directly or one hop further)."""
    links = _links(isco, lang)
    links = links[links["country"] == country]
    frames = []
    for scheme, codes in links.groupby("scheme")["code"]:
        filters = {"occupation_scheme": scheme, "occupation_code": list(codes), "indicator": list(indicators),
                   "country": country, "sector_scheme": ""}
        if country == "NL":
            filters.update(region="", breakdown="")
        frames.append(database.current().observations(filters))
    frames = [f for f in frames if not f.empty]
    if not frames:
        return _observations({"dataset_id": []}, lang)
    return _series.finish(pd.concat(frames, ignore_index=True), lang)


@database.per_version
def isco_lineage(isco: str) -> tuple[str, ...]:
    """The code and the groups above it (4222, 422, 42, 4): Eurostat publishes ISCO-08 at one or two digits."""
    codes = database.current().query("SELECT code, parent_code FROM occupation WHERE scheme = 'isco08'")
    parents = dict(zip(codes["code"], codes["parent_code"], strict=True))
    lineage = [isco]
    while parents.get(lineage[-1]) and parents[lineage[-1]] not in lineage:
        lineage.append(parents[lineage[-1]])
    return tuple(lineage)


@database.per_version
def _harmonised_rows(isco: str, lang: str) -> pd.DataFrame:
    """Observations on the ISCO-08 code or a group above it, from either country (Eurostat's series after a refresh)."""
    return _observations({"occupation_scheme": "isco08", "occupation_code": list(isco_lineage(isco))}, lang)


@database.per_version
def _rate_rows(section: str, lang: str) -> pd.DataFrame:
    """The vacancy rate of the section (national, no breakdown) from each country's own survey."""
    frames = []
    for country, dataset in RATE_DATASETS.items():
        scheme, code = RATE_ALL_SECTORS[country] if section == ALL else ("nace2", section)
        frames.append(database.current().observations({
            "dataset_id": dataset, "indicator": "vacancy_rate", "country": country, "region": "",
            "sector_scheme": scheme, "sector_code": code, "occupation_scheme": "", "breakdown": ""}))
    return _series.finish(pd.concat(frames, ignore_index=True), lang)


def links(s: params.PageState) -> pd.DataFrame:
    return _links(s.get("isco"), s.lang)


def nl_figures(s: params.PageState) -> pd.DataFrame:
    return _country_rows(s.get("isco"), "NL", NL_INDICATORS, s.lang)


def be_shortage(s: params.PageState) -> pd.DataFrame:
    rows = _country_rows(s.get("isco"), "BE", BE_SHORTAGE, s.lang)
    return rows.iloc[sorted(range(len(rows)), key=lambda i: sort_key(rows["period"].iloc[i]))].reset_index(drop=True)


def be_vacancies(s: params.PageState) -> pd.DataFrame:
    return _country_rows(s.get("isco"), "BE", BE_VACANCIES, s.lang)


def harmonised(s: params.PageState) -> pd.DataFrame:
    return _harmonised_rows(s.get("isco"), s.lang)


def vacancy_rate(s: params.PageState) -> pd.DataFrame:
    return _rate_rows(s.get("section"), s.lang)


def eurostat_rate(s: params.PageState) -> pd.DataFrame:
    return _eurostat_rate.rows(s.lang)


VIEWS = {"eurostat_rate": eurostat_rate, "links": links,
         "figures-nl": nl_figures, "shortage-be": be_shortage, "vacancies-be": be_vacancies,
         "isco": harmonised, "vacancy_rate": vacancy_rate}


# -- rendering ---------------------------------------------------------------------------------------------------

def _links_panel(s: params.PageState) -> html.Section:
    lang = s.lang
    rows = links(s)
    view = "links"
    heading_id = f"{NAME}-{view}-heading"
    children = [html.H3(text("compare.links", lang, isco=s.get("isco")), id=heading_id)]
    if rows.empty:
        children.append(html.P(text("compare.no_links", lang, isco=s.get("isco")), className="empty"))
    else:
        shown = rows.assign(country=rows["country"].map(lambda c: text("country." + c, lang)),
                            scheme=rows["scheme"].map(lambda c: text_or("scheme." + c, lang, c)),
                            code=rows["code"].where(~rows["scheme"].isin(SLUG_SCHEMES), ""),
                            confidence=rows["confidence"].map(lambda c: text("compare.confidence." + c, lang)),
                            via=[_via_name(v, lang) if v else f"ISCO-08 {i}" for v, i in zip(rows["via"], rows["isco08"],
                                                                                             strict=True)])
        columns = [("country", text("compare.col.country", lang)), ("scheme", text("compare.col.scheme", lang)),
                   ("code", text("compare.col.code", lang)), ("label", text("compare.col.label", lang)),
                   ("confidence", text("compare.col.confidence", lang)), ("via", text("compare.col.via", lang)),
                   *([("note", text("compare.col.note", lang))] if lang == "en" else [])]
        table = data_table(shown, lang, text("compare.links_caption", lang, isco=s.get("isco")), columns)
        table.children[1].style = {"minWidth": LINKS_MIN_WIDTH}  # the Markdown table inside the scrolling figure
        children.append(table)
        children.append(html.P(text("compare.links_note", lang), className="note"))
        children.append(downloads(view_links(NAME, view, s, lang), lang, NAME, view))
    return html.Section(children, className="panel", **{"aria-labelledby": heading_id})


def _via_name(via: str, lang: str) -> str:
    """`brc2014 0433` as a reader names it: BRC 2014 0433."""
    scheme, code = via.split(" ", 1)
    return f"{text_or('scheme.' + scheme, lang, scheme)} {code}"


def _empty_for(s: params.PageState, country: str, topic: str) -> str:
    return text("compare.no_rows", s.lang, country=text("country." + country, s.lang),
                topic=text("compare." + topic, s.lang).lower(), isco=s.get("isco"))


def _nl_panel(s: params.PageState) -> html.Section:
    rows = nl_figures(s)
    notes = []
    if not (rows["indicator"] == "tension_ratio").any():
        notes.append(text("compare.no_tension", s.lang))
    return _series.series_panel(page=NAME, view="figures-nl", title=text("compare.nl_figures", s.lang), rows=rows,
                                state=s, notes=notes, empty=_empty_for(s, "NL", "nl_figures"))


def _shortage_panel(s: params.PageState) -> html.Section:
    lang = s.lang
    rows = be_shortage(s)
    view = "shortage-be"
    table = None if rows.empty else _series.shortage_table(rows, lang, text("compare.shortage", lang), evidence=True)
    return panel(page=NAME, view=view, title=text("compare.shortage", lang), rows=rows, lang=lang, table=table,
                 notes=[text("shortage.method.BE", lang), text("compare.shortage_note", lang)],
                 links=view_links(NAME, view, s, lang), empty=_empty_for(s, "BE", "shortage"))


def _be_vacancy_panel(s: params.PageState) -> html.Section:
    return _series.series_panel(page=NAME, view="vacancies-be", title=text("compare.be_vacancies", s.lang),
                                rows=be_vacancies(s), state=s, empty=_empty_for(s, "BE", "be_vacancies"))


def _harmonised_panel(s: params.PageState) -> html.Section:
    rows = harmonised(s)
    empty = text("compare.no_harmonised", s.lang, isco=s.get("isco"))
    labels = None
    if not rows.empty:
        # Both countries' series on one ISCO code: the country leads each name so no line joins NL to BE.
        labels = rows["country"].map(lambda c: text("country." + c, s.lang)) + " — " + _series.series_label(rows, s.lang)
    wider = (rows["occupation_code"] != s.get("isco")).any()
    notes = [text("compare.harmonised_wider", s.lang, isco=s.get("isco"))] if wider else []
    return _series.series_panel(page=NAME, view="isco", title=text("compare.harmonised", s.lang, isco=s.get("isco")),
                                rows=rows, state=s, labels=labels, notes=notes, empty=empty)


def _section_name(section: str, lang: str) -> str:
    if section == ALL:
        return text("compare.all_sectors", lang)
    label = enrich.sector_labels(lang).get(("nace2", section), "")
    return f"{section} {label}".strip()


@database.per_version
def sections_with_both() -> tuple[str, ...]:
    """Sections (or 'all') with a vacancy rate from both countries' surveys in the database."""
    found = []
    for section in (ALL, *section_choices()):
        rows = _rate_rows(section, "en")
        if set(rows["country"]) == set(COUNTRIES):
            found.append(section)
    return tuple(found)


def _rate_table(rows: pd.DataFrame, lang: str, caption: str) -> html.Figure:
    """Period by country, side by side; a period one country lacks is shown as missing, never filled."""
    periods = sorted(set(rows["period"]), key=sort_key)
    cells = []
    for period in periods:
        row = {"period": period}
        for country in COUNTRIES:
            found = rows[(rows["period"] == period) & (rows["country"] == country)]
            row[country] = (f"{format_value(found['value'].iloc[0], 'percent', lang)} "
                            f"({text('status.' + found['status'].iloc[0], lang)})" if not found.empty
                            else text("compare.missing", lang))
        cells.append(row)
    columns = [("period", text("table.period", lang))] + [(c, text("country." + c, lang)) for c in COUNTRIES]
    return data_table(pd.DataFrame(cells, columns=["period", *COUNTRIES]), lang, caption, columns)


def _rate_panel(s: params.PageState) -> html.Section:
    lang = s.lang
    rows = vacancy_rate(s)
    title = text("compare.rate_title", lang, section=_section_name(s.get("section"), lang))
    charts, table = [], None
    notes = [text("compare.rate_definitions", lang), text("figure.markers", lang)]
    if not rows.empty:
        publisher = rows["publisher"] + " " + rows["dataset_id"].map(enrich.datasets()["table_id"]).fillna("")
        labelled = rows.assign(series=rows["country"].map(lambda c: text("country." + c, lang)) + " — "
                               + publisher.str.strip())
        # Both surveys publish percentages; a series in another unit would get an axis of its own.
        charts = [figures.series_figure(part, "series", lang, text_or("unit." + unit, lang, unit))
                  for unit, part in labelled.groupby("unit", sort=False)]
        table = _rate_table(rows, lang, title)
        common = set(rows.loc[rows["country"] == "NL", "period"]) & set(rows.loc[rows["country"] == "BE", "period"])
        notes.insert(0, text("compare.rate_common", lang, periods=", ".join(sorted(common, key=sort_key)))
                     if common else text("compare.rate_no_common", lang))
    both = ", ".join(_section_name(c, lang) for c in sections_with_both())
    empty = text("compare.rate_empty", lang, section=_section_name(s.get("section"), lang), both=both or "—")
    return panel(page=NAME, view="vacancy_rate", title=title, rows=rows, lang=lang, figure=charts or None, table=table,
                 notes=notes, links=view_links(NAME, "vacancy_rate", s, lang), empty=empty)


def _controls(s: params.PageState) -> html.Div:
    lang = s.lang
    isco_options = [{"label": f"{code} {_isco_label(code, lang)}".strip(), "value": code} for code in isco_choices()]
    section_options = [{"label": text("compare.all_sectors", lang), "value": ALL}] + [
        {"label": _section_name(code, lang), "value": code} for code in section_choices()]
    return html.Div([
        html.Div([html.Label(text("compare.choose_isco", lang), htmlFor="compare-isco"),
                  dcc.Dropdown(id="compare-isco", options=isco_options, value=s.get("isco"), clearable=False),
                  *([html.P(text("compare.isco_english", lang), className="note")] if lang == "nl" else [])],
                 className="control", style=_series.WIDE_CONTROL),
        html.Div([html.Label(text("compare.choose_section", lang), htmlFor="compare-section"),
                  dcc.Dropdown(id="compare-section", options=section_options, value=s.get("section"),
                               clearable=False)], className="control", style=_series.WIDE_CONTROL),
    ], className="controls")


def render(s: params.PageState) -> html.Div:
    """The whole page for a validated state."""
    lang = s.lang
    isco = s.get("isco")
    return html.Div([
        html.Div([html.H1(text("compare.heading", lang), id="compare-title"),
                  html.P(text("compare.intro", lang)), _controls(s)], className="page-header"),
        html.Div(_eurostat_rate.rate_panel(page=NAME, view="eurostat_rate", state=s), className="country-row-single",
                 id="compare-eurostat-rate", style={"minWidth": 0}),
        html.H2(text("compare.by_occupation", lang, isco=isco, label=_isco_label(isco, lang)), id="compare-occupation"),
        _links_panel(s),
        html.Div([_series.country_column("NL", lang, _nl_panel(s)),
                  _series.country_column("BE", lang, _shortage_panel(s), _be_vacancy_panel(s))],
                 className="country-row", id="compare-figures"),
        html.Div(_harmonised_panel(s), className="country-row-single", id="compare-harmonised"),
        html.H2(text("compare.by_industry", lang), id="compare-industry"),
        _rate_panel(s),
    ], className="page compare-page")


def layout(**query) -> html.Div:
    """Dash Pages calls this with the URL's query parameters."""
    return shell.guarded(NAME, query, state, render)


# Put the chosen ISCO code and section in the URL; the router renders the page for them.
CHOOSE = params.chosen_search_script(["isco", "section"], {"isco": DEFAULT_ISCO, "section": DEFAULT_SECTION})
params.choice_in_url(CHOOSE, Input("compare-isco", "value"), Input("compare-section", "value"))


dash.register_page(__name__, path="/compare", order=3, name=NAME, title_key="compare.nav", layout=layout)
