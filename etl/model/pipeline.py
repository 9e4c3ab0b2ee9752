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
    sector,
    settings,
    store,
    tension,
    uncertainty,
)
from etl.model.panel import SectorPanel
from etl.model.panel import build as build_panel

SECTOR_FORECAST_TARGETS = {"vacancies_open": "nl_sector_vacancies_open",
                           "open_filled_ratio": "nl_sector_open_filled_ratio"}
SECTOR_CLASS_TARGET = "nl_sector_tension_class"
FORECAST_METRICS = ["mase", "mae"]
CLASS_METRICS = ["brier", "rps", "change_f1"]
OCCUPATION_METRICS = ["brier", "change_f1"]
OCCUPATION_BASELINES = ["markov", "persistence"]
# The name of etl.model.classify.MODEL: classify loads scikit-learn, imported only when a target can be evaluated.
OCCUPATION_MODEL = "logistic_calibrated"


def train_and_store(conn: sqlite3.Connection) -> dict:
    """Score, forecast, classify and backtest from the observation table; replace the model tables in conn."""
    # One BLAS thread: the fits are tiny, threads only contend (2x slower on 2 busy cores) and may reorder sums.
    with threadpool_limits(limits=1):
        return _train_and_store(conn)


def _train_and_store(conn: sqlite3.Connection) -> dict:
    started = time.perf_counter()
    config = settings.load()
    version = config["version"]
    sector_levels = features.read(conn, "SELECT scheme, code, level FROM sector")
    occupation_levels = features.read(conn, "SELECT scheme, code, level FROM occupation")
    min_filled = config["tension"]["min_filled_for_ratio"]
    occupation_values = features.occupation_values(conn)
    scores = pd.concat([
        score.score(features.sector_values(conn, min_filled), sector_levels, settings.indicators("sector"), "sector",
                    config),
        score.score(occupation_values, occupation_levels, settings.indicators("occupation"), "occupation", config),
    ], ignore_index=True).drop(columns="end_q").assign(model_version=version)
    panel = build_panel(features.sector_vacancies(conn), sector_levels, min_filled)
    sectors = sector_outputs(panel, config)
    occupation = occupation_outputs(conn, occupation_values, config)
    frames = {
        "model_score": scores,
        "model_forecast": sectors["forecast"].assign(model_version=version),
        "model_prediction": occupation["prediction"].assign(model_version=version),
        "model_scorecard": pd.DataFrame(sectors["card"] + occupation["card"], columns=scorecard.COLUMNS),
        "model_shown": pd.DataFrame(sectors["shown"]),
        "model_reliability": sectors["reliability"],
        "model_target": pd.DataFrame(sectors["targets"] + occupation["targets"]),
        "model_setting": pd.DataFrame(sectors["settings"] + [
            {"key": "model_version", "value": version, "note": "etl/definitions/model.toml"},
            {"key": store.INPUT_DIGEST, "value": store.input_digest(conn), "note": "sha256 of the rows the model reads"},
            {"key": store.CODE_DIGEST, "value": store.code_digest(), "note": "sha256 of etl/model/*.py and model.toml"}]),
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
        shutil.copyfile(db_path, temporary)
        with contextlib.closing(sqlite3.connect(temporary)) as conn:
            train_and_store(conn)
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


def _target(name: str, evaluable: bool, reason: str, periods: str, about: str) -> dict:
    return {"target": name, "country": "NL", "kind": "forecast", "evaluable": int(evaluable), "reason": reason,
            "labelled_periods": periods, "about": about}


def sector_outputs(panel: SectorPanel, config: dict) -> dict:
    """Forecasts with intervals and tension-class probabilities per NACE section, their scorecard and shown methods."""
    out = {"forecast": pd.DataFrame(), "card": [], "targets": [], "settings": [], "shown": [],
           "reliability": pd.DataFrame()}
    reference = panel.reference(config["tension"]["reference_level"]) if panel.series else np.array([], dtype=int)
    names = list(SECTOR_FORECAST_TARGETS.values()) + [SECTOR_CLASS_TARGET]
    at = sector.windows(panel, config) if panel.series else {}
    if len(reference) < 2 or not at or at["evaluation_start"] <= at["validation_start"] or at["evaluation_start"] > at["last"]:
        reason = "no quarterly 80472NED series by NACE section covering the validation and evaluation windows"
        out["targets"] = [_target(name, False, reason, "", "") for name in names]
        return out
    tables = []
    for indicator, target in SECTOR_FORECAST_TARGETS.items():
        frame = sector.candidates(panel, indicator, config, reference, at)
        alpha, weights, scores = sector.choose(frame, config, at)
        out["settings"] += _chosen(target, alpha, weights, scores, panel)
        frame = sector.add_intervals(sector.combine(frame, alpha, weights), config)
        if indicator == "open_filled_ratio":
            frame = sector.add_classes(frame, panel, config)
        evaluated = frame[frame["reference"] & (frame["row"] >= at["evaluation_start"])
                          & frame[sector.METHODS + ["actual", "scale"]].notna().all(axis=1)]
        periods_all = evaluated["target_row"].map(panel.label)
        for horizon, rows in evaluated.groupby("horizon"):
            periods = periods_all.loc[rows.index]
            model_parts = metrics.forecast_parts(rows[sector.MODEL], rows["actual"], rows["scale"])
            for baseline in sector.BASELINES:
                base_parts = metrics.forecast_parts(rows[baseline], rows["actual"], rows["scale"])
                for metric in FORECAST_METRICS:
                    out["card"].append(scorecard.row(target, int(horizon), metric, sector.MODEL, baseline, model_parts,
                                                     base_parts, periods, config))
            choice = scorecard.shown(out["card"], target, int(horizon), "mase", sector.MODEL, sector.BASELINES)
            out["shown"].append(choice)
            for method in dict.fromkeys([sector.MODEL, choice["shown"]]):
                out["card"].append(scorecard.coverage(target, int(horizon), method, rows, periods, config))
        out["targets"].append(_target(target, True, "", scorecard.span(periods_all),
                                      f"{indicator} per NACE section, 1-4 quarters ahead (80472NED)"))
        if indicator == "open_filled_ratio":
            out["card"] += _class_card(frame, panel, at, config, out)
        tables.append(_forecast_rows(frame, panel, indicator, at, out["shown"], target))
    out["forecast"] = pd.concat(tables, ignore_index=True)
    return out


def _chosen(target: str, alpha: float, weights: dict, scores: dict, panel: SectorPanel) -> list[dict]:
    first, last = (int(x) for x in scores["span"].split("..")) if scores["span"] else (0, 0)
    window = f"origins {panel.label(first)}.., targets up to {panel.label(last)} ({scores['rows']} forecasts)"
    rows = [{"key": f"{target}.ridge_alpha", "value": repr(alpha),
             "note": f"lowest mean validation MASE over {window}: " + ", ".join(
                 f"{a}: {e:.4f}" for a, e in scores["alpha"].items())}]
    for horizon, weight in weights.items():
        rows.append({"key": f"{target}.ridge_weight.h{horizon}", "value": repr(weight),
                     "note": f"weight of the ridge against ETS (log scale), lowest validation MASE over {window}: "
                     + ", ".join(f"{w}: {e:.4f}" for w, e in scores["weight"][horizon].items())})
    return rows


def _class_card(frame: pd.DataFrame, panel: SectorPanel, at: dict, config: dict, out: dict) -> list[dict]:
    """Brier (tight), RPS and change_f1 of the class probabilities against Markov and plain persistence."""
    evaluated = frame[frame["reference"] & (frame["row"] >= at["evaluation_start"]) & (frame["actual_class"] >= 0)
                      & (frame["current_class"] >= 0) & frame["prob_tight"].notna()]
    card = []
    for horizon, rows in evaluated.groupby("horizon"):
        periods = rows["target_row"].map(panel.label)
        outcome, current = rows["actual_class"].to_numpy(), rows["current_class"].to_numpy()
        candidates = {sector.MODEL: rows[["prob_slack", "prob_normal", "prob_tight"]].to_numpy(),
                      "markov": rows[["markov_slack", "markov_normal", "markov_tight"]].to_numpy(),
                      "persistence": np.eye(len(tension.ORDER))[current]}
        parts = {}
        for name, chances in candidates.items():
            predicted = pd.Series(chances.argmax(axis=1), index=rows.index)
            parts[name] = pd.concat([metrics.probability_parts(chances, outcome, sector.TIGHT, rows.index),
                                     metrics.change_parts(rows["current_class"], predicted, rows["actual_class"])], axis=1)
        for baseline in sector.CLASS_BASELINES:
            for metric in CLASS_METRICS:
                card.append(scorecard.row(SECTOR_CLASS_TARGET, int(horizon), metric, sector.MODEL, baseline,
                                          parts[sector.MODEL], parts[baseline], periods, config,
                                          "diagnostic only" if metric == "change_f1" else ""))
        out["shown"].append(scorecard.shown(card, SECTOR_CLASS_TARGET, int(horizon), "brier", sector.MODEL,
                                            sector.CLASS_BASELINES))
        if horizon == 1:
            bins = config["probability"]["reliability_bins"]
            tight = (outcome == sector.TIGHT) * 1.0
            out["reliability"] = pd.concat([
                metrics.reliability(candidates[name][:, sector.TIGHT], tight, bins).assign(
                    target=SECTOR_CLASS_TARGET, horizon=1, event=tension.TIGHT, model=name,
                    periods=scorecard.span(periods)) for name in (sector.MODEL, "markov")], ignore_index=True)
    out["targets"].append(_target(SECTOR_CLASS_TARGET, True, "",
                                  scorecard.span(evaluated["target_row"].map(panel.label)),
                                  "slack/normal/tight: the open/filled ratio against the section's own quartiles in "
                                  "the last ten years up to the origin; probabilities from the forecast distribution"))
    return card


def _forecast_rows(frame: pd.DataFrame, panel: SectorPanel, indicator: str, at: dict, shown: list[dict],
                   target: str) -> pd.DataFrame:
    """Stored forecasts: the evaluation backtest and the forward forecast from the last quarter, every series shown."""
    kept = frame[frame["row"] >= at["evaluation_start"]].copy()
    kept["kind"] = np.where(kept["row"] == at["last"], "forecast", "backtest")
    kept = kept[(kept["kind"] == "forecast") | kept["actual"].notna()]
    method = kept["horizon"].map({c["horizon"]: c["shown"] for c in shown if c["target"] == target})
    which = [sector.METHODS.index(m) for m in method]

    def of_shown(suffix: str) -> np.ndarray:
        return np.choose(which, [kept[f"{m}{suffix}"].to_numpy() for m in sector.METHODS])

    shown_value, shown_low, shown_high = of_shown(""), of_shown("_low"), of_shown("_high")
    scheme_code = [panel.series[s] for s in kept["series"]]
    table = pd.DataFrame({
        "indicator": indicator, "kind": kept["kind"], "country": "NL", "scheme": [s for s, _ in scheme_code],
        "code": [c for _, c in scheme_code], "origin_period": kept["row"].map(panel.label),
        "period": kept["target_row"].map(panel.label), "horizon": kept["horizon"], "actual": kept["actual"],
        "shown": method, "shown_value": shown_value, "shown_low": shown_low, "shown_high": shown_high,
        **{m: kept[m] for m in sector.METHODS}, "model_low": kept[f"{sector.MODEL}_low"],
        "model_high": kept[f"{sector.MODEL}_high"]})
    if indicator == "open_filled_ratio":
        for column in ("class_low", "class_high", "prob_slack", "prob_normal", "prob_tight", "markov_slack",
                       "markov_normal", "markov_tight"):
            table[column] = kept[column].to_numpy()
        table["current_class"] = tension.names(kept["current_class"].to_numpy())
        table["actual_class"] = np.where(kept["kind"] == "forecast", "", tension.names(kept["actual_class"].to_numpy()))
    return table.sort_values(["kind", "scheme", "code", "origin_period", "horizon"]).reset_index(drop=True)


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
        parts[method] = pd.concat([metrics.probability_parts(np.c_[1 - p, p], outcome, 1, tested.index),
                                   metrics.change_parts(tested["current"].astype(int), predicted,
                                                        tested["label"].astype(int))], axis=1)
    card = [scorecard.row(name, 1, m, classify.MODEL, b, parts[classify.MODEL], parts[b], label_periods, config,
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
