"""Train the shortage model on a database connection, store its outputs and scorecard, and print the scorecard."""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
import time
from pathlib import Path

import numpy as np
import pandas as pd
from threadpoolctl import threadpool_limits

from etl.errors import InputError
from etl.model import (
    calendar,
    features,
    metrics,
    occupation_targets,
    score,
    scorecard,
    sector_backtest,
    sector_worker,
    settings,
    store,
    uncertainty,
)
from etl.model.sector_worker import SectorWorker

OCCUPATION_METRICS = ["brier", "change_f1"]
OCCUPATION_BASELINES = ["markov", "persistence"]
# The name of etl.model.classify.MODEL: classify loads scikit-learn, imported only when a target can be evaluated.
OCCUPATION_MODEL = "logistic_calibrated"


def train_and_store(conn: sqlite3.Connection, worker: SectorWorker | None = None) -> dict:
    """Score, forecast, classify and backtest from the observation table; replace the model tables in conn.

    With a worker, the sector half is computed there meanwhile, from conn's file (its tables must be committed).
    """
    # One BLAS thread: the fits are tiny, threads only contend (2x slower on 2 busy cores) and may reorder sums.
    with threadpool_limits(limits=1):
        return _train_and_store(conn, worker)


def _database_file(conn: sqlite3.Connection) -> str:
    return next(file for _, name, file in conn.execute("PRAGMA database_list") if name == "main")


def _train_and_store(conn: sqlite3.Connection, worker: SectorWorker | None) -> dict:
    started = time.perf_counter()
    config = settings.load()
    version = config["version"]
    in_worker = worker.start(_database_file(conn), config) if worker and _database_file(conn) else None
    sector_levels = features.read(conn, "SELECT scheme, code, level FROM sector")
    occupation_levels = features.read(conn, "SELECT scheme, code, level FROM occupation")
    min_filled = config["tension"]["min_filled_for_ratio"]
    occupation_values = features.occupation_values(conn)
    scores = pd.concat([
        score.score(features.sector_values(conn, min_filled), sector_levels, settings.indicators("sector"), "sector",
                    config),
        score.score(occupation_values, occupation_levels, settings.indicators("occupation"), "occupation", config),
    ], ignore_index=True).drop(columns="end_q").assign(model_version=version)
    occupation = occupation_outputs(conn, occupation_values, config)
    digests = [{"key": store.INPUT_DIGEST, "value": store.input_digest(conn), "note": "sha256 of the rows the model reads"},
               {"key": store.CODE_DIGEST, "value": store.code_digest(), "note": "sha256 of etl/model/*.py and model.toml"}]
    sectors = sector_backtest.outputs(conn, config, in_worker)
    frames = {
        "model_score": scores,
        "model_forecast": sectors["forecast"].assign(model_version=version),
        "model_prediction": occupation["prediction"].assign(model_version=version),
        "model_scorecard": pd.DataFrame(sectors["card"] + occupation["card"], columns=scorecard.COLUMNS),
        "model_shown": pd.DataFrame(sectors["shown"]),
        "model_reliability": sectors["reliability"],
        "model_target": pd.DataFrame(sectors["targets"] + occupation["targets"]),
        "model_setting": pd.DataFrame(sectors["settings"] + [
            {"key": "model_version", "value": version, "note": "etl/definitions/model.toml"}] + digests),
    }
    store.write(conn, frames)
    return {"trained": True, "model_version": version, "scored_cells": int(scores.groupby(
        ["family", "scheme", "code", "period"]).ngroups) if len(scores) else 0,
            "scorecard_rows": len(frames["model_scorecard"]), "seconds": round(time.perf_counter() - started, 1)}


def retrain(db_path: Path) -> list[dict]:
    """Retrain on a copy of the database beside it and swap the copy in whole; return the scorecard."""
    db_path = Path(db_path)
    if not db_path.exists():
        raise InputError(f"{db_path}: does not exist; run `python -m etl build` first")
    temporary = db_path.with_name(f".{db_path.name}.model-{os.getpid()}")
    try:
        with sector_worker.started(True) as worker:
            shutil.copyfile(db_path, temporary)
            with contextlib.closing(sqlite3.connect(temporary)) as conn:
                train_and_store(conn, worker)
                card = store.scorecard(conn)
        os.replace(temporary, db_path)
    finally:
        temporary.unlink(missing_ok=True)
    return card


def _number(value: float | None) -> str:
    return "" if value is None else f"{value:.4g}"


def render(card: list[dict]) -> str:
    """The scorecard as a plain-text table; targets that cannot be evaluated show their reason once."""
    header = f"{'target':30} {'h':>2} {'metric':12} {'model':15} {'baseline':15} {'value':>8} {'baseline':>8} " \
             f"{'95% CI of difference':>21} {'n':>5}  periods"
    lines, reasons = [header, "-" * len(header)], {}
    for row in card:
        if row["value"] is None:
            reasons[row["target"]] = row["note"]
            continue
        interval = f"{_number(row['diff_ci_low'])}..{_number(row['diff_ci_high'])}" if row["diff_ci_low"] is not None \
            else ""
        lines.append(f"{row['target']:30} {row['horizon']:>2} {row['metric']:12} {row['model']:15} "
                     f"{row['baseline']:15} {row['value']:8.4g} {_number(row['baseline_value']):>8} {interval:>21} "
                     f"{row['n']:>5}  {row['periods']}")
    for target, reason in reasons.items():
        lines.append(f"{target}: {reason}")
    return "\n".join(lines)


def _unevaluated(target: str, reason: str, config: dict, metric_names: list[str]) -> list[dict]:
    return [{"target": target, "horizon": 1, "metric": m, "model": OCCUPATION_MODEL, "baseline": b,
             "value": None, "baseline_value": None, "diff_ci_low": None, "diff_ci_high": None, "n": 0, "n_periods": 0,
             "periods": "", "note": f"not evaluated: {reason}", "model_version": config["version"]}
            for m in metric_names for b in OCCUPATION_BASELINES]


def occupation_outputs(conn: sqlite3.Connection, occupation_values: pd.DataFrame, config: dict) -> dict:
    """VDAB and UWV targets: a backtest where complete labelled history exists, else the reason."""
    out = {"prediction": pd.DataFrame(columns=list(store.PREDICTION_COLUMNS)), "card": [], "targets": []}
    predictions = []
    for name, target in config["targets"].items():
        assessment = occupation_targets.assess(conn, name, target, occupation_values)
        out["targets"].append(assessment)
        if not assessment["evaluable"]:
            out["card"] += _unevaluated(name, assessment["reason"], config, OCCUPATION_METRICS)
            continue
        card, prediction = occupation_classifier(conn, name, target, occupation_values, config)
        out["card"] += card
        predictions.append(prediction)
    if predictions:
        out["prediction"] = pd.concat(predictions, ignore_index=True)
    return out


def _markov_binary(frame: pd.DataFrame, tested: pd.DataFrame, prior: float) -> np.ndarray:
    """P(positive next period | status now), counted on the rows labelled by each origin."""
    labelled = frame.dropna(subset=["label", "current"])
    out = np.empty(len(tested))
    for i, (origin, current) in enumerate(zip(tested["row"], tested["current"], strict=True)):
        earlier = labelled[labelled["label_row"] <= origin]
        out[i] = uncertainty.markov(np.array([int(current)]), earlier["current"].to_numpy(dtype=int),
                                    earlier["label"].to_numpy(dtype=int), 2, prior)[0, 1]
    return out


def occupation_classifier(conn: sqlite3.Connection, name: str, target: dict, occupation_values: pd.DataFrame,
                          config: dict) -> tuple[list[dict], pd.DataFrame]:
    """Backtest on the later half of the labelled origins (settings chosen on the earlier half); predict the next."""
    from etl.model import classify  # scikit-learn takes a second to load: only when a target can be evaluated

    frame, columns, periods = occupation_targets.panel(conn, target, occupation_values,
                                                       settings.indicators("occupation"))
    origins = sorted(frame.loc[frame["label"].notna(), "row"].unique())[1:]
    validation, evaluation = origins[: len(origins) // 2], origins[len(origins) // 2:]
    candidates = config["classifier"]["c_candidates"]
    c = classify.choose_c(frame, columns, validation, config)[0] if validation else candidates[len(candidates) // 2]
    tested = classify.backtest(frame, columns, evaluation, c, config)
    if tested.empty:
        return _unevaluated(name, "too few labelled rows to fit a calibrated classifier", config,
                            OCCUPATION_METRICS), pd.DataFrame()
    label_periods = tested["label_row"].map(dict(enumerate(periods)))
    outcome = tested["label"].to_numpy(dtype=int)
    chances = {classify.MODEL: tested["probability"].to_numpy(),
               "markov": _markov_binary(frame, tested, config["probability"]["markov_prior"]),
               "persistence": tested["current"].to_numpy(dtype=float)}
    parts = {}
    for method, p in chances.items():
        predicted = pd.Series((p >= 0.5) * 1, index=tested.index)
        parts[method] = metrics.by_period(pd.concat([
            metrics.probability_parts(np.c_[1 - p, p], outcome, 1, tested.index),
            metrics.change_parts(tested["current"].astype(int), predicted, tested["label"].astype(int))], axis=1),
            label_periods)
    card = [scorecard.row(name, 1, m, classify.MODEL, b, parts[classify.MODEL], parts[b], config,
                          "diagnostic only" if m == "change_f1" else "")
            for m in OCCUPATION_METRICS for b in OCCUPATION_BASELINES]
    latest = classify.predict_latest(frame, columns, c, config)
    origin = latest["row"].map(dict(enumerate(periods)))
    prediction = pd.DataFrame({
        "target": name, "kind": "forecast", "country": target["country"], "region": target["region"],
        "scheme": target["occupation_scheme"], "code": latest["code"], "origin_period": origin,
        "period": origin.map(calendar.next_period), "probability": latest["probability"],
        "predicted_class": np.where(latest["probability"] >= 0.5, "positive", "negative"),
        "current_class": np.where(latest["current"] >= 1, "positive", "negative"), "actual_class": None,
        "top_indicators": latest["top_indicators"], "model": classify.MODEL})
    return card, prediction
