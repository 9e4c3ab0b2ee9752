"""Occupation explorer: find any occupation by name or code and see its series, breakdowns, linked codes and standing."""

from __future__ import annotations

import dash
import pandas as pd
import plotly.graph_objects as go
from dash import Input, Output, State, callback, dcc, html

from dashboard import database, enrich, figures, occupation_search, params, shell
from dashboard.downloads import view_links
from dashboard.i18n import format_value, text, text_or
from dashboard.pages import _occupation_standing as standing
from dashboard.pages import _series
from dashboard.panel import data_table, downloads, panel
from etl.periods import sort_key

NAME = "occupation"
PATH = "/occupation"
DEFAULT_SCHEME = "brc2014"
DEFAULT_CODE = "0334"
TOPICS = {"employment": _series.INDICATOR_GROUPS["workforce"],
          **{topic: _series.INDICATOR_GROUPS[topic] for topic in ("wages", "vacancies", "tension", "mobility",
                                                                   "shortage")}}
# Breakdown keys that cut a population (shown in the breakdown panel); other keys (evidence=, window=, adjustment=)
# describe the figure itself and stay with its series.
POPULATION_CUTS = ("sex", "occupation_change", "age", "education", "size")
SHORTAGE_DATASET = "vdab-knelpuntberoepen"
LINK_COLUMNS = ["direction", "scheme", "code", "label", "confidence", "source", "note"]


def state(query: dict) -> params.PageState:
    """Scheme and code checked as a pair against the code lists; anything unknown gives a message and BRC 0334."""
    known = occupation_search.known_codes()
    schemes = {scheme for scheme, _ in known}
    codes = {code for _, code in known}
    s = params.read(query, {"scheme": (DEFAULT_SCHEME, schemes), "code": (DEFAULT_CODE, codes.__contains__)})
    if (s.get("scheme"), s.get("code")) not in known:
        s.problems.append(text("occupation.bad_pair", s.lang, code=s.get("code"),
                               scheme=text("occupation.scheme." + s.get("scheme"), s.lang)))
        s.values.update(scheme=DEFAULT_SCHEME, code=DEFAULT_CODE)
    return s


# -- the rows behind each view (what the page shows is exactly what its downloads hold) --------------------------

def _is_cut(breakdown: str) -> bool:
    return any(part.split("=")[0] in POPULATION_CUTS for part in breakdown.split(";") if part)


def _ordered(rows: pd.DataFrame, indicators: tuple[str, ...]) -> pd.DataFrame:
    rank = {name: i for i, name in enumerate(indicators)}
    return rows.assign(_rank=rows["indicator"].map(rank), _order=rows["period"].map(sort_key)).sort_values(
        ["_rank", "region", "breakdown", "_order"]).drop(columns=["_rank", "_order"]).reset_index(drop=True)


@database.per_version
def _observations(scheme: str, code: str, indicators: tuple[str, ...], lang: str) -> pd.DataFrame:
    rows = database.current().observations(
        {"occupation_scheme": scheme, "occupation_code": code, "indicator": list(indicators)})
    return _ordered(enrich.with_labels(rows, lang), indicators)


def topic_rows(s: params.PageState, topic: str) -> pd.DataFrame:
    """The occupation's rows of one topic, population cuts (sex=F ...) left to the breakdown view."""
    rows = _observations(s.get("scheme"), s.get("code"), TOPICS[topic], s.lang)
    rows = rows[~rows["breakdown"].map(_is_cut).astype(bool)]
    if topic == "shortage":
        # A list history reads by year, whatever the kind of evidence.
        rows = rows.sort_values("period", key=lambda p: p.map(sort_key), kind="stable")
    return rows.reset_index(drop=True)


def breakdowns(s: params.PageState) -> pd.DataFrame:
    """Per indicator with published cuts: the latest period that has cuts, its total and every cut."""
    every = tuple(i for group in TOPICS.values() for i in group)
    rows = _observations(s.get("scheme"), s.get("code"), every, s.lang)
    cuts = rows[rows["breakdown"].map(_is_cut).astype(bool)]
    kept = []
    for (indicator, region), part in cuts.groupby(["indicator", "region"], sort=False):
        period = max(part["period"], key=sort_key)
        kept.append(rows[(rows["indicator"] == indicator) & (rows["region"] == region) & (rows["period"] == period)
                         & ((rows["breakdown"] == "") | rows["breakdown"].map(_is_cut).astype(bool))])
    if not kept:
        return rows.iloc[0:0]
    return pd.concat(kept).sort_values(["indicator", "region", "breakdown"]).reset_index(drop=True)


@database.per_version
def _crosswalk(scheme: str, code: str) -> pd.DataFrame:
    return database.current().query(
        "SELECT 'to' AS direction, to_scheme AS scheme, to_code AS code, confidence, source, note FROM crosswalk "
        "WHERE from_scheme = ? AND from_code = ? "
        "UNION ALL SELECT 'from', from_scheme, from_code, confidence, source, note FROM crosswalk "
        "WHERE to_scheme = ? AND to_code = ? ORDER BY 2, 3", (scheme, code, scheme, code))


def links(s: params.PageState) -> pd.DataFrame:
    """Codes linked to the occupation through the crosswalks, each with its confidence, label and source."""
    rows = _crosswalk(s.get("scheme"), s.get("code"))
    names = enrich.occupation_labels(s.lang)
    return rows.assign(label=[names.get((sc, c), "") for sc, c in zip(rows["scheme"], rows["code"], strict=True)])[
        LINK_COLUMNS]


def standing_employment(s: params.PageState) -> pd.DataFrame:
    return standing.labelled(standing.peers(s.get("scheme"), s.get("code"), "employed_persons"), s.lang)


def standing_wage(s: params.PageState) -> pd.DataFrame:
    return standing.labelled(standing.peers(s.get("scheme"), s.get("code"), "hourly_wage_median"), s.lang)


def everything(s: params.PageState) -> pd.DataFrame:
    """Every observation of the occupation shown on the page (its series and breakdowns)."""
    every = tuple(i for group in TOPICS.values() for i in group)
    return _observations(s.get("scheme"), s.get("code"), every, s.lang)


VIEWS = {topic: (lambda s, t=topic: topic_rows(s, t)) for topic in TOPICS}
VIEWS.update({"breakdowns": breakdowns, "links": links, "standing-employment": standing_employment,
              "standing-wage": standing_wage, "all": everything})


# -- rendering ---------------------------------------------------------------------------------------------------

def _scheme_name(scheme: str, lang: str) -> str:
    return text("occupation.scheme." + scheme, lang)


def _series_label(rows: pd.DataFrame, lang: str) -> pd.Series:
    """On an occupation's own page the occupation goes without saying: indicator, region and breakdown name a series."""
    return _series.series_label(rows, lang, code=False)


def _missing(topic: str, lang: str) -> str:
    return text("occupation.no_rows", lang, topic=text(f"occupation.{topic}", lang))


def _series_panel(s: params.PageState, topic: str) -> html.Section:
    rows = topic_rows(s, topic)
    labels = _series_label(rows, s.lang) if not rows.empty else None
    notes = _series.tension_notes(rows, s.lang, labels) + [text("occupation.tension_note", s.lang)] \
        if topic == "tension" and not rows.empty else []
    return _series.series_panel(page=NAME, view=topic, title=text(f"occupation.{topic}", s.lang), rows=rows, state=s,
                                labels=labels, notes=notes, empty=_missing(topic, s.lang))


def _shortage_state(row, lang: str) -> str:
    """Listed on a full list, or what the partial evidence of that year says; never 'not listed' from partial evidence."""
    parts = dict(p.split("=", 1) for p in row.breakdown.split(";") if "=" in p)
    if "evidence" not in parts:
        return text("shortage.yes" if row.value == 1 else "shortage.no", lang)
    kind = text("occupation.evidence." + parts["evidence"], lang)
    key = "occupation.partial_listed" if row.value == 1 else "occupation.partial_removed"
    return text(key, lang, evidence=kind)


def _unknown_years(rows: pd.DataFrame) -> list[str]:
    """Years the VDAB list spans in the database for which this title has no row: unknown, not absent."""
    meta = enrich.datasets()
    if SHORTAGE_DATASET not in meta.index or not meta.loc[SHORTAGE_DATASET, "first_period"]:
        return []
    first, last = int(meta.loc[SHORTAGE_DATASET, "first_period"][:4]), int(meta.loc[SHORTAGE_DATASET, "last_period"][:4])
    seen = {int(p[:4]) for p in rows["period"]}
    return [str(y) for y in range(first, last + 1) if y not in seen]


def _shortage_figure(shown: pd.DataFrame, lang: str) -> go.Figure:
    chart = go.Figure()
    for index, (state_label, part) in enumerate(shown.groupby("listed", sort=False)):
        chart.add_trace(go.Scatter(
            x=[figures.period_date(p) for p in part["period"]], y=part["listed"], mode="markers", name=state_label,
            marker=dict(size=14, color=figures.COLOURS[index % len(figures.COLOURS)],
                        symbol=[figures.STATUS_SYMBOLS.get(s, "circle") for s in part["status"]], line=dict(width=2)),
            hovertemplate="%{x|%Y}: %{y}<extra></extra>"))
    layout = figures.base_layout(lang, "", height=80 + 50 * shown["listed"].nunique())
    layout["xaxis"].update(figures.year_axis(shown["period"]))
    layout["yaxis"] = dict(type="category", title=dict(text=""), automargin=True)
    layout["showlegend"] = False
    chart.update_layout(layout)
    return chart


def _shortage_panel(s: params.PageState) -> html.Section:
    lang = s.lang
    rows = topic_rows(s, "shortage")
    title = text("occupation.shortage", lang)
    figure = table = None
    notes = [text("shortage.method.BE", lang)]
    if not rows.empty:
        shown = rows.assign(listed=[_shortage_state(r, lang) for r in rows.itertuples()])
        figure = _shortage_figure(shown, lang)
        columns = [("period", text("table.year", lang)), ("listed", text("shortage.listed", lang)),
                   ("status", text("table.status", lang))]
        table = data_table(shown, lang, title, columns)
        unknown = _unknown_years(rows)
        if unknown:
            notes.append(text("occupation.shortage_unknown", lang, years=", ".join(unknown)))
    elif s.get("scheme") != "vdab":
        notes = [text("occupation.shortage_scheme", lang)]
    section = panel(page=NAME, view="shortage", title=title, rows=rows, lang=lang, figure=figure, table=table,
                    notes=notes, links=view_links(NAME, "shortage", s, lang), empty=_missing("shortage", lang))
    if rows.empty:
        section.children.extend(html.P(n, className="note") for n in notes)
    return section


def _breakdown_panel(s: params.PageState) -> html.Section:
    lang = s.lang
    rows = breakdowns(s)
    title = text("occupation.breakdowns", lang)
    figure = table = None
    if not rows.empty:
        labelled = rows.assign(series=_series_label(rows, lang).where(
            rows["breakdown"] != "", rows["indicator_label"] + " — " + text("occupation.total", lang)))
        unit = labelled["unit"].iloc[0]
        figure = go.Figure(go.Bar(
            x=labelled["value"], y=labelled["series"] + " (" + labelled["period"] + ")", orientation="h",
            marker=dict(color=[figures.COLOURS[0] if b == "" else figures.COLOURS[2] for b in labelled["breakdown"]]),
            customdata=[format_value(v, u, lang) for v, u in zip(labelled["value"], labelled["unit"], strict=True)],
            hovertemplate="%{y}: %{customdata}<extra></extra>"))
        layout = figures.base_layout(lang, "", height=90 + 45 * len(labelled), unit=unit)
        layout["xaxis"].update(title=dict(text=text_or("unit." + unit, lang, unit)),
                               tickformat="," if unit in figures.COUNT_UNITS else "")
        layout["yaxis"] = dict(autorange="reversed", automargin=True)
        figure.update_layout(layout, showlegend=False)
        table = _series.table(labelled, lang, title)
    return panel(page=NAME, view="breakdowns", title=title, rows=rows, lang=lang, figure=figure, table=table,
                 notes=[text("occupation.breakdowns_note", lang)], links=view_links(NAME, "breakdowns", s, lang),
                 empty=text("occupation.no_breakdowns", lang))


def _href(lang: str, scheme: str, code: str) -> str:
    return PATH + params.search_string(lang=lang, scheme=scheme, code=code)


def _links_panel(s: params.PageState) -> html.Section:
    lang = s.lang
    rows = links(s)
    heading_id = f"{NAME}-links-heading"
    children = [html.H3(text("occupation.links", lang), id=heading_id)]
    if rows.empty:
        children.append(html.P(text("occupation.no_links", lang), className="empty"))
    else:
        # The crosswalks' notes and sources are written in English: a Dutch page leaves them to the methods page.
        english = lang == "en"
        columns = ("code", "confidence", "note") if english else ("code", "confidence")
        header = [html.Th(text(f"occupation.links_{c}", lang), scope="col") for c in columns]
        body = []
        for row in rows.itertuples():
            name = f"{_scheme_name(row.scheme, lang)} {row.code} {row.label}".strip()
            target = dcc.Link(name, href=_href(lang, row.scheme, row.code)) if row.code else html.Span(
                text("occupation.unmapped", lang))
            body.append(html.Tr([html.Td(target), html.Td(text("occupation.confidence." + row.confidence, lang)),
                                 *([html.Td(row.note)] if english else [])]))
        children.append(html.Table([html.Caption(text("occupation.links_caption", lang)), html.Thead(html.Tr(header)),
                                    html.Tbody(body)], className="data-table", id=f"{NAME}-links-table"))
        sources = "; ".join(dict.fromkeys(rows["source"])).replace("METHODS.md", text("occupation.methods_page", "en"))
        children.append(html.P(text("occupation.links_source", lang, sources=sources) if english
                               else text("occupation.links_source_elsewhere", lang), className="note"))
        children.append(downloads(view_links(NAME, "links", s, lang), lang, NAME, "links"))
    return html.Section(children, className="panel", id=f"{NAME}-links", **{"aria-labelledby": heading_id})


def _standing_panel(s: params.PageState, view: str, rows: pd.DataFrame, indicator_key: str) -> html.Section:
    lang = s.lang
    title = text(f"occupation.standing_{indicator_key}", lang)
    figure = table = None
    notes = []
    if not rows.empty:
        own = standing.position(rows, s.get("code"))
        period = rows["period"].iloc[0]
        rank = text("occupation.rank", lang, rank=own["rank"], count=int(own["of"]), period=period,
                    value=format_value(own["value"], own["unit"], lang), level=_level_name(s))
        title = f"{title}: {rank}"
        figure = standing.figure(rows, s.get("code"), lang, text_or("unit." + rows["unit"].iloc[0], lang, rows["unit"].iloc[0]))
        shown = rows.assign(series=rows["rank"].astype(str) + ". " + rows["occupation_code"] + " " + rows["occupation_label"])
        table = _series.table(shown, lang, f"{title} ({period})")
    return panel(page=NAME, view=view, title=title, rows=rows, lang=lang, figure=figure, table=table, notes=notes,
                 links=view_links(NAME, view, s, lang),
                 empty=text("occupation.no_standing", lang, topic=text(f"occupation.standing_{indicator_key}", lang)))


def _level_name(s: params.PageState) -> str:
    row = occupation_search.occupation(s.get("scheme"), s.get("code"))
    return text("occupation.level_name." + row["level"], s.lang)


def _result_items(rows: pd.DataFrame, lang: str) -> list:
    return [html.Li(dcc.Link(f"{occupation_search.label(r, lang)} — {_scheme_name(r['scheme'], lang)} {r['code']}",
                             href=_href(lang, r["scheme"], r["code"])))
            for r in rows.to_dict("records")]


def _missing_summary(s: params.PageState) -> html.P | None:
    lang = s.lang
    missing = [text(f"occupation.{topic}", lang) for topic in TOPICS if topic_rows(s, topic).empty]
    if not missing:
        return None
    return html.P(text("occupation.missing", lang, topics=", ".join(missing)), className="caveat", id=f"{NAME}-missing")


def render(s: params.PageState) -> html.Div:
    """The whole page for a validated state."""
    lang = s.lang
    row = occupation_search.occupation(s.get("scheme"), s.get("code"))
    name = occupation_search.label(row, lang)
    scheme_name = _scheme_name(s.get("scheme"), lang)
    all_links = view_links(NAME, "all", s, lang)
    header = html.Div([
        html.H1(text("occupation.heading", lang, name=name, scheme=scheme_name, code=s.get("code")), id=f"{NAME}-title"),
        html.P(text("occupation.level", lang, level=_level_name(s), scheme=scheme_name), className="note"),
        html.Div([
            html.Label(text("occupation.search_label", lang), htmlFor=f"{NAME}-query"),
            # dcc.Input takes no aria attributes: the label names it and the hint sits right below.
            dcc.Input(id=f"{NAME}-query", type="search", debounce=0.3, autoComplete="off", style={"width": "100%"}),
            html.P(text("occupation.search_hint", lang), id=f"{NAME}-query-hint", className="note"),
            html.Ul(id=f"{NAME}-results", **{"aria-live": "polite"}),
        ], className="control", style={"maxWidth": "640px"}),
        _missing_summary(s),
        html.P([html.A(text("occupation.download_all", lang), href=all_links["csv"], download="", className="download",
                       id=f"{NAME}-download-csv"), " ",
                html.A(text("occupation.download_all_xlsx", lang), href=all_links["xlsx"], download="",
                       className="download", id=f"{NAME}-download-xlsx")], className="updated"),
    ], className="page-header")
    sections = [
        _links_panel(s),
        *(_series_panel(s, topic) for topic in ("employment", "wages", "vacancies", "tension", "mobility")),
        _shortage_panel(s),
        _breakdown_panel(s),
        html.H2(text("occupation.standing", lang)),
        _standing_panel(s, "standing-employment", standing_employment(s), "employment"),
        _standing_panel(s, "standing-wage", standing_wage(s), "wage"),
    ]
    return html.Div([header, *sections], className="page occupation-page")


def layout(**query) -> html.Div:
    """Dash Pages calls this with the URL's query parameters."""
    return shell.guarded(NAME, query, state, render)


@callback(Output(f"{NAME}-results", "children"), Input(f"{NAME}-query", "value"), State("_pages_location", "search"),
          prevent_initial_call=True)
def find_occupations(query: str | None, search: str | None) -> list:
    """Links to the occupations matching the typed words; each link puts scheme and code in the URL."""
    lang = params.parse_search(search).get("lang", "nl")
    lang = lang if lang in ("nl", "en") else "nl"
    if not occupation_search.match_expression(query or ""):
        return []
    found = occupation_search.search(query)
    if found.empty:
        return [html.Li(text("occupation.no_results", lang, query=query[:40]), className="empty")]
    return _result_items(found, lang)


dash.register_page(__name__, path=PATH, order=1, name=NAME, title_key="occupation.nav", layout=layout)
