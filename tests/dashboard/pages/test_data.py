"""The Data & downloads page: its views, the download URL its filter builds, the row count, callbacks as plain functions."""

import hashlib
import io

import pandas as pd
from dash import no_update

from dashboard.pages import data
from etl.observation import KEY


def _state(**query):
    return data.state(query)


def test_the_filter_for_dutch_employed_persons_builds_the_download_url_and_counts_632_rows(db):
    filters = data.selection({"country": "NL", "indicator": "employed_persons"})
    assert data.download_href(filters, "en") == "/download/observations.csv?country=NL&indicator=employed_persons&lang=en"
    assert data.matching_rows(filters) == 632
    assert data.count_text(632, "en") == "632 rows match this selection."


def test_the_count_equals_the_rows_of_the_download_it_describes(dash_app, db):
    filters = data.selection({"country": "NL", "indicator": "employed_persons", "period": "2025-Q4"})
    response = dash_app.server.test_client().get(data.download_href(filters, "en"))
    got = pd.read_csv(io.StringIO(response.get_data(as_text=True)), dtype={c: str for c in KEY}, keep_default_na=False)
    assert data.matching_rows(filters) == len(got) == 238
    assert set(got["period"]) == {"2025-Q4"} and set(got["country"]) == {"NL"}


def test_a_dataset_filter_matches_as_many_rows_as_its_catalogue_row_says(db):
    assert data.matching_rows({"dataset_id": "cbs-85276NED"}) == 531
    assert data.matching_rows({}) == 29511


def test_the_link_callback_shows_the_full_address_on_the_server_it_was_opened_from(db):
    link, url, pandas, count, csv, xlsx = data.show_selection(
        "NL", "employed_persons", None, None, None, None, None, "http://monitor.example:8060/data?lang=en&country=NL")
    assert link == csv == "/download/observations.csv?country=NL&indicator=employed_persons&lang=en"
    assert url == "http://monitor.example:8060/download/observations.csv?country=NL&indicator=employed_persons&lang=en"
    assert pandas == ('pd.read_csv("http://monitor.example:8060/download/observations.csv?country=NL&indicator=employed_persons'
                      '&lang=en", dtype={"occupation_code": str, "sector_code": str, "period": str})')
    assert count == "632 rows match this selection."
    assert xlsx == "/download/observations.xlsx?country=NL&indicator=employed_persons&lang=en"


def test_the_link_callback_in_dutch_formats_the_count_the_dutch_way(db):
    *_, count, _, _ = data.show_selection(None, "vacancies_open", None, None, None, None, None, "http://127.0.0.1:8050/data")
    assert count == "7.859 rijen voldoen aan deze selectie."


def test_values_that_are_not_among_the_choices_are_left_out_of_the_url(db):
    assert data.selection({"country": "DE", "indicator": "employed_persons", "period": "2025-Q4'--"}) == {
        "indicator": "employed_persons"}


def test_choosing_filters_puts_them_in_the_url_and_keeps_the_language():
    assert data.choose_filters("NL", "employed_persons", None, None, None, None, None, "?lang=en") == (
        "?country=NL&indicator=employed_persons&lang=en")
    assert data.choose_filters(None, None, None, None, None, None, None, "?country=NL&lang=en") == "?lang=en"


def test_choosing_the_filters_already_in_the_url_changes_nothing():
    assert data.choose_filters("NL", None, None, None, None, None, None, "?lang=en&country=NL") is no_update


def test_a_bad_filter_in_the_url_gives_a_message_and_no_filter(db):
    state = _state(country="DE", colour="red", lang="en")
    assert state.get("country") == ""
    assert state.problems == [
        "'DE' is not a valid value for country (allowed: BE, NL); showing the default.",
        "Unknown parameter 'colour' ignored (known: lang, country, indicator, dataset_id, occupation_scheme, occupation_code, "
        "sector_code, period)."]
    page = str(data.layout(country="DE", colour="red", lang="en"))
    assert "data-problems" in page and "29,511 rows match this selection." in page


def test_the_page_lists_every_dataset_with_its_csv_and_excel_download(db):
    page = str(data.render(_state(lang="en")))
    assert page.count("/download/observations.csv?dataset_id=") == 19
    assert "/download/observations.csv?dataset_id=cbs-85276NED&lang=en" in page
    assert "/download/observations.xlsx?dataset_id=cbs-85276NED&lang=en" in page
    assert "Download Excel of CBS 85276NED" in page
    assert "2023 to 2025-Q4 (3 periods)" in page


def test_the_dutch_and_english_pages_differ_in_text_and_number_format(db):
    dutch = str(data.render(_state(lang="nl")))
    english = str(data.render(_state(lang="en")))
    assert "Data en downloads" in dutch and "Data & downloads" in english
    assert "23.162" in dutch and "23,162" in english
    assert "2023 t/m 2025-Q4 (3 perioden)" in dutch


def test_the_page_offers_the_database_file_with_its_sha256_and_build_date_not_the_server_path(db, db_path):
    page = str(data.render(_state(lang="en")))
    built = db.build_info()["built_at"]
    assert str(db_path) not in page
    assert "href='/download/labour.sqlite'" in page
    assert hashlib.sha256(db_path.read_bytes()).hexdigest() in page and built in page
    assert f"datasette --immutable arbeidsmarkt_labour_{built[:10]}.sqlite" in page


def test_the_occupation_filter_offers_every_occupation_code_in_the_data_with_its_names(db):
    options = dict(data.choices("en")["occupation_code"])
    assert len(options) == 448
    assert options["0334"].startswith("0334 Outbound call-centre and other salespersons (BRC 2014")
    filters = data.selection({"country": "NL", "occupation_code": "0334", "indicator": "employed_persons"})
    assert data.download_href(filters, "en") == (
        "/download/observations.csv?country=NL&indicator=employed_persons&occupation_code=0334&lang=en")


def test_the_catalogue_download_holds_the_rows_the_table_shows(dash_app, db):
    response = dash_app.server.test_client().get("/download/view/data/catalogue.csv?lang=en&country=NL")
    assert response.status_code == 200
    got = pd.read_csv(io.StringIO(response.get_data(as_text=True)), dtype=str, keep_default_na=False).set_index("dataset_id")
    assert got.loc["cbs-85276NED", ["row_count", "first_period", "last_period", "period_count", "origin"]].tolist() == [
        "531", "2023", "2025-Q4", "3", "bundled snapshot"]
    assert len(got) == 19


def test_the_dictionary_and_indicator_downloads_hold_the_tables_the_page_shows(dash_app, db):
    client = dash_app.server.test_client()
    dictionary = pd.read_csv(io.BytesIO(client.get("/download/view/data/dictionary.csv?lang=nl").data), dtype=str)
    assert list(dictionary.columns) == ["table", "column", "meaning"] and len(dictionary) == 250
    assert dictionary.iloc[0].tolist() == [
        "observation", "dataset_id", "Dataset waaruit het cijfer komt, bijv. cbs-85276NED of vdab-knelpuntberoepen; zie dataset"]
    indicators = pd.read_csv(io.BytesIO(client.get("/download/view/data/indicators.csv?lang=en").data), dtype=str)
    assert indicators.set_index("indicator").loc["employed_persons", "row_count"] == "633"


def test_a_table_cell_shows_marked_identifiers_as_code_and_escapes_the_rest_for_markdown():
    assert data.markdown_cell("Sleutel: `built_at`, a_b | *c*") == "Sleutel: `built_at`, a\\_b \\| \\*c\\*"
    assert data.markdown_cell("replaced_by", as_code=True) == "`replaced_by`"
    assert data.markdown_cell("`a|b`") == "`a\\|b`"


def _table_markdown(view: str, lang: str) -> str:
    section = data._table_section(view, lang, (("csv", "/c"), ("xlsx", "/x")))
    return section.children[1].children[1].children


def test_the_dutch_indicator_table_names_units_in_dutch_and_leaves_out_the_english_only_descriptions(db):
    dutch, english = _table_markdown("indicators", "nl"), _table_markdown("indicators", "en")
    assert dutch.splitlines()[0] == "| Id | Naam (Nederlands) | Naam (Engels) | Eenheid | Rijen |"
    assert "| `employed_persons` | Werkzame personen | Employed persons | personen | 633 |" in dutch.splitlines()
    assert english.splitlines()[0] == "| Id | Name (Dutch) | Name (English) | Unit | Description | Rows |"


def test_the_dictionary_shows_table_column_and_marked_values_as_code(db):
    lines = _table_markdown("dictionary", "nl").splitlines()
    assert lines[2] == ("| `observation` | `dataset_id` | Dataset waaruit het cijfer komt, bijv. `cbs-85276NED` of "
                        "`vdab-knelpuntberoepen`; zie dataset |")
