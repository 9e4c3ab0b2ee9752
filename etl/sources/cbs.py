"""CBS source: live refresh of the table list, import of users' downloads recognised by content, snapshot parsers."""

from __future__ import annotations

import json
from pathlib import Path

from etl import bounded_input, http, observation
from etl.errors import ContractError, InputError
from etl.fetch_outcome import FetchOutcome
from etl.parsed import Parsed
from etl.snapshot import Snapshot, SnapshotStore
from etl.sources import Upload, cbs_mapping, cbs_v3, cbs_v4, fetch_dataset, import_checked, statline

SOURCE = "cbs"
LICENCE = cbs_mapping.LICENCE
READERS = {cbs_v3.FORMAT: cbs_v3.read, cbs_v4.FORMAT: cbs_v4.read, statline.FORMAT: statline.read}
# What CBS writes in TableInfos.OutputStatus / Properties.Status for a table that is still updated.
REGULAR_OUTPUT_STATUS = {"", "regulier"}


def parse(format_name: str, files: dict[str, bytes], source_url: str) -> Parsed:
    """Contract rows from the files of one stored table (pure: no network, no disk)."""
    table = READERS[format_name](files)
    return cbs_mapping.to_parsed(table, source_url or cbs_mapping.STATLINE_URL.format(table_id=table.table_id))


def _parse_snapshot(snapshot: Snapshot) -> Parsed:
    files = {name: snapshot.read_bytes(name) for name in snapshot.files}
    return parse(snapshot.format, files, snapshot.extra.get("source_url", ""))


PARSERS = {name: _parse_snapshot for name in READERS}


def live_tables():
    """Definition rows of the tables `make refresh` fetches (those with an API)."""
    tables = cbs_mapping.tables()
    return tables[tables["api"].isin(["v3", "v4"])]


def _table_notes(spec, output_status: str) -> str:
    notes = []
    if spec["replaced_by"]:
        notes.append(f"replaced at CBS by {spec['replaced_by']}; both kept as separate datasets")
    if output_status.strip().lower() not in REGULAR_OUTPUT_STATUS:
        notes.append(f"CBS marks the table {output_status!r}: add its successor to etl/definitions/cbs_tables.csv")
    return "; ".join(notes)


def fetch(store: SnapshotStore) -> list[FetchOutcome]:
    """One outcome per table; a table that fails is reported and keeps its stored data, the others go on."""
    unreachable = http.UnreachableHosts()
    outcomes = []
    for _, spec in live_tables().iterrows():
        url = (cbs_v4.BASE_URL if spec["api"] == "v4" else cbs_v3.TABLE_URL).format(table_id=spec["table_id"])
        outcomes.append(fetch_dataset(SOURCE, spec["dataset_id"], f"CBS {spec['table_id']}", url, unreachable,
                                      lambda spec=spec, url=url: _fetch_table(store, spec, url)))
    return outcomes


def _fetch_table(store: SnapshotStore, spec, url: str) -> FetchOutcome:
    table_id, dataset_id, api = spec["table_id"], spec["dataset_id"], spec["api"]
    if api == "v4":
        client = cbs_v4.Client(table_id)
        properties = client.entity("Properties")
        modified = str(properties.get("Modified", properties.get("Version", "")))
        output_status = str(properties.get("Status", ""))
    else:
        info = cbs_v3.table_info(table_id)
        modified, output_status = str(info.get("Modified", "")), str(info.get("OutputStatus", ""))
    notes = _table_notes(spec, output_status)
    latest = store.latest(SOURCE, table_id)
    if modified and latest is not None and latest.extra.get("modified") == modified:
        return FetchOutcome(SOURCE, dataset_id, "unchanged", "; ".join(filter(None, [f"CBS Modified {modified}", notes])))
    files = client.download() if api == "v4" else cbs_v3.download(table_id)
    format_name = cbs_v4.FORMAT if api == "v4" else cbs_v3.FORMAT
    parsed = parse(format_name, files, url)
    observation.validate(observation.conform(parsed.observations))
    _, is_new = store.save(source=SOURCE, key=table_id, format=format_name, origin="live", files=files,
                           licence=LICENCE, location=url,
                           extra={"table_id": table_id, "modified": modified, "source_url": url})
    summary = f"{len(parsed.observations)} rows, CBS Modified {modified or 'unknown'}"
    return FetchOutcome(SOURCE, dataset_id, "fetched" if is_new else "unchanged", "; ".join(filter(None, [summary, notes])))


# ---- import of files a user downloaded by hand -------------------------------------------------------------

def _files_in(path: Path) -> list[Path]:
    if path.is_dir():
        return sorted(p for p in path.rglob("*") if p.is_file() and not p.name.startswith("."))
    return [path]


def _json_or_none(path: Path, data: bytes):
    head = data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    if head not in (b"{", b"["):
        return None
    try:
        return json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(f"{path}: looks like JSON but cannot be read, perhaps truncated ({exc})") from exc


def _groups(paths: list[Path]) -> list[tuple[str, str, dict[str, bytes], dict[str, str], dict[str, object]]]:
    """(format, where, canonical files, display names of StatLine files, v3 files already decoded from JSON) per
    table, recognised by content only."""
    groups = []
    for path in paths:
        members = _files_in(path)
        documents, raw, data_csvs, metadata_csvs = {}, {}, [], []
        for member in members:
            data = bounded_input.read_file(member)
            kind = statline.kind(data)
            if kind == "data":
                data_csvs.append((member, data))
                continue
            if kind == "metadata":
                metadata_csvs.append((member, data))
                continue
            document = _json_or_none(member, data)
            if document is None:
                raise InputError(f"{member}: neither CBS OData JSON nor a StatLine CSV download")
            documents[str(member)], raw[str(member)] = document, data
        if documents:
            groups.append(_json_group(path, documents, raw))
        groups.extend(_statline_groups(data_csvs, metadata_csvs))
    return groups


def _json_group(path: Path, documents: dict[str, object], raw: dict[str, bytes]):
    v4_entities = {name: cbs_v4.entity_of(doc) for name, doc in documents.items()}
    if any(v4_entities.values()):
        unknown = [name for name, entity in v4_entities.items() if entity is None]
        if unknown:
            raise InputError(f"{unknown[0]}: not an OData v4 entity, but other files in {path} are")
        return cbs_v4.FORMAT, str(path), {f"{entity}.json": raw[name] for name, entity in v4_entities.items()}, {}, {}
    try:
        names = cbs_v3.canonical_names(documents)
    except cbs_v3.V3FormatError as exc:
        raise InputError(f"{path}: {exc}") from exc
    return (cbs_v3.FORMAT, str(path), {canonical: raw[name] for canonical, name in names.items()}, {},
            {canonical: documents[name] for canonical, name in names.items()})


def _statline_groups(data_csvs, metadata_csvs):
    """Pair each data download with the metadata download whose DataProperties names exactly its columns."""
    groups = []
    metadata_columns = {}
    for member, data in metadata_csvs:
        try:
            properties = statline.metadata_sections(data, str(member))["DataProperties"]
        except statline.StatlineFormatError as exc:
            raise InputError(str(exc)) from exc
        metadata_columns[member] = set(properties.loc[properties["Type"] != "TopicGroup", "Key"])
    used = set()
    for member, data in data_csvs:
        header = data.decode("utf-8-sig", "replace").splitlines()[0].replace('"', "").split(";")
        matches = [m for m, columns in metadata_columns.items() if set(header) - {"ID"} == columns]
        files = {statline.DATA_FILE: data}
        if matches:
            files[statline.METADATA_FILE] = dict(metadata_csvs)[matches[0]]
            used.add(matches[0])
        display = {statline.DATA_FILE: str(member)}
        if matches:
            display[statline.METADATA_FILE] = str(matches[0])
        groups.append((statline.FORMAT, str(member), files, display, {}))
    orphans = [str(m) for m in metadata_columns if m not in used]
    if orphans:
        raise InputError(f"{orphans[0]}: a StatLine metadata download without its data file")
    return groups


def _check(group) -> tuple[Parsed, Upload]:
    format_name, where, files, display, decoded = group
    try:
        if display:
            table = statline.read(files, display)
        else:
            table = cbs_v3.read(files, decoded) if decoded else READERS[format_name](files)
        spec = cbs_mapping.definition(table.table_id)
        source_url = cbs_mapping.STATLINE_URL.format(table_id=spec["table_id"])
        parsed = cbs_mapping.to_parsed(table, source_url)
    except ContractError as exc:
        # StatLine errors already name the user's file; JSON errors name our canonical entity file.
        raise InputError(str(exc) if display else f"{where}: {exc}") from exc
    # The stored snapshot is parsed by `parse` from these files and this source_url: the same rows as checked here.
    upload = Upload(key=spec["table_id"], format=format_name, files=files, location=where,
                    extra={"table_id": spec["table_id"], "modified": table.modified, "source_url": source_url},
                    parsed_as_stored=True)
    return parsed, upload


def import_paths(paths: list[Path], store: SnapshotStore) -> list[tuple[Snapshot, bool]]:
    """Recognise, parse and validate every table first (folders hold a table's files); store them only when all are good."""
    groups = _groups([Path(p) for p in paths])
    if not groups:
        raise InputError(f"{', '.join(map(str, paths))}: no CBS files found")
    return import_checked(SOURCE, LICENCE, [(group[1], group) for group in groups], _check, store)
