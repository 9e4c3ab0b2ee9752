"""`/download/observations.csv` and the per-view downloads: filtered, validated, equal to the database rows."""

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
    ("/download/observations.csv?country=DE", "error: country='DE' is not one of BE, NL"),
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


def test_a_filter_matching_nothing_gives_a_header_only_csv(dash_app, db):
    response = dash_app.server.test_client().get("/download/observations.csv?dataset_id=nothing-here")
    assert response.status_code == 200
    assert response.get_data(as_text=True).splitlines() == [",".join(
        COLUMNS + ["indicator_label", "occupation_label", "sector_label", "publisher", "dataset_title", "licence"])]


def test_observations_xlsx_holds_the_same_rows_as_the_csv(dash_app, db):
    client = dash_app.server.test_client()
    query = "?indicator=vacancies_open&sector_code=N&breakdown="
    from_csv = _read(client.get("/download/observations.csv" + query))
    from_xlsx = pd.read_excel(io.BytesIO(client.get("/download/observations.xlsx" + query).data), dtype={c: str for c in KEY},
                              keep_default_na=False)
    assert len(from_csv) == len(from_xlsx) == 132
    assert from_xlsx["value"].tolist() == from_csv["value"].tolist()
