"""The dataset catalogue and the indicator vocabulary as the Data & downloads page lists them, from the bundled data."""

import pandas as pd

from dashboard import catalogue


def test_the_catalogue_row_of_85276ned_gives_its_coverage_as_built(db):
    row = catalogue.catalogue("en").set_index("dataset_id").loc["cbs-85276NED"]
    assert (row["row_count"], row["first_period"], row["last_period"], row["period_count"]) == (531, "2023", "2025-Q4", 3)
    assert (row["publisher"], row["table_id"], row["licence"], row["retrieved_at"]) == (
        "CBS", "85276NED", "CC BY 4.0", "2026-03-17")
    assert row["title"] == "Employed labour force; occupation"
    assert row["origin"] == "bundled snapshot"
    assert row["replaced_by"] == ""
    assert row["completeness"].startswith("2023 (all 168 BRC 2014 codes), 2024-Q4 and 2025-Q4 only")


def test_the_dutch_catalogue_has_dutch_titles_and_origin_in_words(db):
    row = catalogue.catalogue("nl").set_index("dataset_id").loc["cbs-85276NED"]
    assert (row["title"], row["origin"]) == ("Werkzame beroepsbevolking; beroep", "meegeleverde momentopname")


def test_the_catalogue_lists_every_dataset_once_with_its_successor(db):
    rows = catalogue.catalogue("en")
    assert len(rows) == 19 and rows["dataset_id"].is_unique
    successors = rows[rows["replaced_by"] != ""].set_index("dataset_id")["replaced_by"].to_dict()
    assert successors == {"cbs-83120NED": "85388NED", "cbs-85517NED": "86355NED"}
    assert rows["row_count"].sum() == db.query("SELECT COUNT(*) AS n FROM observation")["n"].iloc[0]


def test_a_dataset_without_a_retrieval_date_keeps_it_empty(db):
    row = catalogue.catalogue("en").set_index("dataset_id").loc["cbs-80474NED"]
    assert (row["retrieved_at"], row["row_count"], row["period_count"]) == ("", 24, 2)


def test_the_indicator_vocabulary_gives_labels_unit_description_and_rows(db):
    rows = catalogue.indicators().set_index("indicator")
    assert rows.loc["employed_persons"].tolist() == [
        "Werkzame personen", "Employed persons", "persons", "Employed labour force (ILO definition), persons aged 15-74", 633]
    assert rows.loc["tension_ratio", "unit"] == "ratio"
    assert len(rows) == db.query("SELECT COUNT(*) AS n FROM indicator")["n"].iloc[0]


def test_the_dutch_catalogue_says_what_is_missing_in_plain_dutch(db):
    rows = catalogue.catalogue("nl").set_index("dataset_id")
    assert rows.loc["cbs-85388NED", "completeness"] == (
        "Alleen 2023-Q2: totalen en 'niet van beroep veranderd' naar beroepsklasse in de vorige periode.")
    assert (rows.loc["vdab-press", "publisher"], rows.loc["publications-customer-contact", "licence"]) == (
        "VDAB (cijfers uit de pers)", "overgenomen uit publicaties; zie de bron bij elk cijfer")


def test_a_dataset_without_texts_in_the_page_language_keeps_its_english_note():
    rows = pd.DataFrame({"publisher": ["UWV", "CBS"], "publisher_nl": ["UWV (cijfers)", ""], "licence": ["none", "CC"],
                         "licence_nl": ["geen", ""], "completeness": ["partial", "all"], "completeness_nl": ["deels", ""]})
    shown = catalogue.in_language(rows, "nl")
    assert shown[["publisher", "licence", "completeness"]].values.tolist() == [
        ["UWV (cijfers)", "geen", "deels"], ["CBS", "CC", "all"]]
