"""A small CBS OData v4 client (datasets.cbs.nl) with requests: paging, $filter, timeouts, retries; and its reader."""

from __future__ import annotations

import json
import re
from collections.abc import Callable

import pandas as pd
import requests

from etl import bounded_input, http
from etl.errors import ContractError, SourceError
from etl.sources.cbs_mapping import CbsTable

FORMAT = "cbs-odata-v4"
BASE_URL = "https://datasets.cbs.nl/odata/v1/CBS/{table_id}/"
ENTITY_IN_CONTEXT = re.compile(r"\$metadata#(\w+)")
# The fields of an Observations row that are not a dimension; every other field names one (and its <Dim>Codes file).
OBSERVATION_FIELDS = ("Id", "Measure", "ValueAttribute", "Value", "StringValue")
# Safety net against a server that keeps sending the same next link.
MAX_PAGES = 10_000


class V4FormatError(ContractError):
    """Files that are not a CBS OData v4 table; the message names the file and what is wrong."""


class Client:
    """GETs against one v4 table root; every call has timeouts and retries (etl.http)."""

    def __init__(self, table_id: str, *, session: requests.Session | None = None,
                 sleep: Callable[[float], None] | None = None, base_url: str = BASE_URL):
        self.table_id = table_id
        self.root = base_url.format(table_id=table_id)
        self.session = session or requests.Session()
        self.sleep = sleep

    def entity(self, name: str) -> dict:
        """A singleton such as Properties."""
        return http.get_json(self.session, self.root + name, f"CBS {self.table_id} {name}", sleep=self.sleep)

    def collection(self, name: str, *, filter: str | None = None) -> dict:
        """All pages of a collection joined into one document, following @odata.nextLink until it is absent; each page
        and the pages together stay within the size cap of one file (etl.bounded_input), as the file they become."""
        what = f"CBS {self.table_id} {name}"
        values: list = []
        received = 0
        url, params, page_what = self.root + name, {"$filter": filter} if filter else None, what
        for page_number in range(1, MAX_PAGES + 1):
            body = http.get(self.session, url, page_what, params=params, sleep=self.sleep)
            received += len(body.content)
            if received > bounded_input.max_bytes():
                raise http.ResponseTooLarge(f"{what}: {page_number} pages from {self.root + name} together are more "
                                            f"than {bounded_input.limit()}")
            page = http.decode_json(body, page_what)
            if not isinstance(page, dict) or not isinstance(page.get("value"), list):
                raise SourceError(f"{page_what}: the response has no 'value' list (not an OData v4 collection)")
            if page_number == 1:
                context = page.get("@odata.context", "")
            values.extend(page["value"])
            url = page.get("@odata.nextLink")
            if not url:
                return {"@odata.context": context, "value": values}
            # The next link carries the query (filter, skip token) itself; sending params again would repeat them.
            params, page_what = None, f"{what} page {page_number + 1}"
        raise SourceError(f"{what}: more than {MAX_PAGES} pages; the server keeps sending a next link")

    def download(self, *, filter: str | None = None) -> dict[str, bytes]:
        """Properties, Dimensions, MeasureCodes, every <Dim>Codes and the (filtered) Observations as JSON files."""
        documents = {"Properties": self.entity("Properties"), "Dimensions": self.collection("Dimensions"),
                     "MeasureCodes": self.collection("MeasureCodes")}
        for dimension in documents["Dimensions"]["value"]:
            name = f"{dimension['Identifier']}Codes"
            documents[name] = self.collection(name)
        documents["Observations"] = self.collection("Observations", filter=filter)
        return {f"{name}.json": json.dumps(doc, ensure_ascii=False, indent=1).encode("utf-8")
                for name, doc in documents.items()}


def entity_of(document) -> str | None:
    """The v4 entity a JSON document holds, from its @odata.context (Properties may come without one)."""
    if not isinstance(document, dict):
        return None
    match = ENTITY_IN_CONTEXT.search(str(document.get("@odata.context", "")))
    if match:
        return match.group(1)
    if "Identifier" in document and ("Modified" in document or "Version" in document) and "value" not in document:
        return "Properties"
    return None


def _dimensions(files: dict[str, bytes], observations: pd.DataFrame) -> list[str]:
    """The table's dimensions: from Dimensions.json when present, else the Observations fields beyond the fixed ones,
    each of which must come with its <Dim>Codes file (a download by hand often leaves Dimensions out)."""
    if "Dimensions.json" in files:
        listed = _values(files, "Dimensions.json")
        if "Identifier" not in listed.columns:
            raise V4FormatError("Dimensions.json: no Identifier field")
        return list(listed["Identifier"].astype(str))
    dimensions = [field for field in observations.columns if field not in OBSERVATION_FIELDS]
    lacking = [d for d in dimensions if f"{d}Codes.json" not in files]
    if lacking:
        raise V4FormatError(f"Observations.json: field {lacking[0]} is neither a measure field nor a dimension with a "
                            f"{lacking[0]}Codes file, and there is no Dimensions.json to say which it is")
    return dimensions


def _load(files: dict[str, bytes], name: str):
    if name not in files:
        raise V4FormatError(f"{name} is missing")
    try:
        return json.loads(files[name].decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise V4FormatError(f"{name}: not valid JSON, perhaps truncated ({exc})") from exc


def _values(files: dict[str, bytes], name: str) -> pd.DataFrame:
    document = _load(files, name)
    if not isinstance(document, dict) or not isinstance(document.get("value"), list):
        raise V4FormatError(f"{name}: no 'value' list")
    return pd.DataFrame(document["value"])


def read(files: dict[str, bytes]) -> CbsTable:
    """A CbsTable from v4 files named <Entity>.json; raises V4FormatError naming the file that does not fit."""
    properties = _load(files, "Properties.json")
    measure_codes = _values(files, "MeasureCodes.json")
    for column in ("Identifier", "Title"):
        if column not in measure_codes.columns:
            raise V4FormatError(f"MeasureCodes.json: no {column} field")
    measures = pd.DataFrame({
        "key": measure_codes["Identifier"].astype(str),
        "title": measure_codes["Title"].astype(str),
        "group": "",
        "unit": measure_codes.get("Unit", pd.Series("", index=measure_codes.index)).fillna("").astype(str),
    })
    observations = _values(files, "Observations.json")
    codes = {}
    for dimension in _dimensions(files, observations):
        frame = _values(files, f"{dimension}Codes.json")
        if "Identifier" not in frame.columns:
            raise V4FormatError(f"{dimension}Codes.json: no Identifier field")
        codes[dimension] = pd.DataFrame({
            "key": frame["Identifier"].astype(str).str.strip(),
            "title": frame.get("Title", pd.Series("", index=frame.index)).fillna("").astype(str),
            "description": frame.get("Description", pd.Series("", index=frame.index)).fillna("").astype(str),
            "status": frame.get("Status", pd.Series("", index=frame.index)).fillna("").astype(str),
        })
    missing = [c for c in ["Measure", "Value"] + list(codes) if c not in observations.columns]
    if missing:
        raise V4FormatError(f"Observations.json: fields {', '.join(missing)} are missing")
    long = observations[list(codes) + ["Measure", "Value"]].rename(columns={"Measure": "measure", "Value": "value"})
    for dimension in codes:
        long[dimension] = long[dimension].astype(str).str.strip()
    long["value"] = long["value"].map(lambda v: None if v is None or pd.isna(v) else float(v))
    return CbsTable(table_id=str(properties.get("Identifier", "")), title=str(properties.get("Title", "")),
                    modified=str(properties.get("Modified", properties.get("Version", ""))),
                    output_status=str(properties.get("Status", "")), measures=measures, codes=codes,
                    observations=long)
