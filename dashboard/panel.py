"""One panel of a page: heading, chart, its table alternative, the source line and the view's downloads."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
from dash import dcc, html

from dashboard import enrich
from dashboard.i18n import format_value, text

LEGEND_LINE_PX = 19
# Only "save as PNG" and "reset axes": every toolbar button is a tab stop, and the data is in the table and downloads.
GRAPH_CONFIG = {"displaylogo": False, "responsive": True, "modeBarButtons": [["toImage", "resetScale2d"]]}


def source_line(rows: pd.DataFrame, lang: str) -> html.P:
    """Every dataset behind the rows: publisher, table, title, licence and retrieval date, linked to the source."""
    meta = enrich.datasets()
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
            parts.append(html.Span([" — ", html.Em(text("source.partial", lang)), ": ", d["completeness"]]))
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
                cells.append(text("status." + value, lang) if value else "")
            else:
                cells.append(_cell(value))
        lines.append("| " + " | ".join(cells) + " |")
    return html.Figure([html.Figcaption(caption), dcc.Markdown("\n".join(lines), className="data-table")],
                       className="table-figure")


def _cell(value) -> str:
    """Text safe inside a Markdown table cell."""
    return str(value).replace("\\", "\\\\").replace("|", "\\|").replace("*", "\\*").replace("_", "\\_")


def graph_height(figure: go.Figure) -> int:
    """A responsive graph takes its height from its style (450 px by default), not from the figure: the figure's
    height plus a line per legend entry, as the horizontal legend under a half-width chart wraps to one per line."""
    entries = sum(1 for trace in figure.data if trace.showlegend is not False)
    legend = entries * LEGEND_LINE_PX if figure.layout.showlegend is not False and entries > 1 else 0
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
    for note in notes or []:
        children.append(html.P(note, className="note"))
    children.append(source_line(rows, lang))
    children.append(downloads(links, lang, page, view))
    return html.Section(children, className="panel", **{"aria-labelledby": heading_id})
