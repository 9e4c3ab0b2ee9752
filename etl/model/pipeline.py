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
from etl.model import calendar, classify, features, forecast, metrics, occupation_targets, score, sector_targets, settings, store
from etl.model.panel import SectorPanel
from etl.model.panel import build as build_panel

SECTOR_FORECAST_TARGETS = {"vacancies_open": "nl_sector_vacancies_open",
                           "open_filled_ratio": "nl_sector_open_filled_ratio"}
SECTOR_CLASS_TARGET = "nl_sector_tension_class"
SECTOR_TIGHT_TARGET = "nl_sector_tight_next_quarter"
CLASSIFIER_METRICS = metrics.CLASS_METRICS + ["brier"]
FORECAST_METRICS = ["mase", "mae"]
SCORECARD_COLUMNS = ["target", "horizon", "metric", "model", "baseline", "value", "baseline_value", "ci_low",
                     "ci_high", "n", "n_periods", "periods", "note", "model_version"]


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
    sector = sector_outputs(panel, config)
    occupation = occupation_outputs(conn, occupation_values, config)
    frames = {
        "model_score": scores,
        "model_forecast": sector["forecast"],
        "model_prediction": pd.concat([sector["prediction"], occupation["prediction"]], ignore_index=True),
        "model_scorecard": pd.DataFrame(sector["card"] + occupation["card"], columns=SCORECARD_COLUMNS),
        "model_target": pd.DataFrame(sector["targets"] + occupation["targets"]),
        "model_setting": pd.DataFrame(sector["settings"] + [
            {"key": "model_version", "value": version, "note": "etl/definitions/model.toml"}]),
    }
    for name in ("model_forecast", "model_prediction"):
        frames[name] = frames[name].assign(model_version=version)
    store.write(conn, frames)
    return {"trained": True, "model_version": version, "scored_cells": int(scores.groupby(
        ["family", "scheme", "code", "period"]).ngroups) if len(scores) else 0,
            "scorecard_rows": len(frames["model_scorecard"]),
            "seconds": round(time.perf_counter() - started, 1)}


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


def render(card: list[dict]) -> str:
    """The scorecard as a plain-text table; targets that cannot be evaluated show their reason once."""
    header = f"{'target':30} {'h':>2} {'metric':17} {'model':20} {'baseline':15} {'value':>8} {'baseline':>8} " \
             f"{'95% CI':>17} {'n':>5}  periods"
    lines, reasons = [header, "-" * len(header)], {}
    for row in card:
        if row["value"] is None:
            reasons[row["target"]] = row["note"]
            continue
        interval = f"{row['ci_low']:.4g}-{row['ci_high']:.4g}" if row["ci_low"] is not None else ""
        base = f"{row['baseline_value']:.4g}" if row["baseline_value"] is not None else ""
        lines.append(f"{row['target']:30} {row['horizon']:>2} {row['metric']:17} {row['model']:20} "
                     f"{row['baseline']:15} {row['value']:8.4g} {base:>8} {interval:>17} {row['n']:>5}  "
                     f"{row['periods']}")
    for target, reason in reasons.items():
        lines.append(f"{target}: {reason}")
    return "\n".join(lines)


def _rows(panel: SectorPanel, settings_window: list[str]) -> list[int]:
    """Panel rows of a window of origins; an empty end means up to the last quarter."""
    first = panel.row(settings_window[0])
    last = panel.row(settings_window[1]) if settings_window[1] else panel.quarters - 1
    return list(range(max(first, 0), min(last, panel.quarters - 1) + 1))


def _span(labels: pd.Series) -> str:
    ordered = sorted(set(labels))
    return f"{ordered[0]}..{ordered[-1]}" if ordered else ""


def _card(target: str, horizon: int, metric: str, model: str, baseline: str, parts: pd.DataFrame,
          baseline_parts: pd.DataFrame, periods: pd.Series, config: dict, note: str = "") -> dict:
    backtest = config["backtest"]
    seed = config["seed"]
    summary = metrics.summarise(parts, periods, metric, backtest["bootstrap_samples"], seed,
                                backtest["min_periods_for_interval"])
    base = metrics.summarise(baseline_parts, periods, metric, 0, seed, 10**9)
    if summary["ci_low"] is None and not note:
        note = f"no interval: {summary['n_periods']} periods (at least {backtest['min_periods_for_interval']} needed)"
    return {"target": target, "horizon": horizon, "metric": metric, "model": model, "baseline": baseline,
            "value": summary["value"], "baseline_value": base["value"], "ci_low": summary["ci_low"],
            "ci_high": summary["ci_high"], "n": summary["n"], "n_periods": summary["n_periods"],
            "periods": _span(periods), "note": note, "model_version": config["version"]}


def _unevaluated(target: str, reason: str, config: dict, metric_names: list[str]) -> list[dict]:
    return [{"target": target, "horizon": 1, "metric": m, "model": classify.MODEL, "baseline": classify.BASELINE,
             "value": None, "baseline_value": None, "ci_low": None, "ci_high": None, "n": 0, "n_periods": 0,
             "periods": "", "note": f"not evaluated: {reason}", "model_version": config["version"]}
            for m in metric_names]


def sector_outputs(panel: SectorPanel, config: dict) -> dict:
    """Forecasts, class transitions and the tight-next-quarter classifier for 80472NED sector series."""
    out = {"forecast": pd.DataFrame(), "prediction": pd.DataFrame(), "card": [], "targets": [], "settings": []}
    reference = panel.reference(config["tension"]["reference_level"]) if panel.series else np.array([], dtype=int)
    validation = _rows(panel, config["backtest"]["validation_origins"]) if panel.series else []
    evaluation = _rows(panel, config["backtest"]["evaluation_origins"]) if panel.series else []
    names = list(SECTOR_FORECAST_TARGETS.values()) + [SECTOR_CLASS_TARGET, SECTOR_TIGHT_TARGET]
    if len(reference) < 2 or not validation or not evaluation:
        reason = "no quarterly 80472NED series by NACE section covering the validation and evaluation windows"
        for name in names:
            out["targets"].append({"target": name, "country": "NL", "kind": "forecast", "evaluable": 0,
                                   "reason": reason, "labelled_periods": "", "about": ""})
        return out
    label = panel.label
    forecasts, card, alphas = [], out["card"], {}
    for indicator, target in SECTOR_FORECAST_TARGETS.items():
        alpha, errors = forecast.choose_alpha(panel, indicator, validation, config, reference)
        alphas[indicator] = alpha
        out["settings"].append({"key": f"{target}.ridge_alpha", "value": repr(alpha),
                                "note": "chosen on validation origins " + "..".join(config["backtest"][
                                    "validation_origins"]) + "; mean MASE " + ", ".join(
                                    f"{a}: {e:.4f}" for a, e in errors.items())})
        tested = forecast.backtest(panel, indicator, evaluation, alpha, config, reference)
        tested["target_period"] = tested["target_row"].map(label)
        for horizon, rows in tested.groupby("horizon"):
            model_parts = metrics.forecast_parts(rows["forecast"], rows["actual"], rows["scale"])
            for baseline in forecast.BASELINES:
                base_parts = metrics.forecast_parts(rows[baseline], rows["actual"], rows["scale"])
                for metric in FORECAST_METRICS:
                    card.append(_card(target, int(horizon), metric, forecast.MODEL, baseline, model_parts,
                                      base_parts, rows["target_period"], config))
        ahead = forecast.forward(panel, indicator, alpha, config, reference)
        forecasts += [tested.assign(kind="backtest"), ahead.assign(kind="forecast", actual=np.nan)]
        out["targets"].append({"target": target, "country": "NL", "kind": "forecast", "evaluable": 1, "reason": "",
                               "labelled_periods": _span(tested["target_period"]),
                               "about": f"{indicator} per NACE section, 1-4 quarters ahead (80472NED)"})
    all_forecasts = pd.concat(forecasts, ignore_index=True)
    ratio = all_forecasts[all_forecasts["indicator"] == "open_filled_ratio"]
    classes = sector_targets.class_transitions(panel, ratio, config)
    # Every class comparison runs on the same rows: those where the seasonal-naive ratio exists too.
    tested = classes[(classes["kind"] == "backtest") & (classes["actual"] != "") & (classes["seasonal_class"] != "")]
    for horizon, rows in tested.groupby("horizon"):
        periods = rows["target_row"].map(label)
        model_parts = metrics.class_parts(rows, positive="tight")
        for baseline, column in (("persistence", "current"), ("seasonal_naive", "seasonal_class")):
            base_parts = metrics.class_parts(rows.assign(predicted=rows[column]), positive="tight")
            for metric in metrics.CLASS_METRICS:
                card.append(_card(SECTOR_CLASS_TARGET, int(horizon), metric, forecast.MODEL, baseline, model_parts,
                                  base_parts, periods, config))
    out["targets"].append({"target": SECTOR_CLASS_TARGET, "country": "NL", "kind": "forecast", "evaluable": 1,
                           "reason": "", "labelled_periods": _span(tested["target_row"].map(label)),
                           "about": "slack/normal/tight from the open/filled ratio forecast, against the section's "
                                    "own quartiles up to the origin"})
    out["forecast"] = _forecast_table(panel, all_forecasts, classes)
    tight = _tight_classifier(panel, reference, validation, evaluation, alphas["open_filled_ratio"], config)
    card += tight["card"]
    out["settings"] += tight["settings"]
    out["targets"].append(tight["target"])
    out["prediction"] = tight["prediction"]
    return out


def _forecast_table(panel: SectorPanel, forecasts: pd.DataFrame, classes: pd.DataFrame) -> pd.DataFrame:
    key = ["indicator", "kind", "row", "series", "horizon"]
    merged = forecasts.merge(classes[key + ["current", "predicted", "actual", "low", "high"]].rename(columns={
        "current": "current_class", "predicted": "predicted_class", "actual": "actual_class", "low": "class_low",
        "high": "class_high"}), on=key, how="left", suffixes=("", "_class"))
    scheme_code = [panel.series[s] for s in merged["series"]]
    table = pd.DataFrame({
        "indicator": merged["indicator"], "kind": merged["kind"], "country": "NL",
        "scheme": [s for s, _ in scheme_code], "code": [c for _, c in scheme_code],
        "origin_period": merged["row"].map(panel.label), "period": merged["target_row"].map(panel.label),
        "horizon": merged["horizon"], "forecast": merged["forecast"], "persistence": merged["persistence"],
        "seasonal_naive": merged["seasonal_naive"], "actual": merged["actual"],
        "current_class": merged["current_class"].fillna(""), "predicted_class": merged["predicted_class"].fillna(""),
        "actual_class": merged["actual_class"].replace("", None), "class_low": merged["class_low"],
        "class_high": merged["class_high"], "model": forecast.MODEL})
    return table.sort_values(["indicator", "kind", "scheme", "code", "origin_period", "horizon"]).reset_index(drop=True)


def _tight_classifier(panel: SectorPanel, reference: np.ndarray, validation: list[int], evaluation: list[int],
                      ratio_alpha: float, config: dict) -> dict:
    """The calibrated 'tight next quarter' classifier: backtest on sections, forecast for every series."""
    whole = sector_targets.tight_panel(panel, config, sector_targets.one_step_ratio_forecasts(
        panel, ratio_alpha, config, reference))
    sections = whole[whole["entity"].isin(reference)]
    choices = {}
    for feature_set, candidate_columns in sector_targets.FEATURE_SETS.items():
        c, briers = classify.choose_c(sections, candidate_columns, validation, config)
        choices[feature_set] = (briers[c], c, briers)
    feature_set = min(choices, key=lambda k: (choices[k][0], k))
    _, c, _ = choices[feature_set]
    columns = sector_targets.FEATURE_SETS[feature_set]
    tested = classify.backtest(sections, columns, evaluation, c, config)
    tested = tested.assign(predicted=(tested["probability"] >= 0.5) * 1.0, actual=tested["label"])
    periods = tested["label_row"].map(panel.label)
    model_parts = pd.concat([metrics.class_parts(tested), metrics.brier_parts(tested["probability"],
                                                                               tested["label"])], axis=1)
    base_parts = pd.concat([metrics.class_parts(tested.assign(predicted=tested["current"])),
                            metrics.brier_parts(tested["current"], tested["label"])], axis=1)
    card = [_card(SECTOR_TIGHT_TARGET, 1, m, classify.MODEL, classify.BASELINE, model_parts, base_parts, periods,
                  config) for m in CLASSIFIER_METRICS]
    latest = classify.predict_latest(whole, columns, c, config, train=sections)
    prediction = pd.concat([_prediction_rows(panel, tested.assign(top_indicators=""), "backtest"),
                            _prediction_rows(panel, latest, "forecast")], ignore_index=True)
    return {"card": card, "prediction": prediction,
            "settings": [{"key": f"{SECTOR_TIGHT_TARGET}.{name}", "value": f"{chosen_c!r} ({name == feature_set})",
                          "note": "validation Brier by C " + ", ".join(f"{k}: {v:.4f}" for k, v in briers.items())}
                         for name, (_, chosen_c, briers) in choices.items()]
                        + [{"key": f"{SECTOR_TIGHT_TARGET}.features", "value": feature_set,
                            "note": "feature set with the lowest validation Brier"}],
            "target": {"target": SECTOR_TIGHT_TARGET, "country": "NL", "kind": "classifier", "evaluable": 1,
                       "reason": "", "labelled_periods": _span(periods),
                       "about": "next quarter's open/filled ratio above the section's own 75th percentile "
                                "up to now (80472NED)"}}


def _prediction_rows(panel: SectorPanel, rows: pd.DataFrame, kind: str) -> pd.DataFrame:
    scheme_code = [panel.series[s] for s in rows["entity"]]
    actual = rows["label"].map({1.0: "tight", 0.0: "not_tight"}) if kind == "backtest" else None
    return pd.DataFrame({
        "target": SECTOR_TIGHT_TARGET, "kind": kind, "country": "NL", "region": "",
        "scheme": [s for s, _ in scheme_code], "code": [c for _, c in scheme_code],
        "origin_period": rows["row"].map(panel.label), "period": rows["label_row"].map(panel.label),
        "probability": rows["probability"],
        "predicted_class": np.where(rows["probability"] >= 0.5, "tight", "not_tight"),
        "current_class": rows["class_now"], "actual_class": actual, "top_indicators": rows["top_indicators"],
        "model": classify.MODEL})


def occupation_outputs(conn: sqlite3.Connection, occupation_values: pd.DataFrame, config: dict) -> dict:
    """VDAB and UWV targets: a backtest where complete labelled history exists, else the reason."""
    out = {"prediction": pd.DataFrame(), "card": [], "targets": []}
    predictions = []
    for name, target in config["targets"].items():
        assessment = occupation_targets.assess(conn, name, target, occupation_values)
        out["targets"].append(assessment)
        if not assessment["evaluable"]:
            out["card"] += _unevaluated(name, assessment["reason"], config, CLASSIFIER_METRICS)
            continue
        card, prediction = _occupation_classifier(conn, name, target, occupation_values, config)
        out["card"] += card
        predictions.append(prediction)
    if predictions:
        out["prediction"] = pd.concat(predictions, ignore_index=True)
    return out


def _occupation_classifier(conn: sqlite3.Connection, name: str, target: dict, occupation_values: pd.DataFrame,
                           config: dict) -> tuple[list[dict], pd.DataFrame]:
    """Backtest on the later half of the labelled origins (settings chosen on the earlier half); predict the next."""
    frame, columns, periods = occupation_targets.panel(conn, target, occupation_values,
                                                       settings.indicators("occupation"))
    origins = sorted(frame.loc[frame["label"].notna(), "row"].unique())[1:]
    validation, evaluation = origins[: len(origins) // 2], origins[len(origins) // 2:]
    candidates = config["classifier"]["c_candidates"]
    c = classify.choose_c(frame, columns, validation, config)[0] if validation else candidates[len(candidates) // 2]
    tested = classify.backtest(frame, columns, evaluation, c, config)
    if tested.empty:
        return _unevaluated(name, "too few labelled rows to fit a calibrated classifier", config,
                            CLASSIFIER_METRICS), pd.DataFrame()
    tested = tested.assign(predicted=(tested["probability"] >= 0.5) * 1.0, actual=tested["label"])
    label_periods = tested["label_row"].map(dict(enumerate(periods)))
    model_parts = pd.concat([metrics.class_parts(tested), metrics.brier_parts(tested["probability"],
                                                                               tested["label"])], axis=1)
    base_parts = pd.concat([metrics.class_parts(tested.assign(predicted=tested["current"])),
                            metrics.brier_parts(tested["current"], tested["label"])], axis=1)
    card = [_card(name, 1, m, classify.MODEL, classify.BASELINE, model_parts, base_parts, label_periods, config)
            for m in CLASSIFIER_METRICS]
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
