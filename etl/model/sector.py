"""Sector forecasts (open vacancies, open/filled ratio) and tension-class probabilities: every method from every origin.

Settings (ridge penalty, ridge/ETS weight) are chosen on validation origins whose targets all fall before the
evaluation window; intervals, probabilities and their calibration at origin t use only forecasts whose targets are <= t.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from etl.model import ets, forecast, tension, uncertainty
from etl.model.panel import SectorPanel

MODEL = "ridge_ets"
BASELINES = forecast.SIMPLE_BASELINES + [ets.NAME]
METHODS = [MODEL] + BASELINES
CLASS_BASELINES = ["markov", "persistence"]
TIGHT = tension.ORDER.index(tension.TIGHT)


def forecast_series(panel: SectorPanel, reference: np.ndarray) -> np.ndarray:
    """The series forecast and shown: the reference sections (the backtest's own) and the all-sectors total."""
    total = panel.total()
    return np.union1d(reference, [total]) if total is not None else reference


def windows(panel: SectorPanel, settings: dict) -> dict[str, int]:
    backtest = settings["backtest"]
    return {"validation_start": max(panel.row(backtest["validation_origins"][0]), 0),
            "evaluation_start": panel.row(backtest["evaluation_start"]), "last": panel.quarters - 1}


def _long(matrices: dict[str, np.ndarray], origins: np.ndarray, series: np.ndarray) -> pd.DataFrame:
    rows, columns = np.meshgrid(origins, series, indexing="ij")
    frame = pd.DataFrame({"row": rows.ravel(), "series": columns.ravel()})
    for name, matrix in matrices.items():
        frame[name] = matrix[rows.ravel(), columns.ravel()]
    return frame


def _mase(frame: pd.DataFrame, column: str) -> float:
    return float(((frame[column] - frame["actual"]).abs() / frame["scale"]).mean())


def ets_forecasts(panel: SectorPanel, indicator: str, settings: dict, reference: np.ndarray,
                  at: dict[str, int]) -> dict[int, np.ndarray]:
    """The ETS baseline's forecasts (ets.forecasts) of the series candidates() forecasts, fitted up to validation."""
    config = settings["forecast"]
    return ets.forecasts(panel.values[indicator], config["horizons"], config["season"], at["validation_start"],
                         config["ets_min_quarters"], forecast_series(panel, reference))


def candidates(panel: SectorPanel, indicator: str, settings: dict, reference: np.ndarray, at: dict[str, int],
               etsf: dict[int, np.ndarray] | None = None) -> pd.DataFrame:
    """One row per origin (validation start .. last), series and horizon: every candidate forecast and the actual.

    etsf: ets_forecasts() when computed elsewhere (statsmodels may be loaded in another process only).
    """
    config = settings["forecast"]
    season = config["season"]
    levels = panel.values[indicator]
    series = forecast_series(panel, reference)
    origins = np.arange(at["validation_start"], at["last"] + 1)
    if etsf is None:
        etsf = ets_forecasts(panel, indicator, settings, reference, at)
    scale = forecast.seasonal_scale(levels, season)
    parts = []
    for h in config["horizons"]:
        ridge = forecast.ridge(panel, indicator, h, list(origins), settings, reference)
        matrices = {"actual": forecast.shift(levels, -h), "scale": scale, **forecast.baselines(levels, h, season),
                    ets.NAME: etsf[h], **{f"ridge_{a}": m for a, m in ridge.items()}}
        parts.append(_long(matrices, origins, series).assign(horizon=h, target_row=lambda f, h=h: f["row"] + h))
    out = pd.concat(parts, ignore_index=True)
    out["reference"] = out["series"].isin(reference)
    return out


def choose(frame: pd.DataFrame, settings: dict, at: dict[str, int]) -> tuple[float, dict[int, float], dict]:
    """Ridge penalty (all horizons) and ridge weight per horizon with the lowest validation MASE, with the scores."""
    config = settings["forecast"]
    alphas = config["ridge_alpha_candidates"]
    ridge_columns = [f"ridge_{a}" for a in alphas]
    validation = frame[frame["reference"] & (frame["row"] < at["evaluation_start"])
                       & (frame["target_row"] < at["evaluation_start"])]
    validation = validation.dropna(subset=["actual", "scale", ets.NAME, *forecast.SIMPLE_BASELINES, *ridge_columns])
    by_alpha = {a: _mase(validation, f"ridge_{a}") for a in alphas}
    # On a flat optimum the strongest penalty within the tolerance of the best wins: the simpler fit, not the edge.
    best = min(by_alpha.values())
    alpha = max(a for a, e in by_alpha.items() if e <= best * (1 + config["ridge_alpha_tolerance"]))
    weights, by_weight = {}, {}
    for h, rows in validation.groupby("horizon"):
        log_ridge, log_ets = np.log(rows[f"ridge_{alpha}"]), np.log(rows[ets.NAME])
        scores = {w: _mase(rows.assign(mix=np.exp(w * log_ridge + (1 - w) * log_ets)), "mix")
                  for w in config["ridge_weight_candidates"]}
        weights[int(h)] = min(scores, key=lambda w: (scores[w], w))
        by_weight[int(h)] = scores
    periods = f"{validation['row'].min()}..{validation['target_row'].max()}" if len(validation) else ""
    return alpha, weights, {"alpha": by_alpha, "weight": by_weight, "rows": len(validation), "span": periods}


def combine(frame: pd.DataFrame, alpha: float, weights: dict[int, float]) -> pd.DataFrame:
    """The model: exp(w log ridge + (1 - w) log ETS) with the chosen penalty and weight."""
    w = frame["horizon"].map(weights)
    ridge = frame[f"ridge_{alpha}"]
    model = np.exp(w * np.log(ridge) + (1 - w) * np.log(frame[ets.NAME]))
    keep = [c for c in frame.columns if not c.startswith("ridge_")]
    return frame[keep].assign(**{forecast.RIDGE: ridge, MODEL: model})


def _by_origin(rows: pd.DataFrame) -> list[tuple[int, np.ndarray]]:
    """(origin row, positions in rows) for each origin, in order."""
    origins = rows["row"].to_numpy()
    order = np.argsort(origins, kind="stable")
    starts = np.flatnonzero(np.r_[True, np.diff(origins[order]) != 0])
    return [(int(origins[order[i]]), part) for i, part in zip(starts, np.split(order, starts[1:]), strict=True)]


def add_intervals(frame: pd.DataFrame, settings: dict) -> pd.DataFrame:
    """low/high 80% bounds for every method at every origin, from that method's errors known by then."""
    config = settings["forecast"]
    complete = (frame["reference"] & frame[METHODS + ["actual"]].notna().all(axis=1)).to_numpy()
    bounds = {f"{m}_{side}": np.full(len(frame), np.nan) for m in METHODS for side in ("low", "high")}
    for _, rows in frame.groupby("horizon"):
        positions = frame.index.get_indexer(rows.index)
        past = complete[positions]
        by_origin = _by_origin(rows)
        for method in METHODS:
            values = rows[method].to_numpy()
            known = uncertainty.KnownErrors(rows["target_row"].to_numpy()[past],
                                            np.log(rows["actual"].to_numpy()[past] / values[past]))
            for origin, part in by_origin:
                low, high = uncertainty.interval(values[part], known.at(origin), config["interval_coverage"],
                                                 config["interval_min_errors"])
                bounds[f"{method}_low"][positions[part]], bounds[f"{method}_high"][positions[part]] = low, high
    return frame.assign(**bounds)


CLASS_COLUMNS = {"prob": ["prob_slack", "prob_normal", "prob_tight"],
                 "markov": ["markov_slack", "markov_normal", "markov_tight"]}


def add_classes(frame: pd.DataFrame, panel: SectorPanel, settings: dict) -> pd.DataFrame:
    """Tension classes now and at the target (both against the thresholds as of the origin) and class probabilities.

    prob_*: from the model's forecast distribution, calibrated (isotonic) on earlier pairs; markov_*: Markov
    persistence counted on earlier pairs.
    """
    ratio = panel.values["open_filled_ratio"]
    low, high = tension.thresholds(ratio, settings)
    at = (frame["row"].to_numpy(), frame["series"].to_numpy())
    frame = frame.assign(class_low=low[at], class_high=high[at],
                         current_class=tension.class_index(ratio[at], low[at], high[at]),
                         actual_class=tension.class_index(frame["actual"].to_numpy(), low[at], high[at]))
    probability, min_errors = settings["probability"], settings["forecast"]["interval_min_errors"]
    chances = {name: np.full((len(frame), len(tension.ORDER)), np.nan) for name in CLASS_COLUMNS}
    for _, rows in frame.groupby("horizon"):
        positions = frame.index.get_indexer(rows.index)
        model, actual = rows[MODEL].to_numpy(), rows["actual"].to_numpy()
        current, outcome = rows["current_class"].to_numpy(), rows["actual_class"].to_numpy()
        target_rows, reference = rows["target_row"].to_numpy(), rows["reference"].to_numpy()
        has_error = reference & ~np.isnan(model) & ~np.isnan(actual)
        known = uncertainty.KnownErrors(target_rows[has_error], np.log(actual[has_error] / model[has_error]))
        raw = np.full((len(rows), 2), np.nan)  # P(below the slack bar), P(above the tight bar), uncalibrated
        by_origin = _by_origin(rows)
        for origin, part in by_origin:
            usable = part[(current[part] >= 0) & ~np.isnan(model[part])]
            errors = known.at(origin)
            if len(usable) and len(errors) >= min_errors:
                raw[usable] = np.c_[uncertainty.below_above(
                    np.log(model[usable]), np.log(rows["class_low"].to_numpy()[usable]),
                    np.log(rows["class_high"].to_numpy()[usable]), errors)]
        labelled = reference & (outcome >= 0) & (current >= 0)
        paired = labelled & ~np.isnan(raw[:, 1])
        for origin, part in by_origin:
            usable = part[current[part] >= 0]
            if not len(usable):
                continue
            earlier = labelled & (target_rows <= origin)
            chances["markov"][positions[usable]] = uncertainty.markov(
                current[usable], current[earlier], outcome[earlier], len(tension.ORDER), probability["markov_prior"])
            usable = usable[~np.isnan(raw[usable, 1])]
            if not len(usable):
                continue
            known_pairs = paired & (target_rows <= origin)
            slack, tight = (uncertainty.calibrate(raw[usable, side], raw[known_pairs, side],
                                                  (outcome[known_pairs] == event) * 1.0, probability["min_pairs"])
                            for side, event in ((0, 0), (1, TIGHT)))
            total = np.maximum(slack + tight, 1.0)  # two separate fits may together exceed one: scale both down
            slack, tight = slack / total, tight / total
            chances["prob"][positions[usable]] = np.c_[slack, 1 - slack - tight, tight]
    return frame.assign(**{column: chances[name][:, i] for name, columns in CLASS_COLUMNS.items()
                           for i, column in enumerate(columns)})
