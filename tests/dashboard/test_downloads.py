"""`/download/observations.csv`, the per-view downloads and the database file: validated, named, equal to the data."""

import base64
import gzip
import hashlib
import io
import sqlite3
from contextlib import closing

import pandas as pd
import pytest

from etl.observation import COLUMNS, KEY


def _read(response) -> pd.DataFrame:
    return pd.read_csv(io.StringIO(response.get_data(as_text=True)), dtype={c: str for c in KEY}, keep_default_na=False)


def test_observations_csv_with_filters_returns_exactly_the_matching_database_rows(dash_app, db, db_path):
    response = dash_app.server.test_client().get(
        "/download/observations.csv?country=NL&indicator=employed_persons&occupation_code=0334")
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/csv")
    got = _read(response)
    with closing(sqlite3.connect(db_path)) as conn:
        expected = pd.read_sql_query(
            "SELECT * FROM observation WHERE country = 'NL' AND indicator = 'employed_persons' "
            "AND occupation_code = '0334' ORDER BY " + ", ".join(KEY), conn)
    assert got[COLUMNS[:10]].values.tolist() == expected[COLUMNS[:10]].values.tolist()
    assert got["value"].tolist() == expected["value"].tolist()
    total = (got["period"] == "2025-Q4") & (got["breakdown"] == "")
    assert got.loc[total, ["value", "indicator_label", "occupation_label"]].values.tolist() == [
        [118000, "Employed persons", "Outbound call-centre and other salespersons"]]
    assert set(got["licence"]) == {"CC BY 4.0"}


def test_observations_csv_writes_numbers_as_published_with_a_point_decimal(dash_app, db):
    response = dash_app.server.test_client().get(
        "/download/observations.csv?indicator=hourly_wage_median&occupation_code=0433&period=2024&lang=nl")
    lines = response.get_data(as_text=True).splitlines()
    assert len(lines) == 2
    assert ",20.7,EUR/hour,provisional," in lines[1]
    assert lines[1].endswith(',"Uurloon, mediaan",Receptionisten en telefonisten,,CBS,'
                             "Werknemers; uurloon en beroep,CC BY 4.0")


@pytest.mark.parametrize(("url", "message"), [
    ("/download/observations.csv?colour=red",
     "error: unknown filter 'colour'; filters are named like the columns: dataset_id, indicator, country"),
    ("/download/observations.csv?country=DE", "error: country='DE' is not one of BE, EA, EU27, EU28, NL"),
    ("/download/observations.csv?period=2025Q4", "error: period='2025Q4' is not a period like 2025, 2025-Q4 or 2025-03"),
    ("/download/observations.csv?indicator=salary", "error: indicator='salary' is not in the vocabulary: "),
    ("/download/observations.csv?value=1", "error: cannot filter on 'value'"),
    ("/download/observations.csv?lang=de", "error: lang='de' is not one of nl, en"),
    ("/download/view/sector/all.csv?lang=en&sector=%3Cscript%3E",
     "error: '<script>' is not a valid value for sector (allowed: customer_contact)"),
    ("/download/view/sector/nothing.csv", "error: no downloadable view sector/nothing"),
])
def test_a_bad_download_request_is_answered_with_400_and_one_clear_line(dash_app, db, url, message):
    response = dash_app.server.test_client().get(url)
    assert response.status_code == 400
    assert response.get_data(as_text=True).startswith(message)


@pytest.mark.parametrize(("query", "message"), [
    ("occupation_code=zz", "error: occupation_code='zz' is not in the data; it holds 449 occupation_code values "
                           "(e.g. 01, 011, 0111, 0112, 0113, 0114, 0115, 012), listed on the /data page"),
    ("period=2030", "error: period='2030' is not in the data; periods run from 1997-Q1 to 2026 "
                    "(years like 2025, quarters like 2025-Q4, months like 2025-03)"),
    ("dataset_id=nothing-here", "error: dataset_id='nothing-here' is not in the data; allowed: 'cbs-80472NED', "),
    ("country=NL&sector_code=ZZ", "error: sector_code='ZZ' is not in the data; it holds 58 sector_code values "
                                  "(e.g. 10-12, 24-25, 29-30, 31-33, 45, 46, 47, 47.1), listed on the /data page"),
    ("country=NL&country=XX", "error: country='XX' is not one of BE, EA, EU27, EU28, NL"),
])
def test_a_filter_value_not_in_the_data_is_answered_with_400_and_what_is_allowed(dash_app, db, query, message):
    response = dash_app.server.test_client().get("/download/observations.csv?" + query)
    assert response.status_code == 400
    body = response.get_data(as_text=True)
    assert body.startswith(message) and body.count("\n") == 1


def test_filters_that_are_each_in_the_data_but_match_nothing_together_give_a_header_only_csv(dash_app, db):
    response = dash_app.server.test_client().get("/download/observations.csv?country=BE&occupation_scheme=brc2014")
    assert response.status_code == 200
    assert response.get_data(as_text=True).splitlines() == [",".join(
        COLUMNS + ["indicator_label", "occupation_label", "sector_label", "publisher", "dataset_title", "licence"])]


def test_the_csv_is_named_after_what_it_holds_and_has_one_charset(dash_app, db):
    response = dash_app.server.test_client().get(
        "/download/observations.csv?indicator=employed_persons&occupation_code=0334&country=NL")
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert response.headers["Content-Disposition"] == 'attachment; filename="arbeidsmarkt_NL_employed_persons_0334.csv"'
    assert response.headers["Content-Length"] == str(len(response.data))


def test_the_csv_is_gzipped_for_a_client_that_accepts_it_and_holds_the_same_bytes(dash_app, db):
    client = dash_app.server.test_client()
    url = "/download/observations.csv?country=NL&indicator=employed_persons"
    plain = client.get(url)
    zipped = client.get(url, headers={"Accept-Encoding": "gzip, deflate"})
    assert "Content-Encoding" not in plain.headers
    assert zipped.headers["Content-Encoding"] == "gzip" and zipped.headers["Vary"] == "Accept-Encoding"
    assert gzip.decompress(zipped.data) == plain.data
    assert len(zipped.data) * 5 < len(plain.data)


def test_a_repeated_csv_download_is_sent_from_the_shared_answer_cache_without_querying(dash_app, db, monkeypatch):
    from dashboard import downloads

    client = dash_app.server.test_client()
    url = "/download/observations.csv?country=NL&indicator=employed_persons&occupation_code=0334&lang=nl"
    first = client.get(url)
    monkeypatch.setattr(downloads, "_export_query", lambda *args: pytest.fail("the stored answer was not used"))
    again = client.get(url)
    zipped = client.get(url, headers={"Accept-Encoding": "gzip"})
    assert again.data == first.data and gzip.decompress(zipped.data) == first.data
    assert again.headers["Content-Disposition"] == first.headers["Content-Disposition"]
    assert again.headers["Content-Length"] == str(len(first.data))


def test_a_csv_too_big_to_keep_is_written_afresh_for_each_request_and_still_gzipped(dash_app, db, monkeypatch):
    from dashboard import downloads, response_cache

    monkeypatch.setattr(response_cache, "MAX_RESPONSE_BYTES", 100)
    client = dash_app.server.test_client()
    url = "/download/observations.csv?country=NL&indicator=employed_persons&occupation_code=0334&lang=en&period=2025-Q4"
    plain = client.get(url)
    zipped = client.get(url, headers={"Accept-Encoding": "gzip"})
    assert zipped.headers["Content-Encoding"] == "gzip" and gzip.decompress(zipped.data) == plain.data
    monkeypatch.setattr(downloads, "_export_query", lambda *args: pytest.fail("queried"))
    with pytest.raises(pytest.fail.Exception, match="queried"):
        client.get(url)


def test_an_excel_selection_over_the_row_cap_is_refused_with_the_csv_as_the_way_out(dash_app, db, monkeypatch):
    from dashboard import downloads

    monkeypatch.setattr(downloads, "EXCEL_ROW_CAP", 100)
    response = dash_app.server.test_client().get("/download/observations.xlsx?country=NL&indicator=employed_persons")
    assert response.status_code == 400
    assert response.get_data(as_text=True) == (
        "error: the selection has 632 rows and an Excel download holds at most 100 (so it is ready within the "
        "server's time limit); narrow the filters or use the CSV download, which has no limit\n")


def test_the_database_download_is_the_data_product_file_with_its_sha256(dash_app, db, db_path):
    response = dash_app.server.test_client().get("/download/labour.sqlite")
    expected = db_path.read_bytes()
    assert response.status_code == 200 and response.data == expected
    assert response.headers["Content-Type"] == "application/vnd.sqlite3"
    assert response.headers["Content-Length"] == str(len(expected))
    digest = hashlib.sha256(expected)
    assert response.headers["ETag"] == f'"{digest.hexdigest()}"'
    assert response.headers["Repr-Digest"] == f"sha-256=:{base64.b64encode(digest.digest()).decode()}:"
    built = db.build_info()["built_at"][:10]
    assert response.headers["Content-Disposition"] == f'attachment; filename="arbeidsmarkt_labour_{built}.sqlite"'
    assert db.file_facts().sha256 == digest.hexdigest()


def test_a_view_download_is_named_after_its_page_view_and_state(dash_app, db):
    response = dash_app.server.test_client().get("/download/view/sector/workforce-nl.csv?lang=en&sector=customer_contact")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == (
        'attachment; filename="arbeidsmarkt_sector_workforce-nl_customer_contact.csv"')


def test_observations_xlsx_holds_the_same_rows_as_the_csv(dash_app, db):
    client = dash_app.server.test_client()
    query = "?indicator=vacancies_open&sector_code=N&breakdown="
    from_csv = _read(client.get("/download/observations.csv" + query))
    from_xlsx = pd.read_excel(io.BytesIO(client.get("/download/observations.xlsx" + query).data), dtype={c: str for c in KEY},
                              keep_default_na=False)
    assert len(from_csv) == len(from_xlsx) == 132
    assert from_xlsx["value"].tolist() == from_csv["value"].tolist()


def test_an_excel_request_while_another_is_being_written_waits_then_answers_503(dash_app, db, monkeypatch):
    from dashboard import downloads

    monkeypatch.setattr(downloads, "EXCEL_WAIT_SECONDS", 0.01)
    client = dash_app.server.test_client()
    with downloads._excel_turn:
        busy = client.get("/download/observations.xlsx?country=NL&indicator=tension_ratio")
    assert busy.status_code == 503
    assert busy.get_data(as_text=True) == ("error: the server is preparing other Excel files; try again in a minute, "
                                           "or use the CSV download\n")
    assert client.get("/download/observations.xlsx?country=NL&indicator=tension_ratio").status_code == 200


def test_the_euro_area_reference_line_can_be_downloaded_by_its_country_code(dash_app, db):
    response = dash_app.server.test_client().get("/download/observations.csv?country=EA&indicator=vacancy_rate")
    got = _read(response)
    assert response.status_code == 200 and len(got) > 0
    assert set(got["country"]) == {"EA"} and set(got["dataset_id"]) == {"eurostat-jvs_q_nace2"}
