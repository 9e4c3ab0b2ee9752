"""Industries: vacancies, vacancy rate, jobs and wages by NACE section for NL and BE, with an all-sections cross-section."""

from __future__ import annotations

import json

import dash
import pandas as pd
from dash import Input, dcc, html

from dashboard import database, figures, params, shell
from dashboard.downloads import view_links
from dashboard.i18n import text, text_or
from dashboard.pages import _series
from dashboard.panel import panel
from etl.periods import sort_key

PATH = "/industry"
NAME = "industry"
COUNTRIES = ("NL", "BE")
DEFAULT_SECTION = "N"  # the customer-contact section (call centres are division 82 within N)
ALL = "all"  # in the URL; an empty `sector=` means the same
GROUPS = ("vacancies", "vacancy_rate", "jobs_wages")
FREQUENCIES = ("quarter", "year")
# The tables behind each indicator group, per country (policy: which publisher's series this page shows).
DATASETS = {
    "vacancies": {"NL": ("cbs-80472NED", "cbs-80474NED"), "BE": ("statbel-jvs",)},
    "vacancy_rate": {"NL": ("cbs-80567NED",), "BE": ("statbel-jvs",)},
    "jobs_wages": {"NL": ("cbs-81431NED",), "BE": ()},
}
INDICATORS = {
    "vacancies": ("vacancies_open", "vacancies_new", "vacancies_filled"),
    "vacancy_rate": ("vacancy_rate",),
    "jobs_wages": ("jobs", "hourly_wage_mean", "monthly_wage_mean"),
}
# The unadjusted series plus the seasonally adjusted one (80474NED); other cuts have views of their own.
BREAKDOWNS = ("", "adjustment=sa")
# The indicator each group's cross-section ranks the sections by.
CROSS_SECTION = {"vacancies": "vacancies_open", "vacancy_rate": "vacancy_rate", "jobs_wages": "jobs"}
# "All sectors" is the total over all activities: sector '' at CBS, the published total B-S at Statbel.
ALL_SECTORS = {"NL": (("", ""),), "BE": (("", ""), ("nace2", "B-S"))}
SIZE_DATASET = "cbs-80472NED"


# -- choices -----------------------------------------------------------------------------------------------------

@database.per_version
def sector_choices() -> pd.DataFrame:
    """The NACE codes any of the page's tables publishes: code, level, label_nl, label_en (sections first)."""
    datasets = sorted({d for group in DATASETS.values() for ids in group.values() for d in ids})
    marks = ", ".join("?" for _ in datasets)
    rows = database.current().query(
        f"SELECT s.code, s.level, s.label_nl, s.label_en FROM sector s WHERE s.scheme = 'nace2' AND s.code IN "
        f"(SELECT DISTINCT sector_code FROM observation WHERE sector_scheme = 'nace2' AND dataset_id IN ({marks}))",
        tuple(datasets))
    rank = rows["level"].map({"section": 0, "aggregate": 1}).fillna(2)
    return rows.assign(_rank=rank).sort_values(["_rank", "code"]).drop(columns="_rank").reset_index(drop=True)


@database.per_version
def sections() -> tuple[str, ...]:
    rows = database.current().query("SELECT code FROM sector WHERE scheme = 'nace2' AND level = 'section' ORDER BY code")
    return tuple(rows["code"])


def state(query: dict) -> params.PageState:
    query = dict(query)
    if query.get("sector") == "":
        query["sector"] = ALL
    codes = set(sector_choices()["code"]) | {ALL}
    return params.read(query, {"sector": (DEFAULT_SECTION, codes), "group": ("vacancies", set(GROUPS)),
                               "frequency": ("quarter", set(FREQUENCIES))})


def _codes(sector: str, country: str) -> tuple[tuple[str, str], ...]:
    return ALL_SECTORS[country] if sector == ALL else (("nace2", sector),)


def _of_frequency(rows: pd.DataFrame, frequency: str) -> pd.DataFrame:
    return rows[rows["period"].map(figures.frequency) == frequency]


# -- the rows behind each view (what the page shows is exactly what its downloads hold) --------------------------

@database.per_version
def _group_rows(group: str, sector: str, country: str, frequency: str, lang: str) -> pd.DataFrame:
    """One indicator group's rows for a sector (all regions of the country), at one frequency, labelled."""
    db = database.current()
    frames = [db.observations({"dataset_id": list(DATASETS[group][country]), "indicator": list(INDICATORS[group]),
                               "country": country, "sector_scheme": scheme, "sector_code": code,
                               "occupation_scheme": "", "breakdown": list(BREAKDOWNS)})
              for scheme, code in _codes(sector, country)]
    return _series.finish(_of_frequency(pd.concat(frames, ignore_index=True), frequency), lang)


@database.per_version
def _size_rows(sector: str, frequency: str, lang: str) -> pd.DataFrame:
    """Open, new and filled vacancies by company size: published for the whole economy only."""
    sql = ("SELECT * FROM observation WHERE dataset_id = ? AND sector_scheme = '' AND occupation_scheme = '' "
           "AND breakdown LIKE 'size=%' AND country = 'NL'" + ("" if sector == ALL else " AND 0"))
    rows = database.current().query(sql, (SIZE_DATASET,))
    return _series.finish(_of_frequency(rows, frequency), lang)


@database.per_version
def _cross_rows(indicator: str, country: str, datasets: tuple[str, ...], frequency: str, lang: str) -> pd.DataFrame:
    """Every NACE section's figure in the latest period (of the frequency) in which any section has one."""
    rows = database.current().observations({
        "dataset_id": list(datasets), "indicator": indicator, "country": country, "region": "", "sector_scheme": "nace2",
        "sector_code": list(sections()), "occupation_scheme": "", "breakdown": ""})
    rows = _of_frequency(rows, frequency)
    if not rows.empty:
        latest = max(rows["period"], key=sort_key)
        rows = rows[rows["period"] == latest]
    return _series.finish(rows, lang).sort_values("sector_code").reset_index(drop=True)


def group_view(s: params.PageState, country: str) -> pd.DataFrame:
    return _group_rows(s.get("group"), s.get("sector"), country, s.get("frequency"), s.lang)


def size_view(s: params.PageState) -> pd.DataFrame:
    return _size_rows(s.get("sector"), s.get("frequency"), s.lang)


def cross_view(s: params.PageState, country: str) -> pd.DataFrame:
    group = s.get("group")
    return _cross_rows(CROSS_SECTION[group], country, DATASETS[group][country], s.get("frequency"), s.lang)


VIEWS = {f"{kind}-{country.lower()}": (lambda s, fn=fn, c=country: fn(s, c))
         for kind, fn in (("series", group_view), ("cross", cross_view)) for country in COUNTRIES}
VIEWS["sizes-nl"] = size_view


# -- rendering ---------------------------------------------------------------------------------------------------

def _sector_name(sector: str, lang: str) -> str:
    if sector == ALL:
        return text("industry.all_sectors", lang)
    row = sector_choices().set_index("code").loc[sector]
    return f"{sector} {row[f'label_{lang}'] or row['label_nl']}"


def _context(s: params.PageState, country: str) -> dict[str, str]:
    lang = s.lang
    return {"country": text("country." + country, lang), "sector": _sector_name(s.get("sector"), lang),
            "topic": text(f"industry.group.{s.get('group')}", lang).lower(),
            "frequency": text("frequency." + s.get("frequency"), lang)}


def _empty(s: params.PageState, country: str) -> str:
    if not DATASETS[s.get("group")][country]:
        return text("industry.no_table", s.lang, **_context(s, country))
    message = text("industry.no_rows", s.lang, **_context(s, country))
    other = next(f for f in FREQUENCIES if f != s.get("frequency"))
    if not _group_rows(s.get("group"), s.get("sector"), country, other, s.lang).empty:
        message += " " + text("industry.other_frequency", s.lang, frequency=text("frequency." + other, s.lang))
    return message


def _series_panel(s: params.PageState, country: str) -> html.Section:
    rows = group_view(s, country)
    title = f"{text('industry.group.' + s.get('group'), s.lang)} — {_sector_name(s.get('sector'), s.lang)}"
    labels = _series.series_label(rows, s.lang, code=s.get("sector") == ALL) if not rows.empty else None
    return _series.series_panel(page=NAME, view=f"series-{country.lower()}", title=title, rows=rows, state=s,
                                labels=labels, empty=_empty(s, country),
                                caption=f"{title} — {text('country.' + country, s.lang)}")


def _size_panel(s: params.PageState) -> html.Section:
    lang = s.lang
    if s.get("sector") != ALL:
        return html.Section([html.H3(text("industry.sizes", lang)), html.P(text("industry.sizes_total_only", lang),
                                                                           className="empty")], className="panel")
    rows = size_view(s)
    return _series.series_panel(page=NAME, view="sizes-nl", title=text("industry.sizes", lang), rows=rows, state=s,
                                empty=text("industry.no_rows", lang, **_context(s, "NL")))


def _cross_panel(s: params.PageState, country: str) -> html.Section:
    lang = s.lang
    rows = cross_view(s, country)
    indicator_label = text(f"industry.cross.{CROSS_SECTION[s.get('group')]}", lang)
    view = f"cross-{country.lower()}"
    figure = table = None
    notes = []
    title = text("industry.cross_title", lang, indicator=indicator_label)
    if not rows.empty:
        period = rows["period"].iloc[0]
        title = text("industry.cross_title_period", lang, indicator=indicator_label, period=period)
        labelled = rows.assign(series=rows["sector_code"] + " " + rows["sector_label"])
        unit = rows["unit"].iloc[0]
        figure = _series.bar_figure(labelled, lang, text_or("unit." + unit, lang, unit), s.get("sector"))
        table = _series.table(labelled, lang, f"{title} — {text('country.' + country, lang)}")
        missing = [code for code in sections() if code not in set(rows["sector_code"])]
        if missing:
            notes.append(text("industry.cross_missing", lang, period=period, codes=", ".join(missing)))
        if s.get("sector") in missing:
            notes.append(text("industry.cross_selected_missing", lang, sector=s.get("sector"), period=period))
        elif s.get("sector") not in sections():
            notes.append(text("industry.cross_not_section", lang, sector=_sector_name(s.get("sector"), lang)))
        else:
            notes.append(text("industry.cross_highlight", lang, sector=s.get("sector")))
        notes.append(text("industry.cross_hatched", lang))
    empty = text("industry.cross_empty", lang, country=text("country." + country, lang),
                 frequency=text("frequency." + s.get("frequency"), lang))
    return panel(page=NAME, view=view, title=title, rows=rows, lang=lang, figure=figure, table=table, notes=notes,
                 links=view_links(NAME, view, s, lang), empty=empty)


@database.per_version
def belgian_coverage(lang: str) -> str:
    """What the database holds from Statbel's vacancy survey, in words (periods from the dataset table)."""
    found = database.current().query("SELECT periods FROM dataset WHERE dataset_id = 'statbel-jvs'")
    if found.empty or not found["periods"].iloc[0]:
        return text("industry.be_none", lang)
    periods = found["periods"].iloc[0].split(",")
    codes = database.current().query(
        "SELECT DISTINCT sector_code FROM observation WHERE dataset_id = 'statbel-jvs' AND sector_scheme = 'nace2' "
        "ORDER BY sector_code")["sector_code"]
    return text("industry.be_coverage", lang, count=len(periods), periods=", ".join(periods), sectors=", ".join(codes))


def _controls(s: params.PageState) -> html.Div:
    lang = s.lang
    choices = sector_choices()
    sector_options = [{"label": text("industry.all_sectors", lang), "value": ALL}] + [
        {"label": f"{r.code} {getattr(r, 'label_' + lang) or r.label_nl}", "value": r.code}
        for r in choices.itertuples()]
    return html.Div([
        html.Div([html.Label(text("industry.choose_sector", lang), htmlFor="industry-sector"),
                  dcc.Dropdown(id="industry-sector", options=sector_options, value=s.get("sector"), clearable=False)],
                 className="control", style=_series.WIDE_CONTROL),
        html.Div([html.Label(text("industry.choose_group", lang), htmlFor="industry-group"),
                  dcc.Dropdown(id="industry-group", value=s.get("group"), clearable=False, searchable=False,
                               options=[{"label": text(f"industry.group.{g}", lang), "value": g} for g in GROUPS])],
                 className="control", style=_series.WIDE_CONTROL),
        _frequency_links(s),
    ], className="controls")


def _frequency_links(s: params.PageState) -> html.Div:
    """Quarter | year as links to this view at each frequency: a labelled group whose chosen item has aria-current."""
    label_id = "industry-frequency-label"
    items = []
    for frequency in FREQUENCIES:
        chosen = frequency == s.get("frequency")
        href = PATH + params.search_string(**{**s.values, "frequency": frequency, "lang": s.lang})
        # dcc.Link takes no aria attributes, so the list item carries aria-current (as the shell's navigation does).
        items.append(html.Li(dcc.Link(text(f"frequency.{frequency}", s.lang), href=href, id=f"industry-frequency-{frequency}",
                                      className="current" if chosen else ""), **({"aria-current": "true"} if chosen else {})))
    return html.Div([html.Span(text("industry.choose_frequency", s.lang), id=label_id, className="control-label"),
                     html.Ul(items, className="choice-links")],
                    role="group", id="industry-frequency", className="control", style=_series.WIDE_CONTROL,
                    **{"aria-labelledby": label_id})


def render(s: params.PageState) -> html.Div:
    """The whole page for a validated state."""
    lang = s.lang
    header = html.Div([
        html.H1(text("industry.heading", lang, sector=_sector_name(s.get("sector"), lang)), id="industry-title"),
        html.P(text("industry.intro", lang)),
        _controls(s),
        html.P(belgian_coverage(lang), className="caveat", id="industry-be-coverage"),
    ], className="page-header")
    series_row = html.Div([_series.country_column(c, lang, _series_panel(s, c)) for c in COUNTRIES],
                          className="country-row", id="industry-series")
    rows = [header, series_row]
    if s.get("group") == "vacancies":
        rows.append(html.Div([_series.country_column("NL", lang, _size_panel(s)), html.Div()],
                             className="country-row", id="industry-sizes"))
    rows.append(html.Div([_series.country_column(c, lang, _cross_panel(s, c)) for c in COUNTRIES],
                         className="country-row", id="industry-cross"))
    return html.Div(rows, className="page industry-page")


def layout(**query) -> html.Div:
    """Dash Pages calls this with the URL's query parameters."""
    return shell.guarded(NAME, query, state, render)


# Put the chosen section and indicator group in the URL (the frequency links carry their own). No section, or an empty
# `sector=` in the URL, means every section.
CHOOSE = f"""function (sector, group, search) {{
    var url = window.dash_clientside.url, query = url.parse(search);
    if (query.sector === "") {{ query.sector = {json.dumps(ALL)}; }}
    return url.chosenSearch(url.searchString(query), {{sector: sector || {json.dumps(ALL)}, group: group}},
                            {json.dumps({"sector": DEFAULT_SECTION, "group": GROUPS[0]})});
}}"""
params.choice_in_url(CHOOSE, Input("industry-sector", "value"), Input("industry-group", "value"))


dash.register_page(__name__, path="/industry", order=2, name=NAME, title_key="industry.nav", layout=layout)
