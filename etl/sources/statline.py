"""StatLine CSV downloads (data file plus optional metadata download) read into a CbsTable."""

from __future__ import annotations

import csv
import io
import re

import pandas as pd

from etl.errors import ContractError
from etl.sources import cbs_mapping
from etl.sources.cbs_mapping import PERIOD_DIMENSION, CbsTable

FORMAT = "cbs-statline-csv"
DATA_FILE = "data.csv"
METADATA_FILE = "metadata.csv"
TOPIC_COLUMN = re.compile(r"_\d+$")
MISSING_MARKERS = {"", "."}
DIMENSION_TYPES = {"Dimension", "TimeDimension", "GeoDimension", "GeoDetail"}


class StatlineFormatError(ContractError):
    """A file that is not a StatLine CSV download; the message says which line and what is wrong."""


def _records(data: bytes, name: str) -> list[list[str]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise StatlineFormatError(f"{name}: not UTF-8 text ({exc})") from exc
    try:
        return list(csv.reader(io.StringIO(text, newline=""), delimiter=";", strict=True))
    except csv.Error as exc:
        raise StatlineFormatError(f"{name}: broken CSV quoting ({exc}), perhaps a truncated file") from exc


def kind(data: bytes) -> str | None:
    """'data' or 'metadata' when the bytes look like a StatLine download, else None (judged by content only)."""
    head = data[:4096].decode("utf-8-sig", "replace").lstrip()
    first = head.splitlines()[0] if head else ""
    if first.strip() == '"TableInfos"':
        return "metadata"
    if first.startswith('"ID";') and first.count(";") >= 2:
        return "data"
    return None


def metadata_sections(data: bytes, name: str = METADATA_FILE) -> dict[str, pd.DataFrame]:
    """Section name -> its rows; a section starts with a one-field record (its name) followed by a header."""
    sections: dict[str, pd.DataFrame] = {}
    records = [r for r in _records(data, name) if any(field.strip() for field in r)]
    index = 0
    while index < len(records):
        marker = records[index]
        if len(marker) != 1 or index + 1 >= len(records):
            raise StatlineFormatError(f"{name}: expected a section name at record {index + 1}, found {marker[:3]}")
        header = records[index + 1]
        body = []
        index += 2
        while index < len(records) and len(records[index]) != 1:
            if len(records[index]) != len(header):
                raise StatlineFormatError(f"{name}: section {marker[0]} record {index + 1} has "
                                          f"{len(records[index])} fields, its header {len(header)}")
            body.append(records[index])
            index += 1
        sections[marker[0]] = pd.DataFrame(body, columns=header)
    if "TableInfos" not in sections or "DataProperties" not in sections:
        raise StatlineFormatError(f"{name}: no TableInfos or DataProperties section")
    return sections


def data_frame(data: bytes, name: str = DATA_FILE) -> pd.DataFrame:
    """The data download as text cells, every row checked against the header length."""
    records = _records(data, name)
    if not records or records[0][:1] != ["ID"]:
        raise StatlineFormatError(f"{name}: the first line is not a StatLine header starting with \"ID\"")
    header = records[0]
    body = [r for r in records[1:] if r]
    for number, record in enumerate(body, start=2):
        if len(record) != len(header):
            raise StatlineFormatError(f"{name}: line {number} has {len(record)} fields, the header {len(header)} "
                                      "(truncated file?)")
    if not body:
        raise StatlineFormatError(f"{name}: no data rows")
    return pd.DataFrame(body, columns=header)


def _number(cell: str, where: str):
    text = cell.strip()
    if text in MISSING_MARKERS:
        return None
    try:
        return float(text)
    except ValueError as exc:
        raise StatlineFormatError(f"{where}: {text!r} is not a number") from exc


def identify(columns: list[str], name: str = DATA_FILE) -> str:
    """The table a data file without metadata belongs to: the one table whose known measure keys cover its topics."""
    topics = {c for c in columns if TOPIC_COLUMN.search(c)}
    defined = cbs_mapping.measures()
    candidates = [t for t, keys in defined.groupby("table_id")["measure"] if topics and topics <= set(keys)]
    if len(candidates) != 1:
        raise StatlineFormatError(
            f"{name}: cannot tell which CBS table has the columns {', '.join(sorted(topics)) or '(none)'}"
            f" ({'several' if candidates else 'no'} known table matches); import it with its metadata download")
    return candidates[0]


def read(files: dict[str, bytes], display: dict[str, str] | None = None) -> CbsTable:
    """A CbsTable from data.csv (required) and metadata.csv (optional); `display` names them in errors."""
    names = {DATA_FILE: DATA_FILE, METADATA_FILE: METADATA_FILE, **(display or {})}
    frame = data_frame(files[DATA_FILE], names[DATA_FILE])
    if METADATA_FILE in files:
        sections = metadata_sections(files[METADATA_FILE], names[METADATA_FILE])
        info = sections["TableInfos"].iloc[0]
        properties = sections["DataProperties"]
        dimensions = properties.loc[properties["Type"].isin(DIMENSION_TYPES), "Key"].tolist()
        groups = properties[properties["Type"] == "TopicGroup"].set_index("ID")["Title"]
        topics = properties[properties["Type"] == "Topic"]
        measures = pd.DataFrame({"key": topics["Key"], "title": topics["Title"],
                                 "group": topics["ParentID"].map(lambda p: groups.get(p, "")),
                                 "unit": topics["Unit"]})
        table_id, title, modified = info["Identifier"], info.get("Title", ""), info.get("Modified", "")
        output_status = info.get("OutputStatus", "")
        codes = {}
        for dimension in dimensions:
            if dimension not in sections:
                raise StatlineFormatError(f"{names[METADATA_FILE]}: no section for dimension {dimension}")
            section = sections[dimension]
            codes[dimension] = pd.DataFrame({
                "key": section["Key"].str.strip(), "title": section["Title"],
                "description": section.get("Description", pd.Series("", index=section.index)),
                "status": section.get("Status", pd.Series("", index=section.index))})
        unexpected = [c for c in frame.columns if c != "ID" and c not in dimensions and c not in set(measures["key"])]
        if unexpected:
            raise StatlineFormatError(f"{names[DATA_FILE]}: columns {', '.join(unexpected)} are not in the metadata's "
                                      f"DataProperties (data and metadata of different tables?)")
    else:
        table_id, title, modified, output_status, codes = identify(list(frame.columns), names[DATA_FILE]), "", "", "", {}
        topic_keys = [c for c in frame.columns if TOPIC_COLUMN.search(c)]
        dimensions = [c for c in frame.columns if c != "ID" and c not in topic_keys]
        measures = pd.DataFrame({"key": topic_keys, "title": topic_keys, "group": "", "unit": ""})
    if PERIOD_DIMENSION not in dimensions:
        raise StatlineFormatError(f"{names[DATA_FILE]}: no Perioden column")
    for dimension in dimensions:
        frame[dimension] = frame[dimension].str.strip()
    long = frame.melt(id_vars=dimensions, value_vars=measures["key"].tolist(), var_name="measure", value_name="value")
    long["value"] = [_number(v, f"{names[DATA_FILE]} column {m}") for v, m in zip(long["value"], long["measure"], strict=True)]
    return CbsTable(table_id=table_id, title=title, modified=modified, output_status=output_status,
                    measures=measures.reset_index(drop=True), codes=codes, observations=long)
