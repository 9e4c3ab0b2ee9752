"""Sector series of 80472NED as quarter-by-series matrices (open vacancies, open/filled ratio), for forecasting."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from etl.model import calendar, features

TOTAL = ("", "")  # the all-sectors series: the macro cycle every sector forecast may lean on


@dataclass(frozen=True)
class SectorPanel:
    """values[indicator] is a (quarters x series) array; rows are consecutive quarters starting at first_q."""

    first_q: int
    series: list[tuple[str, str]]
    levels: list[str]
    values: dict[str, np.ndarray]

    @property
    def quarters(self) -> int:
        return next(iter(self.values.values())).shape[0]

    def label(self, row: int) -> str:
        return calendar.quarter_label(self.first_q + row)

    def row(self, period: str) -> int:
        return calendar.end_quarter(period) - self.first_q

    def reference(self, level: str) -> np.ndarray:
        """Indexes of the series at one level of the sector code list (e.g. NACE sections)."""
        return np.array([i for i, lvl in enumerate(self.levels) if lvl == level], dtype=int)

    def total(self) -> int | None:
        return self.series.index(TOTAL) if TOTAL in self.series else None


def build(vacancies: pd.DataFrame, levels: pd.DataFrame, min_filled: float) -> SectorPanel:
    """Matrices of open vacancies and the open/filled ratio (missing where filled < min_filled) per sector series."""
    if vacancies.empty:
        return SectorPanel(0, [], [], {"vacancies_open": np.empty((0, 0)), "open_filled_ratio": np.empty((0, 0))})
    frame = vacancies.assign(open_filled_ratio=features.open_filled_ratio(vacancies, min_filled))
    first, last = int(frame["end_q"].min()), int(frame["end_q"].max())
    series = sorted(set(zip(frame["scheme"], frame["code"], strict=True)))
    column = {s: i for i, s in enumerate(series)}
    values = {}
    for indicator in ("vacancies_open", "open_filled_ratio"):
        matrix = np.full((last - first + 1, len(series)), np.nan)
        rows = frame["end_q"].to_numpy() - first
        cols = np.array([column[s] for s in zip(frame["scheme"], frame["code"], strict=True)])
        matrix[rows, cols] = frame[indicator].to_numpy(dtype=float)
        values[indicator] = matrix
    level_of = {(s, c): lvl for s, c, lvl in zip(levels["scheme"], levels["code"], levels["level"], strict=True)}
    return SectorPanel(first, series, [level_of.get(s, "total" if s == TOTAL else "") for s in series], values)
