"""Quarter arithmetic for contract periods ('2025', '2025-Q4', '2025-03', '2025-H2'), so mixed frequencies line up."""

from __future__ import annotations


def end_quarter(period: str) -> int:
    """Index of the quarter in which a period ends (year * 4 + quarter - 1): '2025' and '2025-Q4' share one."""
    year, rest = int(period[:4]), period[5:]
    if not rest:
        return year * 4 + 3
    if rest.startswith("Q"):
        return year * 4 + int(rest[1]) - 1
    if rest.startswith("H"):
        return year * 4 + int(rest[1]) * 2 - 1
    return year * 4 + (int(rest) - 1) // 3


def quarter_label(index: int) -> str:
    """Inverse of end_quarter for quarters: 8099 -> '2024-Q4'."""
    return f"{index // 4}-Q{index % 4 + 1}"


def year_earlier(period: str) -> str:
    """The same period one year earlier, at the same frequency ('2025-Q4' -> '2024-Q4', '2024' -> '2023')."""
    return f"{int(period[:4]) - 1}{period[4:]}"


def is_quarter(period: str) -> bool:
    return period[5:6] == "Q"


def next_period(period: str) -> str:
    """The following period at the same frequency: '2026' -> '2027', '2023-Q4' -> '2024-Q1'."""
    if len(period) == 4:
        return str(int(period) + 1)
    if is_quarter(period):
        return quarter_label(end_quarter(period) + 1)
    raise ValueError(f"no next period defined for {period!r}")
