"""Downloads: `/download/observations.csv|.xlsx` with validated filters, and each page view as CSV or Excel."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from types import ModuleType

import pandas as pd
from flask import Flask, Response, request

from dashboard import database, enrich, params
from etl.observation import COUNTRIES, OCCUPATION_SCHEMES, PERIOD_PATTERN, SECTOR_SCHEMES, STATUSES, value_text

EXCEL_ROW_CAP = 200_000
CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Closed vocabularies are checked exactly; free codes only for length and control characters.
CLOSED_VALUES = {
    "country": COUNTRIES,
    "status": STATUSES,
    "occupation_scheme": OCCUPATION_SCHEMES,
    "sector_scheme": SECTOR_SCHEMES,
}
NON_FILTER_PARAMETERS = {"lang"}


class BadRequest(ValueError):
    """A download request with an unknown filter or a value that cannot match; answered with HTTP 400."""


def observation_filters(args: dict[str, list[str]]) -> dict[str, list[str]]:
    """Check `/download/observations` query parameters; raise BadRequest with one clear line."""
    known = database.FILTERABLE
    filters: dict[str, list[str]] = {}
    for name, values in args.items():
        if name in NON_FILTER_PARAMETERS:
            continue
        if name == "value":
            raise BadRequest("cannot filter on 'value'; filter on the other columns and select values afterwards")
        if name not in known:
            raise BadRequest(f"unknown filter {name[:40]!r}; filters are named like the columns: {', '.join(known)} "
                             "(and lang=nl|en for the labels)")
        for value in values:
            if len(value) > params.MAX_VALUE_LENGTH or any(ord(c) < 32 for c in value):
                raise BadRequest(f"{name}: value is too long or has control characters")
            if name in CLOSED_VALUES and value not in CLOSED_VALUES[name]:
                raise BadRequest(f"{name}={value[:40]!r} is not one of {', '.join(sorted(CLOSED_VALUES[name]))}")
            if name == "period" and not PERIOD_PATTERN.match(value):
                raise BadRequest(f"period={value[:40]!r} is not a period like 2025, 2025-Q4 or 2025-03")
        filters[name] = values
    if "indicator" in filters:
        vocabulary = set(enrich.indicator_labels("en"))
        unknown = [v for v in filters["indicator"] if v not in vocabulary]
        if unknown:
            raise BadRequest(f"indicator={unknown[0][:40]!r} is not in the vocabulary: {', '.join(sorted(vocabulary))}")
    return filters


def _lang(args: dict[str, list[str]]) -> str:
    lang = args.get("lang", ["en"])[0]
    if lang not in ("nl", "en"):
        raise BadRequest(f"lang={lang[:40]!r} is not one of nl, en")
    return lang


def csv_text(rows: pd.DataFrame) -> str:
    """UTF-8 CSV with a header row and '.' decimals; numbers written as published (118000, 20.7)."""
    out = rows.copy()
    if "value" in out:  # a catalogue or dictionary view has no observation values
        out["value"] = out["value"].map(value_text)
    return out.to_csv(index=False, lineterminator="\n")


def xlsx_bytes(rows: pd.DataFrame, sheet: str) -> bytes:
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        rows.to_excel(writer, index=False, sheet_name=sheet[:31])
    return buffer.getvalue()


def _stream_csv(filters: dict[str, list[str]], lang: str) -> Iterator[str]:
    where, values = database.observation_filter(filters, alias="o")
    label = f"label_{lang}"
    title = "d.title_en" if lang == "en" else "d.title"
    sql = f"""
        SELECT o.*,
               COALESCE(NULLIF(i.{label}, ''), i.label_nl, '') AS indicator_label,
               COALESCE(NULLIF(oc.{label}, ''), oc.label_nl, '') AS occupation_label,
               COALESCE(NULLIF(s.{label}, ''), s.label_nl, '') AS sector_label,
               COALESCE(d.publisher, '') AS publisher,
               COALESCE(NULLIF({title}, ''), d.title, '') AS dataset_title,
               COALESCE(d.licence, '') AS licence
        FROM observation o
        LEFT JOIN indicator i ON i.indicator = o.indicator
        LEFT JOIN occupation oc ON oc.scheme = o.occupation_scheme AND oc.code = o.occupation_code
        LEFT JOIN sector s ON s.scheme = o.sector_scheme AND s.code = o.sector_code
        LEFT JOIN dataset d ON d.dataset_id = o.dataset_id
        {where}
        ORDER BY o.dataset_id, o.indicator, o.country, o.region, o.occupation_scheme, o.occupation_code,
                 o.sector_scheme, o.sector_code, o.breakdown, o.period"""
    header_written = False
    value_index = None
    for columns, rows in database.current().stream(sql, values):
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        if not header_written:
            writer.writerow(columns)
            value_index = columns.index("value")
            header_written = True
        for row in rows:
            row = list(row)
            row[value_index] = value_text(row[value_index]) if row[value_index] is not None else ""
            writer.writerow(row)
        yield buffer.getvalue()
    if not header_written:
        yield ",".join(enrich.EXPORT_COLUMNS) + "\n"


def _attachment(filename: str) -> dict[str, str]:
    return {"Content-Disposition": f'attachment; filename="{filename}"', "Cache-Control": "no-store"}


def _bad(message: str) -> Response:
    return Response(f"error: {message}\n", status=400, mimetype="text/plain")


def register(server: Flask, pages: dict[str, ModuleType]) -> None:
    """Add the download routes to the Flask server; `pages` maps a page name to its module (with VIEWS and state)."""

    @server.get("/download/observations.<fmt>")
    def download_observations(fmt: str):
        args = request.args.to_dict(flat=False)
        try:
            if fmt not in ("csv", "xlsx"):
                raise BadRequest(f"format {fmt[:10]!r} is not csv or xlsx")
            lang = _lang(args)
            filters = observation_filters(args)
            if fmt == "csv":
                return Response(_stream_csv(filters, lang), mimetype=CSV_TYPE, headers=_attachment("observations.csv"))
            rows = database.current().observations(filters, cap=EXCEL_ROW_CAP)
        except BadRequest as exc:
            return _bad(str(exc))
        except database.DatabaseError as exc:
            return _bad(f"{exc}; use the CSV download for large selections")
        return Response(xlsx_bytes(enrich.with_labels(rows, lang), "observations"), mimetype=XLSX_TYPE,
                        headers=_attachment("observations.xlsx"))

    @server.get("/download/view/<page>/<view>.<fmt>")
    def download_view(page: str, view: str, fmt: str):
        module = pages.get(page)
        if module is None or view not in module.VIEWS:
            return _bad(f"no downloadable view {page[:40]}/{view[:40]}")
        if fmt not in ("csv", "xlsx"):
            return _bad(f"format {fmt[:10]!r} is not csv or xlsx")
        state = module.state(params.parse_search(request.query_string.decode("utf-8", "replace")))
        if state.problems:
            return _bad("; ".join(state.problems))
        rows = module.VIEWS[view](state)
        name = f"{page}-{view}-{'-'.join(v for v in state.values.values() if v)}".rstrip("-")
        if fmt == "csv":
            return Response(csv_text(rows), mimetype=CSV_TYPE, headers=_attachment(f"{name}.csv"))
        return Response(xlsx_bytes(rows, view), mimetype=XLSX_TYPE, headers=_attachment(f"{name}.xlsx"))


def view_links(page: str, view: str, state: params.PageState, lang: str) -> dict[str, str]:
    """The hrefs of a view's CSV and Excel downloads (the view's state travels in the query string)."""
    search = params.search_string(lang=lang, **state.values)
    return {fmt: f"/download/view/{page}/{view}.{fmt}{search}" for fmt in ("csv", "xlsx")}
