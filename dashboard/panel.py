"""One panel of a page: heading, chart, its table alternative, the source line and the view's downloads."""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
import plotly.graph_objects as go
from dash import dcc, html

from dashboard import catalogue, database, enrich
from dashboard.i18n import format_value, text
from etl.periods import sort_key

# A view whose latest period ended more than this long before the database was built is marked "not current" (policy).
CURRENT_WITHIN = timedelta(days=365)
# Figures from publications or the press (status `reported`) carry this mark wherever a figure is shown; the charts
# draw them as open diamonds.
REPORTED_MARK = "◇"
LEGEND_LINE_PX = 19
SCROLL_BOX = {"overflowX": "auto", "maxWidth": "100%"}
# Only "save as PNG" and "reset axes": every toolbar button is a tab stop, and the data is in the table and downloads.
GRAPH_CONFIG = {"displaylogo": False, "responsive": True, "modeBarButtons": [["toImage", "resetScale2d"]]}


def period_end(period: str) -> date:
    """The last day of a period: 2025 -> 31 Dec 2025, 2025-Q4 -> 31 Dec, 2025-H1 -> 30 Jun, 2025-03 -> 31 Mar."""
    year = int(period[:4])
    if len(period) == 4:
        month = 12
    elif period[5] == "Q":
        month = int(period[6]) * 3
    elif period[5] == "H":
        month = int(period[6]) * 6
    else:
        month = int(period[5:7])
    return (date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)) - timedelta(days=1)


def latest_period(rows: pd.DataFrame) -> str:
    return max(rows["period"], key=sort_key)


def is_current(period: str, built: date) -> bool:
    return built - period_end(period) <= CURRENT_WITHIN


def build_date() -> date | None:
    built = database.current().build_info().get("built_at", "")
    return date.fromisoformat(built[:10]) if built else None


def currency_line(rows: pd.DataFrame, lang: str) -> html.P:
    """The view's latest period and when its figures were retrieved; "not current" when that period is too old."""
    period = latest_period(rows)
    meta = enrich.datasets()
    retrieved = sorted(d for d in meta.reindex(sorted(set(rows["dataset_id"])))["retrieved_at"].dropna() if d)
    parts = [text("currency.latest", lang, period=period)]
    if retrieved:
        parts.append(text("currency.retrieved", lang, date=retrieved[-1][:10]))
    built = build_date()
    children = [" · ".join(parts) + "."]
    if built and not is_current(period, built):
        children = [html.Strong(text("currency.not_current", lang), className="not-current"), " ",
                    *children, " ", text("currency.not_current_why", lang, built=built.isoformat())]
    return html.P(children, className="currency note")


def reported_note(rows: pd.DataFrame, lang: str) -> html.P | None:
    """A visible mark that some figures come from publications or the press, not from a statistical table."""
    if not (rows["status"] == "reported").any():
        return None
    return html.P([html.Strong(f"{REPORTED_MARK} {text('status.reported', lang)}"), ": ",
                   text("reported.explained", lang)], className="reported-note note")


def status_text(status: str, lang: str) -> str:
    """A row's status in words; a reported figure carries the publication mark."""
    if not status:
        return ""
    words = text("status." + status, lang)
    return f"{REPORTED_MARK} {words}" if status == "reported" else words


def source_line(rows: pd.DataFrame, lang: str) -> html.P:
    """Every dataset behind the rows: publisher, table, title, licence and retrieval date, linked to the source."""
    meta = catalogue.in_language(enrich.datasets(), lang)
    items = []
    for dataset_id in sorted(set(rows["dataset_id"])):
        if dataset_id not in meta.index:
            continue
        d = meta.loc[dataset_id]
        title = d["title_en"] if lang == "en" and d["title_en"] else d["title"]
        label = f"{d['publisher']}{' ' + d['table_id'] if d['table_id'] else ''}: {title}"
        retrieved = text("source.retrieved", lang, date=d["retrieved_at"][:10]) if d["retrieved_at"] else ""
        parts = [html.A(label, href=d["url"]) if d["url"].startswith("http") else html.Span(label),
                 f" ({text('source.licence', lang)}: {d['licence']}{'; ' + retrieved if retrieved else ''};"
                 f" {text('origin.' + d['origin'], lang)})"]
        if d["completeness"]:
            # A coverage note runs to several lines: a panel says that coverage is partial and where the page for
            # analysts lists what is missing.
            parts.append(html.Span([" — ", html.Em(text("source.partial", lang)), ": ",
                                    text("source.partial_where", lang)]))
        items.append(html.Li(parts))
    return html.Div([html.Span(text("source.label", lang) + ":", className="source-label"),
                     html.Ul(items, className="source-list")], className="source")


def data_table(rows: pd.DataFrame, lang: str, caption: str, columns: list[tuple[str, str]]) -> html.Figure:
    """An HTML table (header row, numbers right-aligned and formatted per language) under a caption.

    Written as one Markdown string: a 400-row table as Dash components costs ~100 ms to build and send.
    """
    header = "| " + " | ".join(_cell(label) for _, label in columns) + " |"
    rule = "|" + "|".join("---:" if name == "value" else "---" for name, _ in columns) + "|"
    lines = [header, rule]
    for row in rows.itertuples(index=False):
        cells = []
        for name, _ in columns:
            value = getattr(row, name)
            if name == "value":
                cells.append(format_value(value, row.unit, lang))
            elif name == "status":
                cells.append(status_text(value, lang))
            else:
                cells.append(_cell(value))
        lines.append("| " + " | ".join(cells) + " |")
    # A wide table scrolls inside its own box instead of widening the page on a phone.
    # A scrolling box must be reachable by keyboard (WCAG 2.1.1): it is a named, focusable region.
    return html.Figure([html.Figcaption(caption), dcc.Markdown("\n".join(lines), className="data-table")],
                       className="table-figure", style=SCROLL_BOX, tabIndex="0", role="region",
                       **{"aria-label": caption})


def _cell(value) -> str:
    """Text safe inside a Markdown table cell."""
    return str(value).replace("\\", "\\\\").replace("|", "\\|").replace("*", "\\*").replace("_", "\\_")


def graph_height(figure: go.Figure) -> int:
    """A responsive graph takes its height from its style (450 px by default), not from the figure: the figure's
    height plus a line per legend line, as the horizontal legend under a half-width chart wraps to one entry per line."""
    shown = [trace for trace in figure.data if trace.showlegend is not False]
    # A long series name is wrapped onto several lines (figures.legend_name): each needs its room, or it is cut off.
    lines = sum(1 + (trace.name or "").count("<br>") for trace in shown)
    legend = lines * LEGEND_LINE_PX if figure.layout.showlegend is not False and len(shown) > 1 else 0
    return int(figure.layout.height) + legend


def downloads(links: dict[str, str], lang: str, page: str, view: str) -> html.Div:
    return html.Div([
        html.A(text("download.csv", lang), href=links["csv"], download="", id=f"{page}-{view}-csv", className="download"),
        html.A(text("download.xlsx", lang), href=links["xlsx"], download="", id=f"{page}-{view}-xlsx",
               className="download"),
    ], className="downloads")


def panel(*, page: str, view: str, title: str, rows: pd.DataFrame, lang: str, links: dict[str, str],
          figure: go.Figure | list[go.Figure] | None = None, table: html.Figure | None = None, notes: list | None = None,
          empty: str = "") -> html.Section:
    """A section with the view's chart (if any), a table alternative, notes, source line and downloads."""
    heading_id = f"{page}-{view}-heading"
    children = [html.H3(title, id=heading_id)]
    if rows.empty:
        children.append(html.P(empty or text("panel.empty", lang), className="empty"))
        return html.Section(children, className="panel", **{"aria-labelledby": heading_id})
    if figure is not None:
        for index, one in enumerate(figure if isinstance(figure, list) else [figure]):
            suffix = f"-{index + 1}" if index else ""
            style = {"height": f"{graph_height(one)}px"} if one.layout.height else None
            children.append(dcc.Graph(figure=one, config=GRAPH_CONFIG, id=f"{page}-{view}-graph{suffix}",
                                      className="graph", responsive=True, style=style))
        if table is not None:
            children.append(html.Details([html.Summary(text("panel.show_table", lang)), table], className="table-alt"))
    elif table is not None:
        children.append(table)
    children.append(currency_line(rows, lang))
    reported = reported_note(rows, lang)
    if reported is not None:
        children.append(reported)
    for note in notes or []:
        children.append(html.P(note, className="note"))
    children.append(source_line(rows, lang))
    children.append(downloads(links, lang, page, view))
    return html.Section(children, className="panel", **{"aria-labelledby": heading_id})
