"""CBS OData v3 (opendata.cbs.nl) through cbsodata: download a table into files, recognise such files, read them."""

from __future__ import annotations

import json
import re
import tempfile
from pathlib import Path

import cbsodata
import numpy as np
import pandas as pd
import requests

from etl import http
from etl.errors import ContractError, SourceError
from etl.sources.cbs_mapping import PERIOD_DIMENSION, CbsTable, factorized_keys

FORMAT = "cbs-odata-v3"
# cbsodata 1.3.5 inverts its flag: download_data(typed=True) removes "TypedDataSet" from the entity list and so
# downloads UntypedDataSet (cbsodata3.download_data). False is the value that downloads the TypedDataSet.
TYPED_FLAG_THAT_FETCHES_TYPED_DATASET = False
DATA_ENTITIES = ("TypedDataSet", "UntypedDataSet")
DIMENSION_TYPES = {"Dimension", "TimeDimension", "GeoDimension", "GeoDetail"}
ENTITY_IN_METADATA = re.compile(r"#Cbs\.OData\.WebAPI\.(\w+)")
TABLE_URL = "https://opendata.cbs.nl/ODataFeed/odata/{table_id}/"
MISSING_MARKERS = {"", "."}


class V3FormatError(ContractError):
    """Files that are not a CBS OData v3 table as cbsodata or the API writes it; the message names the file."""


def table_info(table_id: str) -> dict:
    """The table's TableInfos row (Modified tells whether it changed since the last download)."""
    def call():
        return cbsodata.get_info(table_id, timeout=http.TIMEOUT)

    info = _guarded(call, f"CBS {table_id} TableInfos")
    if not isinstance(info, dict):
        raise SourceError(f"CBS {table_id} TableInfos: empty answer (does the table exist on the v3 API?)")
    return info


def download(table_id: str) -> dict[str, bytes]:
    """Every entity of the table as cbsodata.download_data writes it (one JSON list per entity), keyed by file name."""
    with tempfile.TemporaryDirectory(prefix="cbs-v3-") as folder:
        def call():
            return cbsodata.download_data(table_id, dir=folder, typed=TYPED_FLAG_THAT_FETCHES_TYPED_DATASET,
                                          timeout=http.TIMEOUT)

        _guarded(call, f"CBS {table_id}")
        return {path.name: path.read_bytes() for path in sorted(Path(folder).glob("*.json"))}


def _guarded(call, what: str):
    """cbsodata's own errors as SourceErrors: an HTML page or a changed layout is one clear line."""
    try:
        return http.with_retries(call, what)
    except json.JSONDecodeError as exc:
        raise SourceError(f"{what}: the server did not send JSON (an HTML error or maintenance page?)") from exc
    except (KeyError, TypeError) as exc:
        raise SourceError(f"{what}: the response does not have the OData v3 layout (missing {exc})") from exc
    except requests.RequestException as exc:
        raise SourceError(f"{what}: {exc}") from exc


def rows(document) -> list[dict]:
    """Rows of an entity whether saved bare (cbsodata) or in its API envelope ({"odata.metadata", "value"})."""
    if isinstance(document, dict) and isinstance(document.get("value"), list):
        return document["value"]
    if isinstance(document, list):
        return document
    raise V3FormatError("not an OData v3 entity (neither a list nor an object with 'value')")


def entity_by_shape(document) -> str | None:
    """Name of the v3 entity a JSON document holds, from its odata.metadata or, for bare lists, from its fields."""
    if isinstance(document, dict) and "odata.metadata" in document:
        match = ENTITY_IN_METADATA.search(document["odata.metadata"])
        return match.group(1) if match else "ServiceDocument"
    if not isinstance(document, list) or not document or not isinstance(document[0], dict):
        return None
    fields = set(document[0])
    if {"Identifier", "Modified", "ShortTitle"} <= fields:
        return "TableInfos"
    if {"Type", "Key", "Position"} <= fields:
        return "DataProperties"
    if {"DimensionKey", "Title"} <= fields and "Key" not in fields:
        return "CategoryGroups"
    if {"Key", "Title"} <= fields:
        return "dimension"  # which dimension is decided by matching its keys against the data set's columns
    if "ID" in fields:
        return "DataSet"
    return None


def canonical_files(documents: dict[str, object], raw: dict[str, bytes]) -> dict[str, bytes]:
    """Name each file of a v3 table by what it holds (TableInfos.json, TypedDataSet.json, <Dimension>.json ...)."""
    return {canonical: raw[name] for canonical, name in canonical_names(documents).items()}


def canonical_names(documents: dict[str, object]) -> dict[str, str]:
    """Canonical file name (TableInfos.json, TypedDataSet.json, <Dimension>.json ...) -> the name of the decoded
    document that holds it; raises V3FormatError when the documents are not one v3 table."""
    named: dict[str, str] = {}
    dimensions: dict[str, object] = {}
    datasets = []
    for name, document in documents.items():
        entity = entity_by_shape(document)
        if entity is None:
            raise V3FormatError(f"{name}: not a CBS OData v3 entity")
        if entity == "dimension" or (entity not in ("TableInfos", "DataProperties", "ServiceDocument",
                                                     "CategoryGroups", "DataSet") + DATA_ENTITIES):
            dimensions[name] = document
        elif entity in ("DataSet",) + DATA_ENTITIES:
            datasets.append(name)
        elif entity not in ("ServiceDocument", "CategoryGroups"):
            if f"{entity}.json" in named:
                raise V3FormatError(f"{name}: a second {entity}; import one table per directory")
            named[f"{entity}.json"] = name
    for required in ("TableInfos.json", "DataProperties.json"):
        if required not in named:
            raise V3FormatError(f"no {required[:-5]} among {', '.join(sorted(documents))}")
    if len(datasets) != 1:
        raise V3FormatError(f"expected one TypedDataSet or UntypedDataSet, found {len(datasets)} "
                            f"({', '.join(datasets) or 'none'})")
    data_rows = rows(documents[datasets[0]])
    typed = all(not isinstance(v, str) for row in data_rows[:50] for k, v in row.items() if k != "ID" and
                not _is_dimension_column(k, documents))
    named["TypedDataSet.json" if typed else "UntypedDataSet.json"] = datasets[0]
    properties = rows(documents[named["DataProperties.json"]])
    for dimension in [p["Key"] for p in properties if p.get("Type") in DIMENSION_TYPES]:
        values = {str(value).strip() for value in _distinct_cells(data_rows, dimension)}
        match = [n for n, doc in dimensions.items() if values <= {str(r.get("Key", "")).strip() for r in rows(doc)}]
        if not match:
            raise V3FormatError(f"no code list among the files covers dimension {dimension}")
        named[f"{dimension}.json"] = match[0]
    return named


def _distinct_cells(data_rows: list, dimension: str) -> list:
    """The distinct cells of a dimension (few keys on many rows); 1, 1.0 and True stay apart, as str() tells them."""
    cells = [r.get(dimension, "") for r in data_rows]
    try:
        return [value for _, value in {(type(v), v) for v in cells}]
    except TypeError:  # a list or an object in a cell: keep every cell
        return cells


def _is_dimension_column(column: str, documents: dict[str, object]) -> bool:
    for document in documents.values():
        if entity_by_shape(document) == "DataProperties":
            return any(p.get("Key") == column and p.get("Type") in DIMENSION_TYPES for p in rows(document))
    return False


def read(files: dict[str, bytes], decoded: dict[str, object] | None = None) -> CbsTable:
    """A CbsTable from canonical v3 files; raises V3FormatError naming the file that does not fit.

    `decoded` holds files already decoded from JSON by name (the import recognised them by content), so that a large
    data set is not decoded twice."""
    def load(name: str):
        if name not in files:
            raise V3FormatError(f"{name} is missing")
        if decoded and name in decoded:
            return rows(decoded[name])
        try:
            return rows(json.loads(files[name].decode("utf-8-sig")))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise V3FormatError(f"{name}: not valid JSON, perhaps truncated ({exc})") from exc

    info = load("TableInfos.json")
    if not info or "Identifier" not in info[0]:
        raise V3FormatError("TableInfos.json: no Identifier")
    properties = pd.DataFrame(load("DataProperties.json"))
    for column in ("Type", "Key", "Title"):
        if column not in properties.columns:
            raise V3FormatError(f"DataProperties.json: no {column} field")
    groups = properties[properties["Type"] == "TopicGroup"].set_index("ID")["Title"] if "ID" in properties else {}
    topics = properties[properties["Type"] == "Topic"]
    measures = pd.DataFrame({
        "key": topics["Key"].astype(str),
        "title": topics["Title"].astype(str),
        "group": topics.get("ParentID", pd.Series(index=topics.index, dtype=object)).map(
            lambda p: groups.get(p, "") if pd.notna(p) else ""),
        "unit": topics.get("Unit", pd.Series("", index=topics.index)).fillna("").astype(str),
    })
    dimensions = properties.loc[properties["Type"].isin(DIMENSION_TYPES), "Key"].astype(str).tolist()
    data_name = "TypedDataSet.json" if "TypedDataSet.json" in files else "UntypedDataSet.json"
    data = pd.DataFrame(load(data_name))
    missing = [c for c in dimensions + measures["key"].tolist() if c not in data.columns]
    if missing:
        raise V3FormatError(f"{data_name}: columns {', '.join(missing)} named in DataProperties are missing")
    codes = {}
    for dimension in dimensions:
        frame = pd.DataFrame(load(f"{dimension}.json"))
        codes[dimension] = pd.DataFrame({
            "key": frame["Key"].astype(str).str.strip(),
            "title": frame["Title"].fillna("").astype(str),
            "description": frame.get("Description", pd.Series("", index=frame.index)).fillna("").astype(str),
            "status": frame.get("Status", pd.Series("", index=frame.index)).fillna("").astype(str),
        })
    for dimension in dimensions:
        key_codes, keys = factorized_keys(data[dimension])
        data[dimension] = pd.Series(pd.array(keys, dtype=str).take(key_codes), index=data.index)
    long = data.melt(id_vars=dimensions, value_vars=measures["key"].tolist(), var_name="measure", value_name="value")
    long["value"] = numbers(long["value"])
    first = info[0]
    if PERIOD_DIMENSION not in dimensions:
        raise V3FormatError(f"{data_name}: the table has no Perioden dimension")
    return CbsTable(table_id=str(first["Identifier"]), title=str(first.get("Title", "")),
                    modified=str(first.get("Modified", "")), output_status=str(first.get("OutputStatus", "")),
                    measures=measures.reset_index(drop=True), codes=codes, observations=long)


def numbers(cells: pd.Series) -> pd.Series:
    """`_number` of every cell: typed cells are numbers already, untyped ones are converted once per distinct text."""
    if pd.api.types.is_numeric_dtype(cells):
        return cells.astype("float64")
    codes, distinct = pd.factorize(cells, use_na_sentinel=False)
    return pd.Series(np.array([_number(value) for value in distinct], dtype="float64")[codes], index=cells.index)


def _number(value):
    """A cell as a float, or None when CBS left it empty ('.', '' or null); untyped cells are padded strings."""
    if value is None:
        return None
    if isinstance(value, str):
        text = value.strip()
        return None if text in MISSING_MARKERS else float(text)
    return float(value)
