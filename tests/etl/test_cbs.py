"""CBS source: live refresh with incremental checks and replaced tables, and import of users' files by content."""

import json
import re
import shutil
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
import requests
import responses
from urllib3.exceptions import MaxRetryError, NameResolutionError

from etl import cli, importing
from etl.build import build
from etl.errors import InputError
from etl.paths import BUNDLE_DIR, DEFAULT_REFERENCE_DIR
from etl.snapshot import SnapshotStore
from etl.sources import cbs, cbs_mapping, cbs_v3, cbs_v4
from tests.etl.test_cbs_v3 import serve_table as serve_v3_table
from tests.etl.test_cbs_v4 import serve_table as serve_v4_table

FIXTURES = Path(__file__).parents[1] / "fixtures" / "cbs"


@pytest.fixture
def store(tmp_path):
    return SnapshotStore(tmp_path / "raw")


@pytest.fixture
def only_tables(monkeypatch):
    """Limit the refresh to some tables of the versioned list, so a test serves only those."""
    def limit(*table_ids):
        tables = cbs_mapping.tables()
        monkeypatch.setattr(cbs, "live_tables", lambda: tables[tables["table_id"].isin(table_ids)])
    return limit


def lines(outcomes):
    return {o.dataset_id: (o.outcome, o.message) for o in outcomes}


@responses.activate
def test_refresh_fetches_v3_and_v4_tables_and_stores_them_as_live_snapshots(store, only_tables):
    only_tables("80472NED", "86355NED")
    serve_v3_table()
    serve_v4_table()
    found = lines(cbs.fetch(store))
    assert found == {"cbs-80472NED": ("fetched", "26 rows, CBS Modified 2023-08-16T02:00:00"),
                     "cbs-86355NED": ("fetched", "6 rows, CBS Modified 2026-08-18T00:00:00")}
    snapshots = {s.key: s for s in store.all()}
    assert snapshots["80472NED"].format == cbs_v3.FORMAT and snapshots["86355NED"].format == cbs_v4.FORMAT
    assert snapshots["80472NED"].origin == "live"
    assert "TypedDataSet.json" in snapshots["80472NED"].files


@responses.activate
def test_a_table_whose_modified_date_did_not_change_is_not_downloaded_again(store, only_tables):
    only_tables("80472NED")
    serve_v3_table()
    cbs.fetch(store)
    downloads = len(responses.calls)
    found = lines(cbs.fetch(store))
    assert found == {"cbs-80472NED": ("unchanged", "CBS Modified 2023-08-16T02:00:00")}
    assert [c.request.url for c in responses.calls[downloads:]] == [
        cbs_v3.TABLE_URL.format(table_id="80472NED") + "TableInfos?%24format=json"]


@responses.activate
def test_a_replaced_table_says_so_in_the_refresh_line(store, only_tables):
    only_tables("85081NED", "85517NED")
    root = cbs_v3.TABLE_URL.format(table_id="{}")
    genuine = Path(DEFAULT_REFERENCE_DIR) / "nl" / "api-formats"
    info_85081 = json.loads((genuine / "v3_TableInfos_85081NED_value0.json").read_text("utf-8")) \
        if genuine.is_dir() else {"Identifier": "85081NED", "Modified": "2026-06-30T02:00:00", "OutputStatus": "Regulier"}
    responses.get(root.format("85081NED") + "TableInfos", json={"odata.metadata": "x", "value": [info_85081]})
    responses.get(root.format("85517NED") + "TableInfos", json={"odata.metadata": "x", "value": [
        {"Identifier": "85517NED", "Modified": "2025-08-20T02:00:00", "OutputStatus": "Gediscontinueerd"}]})
    for table_id, modified in (("85081NED", info_85081["Modified"]), ("85517NED", "2025-08-20T02:00:00")):
        store.save(source="cbs", key=table_id, format=cbs_v3.FORMAT, origin="live", files={"x.json": b"[]"},
                   licence="CC BY 4.0", location="test", extra={"modified": modified})
    found = lines(cbs.fetch(store))
    assert found["cbs-85081NED"] == ("unchanged", "CBS Modified 2026-06-30T02:00:00")
    outcome, message = found["cbs-85517NED"]
    assert outcome == "unchanged"
    assert "replaced at CBS by 86355NED; both kept as separate datasets" in message
    assert "CBS marks the table 'Gediscontinueerd': add its successor to etl/definitions/cbs_tables.csv" in message


@responses.activate
def test_without_network_every_table_fails_with_one_line_after_one_lookup_per_host(store):
    for host in ("opendata.cbs.nl", "datasets.cbs.nl"):
        lookup = NameResolutionError(host, None, OSError("Name or service not known"))
        responses.get(re.compile(f"https://{re.escape(host)}/.*"),
                      body=requests.ConnectionError(MaxRetryError(None, host, reason=lookup)))
    outcomes = cbs.fetch(store)
    assert len(outcomes) == len(cbs.live_tables()) == 11
    assert all(o.outcome == "failed" and "does not resolve (no network?); stored data kept" in o.message
               for o in outcomes)
    assert len(responses.calls) == 2  # one name lookup per host, not one per table
    assert store.all() == []


# ---- import -------------------------------------------------------------------------------------------------

def copy_renamed(source: Path, target: Path) -> Path:
    """The fixture files under meaningless names: recognition must not depend on them."""
    target.mkdir(parents=True)
    for number, path in enumerate(sorted(source.iterdir())):
        shutil.copy(path, target / f"download-{number}.txt")
    return target


def test_v3_v4_and_statline_files_are_recognised_by_content_whatever_their_names(tmp_path, store):
    v3 = copy_renamed(FIXTURES / "v3_80472NED", tmp_path / "a")
    v4 = copy_renamed(FIXTURES / "v4_86355NED", tmp_path / "b")
    statline_dir = tmp_path / "c"
    statline_dir.mkdir()
    shutil.copy(FIXTURES / "statline_80472ned_data.csv", statline_dir / "Vacatures (1).csv")
    shutil.copy(FIXTURES / "statline_80472ned_metadata.csv", statline_dir / "export.csv")
    results = cbs.import_paths([v3, v4, statline_dir], store)
    assert [(s.key, s.format, s.origin, is_new) for s, is_new in results] == [
        ("80472NED", "cbs-odata-v3", "import", True), ("86355NED", "cbs-odata-v4", "import", True),
        ("80472NED", "cbs-statline-csv", "import", True)]
    again = cbs.import_paths([v4], store)
    assert again[0][1] is False  # identical input is not stored twice


def test_the_data_set_of_an_imported_v3_table_is_decoded_from_json_once(tmp_path, store, monkeypatch):
    data_set = (FIXTURES / "v3_80472NED" / "TypedDataSet.json").read_text("utf-8")
    decoded = []
    loads = json.loads
    monkeypatch.setattr(json, "loads", lambda text, **kw: decoded.append(text == data_set) or loads(text, **kw))
    [(snapshot, _)] = cbs.import_paths([FIXTURES / "v3_80472NED"], store)
    assert decoded.count(True) == 1
    assert snapshot.files.keys() >= {"TypedDataSet.json", "Bedrijfskenmerken.json", "Perioden.json"}


def test_a_v4_download_without_dimensions_json_is_imported_with_the_entities_it_has(tmp_path, store):
    folder = copy_renamed(FIXTURES / "v4_86355NED", tmp_path / "v4")
    (folder / "download-1.txt").unlink()  # Dimensions.json, second in name order
    [(snapshot, is_new)] = cbs.import_paths([folder], store)
    assert (snapshot.key, snapshot.format, is_new) == ("86355NED", "cbs-odata-v4", True)
    assert sorted(snapshot.files) == ["BeroepCodes.json", "MeasureCodes.json", "Observations.json",
                                      "PeriodenCodes.json", "Properties.json"]


def test_a_truncated_json_file_is_rejected_naming_it_and_nothing_is_stored(tmp_path, store):
    folder = copy_renamed(FIXTURES / "v4_86355NED", tmp_path / "v4")
    broken = sorted(folder.iterdir())[3]
    broken.write_bytes(broken.read_bytes()[:150])
    with pytest.raises(InputError, match=f"{broken}: looks like JSON but cannot be read, perhaps truncated"):
        cbs.import_paths([folder], store)
    assert store.all() == []


def test_an_html_page_saved_as_a_download_is_rejected(tmp_path, store):
    page = tmp_path / "85276NED.json"
    page.write_text("<!DOCTYPE html><html><title>StatLine</title></html>", "utf-8")
    with pytest.raises(InputError, match=f"{page}: neither CBS OData JSON nor a StatLine CSV download"):
        cbs.import_paths([page], store)


def test_a_table_missing_from_the_definitions_is_refused(tmp_path, store):
    folder = copy_renamed(FIXTURES / "v4_86355NED", tmp_path / "v4")
    for path in folder.iterdir():
        path.write_text(path.read_text("utf-8").replace("86355NED", "99999NED"), "utf-8")
    with pytest.raises(InputError, match="CBS table 99999NED is not in cbs_tables.csv"):
        cbs.import_paths([folder], store)


def query(db: Path, sql: str):
    with closing(sqlite3.connect(db)) as conn:
        return conn.execute(sql).fetchall()


@pytest.fixture
def database(tmp_path, monkeypatch):
    monkeypatch.setattr(importing, "build", lambda path, **run: build(path, bundle_dir=BUNDLE_DIR, train_model=False, **run))
    db = tmp_path / "data" / "labour.sqlite"
    build(db, bundle_dir=BUNDLE_DIR, train_model=False)
    return db


def test_an_imported_v4_table_replaces_the_bundled_figures_in_the_database(tmp_path, database):
    folder = copy_renamed(FIXTURES / "v4_86355NED", tmp_path / "v4")
    assert cli.run(["import", "cbs", str(folder), "--db", str(database)]) == 0
    assert query(database, "SELECT value, status FROM observation WHERE dataset_id = 'cbs-86355NED' AND "
                           "occupation_code = '0433' AND indicator = 'employees' AND period = '2025'") == [
        (171000.0, "provisional")]
    assert query(database, "SELECT origin FROM dataset WHERE dataset_id = 'cbs-86355NED'") == [("import",)]


def test_an_imported_table_is_parsed_once_for_the_check_and_the_rebuild(tmp_path, database, monkeypatch):
    calls = []
    to_parsed = cbs_mapping.to_parsed
    monkeypatch.setattr(cbs_mapping, "to_parsed", lambda *args: calls.append(args[0].table_id) or to_parsed(*args))
    assert cli.run(["import", "cbs", str(FIXTURES / "v3_80472NED"), "--db", str(database)]) == 0
    assert calls == ["80472ned"]  # the identifier as TableInfos spells it
    assert query(database, "SELECT value, status FROM observation WHERE dataset_id = 'cbs-80472NED' AND indicator = "
                           "'vacancies_open' AND breakdown = '' AND sector_code = '' AND period = '1997-Q1'") == [
        (89800.0, "final")]
    assert query(database, "SELECT origin FROM dataset WHERE dataset_id = 'cbs-80472NED'") == [("import",)]


def test_a_truncated_download_exits_2_with_one_line_and_keeps_the_database(tmp_path, database, capsys):
    cut = tmp_path / "vacatures.csv"
    data = (FIXTURES / "statline_80472ned_data.csv").read_bytes()
    cut.write_bytes(data[: data.rindex(b";")])
    before = database.read_bytes()
    assert cli.run(["import", "cbs", str(cut), "--db", str(database)]) == 2
    assert capsys.readouterr().err == f"error: {cut}: line 7 has 5 fields, the header 6 (truncated file?)\n"
    assert database.read_bytes() == before
    assert SnapshotStore(database.parent / "raw").all() == []


@responses.activate
def test_a_mocked_refresh_loads_live_rows_into_the_database_and_logs_each_table(tmp_path, only_tables, monkeypatch):
    from etl import refresh

    monkeypatch.setattr(refresh, "build", lambda path, **run: build(path, bundle_dir=BUNDLE_DIR, train_model=False, **run))
    only_tables("80472NED", "86355NED")
    serve_v3_table()
    serve_v4_table()
    db = tmp_path / "data" / "labour.sqlite"
    printed = []
    assert refresh.refresh(db, ["cbs"], out=printed.append) == 0
    assert printed[:2] == ["cbs       cbs-86355NED                 fetched: 6 rows, CBS Modified 2026-08-18T00:00:00",
                           "cbs       cbs-80472NED                 fetched: 26 rows, CBS Modified 2023-08-16T02:00:00"]
    assert query(db, "SELECT origin, substr(checksum, 1, 7) FROM dataset WHERE dataset_id IN "
                     "('cbs-80472NED', 'cbs-86355NED') ORDER BY dataset_id") == [("live", "sha256:"), ("live", "sha256:")]
    assert query(db, "SELECT value, source_url FROM observation WHERE dataset_id = 'cbs-80472NED' AND "
                     "indicator = 'vacancies_open' AND sector_code = 'N' AND period = '2023-Q3'") == [
        (29500.0, cbs_v3.TABLE_URL.format(table_id="80472NED"))]
    # Bundled rows the live download did not cover are kept: 80472NED stays complete from 1997.
    assert query(db, "SELECT count(*) FROM observation WHERE dataset_id = 'cbs-80472NED'") == [(23162,)]
    assert query(db, "SELECT outcome FROM refresh_log WHERE dataset_id = 'cbs-86355NED'") == [("fetched",)]
