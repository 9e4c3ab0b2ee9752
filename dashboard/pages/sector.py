"""Sector overview (the home page): NL and BE side by side for one defined sector, customer contact by default."""

from __future__ import annotations

import dash
import pandas as pd
from dash import Input, dcc, html

from dashboard import database, enrich, figures, params, sectors, shell
from dashboard.downloads import view_links
from dashboard.i18n import format_value, text
from dashboard.pages import _eurostat_rate, _key_figures, _series
from dashboard.panel import panel, status_text
from etl.sector_definitions import DEFAULT_SECTOR

NAME = "sector"
COUNTRIES = ("NL", "BE")
GROUPS = _series.INDICATOR_GROUPS
# Occupation groups carry UWV's tension ratio; the whole economy also CBS's vacancies per 100 unemployed.
OCCUPATION_TENSION = ("tension_ratio",)
# Long quarterly series are charted per quarter; the yearly averages of the same table stay in the data downloads.
VACANCY_FREQUENCY = "quarter"


def state(query: dict) -> params.PageState:
    return params.read(query, {"sector": (DEFAULT_SECTOR, set(sectors.choices()["sector_id"]))})


# -- the rows behind each view (what the page shows is exactly what its downloads hold) --------------------------

@database.per_version
def _topic_rows(topic: str, sector_id: str, country: str, lang: str) -> pd.DataFrame:
    """The labelled observation rows of one topic, country and language (shared between requests: read-only)."""
    if topic == "vacancies":
        rows = sectors.industry_rows(sector_id, country, GROUPS["vacancies"])
        rows = rows[rows["period"].map(figures.frequency) == VACANCY_FREQUENCY]
    elif topic == "vacancy_rate":
        rows = sectors.industry_rows(sector_id, country, GROUPS["vacancy_rate"])
    elif topic == "tension":
        rows = pd.concat([sectors.occupation_rows(sector_id, country, OCCUPATION_TENSION),
                          sectors.national_rows(country, GROUPS["tension"])], ignore_index=True)
    elif topic == "publications":
        rows = sectors.publication_rows(sector_id, country)
    else:
        rows = sectors.occupation_rows(sector_id, country, GROUPS[topic])
    return _series.finish(rows, lang)


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
VIEWS["vacancy_rate_eu-be"] = lambda s: _eurostat_rate.rows(s.lang)


# -- rendering ---------------------------------------------------------------------------------------------------

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


def _all_caveats(s: params.PageState) -> list[str]:
    return [c for country in COUNTRIES for schemes in (None, sectors.OCCUPATION_SCHEMES)
            for c in _caveats(s, country, schemes)]


def _empty(s: params.PageState, country: str, topic: str) -> str:
    rows = sectors.definition(s.get("sector"))
    if (rows["country"] == country).sum() == 0:
        return text("sector.no_definition", s.lang, country=text("country." + country, s.lang))
    return text("sector.no_rows", s.lang, country=text("country." + country, s.lang),
                topic=text(f"sector.{topic}", s.lang).lower())


def _series_panel(s: params.PageState, country: str, topic: str, rows: pd.DataFrame, *,
                  caveat_schemes: tuple[str, ...] | None = sectors.OCCUPATION_SCHEMES,
                  extra_notes: list | None = None) -> html.Section:
    title = text(f"sector.{topic}", s.lang)
    return _series.series_panel(page=NAME, view=f"{topic}-{country.lower()}", title=title, rows=rows, state=s,
                                notes=_caveats(s, country, caveat_schemes, rows) + (extra_notes or []),
                                empty=_empty(s, country, topic),
                                caption=f"{title} — {text('country.' + country, s.lang)}")


def _shortage_panel(s: params.PageState, country: str) -> html.Section:
    lang = s.lang
    rows = topic_rows(s, country, "shortage")
    view = f"shortage-{country.lower()}"
    title = text("sector.shortage", lang)
    shown = None if rows.empty else _series.shortage_table(rows, lang, f"{title} — {text('country.' + country, lang)}")
    notes = [text(f"shortage.method.{country}", lang), _model_note(lang)]
    section = panel(page=NAME, view=view, title=title, rows=rows, lang=lang, table=shown,
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
                              " ", html.Span(f"({status_text('reported', lang)})", className="status"),
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
    if topic in ("workforce", "wages", "mobility"):
        content = _series_panel(s, country, topic, topic_rows(s, country, topic))
    elif topic == "vacancy_rate" and country == "BE":
        # The harmonised rate sets Belgium beside the Netherlands where the national surveys cannot.
        return _series.country_column(country, lang, _series_panel(s, country, topic, topic_rows(s, country, topic),
                                                                   caveat_schemes=None),
                                      _eurostat_rate.rate_panel(page=NAME, view="vacancy_rate_eu-be", state=s))
    elif topic in ("vacancies", "vacancy_rate"):
        content = _series_panel(s, country, topic, topic_rows(s, country, topic), caveat_schemes=None)
    elif topic == "tension":
        rows = topic_rows(s, country, "tension")
        content = _series_panel(s, country, "tension", rows,
                                extra_notes=_series.tension_notes(rows, lang) + [text("sector.tension_note", lang)])
    elif topic == "shortage":
        content = _shortage_panel(s, country)
    else:
        content = _publication_panel(s, country)
    return _series.country_column(country, lang, content)


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
        _key_figures.section(lambda country, topic: topic_rows(s, country, topic), s.get("sector"), COUNTRIES, lang),
        html.Details([html.Summary(text("sector.definition_summary", lang)), _definition(s),
                      html.Div([html.P(c, className="caveat") for c in _all_caveats(s)], className="caveats")],
                     className="fold", id="sector-definition"),
        html.P([text("sector.updated", lang, built=info.get("built_at", "")[:16].replace("T", " "),
                     version=info.get("data_version", "")), " ",
                html.A(text("sector.download_all", lang), href=links["csv"], download="", id="sector-download-csv",
                       className="download"), " ",
                html.A(text("sector.download_all_xlsx", lang), href=links["xlsx"], download="",
                       id="sector-download-xlsx", className="download")], className="updated"),
    ], className="page-header")
    # The details fold under the key figures, so the page opens on the answer, not on 7,000 px of charts.
    details = [html.Details([html.Summary(text(f"sector.{topic}", lang)),
                             html.Div([_country_column(s, c, topic) for c in COUNTRIES], className="country-row")],
                            className="fold", id=f"sector-{topic}") for topic in ROWS]
    return html.Div([header, html.H2(text("sector.details", lang), id="sector-details"), *details],
                    className="page sector-page")


def layout(**query) -> html.Div:
    """Dash Pages calls this with the URL's query parameters."""
    return shell.guarded(NAME, query, state, render)


# Put the chosen sector in the URL; the router then renders the page for it.
CHOOSE_SECTOR = params.chosen_search_script(["sector"], {"sector": DEFAULT_SECTOR})
params.choice_in_url(CHOOSE_SECTOR, Input("sector-select", "value"))


dash.register_page(__name__, path="/", order=0, name=NAME, title_key="sector.nav", layout=layout)
