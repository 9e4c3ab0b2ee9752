"""Scorecard rows: each method against each baseline as a paired difference, and which method the page shows."""

from __future__ import annotations

import pandas as pd

from etl.model import metrics

COLUMNS = ["target", "horizon", "metric", "model", "baseline", "value", "baseline_value", "diff_ci_low",
           "diff_ci_high", "n", "n_periods", "periods", "note", "model_version"]
NOMINAL = "nominal"  # the baseline of coverage_80: the interval's own promise, 0.8


def span(labels: pd.Series) -> str:
    ordered = sorted(pd.unique(labels))  # unique first: iterating a pandas string column is slow
    return f"{ordered[0]}..{ordered[-1]}" if ordered else ""


def row(target: str, horizon: int, metric: str, model: str, baseline: str, sums: metrics.PeriodSums,
        baseline_sums: metrics.PeriodSums | None, settings: dict, note: str = "") -> dict:
    summary = metrics.paired(sums, baseline_sums, metric, settings)
    if summary["diff_ci_low"] is None and baseline_sums is not None and not note:
        note = (f"no interval: {summary['n_periods']} periods (at least "
                f"{settings['backtest']['min_periods_for_interval']} needed)")
    return {"target": target, "horizon": horizon, "metric": metric, "model": model, "baseline": baseline,
            **{k: summary[k] for k in ("value", "baseline_value", "diff_ci_low", "diff_ci_high", "n", "n_periods")},
            "periods": span(sums.sums.index), "note": note, "model_version": settings["version"]}


def coverage(target: str, horizon: int, method: str, rows: pd.DataFrame, periods: pd.Series, settings: dict) -> dict:
    """Empirical coverage of a method's 80% interval against the nominal 0.8 (the interval: coverage - 0.8)."""
    parts = metrics.coverage_parts(rows[f"{method}_low"], rows[f"{method}_high"], rows["actual"])
    promised = settings["forecast"]["interval_coverage"]
    result = row(target, horizon, "coverage_80", method, NOMINAL, metrics.by_period(parts, periods),
                 metrics.by_period(parts.assign(coverage_80=promised), periods), settings)
    return result | {"baseline_value": promised}  # exactly the promise, not a sum of promises divided back


def shown(card: list[dict], target: str, horizon: int, metric: str, model: str, baselines: list[str]) -> dict:
    """The model where it beats the best baseline with the whole skill interval above zero; else that baseline.

    Skill is baseline minus model (lower is better for every metric used here), so its interval is the negated
    difference interval.
    """
    rows = {r["baseline"]: r for r in card if r["target"] == target and r["horizon"] == horizon
            and r["metric"] == metric and r["model"] == model and r["baseline"] in baselines}
    best = min(rows, key=lambda b: (rows[b]["baseline_value"], baselines.index(b)))
    chosen = rows[best]
    beats = chosen["diff_ci_high"] is not None and chosen["diff_ci_high"] < 0
    return {"target": target, "horizon": horizon, "metric": metric, "shown": model if beats else best,
            "best_baseline": best, "model_value": chosen["value"], "baseline_value": chosen["baseline_value"],
            "skill": chosen["baseline_value"] - chosen["value"],
            "skill_ci_low": None if chosen["diff_ci_high"] is None else -chosen["diff_ci_high"],
            "skill_ci_high": None if chosen["diff_ci_low"] is None else -chosen["diff_ci_low"]}
