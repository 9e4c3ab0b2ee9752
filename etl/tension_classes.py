"""UWV's tension classes (very slack ... very tight): the class a tension ratio falls in, for the ETL and the dashboard."""

from __future__ import annotations

import csv
from functools import cache

from etl.observation import DEFINITIONS_DIR

CLASSES_FILE = DEFINITIONS_DIR / "uwv_tension_classes.csv"


@cache
def classes() -> tuple[dict[str, str], ...]:
    """The classes as published: class, label_nl, label_en, lower, upper (an empty bound is open)."""
    with open(CLASSES_FILE, encoding="utf-8", newline="") as handle:
        return tuple(csv.DictReader(handle))


def tension_class(ratio: float) -> str:
    """UWV's class of a tension ratio: lower bound inclusive, upper bound exclusive."""
    for row in classes():
        lower = float(row["lower"]) if row["lower"] else float("-inf")
        upper = float(row["upper"]) if row["upper"] else float("inf")
        if lower <= ratio < upper:
            return row["class"]
    raise ValueError(f"tension ratio {ratio} falls in no class of {CLASSES_FILE.name}")


def label(class_name: str, lang: str) -> str:
    """The class's name in `lang` (nl or en)."""
    return next(row[f"label_{lang}"] for row in classes() if row["class"] == class_name)
