"""Downloads: `/download/observations.csv|.xlsx` with validated filters, each page view as CSV or Excel, the database."""

from __future__ import annotations

import gzip
import io
import re
import shutil
import tempfile
import threading
from collections.abc import Callable, Iterable, Iterator
from types import ModuleType
from typing import IO

import pandas as pd
from flask import Flask, Response, request
from werkzeug.wsgi import wrap_file

from dashboard import database, enrich, params, response_cache, spreadsheet
from etl.observation import COUNTRIES, OCCUPATION_SCHEMES, PERIOD_PATTERN, REFERENCE_AGGREGATES, SECTOR_SCHEMES, STATUSES
from etl.periods import sort_key

# openpyxl's write-only mode keeps memory flat (+6 MiB for 176,000 rows) but costs ~160 us of CPU per row here
# (`python -m bench.serving`): 50,000 rows take ~8 s of CPU, ready inside gunicorn's 30 s on an idle machine.
EXCEL_ROW_CAP = 50_000
# One Excel file at a time per worker process: writing one holds the interpreter, and pages must stay quick.
EXCEL_WAIT_SECONDS = 20.0
_excel_turn = threading.BoundedSemaphore(1)
CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SQLITE_TYPE = "application/vnd.sqlite3"
DATABASE_PATH = "/download/labour.sqlite"
# A whole file is written before the status line is sent, so a failure is an error answer, never a truncated 200;
# up to this size it stays in memory, beyond it in a temporary file.
SPOOL_IN_MEMORY_BYTES = 8 * 1024 * 1024
FILE_PREFIX = "arbeidsmarkt"
# The parts of a file name, most telling first: arbeidsmarkt_NL_employed_persons_0334.csv
FILE_NAME_ORDER = ("country", "indicator", "occupation_scheme", "occupation_code", "sector_scheme", "sector_code",
                   "region", "breakdown", "period", "dataset_id", "unit", "status", "source_url")
FILE_NAME_PART = re.compile(r"[^A-Za-z0-9._+-]+")
FILE_NAME_LENGTH = 150
# Closed vocabularies are checked exactly; every value must also occur in the data.
CLOSED_VALUES = {
    "country": COUNTRIES | REFERENCE_AGGREGATES,  # the euro area and the EU as reference lines
    "status": STATUSES,
    "occupation_scheme": OCCUPATION_SCHEMES,
    "sector_scheme": SECTOR_SCHEMES,
}
LISTED_VALUES = 40  # a column with more distinct values is summarised in an error line, not listed
EXAMPLE_VALUES = 8
NON_FILTER_PARAMETERS = {"lang"}


class BadRequest(ValueError):
    """A download request with an unknown filter or a value that cannot match; answered with HTTP 400."""


@database.per_version
def values_in_data(column: str) -> frozenset[str]:
    """Every value a filterable observation column takes (read-only, shared)."""
    found = database.current().query(f"SELECT DISTINCT {column} AS v FROM observation", cap=database.ROW_CAP)
    return frozenset(str(v) for v in found["v"])


def _not_in_data(name: str, value: str, allowed: frozenset[str]) -> str:
    if name == "period":
        ordered = sorted(allowed, key=sort_key)
        return (f"period={value[:40]!r} is not in the data; periods run from {ordered[0]} to {ordered[-1]} "
                "(years like 2025, quarters like 2025-Q4, months like 2025-03)")
    ordered = sorted(allowed)
    if len(ordered) <= LISTED_VALUES:
        return f"{name}={value[:40]!r} is not in the data; allowed: {', '.join(repr(v) for v in ordered)}"
    examples = ", ".join([v for v in ordered if v][:EXAMPLE_VALUES])
    return (f"{name}={value[:40]!r} is not in the data; it holds {len(ordered):,} {name} values "
            f"(e.g. {examples}), listed on the /data page")


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
    for name, values in filters.items():
        allowed = values_in_data(name)
        for value in values:
            if value not in allowed:
                raise BadRequest(_not_in_data(name, value, allowed))
    return filters


def _lang(args: dict[str, list[str]]) -> str:
    lang = args.get("lang", ["en"])[0]
    if lang not in ("nl", "en"):
        raise BadRequest(f"lang={lang[:40]!r} is not one of nl, en")
    return lang


def file_name(parts: Iterable[str], extension: str) -> str:
    """`arbeidsmarkt_NL_employed_persons_0334.csv`: what the file holds, in characters every file system accepts."""
    cleaned = [FILE_NAME_PART.sub("-", part).strip("-") for part in parts if part]
    stem = "_".join([FILE_PREFIX, *(part for part in cleaned if part)])[:FILE_NAME_LENGTH].rstrip("_-")
    return f"{stem}.{extension}"


def observations_file_name(filters: dict[str, list[str]], extension: str) -> str:
    parts = ["+".join(filters[name]) for name in FILE_NAME_ORDER if name in filters]
    return file_name(parts or ["observations"], extension)


def _export_query(filters: dict[str, list[str]], lang: str) -> tuple[str, tuple]:
    """Observation rows with labels, publisher, title and licence: one statement for the CSV and the Excel file."""
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
    return sql, values


def _streamed_rows(sql: str, values: tuple) -> tuple[list[str], Iterator[list[tuple]]]:
    """The statement's columns and its rows in chunks (header only when nothing matches)."""
    chunks = database.current().stream(sql, values)
    first = next(chunks, None)
    if first is None:
        return list(enrich.EXPORT_COLUMNS), iter(())

    def rest() -> Iterator[list[tuple]]:
        yield first[1]
        for _, rows in chunks:
            yield rows

    return first[0], rest()


def _accepts_gzip() -> bool:
    return request.accept_encodings["gzip"] > 0


def _spooled(write: Callable[[IO[bytes]], None], compress: bool) -> tuple[IO[bytes], int]:
    """Write a whole file (gzipped if asked) before anything is sent; return it rewound, with its size."""
    spool = tempfile.SpooledTemporaryFile(max_size=SPOOL_IN_MEMORY_BYTES)
    try:
        if compress:
            with gzip.GzipFile(fileobj=spool, mode="wb", mtime=0) as zipped:
                write(zipped)
        else:
            write(spool)
    except BaseException:
        spool.close()
        raise
    size = spool.tell()
    spool.seek(0)
    return spool, size


def _send(spool: IO[bytes], size: int, content_type: str, name: str, *, compressed: bool = False) -> Response:
    headers = {"Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "no-store",
               "Content-Length": str(size), "Vary": "Accept-Encoding"}
    if compressed:
        headers["Content-Encoding"] = "gzip"
    return Response(wrap_file(request.environ, spool), content_type=content_type, headers=headers,
                    direct_passthrough=True)


def _csv_writer(columns: list[str], chunks: Iterable[list[tuple]]) -> Callable[[IO[bytes]], None]:
    def write(out: IO[bytes]) -> None:
        for piece in spreadsheet.csv_chunks(columns, chunks):
            out.write(piece.encode("utf-8"))

    return write


def send_csv(columns: list[str], chunks: Iterable[list[tuple]], name: str) -> Response:
    """A CSV answer, complete before it is sent (Content-Length set), gzipped when the client accepts it."""
    compress = _accepts_gzip()
    spool, size = _spooled(_csv_writer(columns, chunks), compress)
    return _send(spool, size, CSV_TYPE, name, compressed=compress)


def send_observations_csv(filters: dict[str, list[str]], lang: str, name: str) -> Response:
    """The observations CSV from the shared answer cache (the file is immutable per build, so a stored answer is exact);
    on a miss it is written once, kept when small enough, and sent. An answer too big to keep is written each time."""
    cache = response_cache.cache_for(database.current().path)
    key = response_cache.answer_key({"download": "observations.csv", "lang": lang, "filters": filters})
    stored = cache.get(key)
    if stored is not None:
        _, body, gzipped = stored
    else:
        spool, size = _spooled(_csv_writer(*_streamed_rows(*_export_query(filters, lang))), compress=False)
        if size > response_cache.MAX_RESPONSE_BYTES:
            if not _accepts_gzip():
                return _send(spool, size, CSV_TYPE, name)
            with spool:
                zipped, zipped_size = _spooled(lambda out: shutil.copyfileobj(spool, out), compress=True)
            return _send(zipped, zipped_size, CSV_TYPE, name, compressed=True)
        with spool:
            body = spool.read()
        gzipped = gzip.compress(body, 6, mtime=0)
        cache.put(key, CSV_TYPE, body, gzipped)
    compress = _accepts_gzip()
    answer = gzipped if compress else body
    return _send(io.BytesIO(answer), len(answer), CSV_TYPE, name, compressed=compress)


def send_xlsx(columns: list[str], chunks: Iterable[list[tuple]], sheet: str, name: str) -> Response:
    """An Excel answer, complete before it is sent; while another is being written, wait or answer 503."""
    if not _excel_turn.acquire(timeout=EXCEL_WAIT_SECONDS):
        return _error("the server is preparing other Excel files; try again in a minute, or use the CSV download",
                      503)
    try:
        spool, size = _spooled(lambda out: spreadsheet.write_xlsx(out, sheet, columns, chunks), compress=False)
    finally:
        _excel_turn.release()
    return _send(spool, size, XLSX_TYPE, name)


def _frame_rows(rows: pd.DataFrame) -> tuple[list[str], list[list[tuple]]]:
    return [str(c) for c in rows.columns], [list(rows.itertuples(index=False, name=None))]


def matching_rows(filters: dict[str, list[str]]) -> int:
    """How many observation rows the filters match (one parameterised COUNT)."""
    where, values = database.observation_filter(filters)
    return int(database.current().query(f"SELECT COUNT(*) AS n FROM observation{where}", values)["n"].iloc[0])


def _error(message: str, status: int = 400) -> Response:
    return Response(f"error: {message}\n", status=status, content_type="text/plain; charset=utf-8",
                    headers={"Cache-Control": "no-store"})


def send_database() -> Response:
    """The data product itself, read from the file as it is now (a build replacing it meanwhile changes nothing)."""
    db = database.current()
    handle = open(db.path, "rb")  # noqa: SIM115 - the response closes it once sent
    try:
        facts = db.file_facts(handle)
    except BaseException:
        handle.close()
        raise
    headers = {"Content-Disposition": f'attachment; filename="{file_name(["labour", facts.built_at[:10]], "sqlite")}"',
               "Content-Length": str(facts.size), "Repr-Digest": f"sha-256=:{facts.sha256_base64}:",
               "Cache-Control": "no-cache"}
    response = Response(wrap_file(request.environ, handle), content_type=SQLITE_TYPE, headers=headers,
                        direct_passthrough=True)
    response.set_etag(facts.sha256)
    return response.make_conditional(request)


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
            if fmt == "xlsx":
                count = matching_rows(filters)
                if count > EXCEL_ROW_CAP:
                    raise BadRequest(f"the selection has {count:,} rows and an Excel download holds at most "
                                     f"{EXCEL_ROW_CAP:,} (so it is ready within the server's time limit); "
                                     "narrow the filters or use the CSV download, which has no limit")
            name = observations_file_name(filters, fmt)
            if fmt == "csv":
                return send_observations_csv(filters, lang, name)
            return send_xlsx(*_streamed_rows(*_export_query(filters, lang)), "observations", name)
        except BadRequest as exc:
            return _error(str(exc))
        except database.DatabaseUnavailable:
            raise
        except database.DatabaseError as exc:
            return _error(str(exc), 503)

    @server.get("/download/view/<page>/<view>.<fmt>")
    def download_view(page: str, view: str, fmt: str):
        module = pages.get(page)
        if module is None or view not in module.VIEWS:
            return _error(f"no downloadable view {page[:40]}/{view[:40]}")
        if fmt not in ("csv", "xlsx"):
            return _error(f"format {fmt[:10]!r} is not csv or xlsx")
        state = module.state(params.parse_search(request.query_string.decode("utf-8", "replace")))
        if state.problems:
            return _error("; ".join(state.problems))
        columns, chunks = _frame_rows(module.VIEWS[view](state))
        name = file_name([page, view, *state.values.values()], fmt)
        if fmt == "csv":
            return send_csv(columns, chunks, name)
        return send_xlsx(columns, chunks, view, name)

    @server.get(DATABASE_PATH)
    def download_database():
        return send_database()


def view_links(page: str, view: str, state: params.PageState, lang: str) -> dict[str, str]:
    """The hrefs of a view's CSV and Excel downloads (the view's state travels in the query string)."""
    search = params.search_string(lang=lang, **state.values)
    return {fmt: f"/download/view/{page}/{view}.{fmt}{search}" for fmt in ("csv", "xlsx")}

