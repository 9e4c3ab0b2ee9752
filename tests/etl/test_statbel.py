"""Statbel: job-vacancy and wage open-data files fetched (mocked HTTP) or imported by content, keyed like the bundle."""

import io
import sqlite3
import zipfile
from contextlib import closing
from pathlib import Path

import pandas as pd
import pytest
import requests
import responses
from urllib3.exceptions import MaxRetryError, NameResolutionError

from etl import bounded_input, http, importing
from etl import refresh as refresh_module
from etl.build import build
from etl.errors import InputError
from etl.observation import KEY
from etl.snapshot import SnapshotStore
from etl.sources import statbel, statbel_layout
from tests.etl.core_fixtures import write_bundle

FIXTURES = Path(__file__).parents[1] / "fixtures" / "statbel"
BUNDLED = Path(__file__).parents[2] / "data" / "bundled" / "observation"
JVS_URL = statbel_layout.datasets()["jvs"]["url"]
WAGES_URL = statbel_layout.datasets()["wages"]["url"]


def zipped(*names: str) -> bytes:
    """The fixtures as Statbel ships open data: text files inside a ZIP."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in names:
            archive.writestr(name, (FIXTURES / name).read_bytes())
    return buffer.getvalue()


@pytest.fixture
def waits(monkeypatch):
    slept = []
    monkeypatch.setattr(http.time, "sleep", slept.append)
    return slept


@pytest.fixture
def store(tmp_path):
    return SnapshotStore(tmp_path / "raw")


@pytest.fixture
def built(tmp_path, monkeypatch):
    """A database built from the small test bundle; imports and refreshes rebuild from that bundle too."""
    bundle = write_bundle(tmp_path / "bundle")
    db = tmp_path / "data" / "labour.sqlite"
    build(db, bundle_dir=bundle, train_model=False)
    rebuild = lambda path, **run: build(path, bundle_dir=bundle, train_model=False, **run)  # noqa: E731
    monkeypatch.setattr(importing, "build", rebuild)
    monkeypatch.setattr(refresh_module, "build", rebuild)
    return db


def unresolvable(host: str, url: str) -> requests.ConnectionError:
    """What requests raises when the host name does not resolve (no network)."""
    lookup = NameResolutionError(host, None, OSError("Name or service not known"))
    return requests.ConnectionError(MaxRetryError(None, url, reason=lookup))


def assert_only_the_bundle_is_loaded(db: Path) -> None:
    """The rebuilt database holds the small test bundle's three rows and nothing fetched."""
    with closing(sqlite3.connect(db)) as conn:
        assert conn.execute("SELECT count(*) FROM observation").fetchone() == (3,)


def assert_refused_and_nothing_kept(source: str, db: Path, path: Path, message: str, content: bytes | None = None) -> None:
    """The import (of `content` written to path, when given) raises InputError (exit 2) matching message; the database
    and the snapshot store are untouched."""
    if content is not None:
        path.write_bytes(content)
    before = db.read_bytes()
    with pytest.raises(InputError, match=message):
        importing.import_files(source, [path], db)
    assert db.read_bytes() == before
    assert SnapshotStore(db.parent / "raw").all() == []


def test_the_job_vacancy_file_gives_the_published_figures_keyed_like_the_bundled_ones():
    parsed = statbel.parse("TF_JOB_VACANCIES.zip", zipped("jvs_opendata.txt"), JVS_URL)
    rows = parsed.observations
    assert list(zip(rows["indicator"], rows["region"], rows["sector_code"], rows["period"], rows["value"],
                    strict=True)) == [
        ("vacancies_open", "", "B-S", "2021-Q3", 196227.0),
        ("vacancy_rate", "", "B-S", "2021-Q3", 4.74),
        ("vacancy_rate", "BE1", "B-S", "2021-Q3", 3.67),
        ("vacancy_rate", "BE2", "B-S", "2021-Q3", 5.43),
        ("vacancy_rate", "BE3", "B-S", "2021-Q3", 3.75),
        ("vacancy_rate", "", "I", "2021-Q2", 10.2),
    ]
    bundled = pd.read_csv(BUNDLED / "statbel-jvs.csv", dtype=str, keep_default_na=False)
    live_keys = set(map(tuple, rows[KEY].values.tolist()))
    assert live_keys <= set(map(tuple, bundled[KEY].values.tolist()))
    assert set(rows["status"]) == {"final"} and list(parsed.datasets["dataset_id"]) == ["statbel-jvs"]


def test_the_wage_file_gives_october_periods_keyed_like_the_bundled_ones():
    rows = statbel.parse("wages.txt", (FIXTURES / "wages_opendata.txt").read_bytes(), WAGES_URL).observations
    assert list(zip(rows["indicator"], rows["region"], rows["period"], rows["value"], strict=True)) == [
        ("monthly_wage_mean", "", "2017-10", 3558.0), ("monthly_wage_median", "", "2017-10", 3140.0),
        ("monthly_wage_mean", "BE1", "2017-10", 4174.0), ("monthly_wage_mean", "BE2", "2017-10", 3499.0),
        ("monthly_wage_mean", "BE3", "2017-10", 3308.0)]
    bundled = pd.read_csv(BUNDLED / "statbel-wages.csv", dtype=str, keep_default_na=False)
    assert set(map(tuple, rows[KEY].values.tolist())) <= set(map(tuple, bundled[KEY].values.tolist()))


def test_the_long_property_value_layout_reads_the_same_figure():
    text = b"CD_YEAR|CD_QUARTER|CD_REGION|CD_NACE|CD_PROPERTY|MS_VALUE\n2021|3|TOTAL|TOTAL|MS_JOB_VACANCY_RATE|4.74\n"
    rows = statbel.parse("long.txt", text, JVS_URL).observations
    assert rows[["indicator", "sector_code", "period", "value"]].values.tolist() == [
        ["vacancy_rate", "B-S", "2021-Q3", 4.74]]


@responses.activate
def test_fetch_stores_each_download_and_says_unchanged_the_second_time(store, waits):
    responses.get(JVS_URL, body=zipped("jvs_opendata.txt"), content_type="application/zip")
    responses.get(WAGES_URL, body=zipped("wages_opendata.txt"), content_type="application/zip")
    first = statbel.fetch(store)
    assert [(o.dataset_id, o.outcome, o.message) for o in first] == [
        ("statbel-jvs", "fetched", "6 rows"), ("statbel-wages", "fetched", "5 rows")]
    assert sorted((s.key, s.format, s.origin) for s in store.all()) == [
        ("statbel-jvs", "statbel-opendata-txt", "live"), ("statbel-wages", "statbel-opendata-txt", "live")]
    assert [o.outcome for o in statbel.fetch(store)] == ["unchanged", "unchanged"]


@responses.activate
def test_a_503_and_a_429_are_retried_then_the_file_is_used(store, waits):
    responses.get(JVS_URL, status=503)
    responses.get(JVS_URL, status=429, headers={"Retry-After": "5"})
    responses.get(JVS_URL, body=zipped("jvs_opendata.txt"))
    responses.get(WAGES_URL, body=zipped("wages_opendata.txt"))
    assert [o.outcome for o in statbel.fetch(store)] == ["fetched", "fetched"]
    assert waits == [http.BACKOFF_SECONDS, 5.0]


@responses.activate
def test_a_timeout_fails_that_dataset_only_and_says_how_to_import_by_hand(store, waits):
    responses.get(JVS_URL, body=requests.ReadTimeout("read timed out"))
    responses.get(WAGES_URL, body=zipped("wages_opendata.txt"))
    jvs, wages = statbel.fetch(store)
    assert jvs.outcome == "failed"
    assert jvs.message == ("Statbel jvs: timed out after 3 attempts (the URL in etl/definitions/statbel_files.toml is "
                           f"unverified); stored data kept; or {statbel.HOW_TO_IMPORT}")
    assert wages.outcome == "fetched" and [s.key for s in store.all()] == ["statbel-wages"]


@responses.activate
def test_a_download_larger_than_the_cap_fails_that_dataset_naming_url_and_cap_and_stores_nothing(store, waits,
                                                                                                   monkeypatch):
    jvs, wages = zipped("jvs_opendata.txt"), zipped("wages_opendata.txt")
    assert len(jvs) > len(wages)
    monkeypatch.delenv(bounded_input.MAX_FILE_ENV, raising=False)
    monkeypatch.setattr(bounded_input, "MAX_FILE_BYTES", len(wages))
    responses.get(JVS_URL, body=jvs, content_type="application/zip")
    responses.get(WAGES_URL, body=wages, content_type="application/zip")
    failed, fetched = statbel.fetch(store)
    assert failed.outcome == "failed"
    assert failed.message == (f"Statbel jvs: {JVS_URL} sent more than the limit of {len(wages):,} bytes per file; "
                              f"set ARBEIDSMARKT_MAX_FILE_MB (MB) to allow more (the URL in "
                              f"etl/definitions/statbel_files.toml is unverified); stored data kept; "
                              f"or {statbel.HOW_TO_IMPORT}")
    assert fetched.outcome == "fetched" and [s.key for s in store.all()] == ["statbel-wages"]
    assert waits == []


@responses.activate
def test_an_html_page_instead_of_the_file_is_a_failure_not_data(store, waits):
    page = "<!DOCTYPE html><html><head><title>Statbel</title></head><body>Onderhoud</body></html>"
    responses.get(JVS_URL, body=page, content_type="text/html; charset=utf-8")
    responses.get(WAGES_URL, body=page, content_type="application/octet-stream")
    outcomes = statbel.fetch(store)
    assert [o.outcome for o in outcomes] == ["failed", "failed"]
    assert outcomes[1].message.startswith("Statbel wages: the server sent an HTML page instead of the data file")
    assert store.all() == []


@responses.activate
def test_a_changed_layout_names_the_header_and_stores_nothing(store, waits):
    responses.get(JVS_URL, body=b"JAAR|KWARTAAL|VACATURES\n2021|3|196227\n")
    responses.get(WAGES_URL, body=zipped("wages_opendata.txt"))
    jvs, _ = statbel.fetch(store)
    assert jvs.message == ("Statbel jvs: answer not in the expected format: TF_JOB_VACANCIES.zip: header "
                           "['JAAR', 'KWARTAAL', 'VACATURES'] is not a Statbel job-vacancy or wage layout "
                           "(see etl/definitions/statbel_files.toml)")
    assert [s.key for s in store.all()] == ["statbel-wages"]


@responses.activate
def test_refresh_without_network_reports_one_failed_line_per_dataset_and_keeps_the_database(built, waits):
    responses.get(JVS_URL, body=unresolvable("statbel.fgov.be", JVS_URL))
    lines = []
    assert refresh_module.refresh(built, ["statbel"], out=lines.append) == 1
    no_network = "statbel.fgov.be does not resolve (no network?); stored data kept"
    assert lines[:2] == [f"statbel   statbel-jvs                  failed: Statbel jvs: {no_network}",
                         f"statbel   statbel-wages                failed: Statbel wages: {no_network}"]
    assert lines[3] == "refresh   2 of 2 dataset(s) failed; their last good data is kept"
    assert len(responses.calls) == 1 and waits == []
    assert_only_the_bundle_is_loaded(built)


def test_an_import_is_recognised_by_its_header_whatever_the_file_is_called(built, tmp_path):
    download = tmp_path / "download (3).bin"
    download.write_bytes(zipped("wages_opendata.txt", "jvs_opendata.txt"))
    wages_only = tmp_path / "vacatures.txt"
    wages_only.write_bytes((FIXTURES / "wages_opendata.txt").read_bytes())
    lines = importing.import_files("statbel", [download, wages_only], built)
    assert lines == [f"statbel statbel-jvs+statbel-wages: stored (statbel-opendata-txt, {download})",
                     f"statbel statbel-wages: stored (statbel-opendata-txt, {wages_only})"]
    with closing(sqlite3.connect(built)) as conn:
        assert conn.execute("SELECT value, status, source_url FROM observation WHERE dataset_id = 'statbel-wages' "
                            "AND region = 'BE1'").fetchall() == [(4174.0, "final", statbel_layout.datasets()
                                                                  ["wages"]["page"])]
        assert conn.execute("SELECT origin FROM dataset WHERE dataset_id = 'statbel-jvs'").fetchone() == ("import",)


@pytest.mark.parametrize(("content", "message"), [
    (b"CD_YEAR|CD_QUARTER|CD_REGION|CD_NACE|MS_JOB_VACANCIES\n2021|Q3|TOTAL|TOTAL|196227\n2021|Q3|BE9|TOTAL|1\n",
     r"bad\.txt line 3: region 'BE9' is not one of TOTAL, BE, BE1, BE2, BE3$"),
    (b"CD_YEAR|CD_QUARTER|CD_REGION|CD_NACE|MS_JOB_VACANCIES\n2021|Q3|TOTAL|TOTAL|196.227,5\n",
     r"bad\.txt line 2 column MS_JOB_VACANCIES: '196.227,5' is not a number$"),
    (b"CD_YEAR|CD_QUARTER|CD_REGION|CD_NACE|MS_JOB_VACANCIES\n2021|Q3|TOTAL\n",
     r"bad\.txt line 2: 3 fields, the header has 5 \(truncated\?\)$"),
    (b"PK\x03\x04 not really a zip", r"bad\.txt: a broken or truncated ZIP"),
    (b"year,quarter,vacancies\n2021,3,196227\n", r"bad\.txt: the first line has no '\|' or ';' separated column"),
])
def test_a_bad_file_is_refused_with_exit_2_naming_it_and_nothing_is_stored(built, tmp_path, content, message):
    assert_refused_and_nothing_kept("statbel", built, tmp_path / "bad.txt", message, content)


def test_the_command_line_exits_2_on_a_file_of_another_kind(built, tmp_path, capsys):
    from etl import cli

    other = tmp_path / "other.txt"
    other.write_bytes(b"NM_BASE_YR|NM_YR|NM_MTH|MS_CPI_IDX\n")
    assert cli.run(["import", "statbel", str(other), "--db", str(built)]) == 2
    assert capsys.readouterr().err == (f"error: {other}: header ['NM_BASE_YR', 'NM_YR', 'NM_MTH', 'MS_CPI_IDX'] is not "
                                       "a Statbel job-vacancy or wage layout (see etl/definitions/statbel_files.toml)\n")


def test_a_parsed_file_describes_its_dataset_in_dutch_and_english():
    dataset = statbel.parse("TF_JOB_VACANCIES.zip", zipped("jvs_opendata.txt"), JVS_URL).datasets.iloc[0]
    assert dataset["licence_nl"] == "Open-datalicentie van Statbel (vrij hergebruik; vermeld bron en publicatiedatum)"
    assert dataset["completeness_nl"] == ("de perioden en indelingen in het open-databestand van Statbel; gebundelde "
                                          "cijfers daarbuiten blijven")
    assert dataset["completeness_en"] == dataset["completeness"]
