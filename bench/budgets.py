"""The performance budgets of issue 13: each contract figure, what it is measured against, and its bound."""

from __future__ import annotations

import functools
import tomllib
from pathlib import Path

BUDGETS_FILE = Path(__file__).with_name("budgets.toml")


@functools.cache
def budgets() -> dict[str, dict]:
    """figure -> direction ("<=" or ">="), bound, reference, and for ratios the figure and unit behind the reference."""
    return tomllib.loads(BUDGETS_FILE.read_text("utf-8"))


def met(figure: str, value: float) -> bool | None:
    budget = budgets().get(figure)
    if budget is None:
        return None
    return value <= budget["bound"] if budget["direction"] == "<=" else value >= budget["bound"]


def annotate(results: dict[str, dict]) -> dict[str, dict]:
    """Add budget, met and (for ratios) the reference's value to each contract figure."""
    for figure, budget in budgets().items():
        if figure not in results:
            continue
        entry = results[figure]
        entry.update(budget=f"{budget['direction']} {budget['bound']:g}", met=met(figure, entry["value"]),
                     reference=budget["reference"])
        if budget.get("reference_figure") in results:
            entry["reference_value"] = results[budget["reference_figure"]]["value"]
    return results


def markdown(results: dict[str, dict], commit: str) -> str:
    lines = [f"# Benchmark results (`make bench`, commit {commit})", "",
             "| figure | ours | unit | reference | budget | met? |", "|---|---|---|---|---|---|"]
    for figure, budget in budgets().items():
        if figure not in results:
            lines.append(f"| `{figure}` | not measured | | {budget['reference']} | {budget['direction']} "
                         f"{budget['bound']:g} | no |")
            continue
        entry = results[figure]
        reference = entry["reference"]
        if "reference_value" in entry:
            reference += f" ({entry['reference_value']:g} {budget['reference_unit']})"
        lines.append(f"| `{figure}` | {entry['value']:g} | {entry['unit']} | {reference} | {entry['budget']} | "
                     f"{'yes' if entry['met'] else 'no'} |")
    others = [f for f in results if f not in budgets()]
    if others:
        lines += ["", "Other figures:", "", "| figure | value | unit |", "|---|---|---|"]
        lines += [f"| `{f}` | {results[f]['value']:g} | {results[f]['unit']} |" for f in others]
    return "\n".join(lines) + "\n"
