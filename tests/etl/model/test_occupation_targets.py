"""VDAB and UWV targets: partial lists are never labels, thin label sets are reported, full history is backtested."""

import sqlite3

import pandas as pd
import pytest

from etl import schema
from etl.model import features, occupation_targets, pipeline, settings


def database(rows: list[dict]) -> sqlite3.Connection:
    conn = sqlite3.connect(":memory:")
    conn.executescript(schema.TABLES)
    base = {"dataset_id": "vdab-knelpuntberoepen", "country": "BE", "region": "BE2", "occupation_scheme": "vdab",
            "sector_scheme": "", "sector_code": "", "breakdown": "", "unit": "flag", "status": "final",
            "source_url": "https://www.vdab.be/trends/knelpuntberoepen"}
    frame = pd.DataFrame([base | r for r in rows])
    frame.to_sql("observation", conn, if_exists="append", index=False)
    return conn


def listed(code: str, period: str, breakdown: str = "") -> dict:
    return {"indicator": "shortage_listed", "occupation_code": code, "period": period, "value": 1.0,
            "breakdown": breakdown}


def test_a_single_full_list_with_press_evidence_is_not_evaluable_and_says_why():
    conn = database([listed("lasser", "2026"), listed("kok", "2026"), listed("kok", "2024", "evidence=top10")])
    target = settings.load()["targets"]["vdab_shortage_list"]
    verdict = occupation_targets.assess(conn, "vdab_shortage_list", target, features.occupation_values(conn))
    assert verdict["evaluable"] == 0 and verdict["labelled_periods"] == "2026"
    assert verdict["reason"] == (
        "complete labels for 1 period(s) (2026); at least 3 consecutive are needed (two to train, one to evaluate); "
        "partial evidence for 2024 (evidence=top10) is not a full list and is not used; "
        "no indicator by vdab occupation in the database to predict from")


def test_an_occupation_missing_from_a_full_list_is_off_the_list_that_year():
    conn = database([listed("lasser", "2025"), listed("kok", "2025"), listed("kok", "2026")])
    complete, _ = occupation_targets.labels(conn, settings.load()["targets"]["vdab_shortage_list"])
    labels = complete.set_index(["code", "period"])["label"].to_dict()
    assert labels == {("kok", "2025"): 1, ("kok", "2026"): 1, ("lasser", "2025"): 1, ("lasser", "2026"): 0}


def synthetic_history() -> list[dict]:
    """Test-only history: 40 occupations whose listing in 2019-2024 follows the previous year's employment growth."""
    rows = []
    for i in range(40):
        employed = 1000.0
        for year in range(2017, 2025):
            growth = ((i * 7 + year * 3) % 11 - 5) / 100
            employed = round(employed * (1 + growth))
            rows.append({"indicator": "employed_persons", "occupation_code": f"occ{i:02d}", "period": str(year),
                         "value": employed, "unit": "persons"})
            if 2018 <= year < 2024 and growth > 0:
                rows.append(listed(f"occ{i:02d}", str(year + 1)))
    return rows


def synthetic_uwv_history() -> list[dict]:
    """Test-only UWV panel: 36 groups over six quarters, 'zeer krap' (ratio > 4) following last quarter's ratio."""
    rows = []
    for i in range(36):
        for q in range(6):
            ratio = 2.0 + ((i * 5 + q * 3) % 9) * 0.5
            rows.append({"dataset_id": "uwv-spanningsindicator", "country": "NL", "region": "",
                         "occupation_scheme": "uwv", "indicator": "tension_ratio", "occupation_code": f"g{i:02d}",
                         "period": f"2022-Q{q + 1}" if q < 4 else f"2023-Q{q - 3}", "value": ratio, "unit": "ratio"})
    return rows


def scorecard_rows(conn: sqlite3.Connection, target: str) -> dict:
    conn.row_factory = sqlite3.Row
    rows = conn.execute("SELECT * FROM model_scorecard WHERE target = ?", (target,)).fetchall()
    return {(r["metric"], r["baseline"]): dict(r) for r in rows}


@pytest.mark.parametrize(("rows", "name", "periods"), [(synthetic_history, "vdab_shortage_list", {"2025"}),
                                                      (synthetic_uwv_history, "uwv_very_tight", {"2023-Q3"})])
def test_a_synthetic_panel_with_three_complete_label_periods_is_trained_evaluated_and_stored(rows, name, periods):
    conn = database(rows())
    summary = pipeline.train_and_store(conn)
    assert summary["trained"] is True
    card = scorecard_rows(conn, name)
    assert set(card) == {(m, b) for m in pipeline.OCCUPATION_METRICS for b in pipeline.OCCUPATION_BASELINES}
    for row in card.values():
        assert row["value"] is not None and row["n"] > 0 and row["model"] == pipeline.OCCUPATION_MODEL
        assert 0.0 <= row["value"] <= 1.0 and 0.0 <= row["baseline_value"] <= 1.0
    predicted = pd.read_sql_query("SELECT * FROM model_prediction WHERE target = ?", conn, params=(name,))
    assert set(predicted["period"]) == periods and len(predicted) == (40 if name == "vdab_shortage_list" else 36)
    assert predicted["probability"].between(0, 1).all()
    evaluable = conn.execute("SELECT evaluable FROM model_target WHERE target = ?", (name,)).fetchone()[0]
    assert evaluable == 1


def test_the_occupation_model_name_is_the_classifier_s_own():
    from etl.model import classify

    assert pipeline.OCCUPATION_MODEL == classify.MODEL


@pytest.mark.parametrize("name", ["vdab_shortage_list", "uwv_very_tight"])
def test_targets_without_labels_are_listed_with_a_reason_not_a_figure(name):
    conn = database([])
    out = pipeline.occupation_outputs(conn, features.occupation_values(conn), settings.load())
    rows = [r for r in out["card"] if r["target"] == name]
    assert {r["metric"] for r in rows} == set(pipeline.OCCUPATION_METRICS)
    assert all(r["value"] is None and r["note"].startswith("not evaluated: complete labels for 0") for r in rows)
