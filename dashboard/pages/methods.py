"""Sources and methods: every publisher and table in the database, the measures, units, breaks and the shortage model."""

from __future__ import annotations

import dash
import pandas as pd
from dash import html

from dashboard import catalogue, database, params
from dashboard.downloads import view_links
from dashboard.i18n import format_number, text
from dashboard.panel import downloads
from etl import tension_classes as uwv_classes
from etl.model import settings
from etl.parsed import DATASET_TEXT_FIELDS

NAME = "methods"
DATASET_COLUMNS = ["publisher", "dataset_id", "source", "table_id", "title", "title_en", "licence", "url", "origin",
                   "retrieved_at", "first_period", "last_period", "row_count", "completeness", "replaced_by", "note",
                   *DATASET_TEXT_FIELDS]
# The model settings a reader needs to follow the method, in reading order (section, key in model.toml).
MODEL_SETTINGS = [("score", "quantiles"), ("score", "shortage_at_or_above"), ("score", "none_below"),
                  ("score", "min_scored_indicators"), ("score", "min_reference_entities"),
                  ("tension", "slack_below_quantile"), ("tension", "tight_above_quantile"), ("tension", "window_quarters"),
                  ("tension", "min_history_quarters"), ("tension", "min_filled_for_ratio"), ("forecast", "horizons"),
                  ("forecast", "interval_coverage"), ("backtest", "validation_origins"), ("backtest", "evaluation_start"),
                  ("backtest", "bootstrap_samples"), ("backtest", "block_quarters"),
                  ("backtest", "min_periods_for_interval")]
STATUSES = ("final", "provisional", "revised", "estimated", "reported")
SECTIONS = ("sources", "measures", "units", "breaks", "caveat", "model")


def state(query: dict) -> params.PageState:
    return params.read(query, {})


# -- the rows behind each view ---------------------------------------------------------------------------------

@database.per_version
def _datasets() -> pd.DataFrame:
    return database.current().query(
        f"SELECT {', '.join(DATASET_COLUMNS)} FROM dataset ORDER BY publisher, table_id, dataset_id")


def datasets(s: params.PageState) -> pd.DataFrame:
    """Every dataset in the database with its provenance, grouped (ordered) by publisher."""
    return _datasets()


def tension_classes(s: params.PageState) -> pd.DataFrame:
    """UWV's classes of the tension indicator, as versioned in etl/definitions/uwv_tension_classes.csv."""
    return pd.DataFrame(uwv_classes.classes())


def model_settings(s: params.PageState) -> pd.DataFrame:
    """The thresholds of the shortage model from etl/definitions/model.toml, each with its meaning."""
    config = settings.load()
    return pd.DataFrame([{"section": section, "key": key, "value": _setting_value(config[section][key]),
                          "meaning": text(f"methods.setting.{section}.{key}", s.lang), "model_version": config["version"]}
                         for section, key in MODEL_SETTINGS])


def _spoken_number(value, lang: str) -> str:
    """A setting's number as a reader writes it: `0.25` -> `0,25` in Dutch, `5000` -> `5.000`, `2.0` -> `2,0`."""
    decimals = len(repr(float(value)).split(".")[1].rstrip("0")) if isinstance(value, float) else 0
    return format_number(float(value), lang, max(decimals, 1) if isinstance(value, float) else 0)


def _spoken_list(values: list, lang: str) -> str:
    words = [_spoken_number(v, lang) for v in values]
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} {text('methods.rule.and', lang)} {words[-1]}"


def threshold_sentences(lang: str) -> list[str]:
    """The model's settings as sentences, each value read from model.toml (never retyped), in reading order."""
    config = settings.load()
    sentences = []
    for section, key in MODEL_SETTINGS:
        value = config[section][key]
        if isinstance(value, str):
            words = {"value": value}
        elif isinstance(value, list) and len(value) == 2 and isinstance(value[0], str):
            words = {"start": value[0], "end": value[1] or text("methods.rule.latest", lang)}
        elif isinstance(value, list):
            words = {"value": _spoken_list(value, lang)}
        else:
            words = {"value": _spoken_number(value, lang)}
        sentences.append(text(f"methods.rule.{section}.{key}", lang, **words))
    return sentences


def model_indicators(s: params.PageState) -> pd.DataFrame:
    """The indicators the score uses, with their direction and staleness limit, from model.toml."""
    return pd.DataFrame(settings.load()["indicator"]).reindex(
        columns=["family", "name", "direction", "max_age_quarters", "about"])


def _setting_value(value) -> str:
    if isinstance(value, list):
        return " – ".join(str(v) if v != "" else "…" for v in value) if len(value) == 2 and isinstance(value[0], str) \
            else ", ".join(str(v) for v in value)
    return str(value)


VIEWS = {"datasets": datasets, "tension_classes": tension_classes, "model_settings": model_settings,
         "model_indicators": model_indicators}


# -- rendering ---------------------------------------------------------------------------------------------------

def _table(caption: str, header: list[str], rows: list[list], table_id: str) -> html.Div:
    """A table in its own box, which scrolls sideways on a phone instead of widening the page."""
    return html.Div(html.Table([
        html.Caption(caption),
        html.Thead(html.Tr([html.Th(h, scope="col") for h in header])),
        html.Tbody([html.Tr([html.Td(cell) for cell in row]) for row in rows]),
    ], className="data-table methods-table", id=table_id), className="table-scroll")


def _downloads(view: str, s: params.PageState) -> html.Div:
    """The CSV and Excel links of one view, placed right under the table they hold."""
    return downloads(view_links(NAME, view, s, s.lang), s.lang, NAME, view)


def _section(key: str, lang: str, children: list) -> html.Section:
    heading_id = f"{NAME}-{key}-heading"
    body = [html.H2(text(f"methods.{key}.heading", lang), id=heading_id), *children]
    return html.Section(body, id=f"{NAME}-{key}", className="panel", **{"aria-labelledby": heading_id})


def _sources(s: params.PageState) -> html.Section:
    lang = s.lang
    rows = catalogue.in_language(datasets(s), lang)
    children = [html.P(text("methods.sources.intro", lang)), html.P(text("methods.sources.isco", lang))]
    header = [text(f"methods.sources.{k}", lang) for k in ("table_id", "title", "licence", "origin", "coverage",
                                                           "completeness")]
    for publisher, part in rows.groupby("publisher", sort=False):
        cells = []
        for d in part.itertuples():
            title = d.title_en if lang == "en" and d.title_en else d.title
            cells.append([
                # A figure from a publication has no table number; its dataset id is an internal key.
                d.table_id or text("methods.sources.no_table", lang),
                html.A(title, href=d.url) if d.url.startswith("http") else title,
                d.licence,
                text(f"origin.{d.origin}", lang),
                f"{d.first_period} – {d.last_period}" if d.first_period else "",
                d.completeness or text("methods.sources.complete", lang)])
        children.append(html.H3(publisher))
        children.append(_table(text("methods.sources.caption", lang, publisher=publisher), header, cells,
                               f"{NAME}-sources-{part['source'].iloc[0]}-{part.index[0]}"))
    return _section("sources", lang, children + [_downloads("datasets", s)])


def _bound(value: str, lang: str) -> str:
    return format_number(float(value), lang, 2) if value else ""


def _measures(s: params.PageState) -> html.Section:
    lang = s.lang
    classes = tension_classes(s)
    cells = [[row[f"label_{lang}"], _bound(row["lower"], lang), _bound(row["upper"], lang)]
             for _, row in classes.iterrows()]
    header = [text(f"methods.measures.{k}", lang) for k in ("class", "lower", "upper")]
    children = [html.P(text("methods.measures.uwv", lang)),
                _table(text("methods.measures.uwv_caption", lang), header, cells, f"{NAME}-tension-classes"),
                _downloads("tension_classes", s),
                html.P(text("methods.measures.cbs", lang)), html.P(text("methods.measures.vdab", lang)),
                html.P(text("methods.measures.rate", lang))]
    return _section("measures", lang, children)


def _units(s: params.PageState) -> html.Section:
    lang = s.lang
    statuses = html.Dl([part for status in STATUSES for part in (
        html.Dt(html.Strong(text(f"status.{status}", lang))), html.Dd(text(f"methods.units.{status}", lang)))])
    children = [html.P(text("methods.units.absolute", lang)), html.P(text("methods.units.suppressed", lang)), statuses]
    return _section("units", lang, children)


def _breaks(s: params.PageState) -> html.Section:
    lang = s.lang
    rows = datasets(s).set_index("table_id", drop=False)
    replaced = []
    for d in rows[rows["replaced_by"] != ""].itertuples():
        successor = rows.loc[d.replaced_by] if d.replaced_by in rows.index else None
        title = "title_en" if lang == "en" else "title"
        replaced.append(html.Li(text("methods.breaks.replaced", lang, old=f"{d.publisher} {d.table_id}",
                                     old_title=getattr(d, title) or d.title, new=d.replaced_by,
                                     new_title=successor[title] if successor is not None else "")))
    children = [html.P(text("methods.breaks.intro", lang)),
                html.Ul([html.Li(text("methods.breaks.ebb", lang)), html.Li(text("methods.breaks.brc", lang)), *replaced],
                        id=f"{NAME}-breaks-list")]
    return _section("breaks", lang, children)


@database.per_version
def _caveats(lang: str) -> list[str]:
    rows = database.current().query(f"SELECT DISTINCT label_{lang} AS label, country, caveat_{lang} AS caveat "
                                    "FROM sector_definition WHERE caveat_nl != '' ORDER BY country DESC, rowid")
    return [f"{r.label} ({text('country.' + r.country, lang)}): {r.caveat}" for r in rows.itertuples()]


def _caveat(s: params.PageState) -> html.Section:
    lang = s.lang
    children = [html.P(text("methods.caveat.intro", lang)), html.Ul([html.Li(c) for c in _caveats(lang)])]
    return _section("caveat", lang, children)


def _model(s: params.PageState) -> html.Section:
    lang = s.lang
    indicators = model_indicators(s)
    version = settings.load()["version"]
    children = [
        html.P(text("methods.model.score", lang)), html.P(text("methods.model.forecast", lang)),
        html.P(text("methods.model.bar", lang)),
        html.H3(text("methods.rule.heading", lang), id=f"{NAME}-thresholds-heading"),
        html.P(text("methods.rule.intro", lang, version=version)),
        html.Ul([html.Li(sentence) for sentence in threshold_sentences(lang)], id=f"{NAME}-thresholds"),
        _downloads("model_settings", s),
        _table(text("methods.model.indicators_caption", lang),
               [text(f"methods.indicator.{k}", lang) for k in ("name", "family", "direction", "about")],
               [[text(f"outlook.indicator.{r.name}", lang), text(f"methods.indicator.family_{r.family}", lang),
                 text(f"methods.indicator.direction_{r.direction:+d}" if r.direction else "methods.indicator.direction_0",
                      lang),
                 text(f"methods.indicator_about.{r.family}.{r.name}", lang)] for r in indicators.itertuples()],
               f"{NAME}-indicators"),
        _downloads("model_indicators", s),
    ]
    return _section("model", lang, children)


def render(s: params.PageState) -> html.Div:
    """The whole page; its prose is in methods.toml, its tables come from the database and the settings files."""
    lang = s.lang
    contents = html.Nav(html.Ul([html.Li(html.A(text(f"methods.{key}.heading", lang), href=f"#{NAME}-{key}"))
                                 for key in SECTIONS]), **{"aria-label": text("methods.contents", lang)})
    return html.Div([html.H1(text("methods.heading", lang), id=f"{NAME}-title"), html.P(text("methods.intro", lang)),
                     contents, _sources(s), _measures(s), _units(s), _breaks(s), _caveat(s), _model(s)],
                    className="page methods-page")


def layout(**query) -> html.Div:
    """Dash Pages calls this with the URL's query parameters."""
    from dashboard import shell

    return shell.guarded(NAME, query, state, render)


dash.register_page(__name__, path="/methods", order=6, name=NAME, title_key="methods.nav", layout=layout)
