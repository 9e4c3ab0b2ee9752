"""The sources-and-methods page: its views come from the database and the settings files, its prose in both languages."""

import copy

from dashboard.pages import methods


def _state(**query):
    return methods.state(query)


def test_the_dataset_view_lists_every_table_of_the_database_ordered_by_publisher(db):
    rows = methods.datasets(_state(lang="en"))
    assert len(rows) == 19
    assert list(dict.fromkeys(rows["publisher"]))[:3] == ["CBS", "Eurostat", "Statbel"]
    vacancies = rows.set_index("dataset_id").loc["cbs-80472NED"]
    assert (vacancies["table_id"], vacancies["licence"], vacancies["origin"], vacancies["first_period"]) == (
        "80472NED", "CC BY 4.0", "bundled", "1997-Q1")


def test_the_tension_classes_are_read_from_the_versioned_csv_not_retyped(db):
    rows = methods.tension_classes(_state())
    assert list(zip(rows["label_nl"], rows["lower"], rows["upper"], strict=True)) == [
        ("zeer ruim", "", "0.25"), ("ruim", "0.25", "0.67"), ("gemiddeld", "0.67", "1.5"), ("krap", "1.5", "4.0"),
        ("zeer krap", "4.0", "")]


def test_the_model_thresholds_come_from_model_toml_with_their_meaning(db):
    rows = methods.model_settings(_state(lang="en")).set_index("key")
    assert rows.loc["shortage_at_or_above", "value"] == "2.0"
    assert rows.loc["none_below", "value"] == "1.5"
    assert rows.loc["quantiles", "value"] == "0.25, 0.5, 0.75"
    assert rows.loc["evaluation_start", "value"] == "2010-Q1"
    assert rows.loc["window_quarters", "value"] == "40"
    assert rows.loc["min_filled_for_ratio", "meaning"] == "minimum filled vacancies for the open/filled ratio"
    assert set(rows["model_version"]) == {"2026.11-2"}


def test_the_breaks_name_each_replaced_table_with_its_successor(db):
    page = str(methods.render(_state(lang="en")))
    assert ("CBS 83120NED (Employed labour force; change of occupation class, 2003-2022) is replaced by 85388NED "
            "(Employed labour force; change of occupation class).") in page
    assert ("CBS 85517NED (Employees; hourly wages by occupation) is replaced by 86355NED "
            "(Employees; hourly wages by occupation (BRC 2014 edition 2025)).") in page


def test_the_dutch_page_shows_the_customer_contact_caveat_from_the_sector_definition(db):
    page = str(methods.render(_state(lang="nl")))
    assert ("Klantcontact (Nederland): BRC 0334 omvat ook andere verkopers en 0433 ook receptionisten en "
            "telefonisten: beide groepen zijn breder dan klantcontact.") in page
    assert "vervangen door 85388NED" in page


def test_an_unknown_parameter_gives_a_message_not_an_error(db):
    state = _state(lang="en", sector="N")
    assert state.problems == ["Unknown parameter 'sector' ignored (known: lang)."]
    assert "methods-problems" in str(methods.layout(lang="en", sector="N"))


def test_the_thresholds_are_told_in_sentences_whose_values_come_from_the_model_settings(db):
    sentences = dict(zip(methods.MODEL_SETTINGS, methods.threshold_sentences("nl"), strict=True))
    english = dict(zip(methods.MODEL_SETTINGS, methods.threshold_sentences("en"), strict=True))
    assert sentences[("score", "shortage_at_or_above")] == "Een gemiddelde score van 2,0 of meer betekent: tekort."
    assert sentences[("tension", "min_filled_for_ratio")] == (
        "De verhouding openstaand/vervuld wordt alleen berekend als er minstens 5.000 vacatures vervuld zijn.")
    assert english[("backtest", "evaluation_start")] == (
        "The backtest judges only forecasts made from 2010-Q1 to the latest published quarter.")


def test_a_changed_setting_changes_its_sentence(monkeypatch):
    changed = copy.deepcopy(methods.settings.load())
    changed["score"]["shortage_at_or_above"] = 2.25
    monkeypatch.setattr(methods.settings, "load", lambda: changed)
    assert methods.threshold_sentences("en")[1] == "A mean score of 2.25 or more means: shortage."


def test_every_indicator_of_the_model_has_a_name_and_a_description_in_both_languages(db):
    page = str(methods.render(_state(lang="nl")))
    for row in methods.model_indicators(_state()).itertuples():
        for lang in ("nl", "en"):
            methods.text(f"outlook.indicator.{row.name}", lang)
            methods.text(f"methods.indicator_about.{row.family}.{row.name}", lang)
    assert "open_filled_ratio" not in page and "model.toml" not in page
    assert "Verhouding openstaand/vervuld" in page


def test_the_dutch_sources_list_gives_publisher_licence_and_what_is_missing_in_dutch(db):
    page = str(methods.render(_state(lang="nl")))
    assert "VDAB (cijfers uit de pers)" in page
    assert "cijfers zoals UWV ze publiceerde en de pers ze overnam; de bronnen noemen geen licentie" in page
    assert "Alleen 2023-Q2: totalen en 'niet van beroep veranderd' naar beroepsklasse in de vorige periode." in page
    assert "figures quoted in the press" not in page and "shortage_listed" not in page
