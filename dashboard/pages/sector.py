"""Sector overview (the home page): NL and BE side by side for one defined sector, customer contact by default."""

from __future__ import annotations

import pandas as pd
from dash import Input, Output, State, callback, dcc, html, no_update

from dashboard import database, enrich, figures, params, sectors
from dashboard.downloads import view_links
from dashboard.i18n import format_value, text, text_or
from dashboard.panel import data_table, panel
from etl.periods import sort_key
from etl.sector_definitions import DEFAULT_SECTOR

PAGE = {"path": "/", "order": 0, "name": "sector", "title_key": "sector.nav"}
NAME = "sector"
COUNTRIES = ("NL", "BE")
WORKFORCE = ("employed_persons", "employees")
WAGES = ("hourly_wage_p25", "hourly_wage_median", "hourly_wage_p75")
VACANCIES = ("vacancies_open", "vacancies_new", "vacancies_filled")
VACANCY_RATE = ("vacancy_rate",)
MOBILITY = ("occupation_changers", "occupation_change_rate")
TENSION = ("tension_ratio",)
NATIONAL_TENSION = ("tension_ratio", "vacancies_per_100_unemployed")
SHORTAGE = ("shortage_listed",)
# Long quarterly series are charted per quarter; the yearly averages of the same table stay in the data downloads.
VACANCY_FREQUENCY = "quarter"


def state(query: dict) -> params.PageState:
    return params.read(query, {"sector": (DEFAULT_SECTOR, set(sectors.choices()["sector_id"]))})


# -- the rows behind each view (what the page shows is exactly what its downloads hold) --------------------------

def _series_label(rows: pd.DataFrame, lang: str, with_indicator: bool) -> pd.Series:
    code = rows["occupation_code"].where(rows["occupation_code"] != "", rows["sector_code"])
    name = rows["occupation_label"].where(rows["occupation_code"] != "", rows["sector_label"])
    label = (code + " " + name).str.strip()
    label = label.where(label != "", text("series.national", lang))
    edition = rows["occupation_scheme"] == "brc2014e2025"
    label = label.where(~edition, label + " (" + text("scheme.brc2014e2025", lang) + ")")
    regional = rows["region"] != ""
    label = label.where(~regional, label + " (" + rows["region"].map(lambda r: text_or("region." + r, lang, r)) + ")")
    adjusted = rows["breakdown"].str.contains("adjustment=sa", regex=False)
    label = label.where(~adjusted, label + " (" + text("series.adjusted", lang) + ")")
    if with_indicator:
        label = label + " — " + rows["indicator_label"]
    return label


INDICATOR_ORDER = {name: i for i, name in enumerate(
    WORKFORCE + WAGES + VACANCIES + VACANCY_RATE + MOBILITY + NATIONAL_TENSION + SHORTAGE)}



def _finish(rows: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Labelled rows in reading order: indicator as listed above, then code, then period."""
    out = enrich.with_labels(rows, lang)
    order = out["period"].map(sort_key)
    rank = out["indicator"].map(INDICATOR_ORDER).fillna(len(INDICATOR_ORDER))
    return out.assign(_order=order, _rank=rank).sort_values(
        ["_rank", "indicator", "occupation_scheme", "occupation_code", "sector_code", "_order"]).drop(
        columns=["_order", "_rank"]).reset_index(drop=True)


@database.per_version
def _topic_rows(topic: str, sector_id: str, country: str, lang: str) -> pd.DataFrame:
    """The labelled observation rows of one topic, country and language (shared between requests: read-only)."""
    if topic == "vacancies":
        rows = sectors.industry_rows(sector_id, country, VACANCIES)
        rows = rows[rows["period"].map(figures.frequency) == VACANCY_FREQUENCY]
    elif topic == "vacancy_rate":
        rows = sectors.industry_rows(sector_id, country, VACANCY_RATE)
    elif topic == "tension":
        rows = pd.concat([sectors.occupation_rows(sector_id, country, TENSION),
                          sectors.national_rows(country, NATIONAL_TENSION)], ignore_index=True)
    elif topic == "publications":
        rows = sectors.publication_rows(sector_id, country)
    else:
        rows = sectors.occupation_rows(sector_id, country, OCCUPATION_TOPICS[topic])
    return _finish(rows, lang)


OCCUPATION_TOPICS = {"workforce": WORKFORCE, "wages": WAGES, "mobility": MOBILITY, "shortage": SHORTAGE}


def topic_rows(s: params.PageState, country: str, topic: str) -> pd.DataFrame:
    """The labelled rows one panel of the page shows (topic as in TOPICS)."""
    return _topic_rows(topic, s.get("sector"), country, s.lang)


TOPICS = ("workforce", "wages", "vacancies", "vacancy_rate", "tension", "shortage", "mobility", "publications")


def everything(s: params.PageState) -> pd.DataFrame:
    """All observation rows the page shows, for the page-level download."""
    frames = [topic_rows(s, country, topic) for topic in TOPICS for country in COUNTRIES]
    frames = [f for f in frames if not f.empty]
    if not frames:
        return enrich.with_labels(sectors.publication_rows("", "NL"), s.lang)
    return pd.concat(frames, ignore_index=True).drop_duplicates(
        ["dataset_id", "indicator", "country", "region", "occupation_scheme", "occupation_code", "sector_scheme",
         "sector_code", "breakdown", "period"]).reset_index(drop=True)


VIEWS = {f"{topic}-{country.lower()}": (lambda s, t=topic, c=country: topic_rows(s, c, t))
         for topic in TOPICS for country in COUNTRIES}
VIEWS["all"] = everything


# -- rendering ---------------------------------------------------------------------------------------------------

TABLE = [("period", "table.period"), ("series", "table.series"), ("value", "table.value"), ("unit", "table.unit"),
         ("status", "table.status")]


def _table(rows: pd.DataFrame, lang: str, caption: str) -> html.Figure:
    columns = [(name, text(key, lang)) for name, key in TABLE]
    return data_table(rows, lang, caption, columns)


def _caveats(s: params.PageState, country: str, schemes: tuple[str, ...] | None,
             shown: pd.DataFrame | None = None) -> list[str]:
    """The definition's caveats for the occupation (schemes given) or industry (None) codes of one country.

    With `shown`, only caveats of codes whose figures appear in those rows (a national series needs none).
    """
    rows = sectors.definition(s.get("sector"))
    rows = rows[rows["country"] == country]
    if schemes is not None:
        rows = rows[rows["scheme"].isin(schemes)]
    else:
        rows = rows[~rows["scheme"].isin(sectors.OCCUPATION_SCHEMES)]
    if shown is not None:
        codes = set(shown["occupation_code"]) | set(shown["sector_code"])
        rows = rows[rows["code"].isin(codes)]
    return [f"⚠ {c}" for c in dict.fromkeys(rows[f"caveat_{s.lang}"]) if c]


def _empty(s: params.PageState, country: str, topic: str) -> str:
    rows = sectors.definition(s.get("sector"))
    if (rows["country"] == country).sum() == 0:
        return text("sector.no_definition", s.lang, country=text("country." + country, s.lang))
    return text("sector.no_rows", s.lang, country=text("country." + country, s.lang),
                topic=text(f"sector.{topic}", s.lang).lower())


MARKER_NOTE = "figure.markers"


def _series_panel(s: params.PageState, country: str, topic: str, rows: pd.DataFrame, *, with_indicator: bool,
                  caveat_schemes: tuple[str, ...] | None = sectors.OCCUPATION_SCHEMES,
                  extra_notes: list | None = None) -> html.Section:
    lang = s.lang
    title = text(f"sector.{topic}", lang)
    view = f"{topic}-{country.lower()}"
    charts, table = [], None
    if not rows.empty:
        labelled = rows.assign(series=_series_label(rows, lang, with_indicator))
        # One chart per unit: a ratio and a count never share an axis.
        for unit, part in labelled.groupby("unit", sort=False):
            chart = figures.series_figure(part, "series", lang, text_or("unit." + unit, lang, unit))
            if unit == "ratio" and topic == "tension":
                figures.add_tension_bands(chart, lang)
            charts.append(chart)
        table = _table(labelled, lang, f"{title} — {text('country.' + country, lang)}")
    notes = [text(MARKER_NOTE, lang)] + _caveats(s, country, caveat_schemes, rows) + (extra_notes or [])
    return panel(page=NAME, view=view, title=title, rows=rows, lang=lang, figure=charts or None, table=table,
                 notes=notes if not rows.empty else [], links=view_links(NAME, view, s, lang),
                 empty=_empty(s, country, topic))


def _wage_panel(s: params.PageState, country: str) -> html.Section:
    lang = s.lang
    rows = topic_rows(s, country, "wages")
    view = f"wages-{country.lower()}"
    figure = table = None
    if not rows.empty:
        labelled = rows.assign(series=_series_label(rows, lang, with_indicator=False))
        figure = figures.wage_figure(labelled, "series", lang, text("unit.EUR/hour", lang))
        table = _table(labelled.assign(series=labelled["series"] + " — " + labelled["indicator_label"]), lang,
                       f"{text('sector.wages', lang)} — {text('country.' + country, lang)}")
    notes = [text("sector.wages_note", lang), text(MARKER_NOTE, lang)] + _caveats(s, country, sectors.OCCUPATION_SCHEMES,
                                                                                   rows)
    return panel(page=NAME, view=view, title=text("sector.wages", lang), rows=rows, lang=lang, figure=figure,
                 table=table, notes=notes, links=view_links(NAME, view, s, lang), empty=_empty(s, country, "wages"))


def _tension_notes(rows: pd.DataFrame, lang: str) -> list:
    """The UWV class of the latest tension ratio of each series, in words."""
    notes = []
    ratios = rows[rows["indicator"] == "tension_ratio"].assign(series=_series_label(rows, lang, False))
    for series, part in ratios.groupby("series", sort=False):
        latest = part.loc[part["period"].map(sort_key).idxmax()]
        category = figures.tension_class(latest["value"])
        notes.append(text("sector.tension_class", lang, series=series, period=latest["period"],
                          value=format_value(latest["value"], "ratio", lang), label=category[f"label_{lang}"]))
    return notes


def _shortage_panel(s: params.PageState, country: str) -> html.Section:
    lang = s.lang
    rows = topic_rows(s, country, "shortage")
    view = f"shortage-{country.lower()}"
    table = None
    if not rows.empty:
        shown = rows.assign(series=_series_label(rows, lang, False),
                            listed=rows["value"].map(lambda v: text("shortage.yes" if v == 1 else "shortage.no", lang)))
        columns = [("period", text("table.year", lang)), ("series", text("table.series", lang)),
                   ("listed", text("shortage.listed", lang)), ("status", text("table.status", lang))]
        table = data_table(shown, lang, f"{text('sector.shortage', lang)} — {text('country.' + country, lang)}", columns)
    notes = [text(f"shortage.method.{country}", lang), _model_note(lang)]
    section = panel(page=NAME, view=view, title=text("sector.shortage", lang), rows=rows, lang=lang, table=table,
                    notes=notes, links=view_links(NAME, view, s, lang), empty=_empty(s, country, "shortage"))
    if rows.empty:
        section.children.extend(html.P(n, className="note") for n in notes)
    return section


def _model_note(lang: str) -> str:
    if database.current().tables("model_"):
        return text("shortage.model_ready", lang)
    return text("shortage.model_missing", lang)


def _publication_panel(s: params.PageState, country: str) -> html.Section:
    lang = s.lang
    rows = topic_rows(s, country, "publications")
    facts = sectors.context_facts(s.get("sector"), country)
    view = f"publications-{country.lower()}"
    heading_id = f"{NAME}-{view}-heading"
    children = [html.H3(text("sector.publications", lang), id=heading_id),
                html.P(text("sector.publications_warning", lang), className="publication-warning")]
    items = []
    for row in rows.itertuples():
        items.append(html.Li([html.Strong(f"{row.period}: {row.indicator_label} "
                                          f"{format_value(row.value, row.unit, lang)}"),
                              " ", html.Span(f"({text('status.reported', lang)})", className="status"),
                              " — ", html.A(text("source.label", lang), href=row.source_url)
                              if row.source_url.startswith("http") else f"{text('source.label', lang)}: {row.source_url}"]))
    for fact in facts.itertuples():
        source = f"{fact.publisher}, {fact.publication}{', ' + fact.published if fact.published else ''}"
        items.append(html.Li([getattr(fact, f"statement_{lang}"), " ",
                              html.Span(f"— {text('source.label', lang)}: ", className="status"),
                              html.A(source, href=fact.source_url) if fact.source_url.startswith("http") else source]))
    if not items:
        children.append(html.P(_empty(s, country, "publications"), className="empty"))
    else:
        children.append(html.Ul(items, className="publication-list"))
        if not rows.empty:
            links = view_links(NAME, view, s, lang)
            children.append(html.Div([
                html.A(text("download.csv", lang), href=links["csv"], download="", className="download",
                       id=f"{NAME}-{view}-csv"),
                html.A(text("download.xlsx", lang), href=links["xlsx"], download="", className="download",
                       id=f"{NAME}-{view}-xlsx")], className="downloads"))
    return html.Section(children, className="panel publication", **{"aria-labelledby": heading_id})


def _key_figures(s: params.PageState, country: str) -> html.Div:
    """The latest workforce figure per defined occupation, each with its period and status."""
    lang = s.lang
    rows = topic_rows(s, country, "workforce")
    rows = rows[rows["indicator"] == "employed_persons"]
    items = []
    for (_, _code), part in rows.groupby(["occupation_scheme", "occupation_code"], sort=False):
        latest = part.loc[part["period"].map(sort_key).idxmax()]
        status = "" if latest["status"] == "final" else ", " + text("status." + latest["status"], lang)
        items.append(html.Li([html.Span(format_value(latest["value"], latest["unit"], lang), className="key-value"),
                              html.Span(f" {latest['indicator_label'].lower()}, {latest['occupation_code']} "
                                        f"{latest['occupation_label']} ({latest['period']}{status})")]))
    return html.Ul(items, className="key-figures") if items else html.Div()


def _definition(s: params.PageState) -> html.Div:
    lang = s.lang
    rows = sectors.definition(s.get("sector"))
    occupations = enrich.occupation_labels(lang)
    industries = enrich.sector_labels(lang)
    items = []
    for country in COUNTRIES:
        part = rows[rows["country"] == country]
        # A VDAB title's code is a slug of the title itself, so only its label is shown.
        codes = [" ".join(filter(None, [text("scheme." + r.scheme, lang), "" if r.scheme == "vdab" else r.code,
                                        occupations.get((r.scheme, r.code)) or industries.get((r.scheme, r.code), "")]))
                 for r in part.itertuples()]
        items.append(html.Li([html.Strong(text("country." + country, lang) + ": "),
                              "; ".join(codes) if codes else text("sector.no_definition_short", lang)]))
    return html.Div([html.P(text("sector.definition", lang)), html.Ul(items)], className="definition")


def _country_column(s: params.PageState, country: str, topic: str) -> html.Div:
    lang = s.lang
    if topic == "workforce":
        content = _series_panel(s, country, "workforce", topic_rows(s, country, "workforce"), with_indicator=True)
    elif topic == "wages":
        content = _wage_panel(s, country)
    elif topic == "vacancies":
        content = _series_panel(s, country, "vacancies", topic_rows(s, country, "vacancies"), with_indicator=True,
                                caveat_schemes=None)
    elif topic == "vacancy_rate":
        content = _series_panel(s, country, "vacancy_rate", topic_rows(s, country, "vacancy_rate"), with_indicator=False,
                                caveat_schemes=None)
    elif topic == "tension":
        rows = topic_rows(s, country, "tension")
        content = _series_panel(s, country, "tension", rows, with_indicator=True,
                                extra_notes=_tension_notes(rows, lang) + [text("sector.tension_note", lang)])
    elif topic == "mobility":
        content = _series_panel(s, country, "mobility", topic_rows(s, country, "mobility"), with_indicator=True)
    elif topic == "shortage":
        content = _shortage_panel(s, country)
    else:
        content = _publication_panel(s, country)
    return html.Div([html.H2(text("country." + country, lang), className="country-heading"), content],
                    className="country-column", lang=lang)


ROWS = ["workforce", "wages", "vacancies", "vacancy_rate", "tension", "shortage", "mobility", "publications"]


def render(s: params.PageState) -> html.Div:
    """The whole page for a validated state; what the router callback returns for `/`."""
    lang = s.lang
    choices = sectors.choices()
    label = choices.set_index("sector_id").loc[s.get("sector"), f"label_{lang}"]
    info = database.current().build_info()
    links = view_links(NAME, "all", s, lang)
    header = html.Div([
        html.H1(text("sector.heading", lang, sector=label), id="sector-title"),
        html.Div([
            html.Label(text("sector.choose", lang), htmlFor="sector-select"),
            dcc.Dropdown(id="sector-select", options=[{"label": r[f"label_{lang}"], "value": r["sector_id"]}
                                                      for _, r in choices.iterrows()],
                         value=s.get("sector"), clearable=False, searchable=False, className="sector-select"),
        ], className="control"),
        _definition(s),
        html.Div([html.P(c, className="caveat") for c in _caveats(s, "NL", None) + _caveats(s, "NL", sectors.OCCUPATION_SCHEMES)
                  + _caveats(s, "BE", None) + _caveats(s, "BE", sectors.OCCUPATION_SCHEMES)], className="caveats"),
        html.Div([html.Div(_key_figures(s, c), className="key-column") for c in COUNTRIES], className="key-row"),
        html.P([text("sector.updated", lang, built=info.get("built_at", "")[:16].replace("T", " "),
                     version=info.get("data_version", "")), " ",
                html.A(text("sector.download_all", lang), href=links["csv"], download="", id="sector-download-csv",
                       className="download"), " ",
                html.A(text("sector.download_all_xlsx", lang), href=links["xlsx"], download="",
                       id="sector-download-xlsx", className="download")], className="updated"),
    ], className="page-header")
    rows = []
    for topic in ROWS:
        rows.append(html.Div([_country_column(s, c, topic) for c in COUNTRIES], className="country-row",
                             id=f"sector-{topic}"))
    return html.Div([header, *rows], className="page sector-page")


def layout(**query) -> html.Div:
    """Dash Pages calls this with the URL's query parameters."""
    from dashboard import shell

    return shell.guarded(NAME, query, state, render)


@callback(Output("_pages_location", "search", allow_duplicate=True), Input("sector-select", "value"),
          State("_pages_location", "search"), prevent_initial_call=True)
def choose_sector(sector_id: str, search: str) -> str:
    """Put the chosen sector in the URL; the router then renders the page for it."""
    return params.chosen_search(search, {"sector": sector_id}, {"sector": DEFAULT_SECTOR}) or no_update
