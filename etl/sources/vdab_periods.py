"""Arvastat period labels: Dutch 12-month windows ('mei 2025 - april 2026') and English months ('January 2026')."""

from __future__ import annotations

import re

from etl.errors import ContractError

DUTCH_MONTHS = {
    "januari": 1, "februari": 2, "maart": 3, "april": 4, "mei": 5, "juni": 6,
    "juli": 7, "augustus": 8, "september": 9, "oktober": 10, "november": 11, "december": 12,
}
ENGLISH_MONTHS = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6,
    "july": 7, "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
}
WINDOW_MONTHS = 12
DUTCH_WINDOW = re.compile(r"^\s*([a-z]+)\s+(\d{4})\s*-\s*([a-z]+)\s+(\d{4})\s*$", re.IGNORECASE)
ENGLISH_MONTH = re.compile(r"^\s*([A-Za-z]+)\s+(\d{4})\s*$")


class PeriodLabelError(ContractError):
    """A period label that is not in the documented Arvastat form."""


def _month(name: str, months: dict[str, int], label: str) -> int:
    number = months.get(name.lower())
    if number is None:
        raise PeriodLabelError(f"unknown month {name!r} in period label {label!r}")
    return number


def window_end(label: str) -> str:
    """'januari 2017 - december 2017' -> '2017-12': a 12-month window is filed under its last month."""
    match = DUTCH_WINDOW.match(label)
    if not match:
        raise PeriodLabelError(f"not an Arvastat window label like 'mei 2025 - april 2026': {label!r}")
    first = int(match[2]) * 12 + _month(match[1], DUTCH_MONTHS, label) - 1
    last = int(match[4]) * 12 + _month(match[3], DUTCH_MONTHS, label) - 1
    if last - first + 1 != WINDOW_MONTHS:
        raise PeriodLabelError(f"period label {label!r} spans {last - first + 1} months, not {WINDOW_MONTHS}")
    return f"{last // 12}-{last % 12 + 1:02d}"


def english_month(label: str) -> str:
    """'January 2026' -> '2026-01' (Arvastat's monthly files label months in English)."""
    match = ENGLISH_MONTH.match(str(label))
    if not match:
        raise PeriodLabelError(f"not an Arvastat month label like 'January 2026': {label!r}")
    return f"{match[2]}-{_month(match[1], ENGLISH_MONTHS, label):02d}"
