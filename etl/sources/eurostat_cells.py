"""Eurostat JSON-stat 2.0 and SDMX-TSV responses read into one shape: dimension ids and (codes, value, flag) cells."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass

from etl import bounded_input
from etl.errors import ContractError

JSONSTAT_FORMAT = "eurostat-jsonstat"
TSV_FORMAT = "eurostat-sdmx-tsv"
TIME_DIMENSION = "time"
# The header's first cell ends in this: `freq,unit,...,geo\TIME_PERIOD`.
TSV_TIME_MARK = "\\TIME_PERIOD"
MISSING = ":"


class EurostatFormatError(ContractError):
    """A file that is neither Eurostat JSON-stat nor SDMX-TSV, or is broken; the message says what is wrong."""


@dataclass(frozen=True)
class Cells:
    """A published table: its dimension ids (time last), its label if the format has one, and its non-missing cells."""

    dimensions: list[str]
    label: str
    updated: str
    cells: list[tuple[dict[str, str], float, str]]


# How much of a file's start tells its format.
HEAD_BYTES = 4000


def unpacked(data: bytes, where: str) -> bytes:
    """The bytes, gunzipped (within the size cap) when Eurostat sent them compressed."""
    return bounded_input.gunzip(data, where) if data.startswith(bounded_input.GZIP_MAGIC) else data


def kind(data: bytes) -> str | None:
    """JSONSTAT_FORMAT, TSV_FORMAT or None, from the first bytes of the content."""
    if data.startswith(bounded_input.GZIP_MAGIC):
        data = bounded_input.gunzip_head(data, HEAD_BYTES)
    head = data.lstrip(b"\xef\xbb\xbf \t\r\n")[:HEAD_BYTES]
    if head[:1] == b"{":
        return JSONSTAT_FORMAT
    first_line = head.split(b"\n", 1)[0].decode("utf-8", "replace")
    if TSV_TIME_MARK in first_line.split("\t", 1)[0]:
        return TSV_FORMAT
    return None


def read(format_name: str, data: bytes, where: str) -> Cells:
    return (read_jsonstat if format_name == JSONSTAT_FORMAT else read_tsv)(unpacked(data, where))


def read_jsonstat(data: bytes) -> Cells:
    """A JSON-stat 2.0 dataset: `id`, `size`, `dimension.<id>.category.index`, sparse `value` and `status`."""
    try:
        document = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise EurostatFormatError(f"not valid JSON, perhaps truncated ({exc})") from exc
    if not isinstance(document, dict):
        raise EurostatFormatError("JSON but not a JSON-stat dataset object")
    if "error" in document:
        errors = document["error"] if isinstance(document["error"], list) else [document["error"]]
        labels = "; ".join(str(e.get("label", e)) if isinstance(e, dict) else str(e) for e in errors)
        raise EurostatFormatError(f"Eurostat answered with an error: {labels}")
    missing = [k for k in ("id", "size", "dimension", "value") if k not in document]
    if missing:
        raise EurostatFormatError(f"JSON without the JSON-stat keys {', '.join(missing)}")
    ids, sizes = list(document["id"]), list(document["size"])
    if len(ids) != len(sizes):
        raise EurostatFormatError(f"JSON-stat `id` has {len(ids)} dimensions but `size` {len(sizes)}")
    codes = [_category_codes(document["dimension"], dim, size) for dim, size in zip(ids, sizes, strict=True)]
    values, statuses = _indexed(document["value"]), _indexed(document.get("status", {}))
    cells = []
    for flat, value in values.items():
        if value is None:
            continue
        if flat >= math.prod(sizes):
            raise EurostatFormatError(f"value index {flat} is beyond the table's {math.prod(sizes)} cells")
        position, rest = [], flat
        for size in reversed(sizes):
            rest, index = divmod(rest, size)
            position.append(index)
        key = {dim: codes[d][i] for d, (dim, i) in enumerate(zip(ids, reversed(position), strict=True))}
        cells.append((key, float(value), str(statuses.get(flat) or "")))
    return Cells(ids, str(document.get("label", "")), str(document.get("updated", "")), cells)


def _category_codes(dimensions: dict, dim: str, size: int) -> list[str]:
    try:
        index = dimensions[dim]["category"]["index"]
    except (KeyError, TypeError) as exc:
        raise EurostatFormatError(f"JSON-stat dimension {dim!r} has no category index") from exc
    codes = list(index) if isinstance(index, list) else [c for c, _ in sorted(index.items(), key=lambda kv: kv[1])]
    if len(codes) != size:
        raise EurostatFormatError(f"JSON-stat dimension {dim!r} lists {len(codes)} codes but `size` says {size}")
    return codes


def _indexed(values) -> dict[int, object]:
    if isinstance(values, list):
        return dict(enumerate(values))
    if isinstance(values, dict):
        return {int(k): v for k, v in values.items()}
    return {}


def read_tsv(data: bytes) -> Cells:
    """SDMX-TSV: first column `dim1,dim2,...,geo\\TIME_PERIOD`, then one column per period; cells 'number flags' or ':'."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise EurostatFormatError("SDMX-TSV that is not UTF-8 text") from exc
    lines = [line for line in text.splitlines() if line.strip()]
    header = lines[0].split("\t")
    if TSV_TIME_MARK not in header[0]:
        raise EurostatFormatError(f"first header cell {header[0]!r} does not end in {TSV_TIME_MARK!r}")
    dims = [d.strip() for d in header[0].split(TSV_TIME_MARK)[0].split(",")]
    periods = [p.strip() for p in header[1:]]
    cells = []
    for number, line in enumerate(lines[1:], start=2):
        fields = line.split("\t")
        codes = [c.strip() for c in fields[0].split(",")]
        if len(codes) != len(dims) or len(fields) != len(header):
            raise EurostatFormatError(f"line {number}: {len(codes)} codes and {len(fields) - 1} periods, the header "
                                      f"has {len(dims)} and {len(periods)} (truncated file?)")
        for period, cell in zip(periods, fields[1:], strict=True):
            number_text, _, flag = cell.strip().partition(" ")
            if number_text == MISSING or not number_text:
                continue
            try:
                value = float(number_text)
            except ValueError as exc:
                raise EurostatFormatError(f"line {number} period {period}: {cell.strip()!r} is not a number") from exc
            cells.append(({**dict(zip(dims, codes, strict=True)), TIME_DIMENSION: period}, value, flag.strip()))
    return Cells(dims + [TIME_DIMENSION], "", "", cells)
