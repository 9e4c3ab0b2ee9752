"""train_and_store on the bundled snapshot: reproducible outputs, an honest scorecard, and training only when needed."""

import functools
import json
import shutil
import sqlite3
from contextlib import closing
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from etl import cli
from etl.build import build
from etl.model import pipeline, settings, store
from tests.etl.core_fixtures import write_bundle

MODEL_TABLES = list(store.TABLES)


def table(db, name) -> pd.DataFrame:
    with closing(sqlite3.connect(db)) as conn:
        return pd.read_sql_query(f"SELECT * FROM {name}", conn)


@pytest.fixture(scope="module")
def trained(bundled_db, tmp_path_factory):
    db = tmp_path_factory.mktemp("trained") / "labour.sqlite"
    shutil.copyfile(bundled_db, db)
    with closing(sqlite3.connect(db)) as conn:
        summary = pipeline.train_and_store(conn)
    return db, summary


@pytest.fixture(scope="module")
def card(trained) -> pd.DataFrame:
    return table(trained[0], "model_scorecard")


def test_two_runs_store_the_same_outputs_within_floating_point_tolerance(trained, tmp_path):
    db, _ = trained
    again = tmp_path / "again.sqlite"
    shutil.copyfile(db, again)
    with closing(sqlite3.connect(again)) as conn:
        pipeline.train_and_store(conn)
    for name in MODEL_TABLES:
        first, second = table(db, name), table(again, name)
        assert first.shape == second.shape, name
        numbers = first.select_dtypes("number").columns
        pd.testing.assert_frame_equal(first.drop(columns=numbers), second.drop(columns=numbers), obj=name)
        np.testing.assert_allclose(first[numbers].to_numpy(float), second[numbers].to_numpy(float), rtol=1e-9,
                                   equal_nan=True, err_msg=name)


def test_every_target_at_horizon_one_is_scored_against_the_strongest_simple_baselines(card):
    one = card[card["horizon"] == 1]
    pairs = set(zip(one["target"], one["metric"], one["baseline"], strict=True))
    for target in ("nl_sector_vacancies_open", "nl_sector_open_filled_ratio"):
        assert {(target, "mase", b) for b in ("persistence", "seasonal_naive", "sa_naive", "ets")} <= pairs
        assert (target, "coverage_80", "nominal") in pairs
    assert {("nl_sector_tension_class", m, "markov") for m in ("brier", "rps", "change_f1")} <= pairs
    evaluated = card[card["value"].notna()]
    assert (evaluated["diff_ci_low"] <= evaluated["diff_ci_high"]).all()
    assert set(evaluated.loc[evaluated["horizon"] == 1, "periods"]) == {"2010-Q2..2023-Q3"}
    assert set(card.loc[card["metric"] == "coverage_80", "baseline_value"]) == {0.8}


def test_the_model_is_shown_only_where_its_skill_interval_is_above_zero(trained):
    shown = table(trained[0], "model_shown")
    assert len(shown) == 12
    beats = shown["skill_ci_low"] > 0
    assert ((shown["shown"] == "ridge_ets") == beats).all()
    assert (shown.loc[~beats, "shown"] == shown.loc[~beats, "best_baseline"]).all()


def test_the_80_percent_intervals_cover_between_72_and_88_percent_at_every_horizon_shown(trained, card):
    shown = table(trained[0], "model_shown")
    coverage = card[card["metric"] == "coverage_80"].set_index(["target", "horizon", "model"])["value"]
    for row in shown[shown["target"] != "nl_sector_tension_class"].itertuples():
        assert 0.72 <= coverage.loc[(row.target, row.horizon, row.shown)] <= 0.88, row


def test_settings_are_chosen_on_validation_forecasts_whose_targets_precede_the_evaluation_window(trained):
    chosen = table(trained[0], "model_setting").set_index("key")
    config = settings.load()["forecast"]
    for target in ("nl_sector_vacancies_open", "nl_sector_open_filled_ratio"):
        alpha = float(chosen.loc[f"{target}.ridge_alpha", "value"])
        grid = config["ridge_alpha_candidates"]
        assert alpha in grid and min(grid) < alpha < max(grid)  # the grid is wide enough: the choice is not at an edge
        assert "origins 2005-Q1.., targets up to 2009-Q4" in chosen.loc[f"{target}.ridge_alpha", "note"]
        for horizon in config["horizons"]:
            assert float(chosen.loc[f"{target}.ridge_weight.h{horizon}", "value"]) in config["ridge_weight_candidates"]


def test_the_stored_mase_is_the_error_over_the_mean_seasonal_difference_up_to_the_origin(trained, card, panel):
    """Recompute the persistence MASE at h=1 from the stored backtest and the observed series, outside the pipeline."""
    rows = table(trained[0], "model_forecast")
    rows = rows[(rows["indicator"] == "vacancies_open") & (rows["kind"] == "backtest") & (rows["horizon"] == 1)
                & (rows["scheme"] == "nace2")].dropna(subset=["ridge_ets", "persistence", "seasonal_naive", "sa_naive",
                                                              "ets", "actual"])
    column = {code: panel.series.index(("nace2", code)) for code in set(rows["code"])}
    levels = panel.values["vacancies_open"]
    errors = []
    for row in rows.itertuples():
        history = levels[: panel.row(row.origin_period) + 1, column[row.code]]
        differences = np.abs(history[4:] - history[:-4])
        errors.append(abs(row.persistence - row.actual) / np.nanmean(differences))
    expected = card.set_index(["target", "horizon", "metric", "baseline"]).loc[
        ("nl_sector_vacancies_open", 1, "mase", "persistence"), "baseline_value"]
    assert len(errors) == 1026
    assert np.mean(errors) == pytest.approx(expected, rel=1e-9)


def test_the_reliability_table_holds_every_evaluated_forecast_once_per_method(trained, card):
    reliability = table(trained[0], "model_reliability")
    brier = card[(card["target"] == "nl_sector_tension_class") & (card["horizon"] == 1) & (card["metric"] == "brier")]
    assert reliability.groupby("model")["n"].sum().to_dict() == {"ridge_ets": brier["n"].iloc[0],
                                                                 "markov": brier["n"].iloc[0]}
    assert reliability["mean_probability"].between(0, 1).all() and reliability["observed_rate"].between(0, 1).all()


def test_class_probabilities_sum_to_one(trained):
    rows = table(trained[0], "model_forecast").dropna(subset=["prob_tight"])
    assert len(rows) > 1000
    for prefix in ("prob", "markov"):
        total = rows[[f"{prefix}_slack", f"{prefix}_normal", f"{prefix}_tight"]].sum(axis=1)
        np.testing.assert_allclose(total, 1.0, atol=1e-12)


def test_targets_that_cannot_be_evaluated_carry_a_reason(trained):
    rows = table(trained[0], "model_target").set_index("target")
    assert rows.loc["uwv_very_tight", "evaluable"] == 0
    assert "too few entities to be a label set in 2023-Q1 (5)" in rows.loc["uwv_very_tight", "reason"]
    assert rows.loc["vdab_shortage_list", "evaluable"] == 0 and rows.loc["vdab_shortage_list", "reason"]
    assert rows.loc["nl_sector_tension_class", "evaluable"] == 1


def test_forecasts_start_after_the_last_published_quarter(trained):
    ahead = table(trained[0], "model_forecast")
    ahead = ahead[ahead["kind"] == "forecast"][["origin_period", "period", "horizon"]].drop_duplicates()
    assert sorted(map(tuple, ahead.to_numpy().tolist())) == [
        ("2023-Q3", "2023-Q4", 1), ("2023-Q3", "2024-Q1", 2), ("2023-Q3", "2024-Q2", 3), ("2023-Q3", "2024-Q3", 4)]


def test_the_score_stores_no_placeholder_rows(trained):
    scores = table(trained[0], "model_score")
    assert len(scores) and scores["value"].notna().all()


def test_a_rebuild_with_unchanged_inputs_copies_the_model_and_a_code_change_retrains(tmp_path, monkeypatch):
    db = tmp_path / "labour.sqlite"
    bundle = write_bundle(tmp_path / "bundle")
    assert build(db, bundle_dir=bundle)["model"]["trained"] is True
    first = {name: table(db, name) for name in MODEL_TABLES}
    assert build(db, bundle_dir=bundle)["model"] == {"trained": False, "copied": True}
    for name in MODEL_TABLES:
        pd.testing.assert_frame_equal(table(db, name), first[name], obj=name)
    assert build(db, bundle_dir=bundle, reuse_model=False)["model"]["trained"] is True
    monkeypatch.setattr(store, "code_digest", lambda: "changed")
    assert build(db, bundle_dir=bundle)["model"]["trained"] is True


def test_model_command_retrains_a_copy_and_prints_the_contract_scorecard_as_json(tmp_path, capsys):
    db = tmp_path / "labour.sqlite"
    build(db, bundle_dir=write_bundle(tmp_path / "bundle"), train_model=False)
    assert cli.run(["model", "--db", str(db), "--json"]) == 0
    printed = json.loads(capsys.readouterr().out)
    fields = {"target", "horizon", "metric", "model", "baseline", "value", "baseline_value", "diff_ci_low",
              "diff_ci_high", "n", "periods"}
    assert printed and all(fields <= set(r) for r in printed)
    assert {r["target"] for r in printed} == {"vdab_shortage_list", "uwv_very_tight"}
    assert len(table(db, "model_scorecard")) == len(printed)
    assert not list(tmp_path.glob(".labour.sqlite.model-*"))


def test_model_command_on_a_missing_database_fails_with_one_line(tmp_path, capsys):
    assert cli.run(["model", "--db", str(tmp_path / "none.sqlite")]) == 2
    assert capsys.readouterr().err == f"error: {tmp_path / 'none.sqlite'}: does not exist; run `python -m etl build` first\n"


def test_rendered_scorecard_lists_unevaluated_targets_once_with_their_reason():
    rows = [{"target": "t", "horizon": 1, "metric": m, "value": None, "note": "not evaluated: no labels"}
            for m in ("brier", "change_f1")]
    assert pipeline.render(rows).splitlines()[-1] == "t: not evaluated: no labels"


def test_a_database_without_sector_series_still_trains_and_says_what_is_missing(tmp_path):
    db = tmp_path / "labour.sqlite"
    summary = build(db, bundle_dir=write_bundle(tmp_path / "bundle"))
    assert summary["model"]["trained"] is True
    reasons = table(db, "model_target").set_index("target")["reason"]
    assert {reasons[t] for t in reasons.index if t.startswith("nl_sector")} == {
        "no quarterly 80472NED series by NACE section covering the validation and evaluation windows"}


def test_importing_a_table_the_model_does_not_read_copies_the_model_instead_of_retraining(tmp_path, monkeypatch):
    from etl import importing

    db, bundle = tmp_path / "labour.sqlite", write_bundle(tmp_path / "bundle")
    assert build(db, bundle_dir=bundle)["model"]["trained"] is True
    first = {name: table(db, name) for name in MODEL_TABLES}
    monkeypatch.setattr(importing, "build", functools.partial(build, bundle_dir=bundle))
    monkeypatch.setattr(pipeline, "train_and_store", lambda conn, worker=None: pytest.fail("retrained"))
    download = tmp_path / "jvs.tsv"  # Eurostat job vacancy rates by NACE section: no row the model reads
    download.write_bytes((Path(__file__).parents[2] / "fixtures" / "eurostat" / "jvs_q_nace2.tsv").read_bytes())
    importing.import_files("eurostat", [download], db)
    with closing(sqlite3.connect(db)) as conn:
        assert conn.execute("SELECT count(*) FROM observation WHERE dataset_id = 'eurostat-jvs_q_nace2'").fetchone()[0]
    for name in MODEL_TABLES:
        pd.testing.assert_frame_equal(table(db, name), first[name], check_exact=True, obj=name)
