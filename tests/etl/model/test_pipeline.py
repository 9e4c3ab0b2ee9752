"""train_and_store on the bundled snapshot: deterministic outputs, an honest scorecard, and a whole-file retrain."""

import json
import shutil
import sqlite3
from contextlib import closing

import pytest

from etl import cli
from etl.build import build
from etl.model import pipeline, store
from tests.etl.core_fixtures import write_bundle

MODEL_TABLES = list(store.TABLES)


def table_rows(db, table):
    with closing(sqlite3.connect(db)) as conn:
        return conn.execute(f"SELECT * FROM {table}").fetchall()


@pytest.fixture(scope="module")
def trained(bundled_db, tmp_path_factory):
    db = tmp_path_factory.mktemp("trained") / "labour.sqlite"
    shutil.copyfile(bundled_db, db)
    with closing(sqlite3.connect(db)) as conn:
        summary = pipeline.train_and_store(conn)
    return db, summary


def test_two_runs_store_identical_outputs(trained, tmp_path):
    db, _ = trained
    again = tmp_path / "again.sqlite"
    shutil.copyfile(db, again)
    with closing(sqlite3.connect(again)) as conn:
        pipeline.train_and_store(conn)
    for table in MODEL_TABLES:
        assert table_rows(again, table) == table_rows(db, table), table


def test_scorecard_reports_every_required_metric_against_its_baselines(trained):
    db, summary = trained
    with closing(sqlite3.connect(db)) as conn:
        card = store.scorecard(conn)
    assert summary["trained"] is True and summary["scorecard_rows"] == len(card)
    metrics = {(r["target"], r["metric"]) for r in card}
    for metric in ("change_f1", "change_precision", "change_recall", "f1", "brier"):
        assert ("nl_sector_tight_next_quarter", metric) in metrics
    assert {("nl_sector_vacancies_open", "mase"), ("nl_sector_open_filled_ratio", "mase")} <= metrics
    persistence = [r for r in card if r["baseline"] == "persistence" and r["metric"] in pipeline.metrics.CHANGE_METRICS
                   and r["value"] is not None]
    assert persistence and all(r["baseline_value"] == 0.0 for r in persistence)
    evaluated = [r for r in card if r["value"] is not None]
    assert all(r["periods"] == "2010-Q2..2023-Q3" for r in evaluated if r["horizon"] == 1)
    assert all(r["ci_low"] <= r["value"] <= r["ci_high"] for r in evaluated)


def test_targets_that_cannot_be_evaluated_carry_a_reason(trained):
    db, _ = trained
    rows = dict(table_rows_by_target(db))
    assert rows["uwv_very_tight"][0] == 0
    assert "too few entities to be a label set in 2023-Q1 (5)" in rows["uwv_very_tight"][1]
    assert rows["vdab_shortage_list"][0] == 0 and rows["vdab_shortage_list"][1]
    assert rows["nl_sector_tight_next_quarter"] == (1, "")


def table_rows_by_target(db):
    with closing(sqlite3.connect(db)) as conn:
        return [(t, (e, r)) for t, e, r in conn.execute("SELECT target, evaluable, reason FROM model_target")]


def test_forecasts_start_after_the_last_published_quarter(trained):
    db, _ = trained
    with closing(sqlite3.connect(db)) as conn:
        ahead = conn.execute("SELECT DISTINCT origin_period, period, horizon FROM model_forecast "
                             "WHERE kind = 'forecast' ORDER BY horizon").fetchall()
    assert ahead == [("2023-Q3", "2023-Q4", 1), ("2023-Q3", "2024-Q1", 2), ("2023-Q3", "2024-Q2", 3),
                     ("2023-Q3", "2024-Q3", 4)]


def test_model_command_retrains_a_copy_and_prints_the_scorecard_as_json(tmp_path, capsys):
    db = tmp_path / "labour.sqlite"
    build(db, bundle_dir=write_bundle(tmp_path / "bundle"), train_model=False)
    assert cli.run(["model", "--db", str(db), "--json"]) == 0
    card = json.loads(capsys.readouterr().out)
    assert card and all({"target", "metric", "model", "baseline", "n", "periods"} <= set(r) for r in card)
    assert {r["target"] for r in card} == {"vdab_shortage_list", "uwv_very_tight"}
    assert len(table_rows(db, "model_scorecard")) == len(card)
    assert not list(tmp_path.glob(".labour.sqlite.model-*"))


def test_model_command_on_a_missing_database_fails_with_one_line(tmp_path, capsys):
    assert cli.run(["model", "--db", str(tmp_path / "none.sqlite")]) == 2
    assert capsys.readouterr().err == f"error: {tmp_path / 'none.sqlite'}: does not exist; run `python -m etl build` first\n"


def test_rendered_scorecard_lists_unevaluated_targets_once_with_their_reason():
    card = [{"target": "t", "horizon": 1, "metric": m, "value": None, "note": "not evaluated: no labels"}
            for m in ("f1", "brier")]
    assert pipeline.render(card).splitlines()[-1] == "t: not evaluated: no labels"


def test_a_database_without_sector_series_still_trains_and_says_what_is_missing(tmp_path):
    db = tmp_path / "labour.sqlite"
    summary = build(db, bundle_dir=write_bundle(tmp_path / "bundle"))
    assert summary["model"]["trained"] is True
    with closing(sqlite3.connect(db)) as conn:
        reasons = dict(conn.execute("SELECT target, reason FROM model_target WHERE target LIKE 'nl_sector%'"))
    assert set(reasons.values()) == {
        "no quarterly 80472NED series by NACE section covering the validation and evaluation windows"}
