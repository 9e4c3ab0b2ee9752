"""The shortage outlook's views, layout and callbacks, called as plain functions on the bundled data and its model."""

import shutil
import sqlite3
from contextlib import closing

import pytest
from dash import no_update

from dashboard import database, model_outputs
from dashboard.pages import outlook


def _state(**query):
    return outlook.state(query)


def test_the_default_target_is_the_tight_next_quarter_classifier_with_its_probabilities_per_sector(db):
    rows = outlook.latest(_state(lang="en"))
    assert len(rows) == 36
    first = rows.iloc[0]
    assert (first["code"], first["entity"], first["origin_period"], first["period"]) == (
        "81", "81 Services to buildings and landscape activities", "2023-Q3", "2023-Q4")
    assert first["probability"] == pytest.approx(0.92517524325175, abs=1e-12)
    assert first["predicted_class"] == "tight"
    assert first["top_indicators"] == ("ratio against own tight threshold +0.76; ratio against own slack threshold "
                                       "+0.67; tight now +0.33")


def test_each_probability_row_carries_the_indicator_values_and_scores_behind_it(db):
    rows = outlook.latest(_state(lang="en")).set_index("code")
    n = rows.loc["N"]
    assert n["probability"] == pytest.approx(0.75075042283526, abs=1e-12)
    assert (n["score_period"], n["score_class"], n["mean_score"], n["n_scored"]) == ("2023-Q3", "watch", 1.8, 5)
    assert n["open_filled_ratio_value"] == pytest.approx(29500 / 29000)
    assert n["open_filled_ratio_score"] == 1.0
    assert n["vacancies_per_1000_jobs_value"] == pytest.approx(27.882797731569, abs=1e-9)
    assert n["vacancies_per_1000_jobs_score"] == 0.0
    assert n["jobs_growth_score"] == 3.0


def test_the_occupation_score_lists_shortage_groups_first_with_their_top_indicators_in_words(db):
    rows = outlook.latest(_state(lang="en", target="score_occupation"))
    assert len(rows) == 123
    first = rows.iloc[0]
    assert (first["code"], first["score_class"], first["mean_score"]) == ("0112", "shortage", 3.0)
    assert first["top_indicators"] == "Employment growth (%) 3; Hourly wage growth (%) 3"
    assert first["employment_growth_value"] == pytest.approx(26.470588, abs=1e-6)
    assert set(rows["score_period"]) == {"2025"}
    assert rows["probability"].isna().all()


def test_the_forecast_view_of_section_n_puts_forty_observed_quarters_next_to_four_forecast_quarters(db):
    rows = outlook.forecast(_state(lang="en"))
    open_ = rows[rows["indicator"] == "vacancies_open"]
    observed = open_[open_["status"] != "forecast"].set_index("period")
    ahead = open_[open_["status"] == "forecast"]
    assert len(observed) == 40
    assert (observed.index[0], observed.loc["2013-Q4", "value"]) == ("2013-Q4", 6200)
    assert observed.loc["2023-Q3", "value"] == 29500
    assert list(ahead["period"]) == ["2023-Q4", "2024-Q1", "2024-Q2", "2024-Q3"]
    assert list(ahead["horizon"]) == [1, 2, 3, 4]
    assert ahead["value"].iloc[0] == pytest.approx(27610.1953734934, abs=1e-6)
    assert set(ahead["series"]) == {"Forecast from 2023-Q3"}
    assert set(ahead["persistence"]) == {29500.0}


def test_the_observed_open_filled_ratio_is_open_over_filled_from_80472ned(db):
    rows = outlook.forecast(_state(lang="en"))
    ratio = rows[(rows["indicator"] == "open_filled_ratio") & (rows["status"] != "forecast")].set_index("period")
    assert ratio.loc["2023-Q3", "value"] == 29500 / 29000
    assert ratio.loc["2013-Q4", "value"] == 6200 / 11000
    assert set(ratio["dataset_id"]) == {"cbs-80472NED"}


def test_the_scorecard_says_in_plain_words_whether_the_model_beats_persistence(db):
    rows = outlook.scorecard(_state(lang="en"))
    assert len(rows) == 69
    key = rows.set_index(["target", "horizon", "metric", "baseline"])
    change = key.loc[("nl_sector_tension_class", 1, "change_f1", "persistence")]
    assert (change["value"], change["baseline_value"], change["n"], change["n_periods"], change["periods"]) == (
        pytest.approx(0.460063897763578), 0.0, 575, 54, "2010-Q2..2023-Q3")
    assert change["reading"] == ("h=1: Tension class per sector (NL): beats persistence on change-F1: yes "
                                 "(0.460 against 0.000; baseline outside the 95% interval).")
    brier = key.loc[("nl_sector_tight_next_quarter", 1, "brier", "persistence")]
    assert brier["beats"] == "no"


def test_the_dutch_reading_uses_dutch_words_and_a_decimal_comma(db):
    rows = outlook.scorecard(_state(lang="nl")).set_index(["target", "horizon", "metric", "baseline"])
    assert rows.loc[("nl_sector_tension_class", 1, "change_f1", "persistence"), "reading"] == (
        "h=1: Spanningsklasse per sector (NL): beter dan persistentie op F1 op verandering: ja "
        "(0,460 tegen 0,000; basislijn buiten het 95%-interval).")


def test_the_unevaluated_targets_show_the_reason_the_model_stored(db):
    rows = outlook.unevaluated(_state(lang="en")).set_index("target")
    assert sorted(rows.index) == ["uwv_very_tight", "vdab_shortage_list"]
    assert rows.loc["vdab_shortage_list", "reason"].startswith(
        "complete labels for 1 period(s) (2026); at least 3 consecutive are needed")
    assert rows.loc["vdab_shortage_list", "labelled_periods"] == "2026"


def test_the_page_renders_every_panel_and_a_bad_target_gives_a_message(db):
    page = str(outlook.layout(lang="en", target="nope"))
    for panel_id in ("outlook-latest", "outlook-forecast", "outlook-scorecard", "outlook-unevaluated"):
        assert panel_id in page
    state = _state(lang="en", target="nope")
    assert state.get("target") == "nl_sector_tight_next_quarter"
    assert state.problems == ["'nope' is not a valid value for target (allowed: nl_sector_tight_next_quarter, "
                              "score_occupation, score_sector); showing the default."]


def test_choosing_a_target_or_sector_puts_it_in_the_url(db):
    assert outlook.choose_target("score_sector", "?lang=en") == "?lang=en&target=score_sector"
    assert outlook.choose_target("nl_sector_tight_next_quarter", "?lang=en") is no_update
    assert outlook.choose_sector("F", "?lang=en&target=score_sector") == "?lang=en&sector=F&target=score_sector"


def test_without_model_tables_the_page_says_what_it_will_show_and_why_it_is_empty(db_path, tmp_path):
    bare = tmp_path / "no-model.sqlite"
    shutil.copyfile(db_path, bare)
    with closing(sqlite3.connect(bare)) as conn, conn:
        for table in model_outputs.MODEL_TABLES:
            conn.execute(f"DROP TABLE {table}")
    database.use(bare)
    try:
        state = _state(lang="en")
        assert all(view(state).empty for view in outlook.VIEWS.values())
        page = str(outlook.render(state))
        assert "This database holds no outputs of the shortage model" in page
        assert "outlook-latest" not in page
    finally:
        database.use(db_path)


def test_a_sector_without_a_ratio_forecast_says_so_instead_of_drawing_one(db):
    state = _state(lang="en", sector="10-12")
    rows = outlook.forecast(state)
    assert set(rows.loc[rows["status"] == "forecast", "indicator"]) == {"vacancies_open"}
    assert "The model stored no forecast for this series; nothing is filled in." in str(outlook.render(state))


def _cells(page, view: str) -> list[list[str]]:
    """One view's table as text: the header row, then one list of cell texts per row."""
    table = page[f"outlook-{view}-table"].children
    header = [th.children for th in table.children[1].children.children]
    return [header] + [[td.children for td in tr.children] for tr in table.children[2].children]


def test_the_latest_table_is_a_captioned_table_in_a_named_scroll_region_with_dutch_numbers_right_aligned(db):
    page = outlook.render(_state(lang="nl"))
    region = page["outlook-latest-table"]
    assert (region.role, region.tabIndex, getattr(region, "aria-labelledby")) == ("region", "0", "outlook-latest-caption")
    assert page["outlook-latest-caption"].children == "Laatste scores en kansen — Sector krap volgend kwartaal (NL)"
    head = region.children.children[1].children.children
    assert {th.scope for th in head} == {"col"}
    assert [getattr(th, "className", "") for th in head[:5]] == ["text entity", "", "", "number", ""]
    cells = _cells(page, "latest")
    assert len(cells) == 1 + 36
    assert cells[0][:7] == ["Sector of beroep", "Vanaf", "Voor", "Kans", "Voorspeld", "Nu", "Belangrijkste indicatoren"]
    assert cells[0][13:15] == ["Groei banen (%): waarde", "Groei banen (%): score"]
    assert cells[2] == ["F Bouwnijverheid", "2023-Q3", "2023-Q4", "0,86", "krap", "krap",
                        "verhouding t.o.v. eigen krap-grens +0,62; verhouding t.o.v. eigen ruim-grens +0,61; nu krap +0,33",
                        "2023-Q3", "tekort", "2,20", "5", "3,67", "2", "2,62", "1", "2,05", "3", "-1,48", "2", "75,57", "3"]


def test_the_occupation_scores_are_all_listed_shortage_first_without_pages(db):
    cells = _cells(outlook.render(_state(lang="en", target="score_occupation")), "latest")
    assert len(cells) == 1 + 123
    first = dict(zip(cells[0], cells[1], strict=True))
    assert (first["Score period"], first["Score class"], first["Mean score"]) == ("2025", "shortage", "3.00")
    assert first["Top indicators"] == "Employment growth (%) 3; Hourly wage growth (%) 3"


def test_the_forecast_and_scorecard_tables_format_each_number_the_dutch_or_english_way(db):
    dutch, english = (outlook.render(_state(lang=lang)) for lang in ("nl", "en"))
    assert ["Waargenomen", "2023-Q3", "Openstaande vacatures", "29.500", "", "", "", "definitief"] in _cells(dutch, "forecast")
    assert ["Observed", "2023-Q3", "Open vacancies", "29,500", "", "", "", "final"] in _cells(english, "forecast")
    assert ["Forecast from 2023-Q3", "2023-Q4", "Open vacancies", "27,610.2", "1", "29,500", "28,600", "forecast"] in _cells(
        english, "forecast")
    scorecard = _cells(english, "scorecard")
    assert scorecard[0] == ["Target", "Horizon (quarters)", "Metric", "Baseline", "Model value", "Baseline value",
                            "95% interval low", "95% interval high", "n", "Quarters", "Periods", "Beats?"]
    change = next(row for row in scorecard if row[:4] == ["Tension class per sector (NL)", "1", "change-F1", "persistence"])
    assert change[4:6] + change[8:] == ["0.460", "0.000", "575", "54", "2010-Q2..2023-Q3", "yes"]
