"""The shortage outlook's views, layout and callbacks, called as plain functions on the bundled data and its model."""

import shutil
import sqlite3
from contextlib import closing
from urllib.parse import urlencode

from dashboard import database, model_outputs
from dashboard.pages import outlook
from tests.dashboard.clientside import NO_UPDATE, run


def _state(**query):
    return outlook.state(query)


def _cells(page, view: str) -> list[list[str]]:
    """One view's table as text: the header row, then one list of cell texts per row."""
    table = page[f"outlook-{view}-table"].children
    header = [th.children for th in table.children[1].children.children]
    return [header] + [[td.children for td in tr.children] for tr in table.children[2].children]


def test_the_default_target_gives_each_section_its_probability_of_tight_from_the_method_shown(db):
    rows = outlook.latest(_state(lang="en"))
    shown = model_outputs.shown().set_index(["target", "horizon"]).loc[("nl_sector_tension_class", 1), "shown"]
    stored = model_outputs.tension_outlook().set_index("code")
    column = "prob_tight" if shown == "ridge_ets" else "markov_tight"
    assert len(rows) == len(stored) == 19  # the NACE sections (the all-sectors total has no section code)
    assert rows["probability"].dropna().is_monotonic_decreasing
    assert rows.set_index("code")["probability"].dropna().to_dict() == stored[column].dropna().to_dict()
    assert set(rows["period"]) == {"2023-Q4"} and set(rows["origin_period"]) == {"2023-Q3"}


def test_a_horizon_is_drawn_as_the_model_only_where_its_skill_interval_lies_above_zero(db):
    rows = outlook.forecast(_state(lang="en", sector="N"))
    drawn = rows[rows["status"].isin(["forecast", "backtest"])]
    shown = model_outputs.shown().set_index(["target", "horizon"])
    for (indicator, horizon), part in drawn.groupby(["indicator", "horizon"]):
        choice = shown.loc[(f"nl_sector_{indicator}", horizon)]
        assert set(part["shown"]) == {choice["shown"]}
        assert (choice["shown"] == "ridge_ets") == (choice["skill_ci_low"] > 0)
    assert (drawn["low_80"] <= drawn["value"]).all() and (drawn["value"] <= drawn["high_80"]).all()


def test_the_backtest_is_drawn_against_what_was_observed_and_the_forecast_has_no_observation(db):
    rows = outlook.forecast(_state(lang="en", sector="N"))
    backtest = rows[(rows["status"] == "backtest") & (rows["indicator"] == "vacancies_open")]
    ahead = rows[(rows["status"] == "forecast") & (rows["indicator"] == "vacancies_open")]
    assert backtest["period"].tolist() == ["2022-Q4", "2023-Q1", "2023-Q2", "2023-Q3"]
    assert set(backtest["origin_period"]) == {"2022-Q3"}
    assert backtest.set_index("period").loc["2023-Q3", "observed"] == 29500
    assert ahead["period"].tolist() == ["2023-Q4", "2024-Q1", "2024-Q2", "2024-Q3"]
    assert ahead["observed"].isna().all()


def test_the_page_says_in_words_where_the_model_adds_nothing(db):
    page = outlook.render(_state(lang="en"))
    readings = [li.children for li in page["outlook-headline"].children]
    choices = model_outputs.shown()
    at_one = choices[choices["horizon"] == 1]
    assert len(readings) == len(at_one) == 3
    for reading, choice in zip(readings, at_one.itertuples(index=False), strict=True):
        assert ("the model beats the best simple method" in reading) == (choice.shown == "ridge_ets")
        assert ("the model adds nothing here" in reading) == (choice.shown != "ridge_ets")


def test_the_page_names_no_file_command_or_table(db):
    for lang in ("nl", "en"):
        page = str(outlook.render(_state(lang=lang)))
        for word in ("model.toml", "python -m", "--no-model", "model_forecast", "model_scorecard", "80472NED ("):
            assert word not in page, word


def test_the_scorecard_table_holds_horizon_one_with_paired_intervals_in_each_language(db):
    dutch, english = (outlook.render(_state(lang=lang)) for lang in ("nl", "en"))
    cells = _cells(english, "scorecard")
    assert cells[0] == ["Target", "Metric", "Baseline", "Model value", "Baseline value", "Difference, 95% interval low",
                        "Difference, 95% interval high", "n"]
    ets = next(r for r in cells if r[0] == "Open vacancies per sector (NL)" and r[2] == "exponential smoothing with season"
               and r[1].startswith("MASE"))
    assert ets[7] == "1,026"
    assert _cells(dutch, "scorecard")[0][0] == "Doel"


def test_the_reliability_table_lists_the_model_and_markov_per_probability_band(db):
    rows = outlook.reliability(_state(lang="en"))
    assert set(rows["model"]) == {"ridge_ets", "markov"}
    assert rows.groupby("model")["n"].sum().to_dict() == {"ridge_ets": 575, "markov": 575}
    assert ((rows["observed_rate"] >= 0) & (rows["observed_rate"] <= 1)).all()


def test_the_unevaluated_targets_show_the_reason_and_the_occupation_level_says_what_the_data_support(db):
    rows = outlook.unevaluated(_state(lang="en")).set_index("target")
    assert set(rows.index) == {"uwv_very_tight", "vdab_shortage_list"}
    assert rows.loc["vdab_shortage_list", "labelled_periods"] == "2026"
    page = str(outlook.render(_state(lang="nl")))
    assert "ondersteunen de gegevens nu alleen de beschrijvende rangschikking" in page
    assert "Uit de literatuur, niet hier gemeten" in page


def test_the_page_renders_every_panel_and_a_bad_target_gives_a_message(db):
    page = str(outlook.layout(lang="en", target="nope"))
    for panel_id in ("outlook-latest", "outlook-indicators", "outlook-forecast", "outlook-scorecard", "outlook-unevaluated"):
        assert panel_id in page
    state = _state(lang="en", target="nope")
    assert state.get("target") == "nl_sector_tension_class"
    assert state.problems == ["'nope' is not a valid value for target (allowed: nl_sector_tension_class, "
                              "score_occupation, score_sector); showing the default."]


def test_choosing_a_target_or_sector_puts_it_in_the_url(db):
    targets = [{"label": t, "value": t} for t in outlook.target_choices()]
    assert run(outlook.CHOOSE_TARGET, "score_sector", targets, "?lang=en") == "?lang=en&target=score_sector"
    assert run(outlook.CHOOSE_TARGET, "nl_sector_tension_class", targets, "?lang=en") == NO_UPDATE
    assert run(outlook.CHOOSE_SECTOR, "F", "?lang=en&target=score_sector") == "?lang=en&sector=F&target=score_sector"


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


def test_the_occupation_scores_are_listed_shortage_first_with_their_top_indicators(db):
    cells = _cells(outlook.render(_state(lang="en", target="score_occupation")), "latest")
    first = dict(zip(cells[0], cells[1], strict=True))
    assert (first["Score class"], first["Mean score"]) == ("shortage", "3.00")
    assert first["Highest-scoring indicators (score)"] == "Employment growth (%): 3; Hourly wage growth (%): 3"


def test_the_latest_download_holds_the_columns_the_table_shows_with_codes_beside_their_labels(db):
    scores = outlook.latest(_state(lang="nl", target="score_sector"))
    assert list(scores.columns) == ["target", "scheme", "code", "entity", "score_period", "score_class",
                                    "score_class_label", "mean_score", "n_scored", "top_indicators"]
    first = scores.iloc[0]
    assert (first["code"], first["score_class"], first["score_class_label"]) == ("45", "shortage", "tekort")
    tension = outlook.latest(_state(lang="en"))
    assert list(tension.columns) == ["target", "scheme", "code", "entity", "origin_period", "period", "probability",
                                     "shown", "shown_label", "current_class", "current_class_label", "score_class",
                                     "score_class_label", "mean_score", "n_scored"]
    without = tension[tension["probability"].isna()]
    assert len(without) == 7 and set(without["shown_label"]) == {""}


def test_the_indicator_view_shows_the_values_and_scores_behind_the_chosen_sector_in_the_page_language(db):
    state = _state(lang="nl", target="score_sector", entity="nace2:F")
    rows = outlook.indicators(state)
    assert rows["indicator"].tolist() == ["hourly_wage_growth", "jobs_growth", "open_filled_ratio",
                                          "open_vacancies_yoy", "vacancies_per_1000_jobs"]
    assert rows["score"].tolist() == [2, 1, 3, 2, 3]
    cells = _cells(outlook.render(state), "indicators")
    assert cells[0] == ["Indicator", "Waarde", "Waarde uit", "Score (0–3)"]
    assert cells[3] == ["Verhouding openstaand/vervuld", "2,05", "2023-Q3", "3"]
    assert cells[5] == ["Vacatures per 1.000 banen", "75,57", "2023-Q3", "3"]


def test_without_a_chosen_entity_the_indicator_view_shows_the_first_row_of_the_latest_table(db):
    rows = outlook.indicators(_state(lang="en", target="score_occupation"))
    assert set(rows["code"]) == {"0112"}
    assert rows[["indicator", "value_period", "score"]].values.tolist() == [
        ["employment_growth", "2025-Q4", 3], ["hourly_wage_growth", "2024", 3]]
    assert _state(lang="en", entity="nope:1").get("entity") == ""


def _entity_options(lang: str) -> list[dict]:
    rows = outlook._latest(_state(lang=lang).get("target"), lang)
    return [{"label": e, "value": outlook.entity_key(s, c)}
            for s, c, e in zip(rows["scheme"], rows["code"], rows["entity"], strict=True)]


def test_choosing_an_entity_puts_it_in_the_url(db):
    assert run(outlook.CHOOSE_ENTITY, "nace2:F", _entity_options("en"), "?lang=en") == "?entity=nace2%3AF&lang=en"


def test_the_entity_a_url_without_one_shows_is_not_written_into_the_url(db):
    first = outlook.entity_key(*outlook.chosen_entity(_state(lang="en")))
    options = _entity_options("en")
    assert first != "nace2:F" and options[0]["value"] == first
    assert run(outlook.CHOOSE_ENTITY, first, options, "?lang=en") == NO_UPDATE
    assert run(outlook.CHOOSE_ENTITY, first, options, "?entity=nace2%3AF&lang=en") == (
        "?" + urlencode({"entity": first, "lang": "en"}))


def test_the_interval_bands_lie_beneath_every_line_and_carry_no_markers(db):
    rows = outlook.forecast(_state(lang="en", sector="N"))
    figure = outlook._forecast_figure(rows, "vacancies_open", "en")
    filled = [trace.fill == "toself" for trace in figure.data]
    assert filled == [True, True, False, False, False]
    assert {trace.mode for trace in figure.data if trace.fill == "toself"} == {"lines"}
    legend = sorted(figure.data, key=lambda trace: trace.legendrank)
    assert [trace.name for trace in legend] == ["Observed", "Backtest from 2022-Q3: 80% interval",
                                                "Backtest from 2022-Q3", "Forecast from 2023-Q3: 80% interval",
                                                "Forecast from 2023-Q3"]
