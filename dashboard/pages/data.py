"""Data & downloads: the dataset catalogue, a filter that builds the observations download URL, the data dictionary."""

from __future__ import annotations

import json
from urllib.parse import urlencode

import dash
import flask
import pandas as pd
from dash import Input, Output, State, clientside_callback, dcc, html

from dashboard import catalogue, data_dictionary, database, enrich, params
from dashboard.downloads import DATABASE_PATH, EXCEL_ROW_CAP, file_name, view_links
from dashboard.i18n import format_number, text, text_or
from dashboard.pages import _change_summary
from dashboard.panel import SCROLL_BOX, downloads
from etl.periods import sort_key

NAME = "data"
# Named like the observation columns, so the page's query string and the download's filters are the same words.
FILTERS = ("country", "indicator", "dataset_id", "occupation_scheme", "occupation_code", "sector_code", "period")
FILTER_IDS = {name: f"{NAME}-filter-{name.replace('_', '-')}" for name in FILTERS}
COUNTRY_ORDER = ("NL", "BE")
DOWNLOAD_PATH = "/download/observations"
# Shown when the page is built outside a request (tests); the link callback puts in the address the browser used.
DEFAULT_ORIGIN = "http://127.0.0.1:8050"
# Read as text so codes keep their leading zeros (BRC 0334) and years stay periods.
PANDAS_TEXT_COLUMNS = ("occupation_code", "sector_code", "period")
OPEN_EXAMPLE_QUERY = "SELECT dataset_id, row_count, first_period, last_period FROM dataset"
# Long addresses, checksums and code lines wrap instead of widening the page on a phone.
WRAPPING = {"whiteSpace": "pre-wrap", "overflowWrap": "anywhere"}


# -- filter choices and state ----------------------------------------------------------------------------------

@database.per_version
def choices(lang: str) -> dict[str, list[tuple[str, str]]]:
    """(value, label) per filter, from the database: every value a filter can take (read-only, shared)."""
    db = database.current()
    indicators = catalogue.indicators()
    datasets = catalogue.catalogue(lang)
    schemes = db.query("SELECT DISTINCT occupation_scheme FROM observation WHERE occupation_scheme != '' "
                       "ORDER BY occupation_scheme")["occupation_scheme"]
    sector_rows = db.query("SELECT DISTINCT sector_scheme, sector_code FROM observation WHERE sector_code != '' "
                           "ORDER BY sector_scheme, sector_code")
    sector_names = enrich.sector_labels(lang)
    sector_codes = dict.fromkeys(f"{r.sector_code} {sector_names.get((r.sector_scheme, r.sector_code), '')}".strip()
                                 for r in sector_rows.itertuples())
    periods = db.query("SELECT DISTINCT period FROM observation")["period"]
    occupation_rows = db.query("SELECT DISTINCT occupation_scheme, occupation_code FROM observation "
                               "WHERE occupation_code != '' ORDER BY occupation_code, occupation_scheme")
    occupation_names = enrich.occupation_labels(lang)
    occupations: dict[str, list[str]] = {}
    for r in occupation_rows.itertuples():  # one choice per code; a code used by several schemes names each
        name = occupation_names.get((r.occupation_scheme, r.occupation_code), "")
        occupations.setdefault(r.occupation_code, []).append(f"{name} ({_scheme_name(r.occupation_scheme, lang)})")
    return {
        "country": [(c, text("country." + c, lang)) for c in COUNTRY_ORDER],
        "indicator": [(r.indicator, f"{getattr(r, 'label_' + lang)} ({r.indicator})") for r in indicators.itertuples()],
        "dataset_id": [(r.dataset_id, f"{r.dataset_id} — {r.title}") for r in datasets.itertuples()],
        "occupation_scheme": [(s, _scheme_name(s, lang)) for s in schemes],
        "occupation_code": [(code, f"{code} {' / '.join(names)}") for code, names in occupations.items()],
        "sector_code": [(label.split(" ", 1)[0], label) for label in sector_codes],
        "period": [(p, p) for p in sorted(periods, key=sort_key, reverse=True)],
    }


def _scheme_name(scheme: str, lang: str) -> str:
    try:
        return text("data.schemes." + scheme, lang)
    except KeyError:
        return scheme


def state(query: dict) -> params.PageState:
    allowed = {name: ("", {value for value, _ in options}) for name, options in choices("en").items()}
    return params.read(query, allowed)


def selection(values: dict[str, str | None]) -> dict[str, str]:
    """The filters a set of control values stands for: empty and unknown values dropped, in the FILTERS order."""
    known = choices("en")
    return {name: values[name] for name in FILTERS
            if values.get(name) and values[name] in {value for value, _ in known[name]}}


def download_href(filters: dict[str, str], lang: str, fmt: str = "csv") -> str:
    """`/download/observations.csv?country=NL&...&lang=en`: the route's own filter names, labels in `lang`."""
    return f"{DOWNLOAD_PATH}.{fmt}?{urlencode([*filters.items(), ('lang', lang)])}"


def pandas_line(url: str) -> str:
    types = ", ".join(f'"{column}": str' for column in PANDAS_TEXT_COLUMNS)
    return f'pd.read_csv("{url}", dtype={{{types}}})'


def matching_rows(filters: dict[str, str]) -> int:
    """How many observation rows the filters match (one parameterised COUNT)."""
    where, values = database.observation_filter(filters)
    return int(database.current().query(f"SELECT COUNT(*) AS n FROM observation{where}", values)["n"].iloc[0])


def count_text(count: int, lang: str) -> str:
    message = text("data.matches", lang, count=format_number(count, lang))
    if count > EXCEL_ROW_CAP:
        message += " " + text("data.excel_cap", lang, cap=format_number(EXCEL_ROW_CAP, lang))
    return message


# -- the rows behind each table (what the page shows is exactly what its downloads hold) ---------------------------

def catalogue_rows(s: params.PageState) -> pd.DataFrame:
    return catalogue.catalogue(s.lang)


def indicator_rows(s: params.PageState) -> pd.DataFrame:
    return catalogue.indicators()


def dictionary_rows(s: params.PageState) -> pd.DataFrame:
    return data_dictionary.entries(s.lang)


def _dictionary_shown(lang: str) -> pd.DataFrame:
    return data_dictionary.entries(lang, marked=True)


VIEWS = {"catalogue": catalogue_rows, "indicators": indicator_rows, "dictionary": dictionary_rows}


# -- rendering ---------------------------------------------------------------------------------------------------

def _or_missing(value: str, lang: str, key: str = "data.none") -> str:
    return value if value else text(key, lang)


def _catalogue_row(row, lang: str) -> html.Tr:
    """One dataset in four columns that wrap (the whole catalogue, every column, is in its download)."""
    title = html.A(row.title, href=row.url) if row.url.startswith("http") else row.title
    coverage = (text("data.coverage", lang, first=row.first_period, last=row.last_period,
                     count=format_number(row.period_count, lang)) if row.row_count else text("data.none", lang))
    name = f"{row.publisher} {row.table_id}".strip()
    about = [title, html.Br(), html.Small([name, " · ", row.licence, " · ", html.Code(row.dataset_id)])]
    if row.replaced_by:
        about += [html.Br(), html.Small(text("data.replaced_by", lang, table=row.replaced_by))]
    retrieved = _or_missing(row.retrieved_at, lang, "data.missing")
    links = html.Span([
        html.A("CSV", href=download_href({"dataset_id": row.dataset_id}, lang), download="",
               **{"aria-label": text("data.download_csv_of", lang, dataset=name)}),
        " · ",
        html.A("Excel", href=download_href({"dataset_id": row.dataset_id}, lang, "xlsx"), download="",
               **{"aria-label": text("data.download_xlsx_of", lang, dataset=name)})])
    return html.Tr([
        html.Th(about, scope="row", className="text"),
        html.Td([coverage, html.Br(), text("data.row_count", lang, count=format_number(row.row_count, lang)), html.Br(),
                 html.Small(text("data.retrieved_origin", lang, retrieved=retrieved, origin=row.origin))],
                className="text"),
        html.Td(_or_missing(row.completeness, lang), className="text completeness"),
        html.Td(links),
    ])


CATALOGUE_HEADINGS = ["col_dataset", "col_coverage", "col_completeness", "col_download"]


@database.per_version
def _catalogue_section(lang: str, links: tuple[tuple[str, str], ...]) -> html.Section:
    rows = catalogue.catalogue(lang)
    heading_id = f"{NAME}-catalogue-heading"
    table = html.Table([
        html.Caption(text("data.catalogue_caption", lang)),
        html.Thead(html.Tr([html.Th(text("data." + key, lang), scope="col") for key in CATALOGUE_HEADINGS])),
        html.Tbody([_catalogue_row(row, lang) for row in rows.itertuples()]),
    ], className="data-table catalogue", id=f"{NAME}-catalogue")
    return html.Section([
        html.H2(text("data.catalogue", lang), id=heading_id),
        html.Div(table, className="table-scroll", tabIndex="0", role="region", style={"overflowX": "auto"},
                 **{"aria-labelledby": heading_id}),
        html.P(text("data.catalogue_note", lang), className="note"),
        downloads(dict(links), lang, NAME, "catalogue"),
    ], className="panel", **{"aria-labelledby": heading_id})


def _control(name: str, s: params.PageState, options: list[tuple[str, str]]) -> html.Div:
    return html.Div([
        html.Label(text("data." + name.removesuffix("_id"), s.lang), htmlFor=FILTER_IDS[name]),
        dcc.Dropdown(id=FILTER_IDS[name], options=[{"label": label, "value": value} for value, label in options],
                     value=s.get(name) or None, clearable=True, searchable=True, placeholder=text("data.any", s.lang)),
    ], className="control", style={"flex": "1 1 300px"})


def _filter_section(s: params.PageState) -> html.Section:
    lang = s.lang
    options = choices(lang)
    filters = selection(s.values)
    href = download_href(filters, lang)
    origin = flask.request.host_url.rstrip("/") if flask.has_request_context() else DEFAULT_ORIGIN
    heading_id = f"{NAME}-filter-heading"
    return html.Section([
        html.H2(text("data.filter", lang), id=heading_id),
        html.P(text("data.filter_intro", lang)),
        html.Div([_control(name, s, options[name]) for name in FILTERS],
                 style={"display": "flex", "flexWrap": "wrap", "gap": "0 1.5rem"}),
        html.P(count_text(matching_rows(filters), lang), id=f"{NAME}-count", role="status"),
        html.P([html.Strong(text("data.link_label", lang) + ": "),
                html.A(origin + href, href=href, download="", id=f"{NAME}-link", style=WRAPPING)]),
        html.P(text("data.pandas_label", lang)),
        html.Pre(html.Code(pandas_line(origin + href), id=f"{NAME}-pandas"), style=WRAPPING),
        html.Div([
            html.A(text("data.download_selection_csv", lang), href=href, download="", id=f"{NAME}-selection-csv",
                   className="download"),
            html.A(text("data.download_selection_xlsx", lang), href=download_href(filters, lang, "xlsx"), download="",
                   id=f"{NAME}-selection-xlsx", className="download"),
        ], className="downloads"),
    ], className="panel", **{"aria-labelledby": heading_id})


INDICATOR_TABLE = [("indicator", "col_id"), ("label_nl", "col_label_nl"), ("label_en", "col_label_en"),
                   ("unit", "col_unit"), ("description_en", "col_description"), ("row_count", "col_rows")]
# The indicator descriptions exist in English only: the Dutch page says so in its caption instead of showing them.
ENGLISH_ONLY = {"nl": ("description_en",), "en": ()}
DICTIONARY_TABLE = [("table", "col_table"), ("column", "col_column"), ("meaning", "col_meaning")]
# Columns that hold names of the database itself (tables, columns, indicator ids): shown as code.
CODE_COLUMNS = ("indicator", "table", "column")
CODE_MARK = data_dictionary.CODE_MARK


def markdown_cell(value: str, as_code: bool = False) -> str:
    """A Markdown table cell: plain text escaped, code (the whole cell, or the `marked` parts) as a code span."""
    if as_code:
        value = CODE_MARK + value.replace(CODE_MARK, "") + CODE_MARK
    parts = str(value).split(CODE_MARK)
    escaped = [part.replace("|", "\\|") if i % 2 else
               part.replace("\\", "\\\\").replace("|", "\\|").replace("*", "\\*").replace("_", "\\_")
               for i, part in enumerate(parts)]
    return "".join(f"{CODE_MARK}{part}{CODE_MARK}" if i % 2 else part for i, part in enumerate(escaped))


def reference_table(rows: pd.DataFrame, caption: str, columns: list[tuple[str, str]]) -> html.Figure:
    """A text table (identifiers as code) under a caption, as one Markdown string: ~230 rows as components are slow."""
    lines = ["| " + " | ".join(markdown_cell(label) for _, label in columns) + " |",
             "|" + "|".join("---" for _ in columns) + "|"]
    lines += ["| " + " | ".join(markdown_cell(getattr(row, name), name in CODE_COLUMNS) for name, _ in columns) + " |"
              for row in rows.itertuples(index=False)]
    # A wide table scrolls inside its own box, reachable by keyboard (WCAG 2.1.1): a named, focusable region.
    return html.Figure([html.Figcaption(caption), dcc.Markdown("\n".join(lines), className="data-table")],
                       className="table-figure", style=SCROLL_BOX, tabIndex="0", role="region",
                       **{"aria-label": caption})


@database.per_version
def _table_section(view: str, lang: str, links: tuple[tuple[str, str], ...]) -> html.Section:
    """The indicator vocabulary or the data dictionary as a captioned table with its downloads."""
    if view == "indicators":
        rows = indicator_rows(params.PageState(lang=lang, values={}))
        rows = rows.assign(row_count=rows["row_count"].map(lambda n: format_number(n, lang)),
                           unit=rows["unit"].map(lambda u: text_or("unit." + u, lang, u)))
        columns = [(name, key) for name, key in INDICATOR_TABLE if name not in ENGLISH_ONLY[lang]]
    else:
        rows, columns = _dictionary_shown(lang), DICTIONARY_TABLE
    heading_id = f"{NAME}-{view}-heading"
    children = [html.H2(text(f"data.{view}", lang), id=heading_id),
                reference_table(rows, text(f"data.{view}_caption", lang),
                                [(name, text("data." + key, lang)) for name, key in columns])]
    if view == "dictionary":
        children.append(html.P(text("data.dictionary_note", lang), className="note"))
    children.append(downloads(dict(links), lang, NAME, view))
    return html.Section(children, className="panel", id=f"{NAME}-{view}", **{"aria-labelledby": heading_id})


def _open_section(lang: str) -> html.Section:
    """The data product itself: a download with its sha256 and build date, and how to open the downloaded file."""
    facts = database.current().file_facts()
    local = file_name(["labour", facts.built_at[:10]], "sqlite")
    heading_id = f"{NAME}-open-heading"
    pandas_code = "\n".join([
        "import sqlite3",
        "import pandas as pd",
        f'conn = sqlite3.connect("file:{local}?mode=ro", uri=True)',
        'rows = pd.read_sql_query("SELECT * FROM observation WHERE country = ? AND indicator = ?", conn,',
        '                         params=("NL", "employed_persons"))'])
    return html.Section([
        html.H2(text("data.open", lang), id=heading_id),
        html.P(text("data.open_intro", lang)),
        html.P(html.A(text("data.download_database", lang, size=format_number(facts.size / 1e6, lang, 1)),
                      href=DATABASE_PATH, download="", id=f"{NAME}-database", className="download")),
        html.Dl([
            html.Dt(text("data.database_built", lang)), html.Dd(facts.built_at, id=f"{NAME}-built"),
            html.Dt(text("data.database_sha256", lang)), html.Dd(html.Code(facts.sha256, id=f"{NAME}-sha256"), style=WRAPPING),
        ], className="facts"),
        html.P(text("data.open_sqlite", lang)),
        html.Pre(html.Code(f'sqlite3 -readonly {local} "{OPEN_EXAMPLE_QUERY}"'), style=WRAPPING),
        html.P(text("data.open_pandas", lang)),
        html.Pre(html.Code(pandas_code), style=WRAPPING),
        html.P(text("data.open_datasette", lang)),
        html.Pre(html.Code(f"datasette --immutable {local}"), style=WRAPPING),
    ], className="panel", **{"aria-labelledby": heading_id})


def _links(view: str, s: params.PageState) -> tuple[tuple[str, str], ...]:
    return tuple(view_links(NAME, view, s, s.lang).items())


def render(s: params.PageState) -> html.Div:
    """The whole page for a validated state; what the router callback returns for `/data`."""
    lang = s.lang
    return html.Div([
        html.H1(text("data.heading", lang), id=f"{NAME}-title"),
        html.P(text("data.intro", lang)),
        _catalogue_section(lang, _links("catalogue", s)),
        _change_summary.section(lang),
        _filter_section(s),
        _table_section("indicators", lang, _links("indicators", s)),
        _table_section("dictionary", lang, _links("dictionary", s)),
        _open_section(lang),
    ], className="page data-page")


def layout(**query) -> html.Div:
    """Dash Pages calls this with the URL's query parameters."""
    from dashboard import shell

    return shell.guarded(NAME, query, state, render)


# -- callbacks -----------------------------------------------------------------------------------------------------

# The full download address on the server the page was opened from. A stored page body may have been built for another
# address (the answer cache is shared, and warmed before any visitor), so the browser puts its own origin in front of
# the link. A change of filters rewrites the URL, and the router renders the page, link and count with them.
FULL_ADDRESS = """function (href, shown, code) {
    var url = window.location.origin + href;
    if (!href || url === shown) { return [window.dash_clientside.no_update, window.dash_clientside.no_update]; }
    return [url, (code || "").split(shown).join(url)];
}"""
clientside_callback(FULL_ADDRESS, Output(f"{NAME}-link", "children"), Output(f"{NAME}-pandas", "children"),
                    Input(f"{NAME}-link", "href"), State(f"{NAME}-link", "children"), State(f"{NAME}-pandas", "children"))


# Put the chosen filters in the URL, so a link reproduces the selection (an emptied filter leaves the URL).
CHOOSE_FILTERS = f"""function ({", ".join(FILTERS)}, search) {{
    return window.dash_clientside.url.filteredSearch(search, {{{", ".join(f'{json.dumps(n)}: {n}' for n in FILTERS)}}});
}}"""
params.choice_in_url(CHOOSE_FILTERS, *(Input(FILTER_IDS[name], "value") for name in FILTERS))


dash.register_page(__name__, path="/data", order=5, name=NAME, title_key="data.nav", layout=layout)
