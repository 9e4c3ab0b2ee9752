"""Sector forecasts with intervals and tension-class probabilities, backtested: the sector half of the model's outputs.

Only this half needs statsmodels (ETS) and scikit-learn (calibration), loaded where they first run: a build computes
the vacancies' ETS forecasts and the whole open/filled ratio in a second process (etl/model/sector_worker.py) while
the first scores and backtests the vacancies, so neither process waits long for the other.
"""

from __future__ import annotations

import sqlite3
from concurrent.futures import Future
from typing import NamedTuple

import numpy as np
import pandas as pd

from etl.model import features, metrics, scorecard, sector, tension
from etl.model.panel import SectorPanel
from etl.model.panel import build as build_panel

SECTOR_FORECAST_TARGETS = {"vacancies_open": "nl_sector_vacancies_open",
                           "open_filled_ratio": "nl_sector_open_filled_ratio"}
SECTOR_CLASS_TARGET = "nl_sector_tension_class"
FORECAST_METRICS = ["mase", "mae"]
CLASS_METRICS = ["brier", "rps", "change_f1"]


class InWorker(NamedTuple):
    """The worker's share, asked for before this process scores: the vacancies' ETS forecasts, the ratio's forecasts."""

    vacancies_ets: Future
    ratio: Future


def outputs(conn: sqlite3.Connection, config: dict, in_worker: InWorker | None = None) -> dict:
    """from_panel on the 80472NED series in conn; with in_worker, only the open vacancies are computed here."""
    panel = read_panel(conn, config)
    backtest = windows(panel, config)
    if in_worker is None or backtest is None:
        return from_panel(panel, config)
    vacancies = indicator_part(panel, "vacancies_open", config, *backtest, etsf=in_worker.vacancies_ets.result())
    return merged([vacancies, scored(*in_worker.ratio.result(), panel, "open_filled_ratio", config, backtest[1])])


def read_panel(conn: sqlite3.Connection, config: dict) -> SectorPanel:
    levels = features.read(conn, "SELECT scheme, code, level FROM sector")
    return build_panel(features.sector_vacancies(conn), levels, config["tension"]["min_filled_for_ratio"])


def windows(panel: SectorPanel, config: dict) -> tuple[np.ndarray, dict[str, int]] | None:
    """(reference sections, backtest windows); None when the panel cannot cover the validation and evaluation."""
    reference = panel.reference(config["tension"]["reference_level"]) if panel.series else np.array([], dtype=int)
    at = sector.windows(panel, config) if panel.series else {}
    if len(reference) < 2 or not at or at["evaluation_start"] <= at["validation_start"] or at["evaluation_start"] > at["last"]:
        return None
    return reference, at


def _target(name: str, evaluable: bool, reason: str, periods: str, about: str) -> dict:
    return {"target": name, "country": "NL", "kind": "forecast", "evaluable": int(evaluable), "reason": reason,
            "labelled_periods": periods, "about": about}


def _empty() -> dict:
    return {"forecast": pd.DataFrame(), "card": [], "targets": [], "settings": [], "shown": [],
            "reliability": pd.DataFrame()}


def from_panel(panel: SectorPanel, config: dict) -> dict:
    """Forecasts with intervals and tension-class probabilities per NACE section, their scorecard and shown methods."""
    backtest = windows(panel, config)
    if backtest is None:
        reason = "no quarterly 80472NED series by NACE section covering the validation and evaluation windows"
        names = list(SECTOR_FORECAST_TARGETS.values()) + [SECTOR_CLASS_TARGET]
        return _empty() | {"targets": [_target(name, False, reason, "", "") for name in names]}
    return merged([indicator_part(panel, indicator, config, *backtest) for indicator in SECTOR_FORECAST_TARGETS])


def merged(parts: list[dict]) -> dict:
    """The indicators' parts as one, in the order given (the order from_panel computes them in)."""
    out = _empty()
    for part in parts:
        for key in ("card", "targets", "settings", "shown"):
            out[key] += part[key]
        if len(part["reliability"]):
            out["reliability"] = part["reliability"]
    out["forecast"] = pd.concat([part["forecast"] for part in parts], ignore_index=True)
    return out


def indicator_part(panel: SectorPanel, indicator: str, config: dict, reference: np.ndarray, at: dict[str, int],
                   etsf: dict[int, np.ndarray] | None = None) -> dict:
    """One indicator's forecasts, scorecard rows, chosen settings, shown methods and targets (the ratio's classes too)."""
    return scored(*forecasts(panel, indicator, config, reference, at, etsf), panel, indicator, config, at)


def forecasts(panel: SectorPanel, indicator: str, config: dict, reference: np.ndarray, at: dict[str, int],
              etsf: dict[int, np.ndarray] | None = None) -> tuple[pd.DataFrame, list[dict]]:
    """Every method's forecasts from every origin with their intervals (the ratio's classes too), and the settings."""
    frame = sector.candidates(panel, indicator, config, reference, at, etsf)
    alpha, weights, scores = sector.choose(frame, config, at)
    chosen = _chosen(SECTOR_FORECAST_TARGETS[indicator], alpha, weights, scores, panel)
    frame = sector.add_intervals(sector.combine(frame, alpha, weights), config)
    if indicator == "open_filled_ratio":
        frame = sector.add_classes(frame, panel, config)
    return frame, chosen


def scored(frame: pd.DataFrame, chosen: list[dict], panel: SectorPanel, indicator: str, config: dict,
           at: dict[str, int]) -> dict:
    """indicator_part from forecasts(): the scorecard rows, shown methods, targets and stored forecast rows."""
    out = _empty() | {"settings": chosen}
    target = SECTOR_FORECAST_TARGETS[indicator]
    evaluated = frame[frame["reference"] & (frame["row"] >= at["evaluation_start"])
                      & frame[sector.METHODS + ["actual", "scale"]].notna().all(axis=1)]
    periods_all = evaluated["target_row"].map(panel.label)
    for horizon, rows in evaluated.groupby("horizon"):
        periods = periods_all.loc[rows.index]
        model_sums = metrics.by_period(metrics.forecast_parts(rows[sector.MODEL], rows["actual"], rows["scale"]),
                                       periods)
        for baseline in sector.BASELINES:
            base_sums = metrics.by_period(metrics.forecast_parts(rows[baseline], rows["actual"], rows["scale"]),
                                          periods)
            for metric in FORECAST_METRICS:
                out["card"].append(scorecard.row(target, int(horizon), metric, sector.MODEL, baseline, model_sums,
                                                 base_sums, config))
        choice = scorecard.shown(out["card"], target, int(horizon), "mase", sector.MODEL, sector.BASELINES)
        out["shown"].append(choice)
        for method in dict.fromkeys([sector.MODEL, choice["shown"]]):
            out["card"].append(scorecard.coverage(target, int(horizon), method, rows, periods, config))
    out["targets"].append(_target(target, True, "", scorecard.span(periods_all),
                                  f"{indicator} per NACE section, 1-4 quarters ahead (80472NED)"))
    if indicator == "open_filled_ratio":
        out["card"] += _class_card(frame, panel, at, config, out)
    out["forecast"] = _forecast_rows(frame, panel, indicator, at, out["shown"], target)
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
            parts[name] = metrics.by_period(pd.concat([
                metrics.probability_parts(chances, outcome, sector.TIGHT, rows.index),
                metrics.change_parts(rows["current_class"], predicted, rows["actual_class"])], axis=1), periods)
        for baseline in sector.CLASS_BASELINES:
            for metric in CLASS_METRICS:
                card.append(scorecard.row(SECTOR_CLASS_TARGET, int(horizon), metric, sector.MODEL, baseline,
                                          parts[sector.MODEL], parts[baseline], config,
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
