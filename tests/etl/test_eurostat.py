"""Eurostat: JSON-stat fetched (mocked HTTP) or JSON-stat / SDMX-TSV imported by content, as NL and BE observations."""

import gzip
import json
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
import requests
import responses

from etl import bounded_input, bundle_files, importing
from etl import refresh as refresh_module
from etl.build import build
from etl.parsed import Parsed
from etl.paths import BUNDLE_DIR
from etl.sources import eurostat
from etl.sources.eurostat_cells import EurostatFormatError
from tests.etl import core_fixtures
from tests.etl import test_statbel as shared

# The mocked-network and import fixtures are the Statbel tests' (same pattern, other source).
built, store, waits = shared.built, shared.store, shared.waits
assert_refused_and_nothing_kept, unresolvable = shared.assert_refused_and_nothing_kept, shared.unresolvable
assert_only_the_bundle_is_loaded = shared.assert_only_the_bundle_is_loaded

FIXTURES = Path(__file__).parents[1] / "fixtures" / "eurostat"
BASE = "https://ec.europa.eu/eurostat/api/dissemination/statistics/1.0/data/"
CODES = ("jvs_q_nace2", "lfsa_egai2d", "earn_ses22_28")


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def rows(parsed) -> list[tuple]:
    o = parsed.observations
    return list(zip(o["country"], o["indicator"], o["occupation_code"], o["sector_code"], o["breakdown"], o["period"],
                    o["value"], o["status"], strict=True))


def serve_all():
    for code in CODES:
        responses.get(BASE + code, body=fixture(f"{code}.json"), content_type="application/json")


def test_jsonstat_vacancy_rates_are_read_by_flat_index_with_flags_as_status():
    parsed = eurostat.parse("eurostat-jsonstat", fixture("jvs_q_nace2.json"), "", "jvs_q_nace2.json")
    assert rows(parsed) == [
        ("BE", "vacancy_rate", "", "B-S", "", "2019-Q1", 3.64, "final"),
        ("BE", "vacancy_rate", "", "B-S", "", "2021-Q3", 4.74, "provisional"),
        ("NL", "vacancy_rate", "", "B-S", "", "2019-Q1", 3.3, "final"),
        ("NL", "vacancy_rate", "", "F", "", "2019-Q1", 5.9, "final")]
    assert list(parsed.datasets["dataset_id"]) == ["eurostat-jvs_q_nace2"]


def test_sdmx_tsv_skips_missing_cells_and_keeps_size_classes_in_breakdown():
    parsed = eurostat.parse("eurostat-sdmx-tsv", fixture("jvs_q_nace2.tsv"), "", "jvs_q_nace2.tsv")
    assert rows(parsed) == [
        ("BE", "vacancy_rate", "", "B-S", "size=GE10", "2018-Q4", 3.17, "final"),
        ("BE", "vacancy_rate", "", "B-S", "", "2018-Q4", 3.44, "final"),
        ("BE", "vacancy_rate", "", "B-S", "", "2019-Q1", 3.64, "provisional"),
        ("NL", "vacancy_rate", "", "B-S", "", "2018-Q4", 3.0, "final"),
        ("NL", "vacancy_rate", "", "B-S", "", "2019-Q1", 3.3, "final"),
        ("BE", "vacancy_rate", "", "J", "", "2018-Q4", 6.47, "final")]


def test_employment_in_thousands_is_multiplied_out_and_isco_codes_lose_the_oc_prefix():
    parsed = eurostat.parse("eurostat-jsonstat", fixture("lfsa_egai2d.json"), "", "lfsa_egai2d.json")
    assert rows(parsed) == [("NL", "employed_persons", "41", "", "", "2023", 186000.0, "final"),
                            ("NL", "employed_persons", "42", "", "", "2023", 127000.0, "final")]
    assert set(parsed.observations["occupation_scheme"]) == {"isco08"}


def test_earnings_are_monthly_only_when_the_dataset_label_says_so():
    parsed = eurostat.parse("eurostat-jsonstat", fixture("earn_ses22_28.json"), "", "earn_ses22_28.json")
    assert rows(parsed) == [("BE", "monthly_wage_mean", "", "", "size=GE10", "2017", 3558.0, "final")]
    relabelled = json.loads(fixture("earn_ses22_28.json"))
    relabelled["label"] = "Mean hourly earnings by sex, age and occupation"
    with pytest.raises(EurostatFormatError, match="label 'Mean hourly earnings by sex, age and occupation' does not "
                                                  "say 'monthly'"):
        eurostat.parse("eurostat-jsonstat", json.dumps(relabelled).encode(), "", "earn.json")


def test_the_request_asks_for_belgium_and_the_netherlands_with_the_table_filters():
    assert eurostat.query("lfsa_egai2d") == [("format", "JSON"), ("lang", "EN"), ("geo", "BE"), ("geo", "NL"),
                                             ("unit", "THS_PER"), ("sex", "T"), ("age", "Y15-74")]


@responses.activate
def test_fetch_stores_each_response_and_reports_rows_per_dataset(store, waits):
    serve_all()
    outcomes = eurostat.fetch(store)
    assert [(o.dataset_id, o.outcome, o.message) for o in outcomes] == [
        ("eurostat-jvs_q_nace2", "fetched", "4 rows"), ("eurostat-lfsa_egai2d", "fetched", "2 rows"),
        ("eurostat-earn_ses22_28", "fetched", "1 rows")]
    assert sorted((s.key, s.format, s.origin) for s in store.all()) == [
        ("earn_ses22_28", "eurostat-jsonstat", "live"), ("jvs_q_nace2", "eurostat-jsonstat", "live"),
        ("lfsa_egai2d", "eurostat-jsonstat", "live")]
    assert responses.calls[0].request.url == (BASE + "jvs_q_nace2?format=JSON&lang=EN&geo=BE&geo=NL&indic_em=JVR")
    assert [o.outcome for o in eurostat.fetch(store)] == ["unchanged"] * 3


@responses.activate
def test_a_429_and_a_502_are_retried_before_the_answer_is_used(store, waits):
    responses.get(BASE + "jvs_q_nace2", status=429, headers={"Retry-After": "9"})
    responses.get(BASE + "jvs_q_nace2", status=502)
    serve_all()
    assert [o.outcome for o in eurostat.fetch(store)] == ["fetched"] * 3
    assert waits == [9.0, 4.0]


@responses.activate
def test_timeouts_an_html_page_and_a_changed_layout_each_fail_their_dataset_with_one_line(store, waits):
    responses.get(BASE + "jvs_q_nace2", body=requests.ReadTimeout("read timed out"))
    responses.get(BASE + "lfsa_egai2d", body="<html><head><title>Service unavailable</title></head></html>",
                  content_type="text/html")
    changed = json.loads(fixture("earn_ses22_28.json"))
    changed["id"][3] = "occupation"
    changed["dimension"]["occupation"] = changed["dimension"].pop("isco08")
    responses.get(BASE + "earn_ses22_28", json=changed)
    assert [o.message for o in eurostat.fetch(store)] == [
        "Eurostat jvs_q_nace2: timed out after 3 attempts; stored data kept",
        "Eurostat lfsa_egai2d: the server sent an HTML page instead of JSON ('Service unavailable'); stored data kept",
        "Eurostat earn_ses22_28: answer not in the expected format: Eurostat earn_ses22_28: dimensions ['age', 'freq', "
        "'geo', 'indic_se', 'occupation', 'sex', 'sizeclas', 'time', 'unit'] are not the layout of earn_ses22_28 "
        "(lacks ['isco08'], has unhandled ['occupation']; see etl/definitions/eurostat_tables.toml)"]
    assert store.all() == []


@responses.activate
def test_a_response_larger_than_the_cap_fails_its_table_naming_url_and_cap_and_stores_nothing(store, waits,
                                                                                                monkeypatch):
    serve_all()
    cap = len(fixture("lfsa_egai2d.json"))
    assert len(fixture("jvs_q_nace2.json")) > cap
    monkeypatch.delenv(bounded_input.MAX_FILE_ENV, raising=False)
    monkeypatch.setattr(bounded_input, "MAX_FILE_BYTES", cap)
    jvs, lfsa, _ = eurostat.fetch(store)
    url = BASE + "jvs_q_nace2?format=JSON&lang=EN&geo=BE&geo=NL&indic_em=JVR"
    assert (jvs.outcome, jvs.message) == ("failed", f"Eurostat jvs_q_nace2: {url} sent more than the limit of "
                                                    f"{cap:,} bytes per file; set ARBEIDSMARKT_MAX_FILE_MB (MB) to "
                                                    f"allow more; stored data kept")
    assert lfsa.outcome == "fetched" and "jvs_q_nace2" not in [s.key for s in store.all()]


@responses.activate
def test_an_error_answer_from_eurostat_is_reported_in_its_own_words(store, waits):
    serve_all()
    responses.replace(responses.GET, BASE + "lfsa_egai2d",
                      json={"error": [{"status": 400, "id": 100, "label": "Dimension 'age' has no code 'Y15-74'"}]})
    outcome = eurostat.fetch(store)[1]
    assert outcome.message == ("Eurostat lfsa_egai2d: answer not in the expected format: Eurostat answered with an "
                               "error: Dimension 'age' has no code 'Y15-74'")


@responses.activate
def test_refresh_without_network_reports_one_failed_line_per_dataset_and_keeps_the_database(built, waits):
    responses.get(BASE + "jvs_q_nace2", body=unresolvable("ec.europa.eu", BASE))
    lines = []
    assert refresh_module.refresh(built, ["eurostat"], out=lines.append) == 1
    assert [line.split(None, 2)[1] for line in lines[:3]] == [f"eurostat-{c}" for c in CODES]
    assert lines[0] == ("eurostat  eurostat-jvs_q_nace2         failed: Eurostat jvs_q_nace2: ec.europa.eu does not "
                        "resolve (no network?); stored data kept")
    assert lines[4] == "refresh   3 of 3 dataset(s) failed; their last good data is kept"
    assert len(responses.calls) == 1 and waits == []
    assert_only_the_bundle_is_loaded(built)


def test_files_are_imported_by_content_whatever_their_names_gzip_included(built, tmp_path):
    tsv = tmp_path / "estat_download.txt"
    tsv.write_bytes(gzip.compress(fixture("jvs_q_nace2.tsv")))
    jsonstat = tmp_path / "data.bin"
    jsonstat.write_bytes(fixture("lfsa_egai2d.json"))
    assert importing.import_files("eurostat", [tsv, jsonstat], built) == [
        f"eurostat jvs_q_nace2: stored (eurostat-sdmx-tsv, {tsv})",
        f"eurostat lfsa_egai2d: stored (eurostat-jsonstat, {jsonstat})"]
    with closing(sqlite3.connect(built)) as conn:
        assert conn.execute("SELECT value, source_url FROM observation WHERE dataset_id = 'eurostat-jvs_q_nace2' "
                            "AND country = 'NL' AND period = '2018-Q4'").fetchall() == [
            (3.0, "https://ec.europa.eu/eurostat/databrowser/view/jvs_q_nace2/default/table")]


@pytest.mark.parametrize(("content", "message"), [
    (b"freq,s_adj,nace_r2,sizeclas,indic_em,geo\\TIME_PERIOD\t2019-Q1 \nQ,NSA,B-S,TOTAL,JVR,BE\t3,64 \n",
     r"bad\.tsv: line 2 period 2019-Q1: '3,64' is not a number$"),
    (b"freq,s_adj,nace_r2,sizeclas,indic_em,geo\\TIME_PERIOD\t2019-Q1 \t2019-Q2 \nQ,NSA,B-S,TOTAL,JVR,BE\t3.64 \n",
     r"bad\.tsv: line 2: 6 codes and 1 periods, the header has 6 and 2 \(truncated file\?\)$"),
    (b'{"version": "2.0", "class": "dataset", "id": ["geo"', r"bad\.tsv: not valid JSON, perhaps truncated"),
    (b"geo;period;value\nBE;2019-Q1;3.64\n", r"bad\.tsv: neither Eurostat JSON-stat nor SDMX-TSV"),
    (b"freq,s_adj,nace_r2,sizeclas,indic_em,geo\\TIME_PERIOD\t2019-Q1 \nQ,NSA,B-S,TOTAL,JVR,DE\t3.64 \n",
     r"bad\.tsv: no BE or NL figures for the measures"),
])
def test_a_bad_file_is_refused_with_exit_2_naming_it_and_nothing_is_stored(built, tmp_path, content, message):
    assert_refused_and_nothing_kept("eurostat", built, tmp_path / "bad.tsv", message, content)


def test_earnings_in_sdmx_tsv_are_refused_because_tsv_does_not_say_monthly_or_hourly(built, tmp_path):
    tsv = tmp_path / "earn.tsv"
    tsv.write_bytes(b"freq,indic_se,unit,isco08,sex,age,sizeclas,geo\\TIME_PERIOD\t2017 \n"
                    b"A,ERN,EUR,TOTAL,T,TOTAL,GE10,BE\t3558 \n")
    assert_refused_and_nothing_kept("eurostat", built, tsv, "the dataset label '' does not say 'monthly'")


def test_only_the_vacancy_table_which_the_bundle_also_carries_says_which_rows_stay_bundled():
    vacancies = eurostat.parse("eurostat-jsonstat", fixture("jvs_q_nace2.json"), "", "jvs_q_nace2.json")
    employment = eurostat.parse("eurostat-jsonstat", fixture("lfsa_egai2d.json"), "", "lfsa_egai2d.json")
    assert vacancies.datasets["note"].iloc[0] == (
        "Job vacancy statistics by NACE Rev. 2 activity - quarterly data; updated 2026-09-16T23:00:00+0200. "
        + eurostat.tables()["jvs_q_nace2"]["bundled_rows"])
    assert "reported" not in employment.datasets["note"].iloc[0]


@pytest.fixture
def built_with_bundled_rates(tmp_path, monkeypatch):
    """A database built from the bundled Eurostat rates (as printed) and the small test bundle's codes."""
    bundled = bundle_files.read(BUNDLE_DIR)
    rates = bundled.observations.query("dataset_id == 'eurostat-jvs_q_nace2'")
    bundle = tmp_path / "bundle"
    bundle_files.write(Parsed(observations=rates, datasets=bundled.datasets.query("dataset_id == "
                                                                                   "'eurostat-jvs_q_nace2'"),
                              occupations=core_fixtures.occupations(), sectors=bundled.sectors), bundle)
    db = tmp_path / "data" / "labour.sqlite"
    rebuild = lambda path, **run: build(path, bundle_dir=bundle, train_model=False, **run)  # noqa: E731
    rebuild(db)
    monkeypatch.setattr(importing, "build", rebuild)
    return db


def test_a_live_table_replacing_the_bundled_rates_tells_users_why_the_reference_lines_are_reported(
        built_with_bundled_rates, tmp_path):
    db = built_with_bundled_rates
    with closing(sqlite3.connect(db)) as conn:
        bundled_note = conn.execute("SELECT note FROM dataset WHERE dataset_id = 'eurostat-jvs_q_nace2'").fetchone()[0]
    assert bundled_note.startswith("Job vacancy rate = vacancies / (occupied posts + vacancies)")
    download = tmp_path / "jvs.json"
    download.write_bytes(fixture("jvs_q_nace2.json"))
    importing.import_files("eurostat", [download], db)
    with closing(sqlite3.connect(db)) as conn:
        origin, note = conn.execute("SELECT origin, note FROM dataset "
                                    "WHERE dataset_id = 'eurostat-jvs_q_nace2'").fetchone()
        by_status = conn.execute("SELECT status, group_concat(DISTINCT country) FROM (SELECT status, country FROM "
                                 "observation WHERE dataset_id = 'eurostat-jvs_q_nace2' ORDER BY country) "
                                 "GROUP BY status ORDER BY status").fetchall()
        be_2019_q1 = conn.execute("SELECT value, status FROM observation WHERE dataset_id = 'eurostat-jvs_q_nace2' "
                                  "AND country = 'BE' AND sector_code = 'B-S' AND period = '2019-Q1'").fetchall()
    assert origin == "import"
    assert note.endswith(eurostat.tables()["jvs_q_nace2"]["bundled_rows"])
    assert "the euro-area and EU reference lines (EA, EU27, EU28), which are not fetched" in note
    assert by_status == [("final", "BE,NL"), ("provisional", "BE"), ("reported", "BE,EA,EU27,EU28,NL")]
    assert be_2019_q1 == [(3.64, "final")]


def test_a_parsed_table_describes_its_dataset_in_dutch_and_english():
    dataset = eurostat.parse("eurostat-jsonstat", fixture("jvs_q_nace2.json"), "", "jvs_q_nace2.json").datasets.iloc[0]
    assert dataset["completeness_nl"] == "België en Nederland, de perioden en indelingen die Eurostat teruggaf"
    assert dataset["licence_nl"] == "Hergebruikbeleid van Eurostat (CC BY 4.0); bron: Eurostat"
    assert dataset["completeness_en"] == dataset["completeness"]
