"""Translate publishers' period codes (CBS `2025KW04`, `2024JJ00`, `2023MM03`) into contract periods."""

from __future__ import annotations

import re

from etl.errors import ContractError

CBS_PERIOD = re.compile(r"^(\d{4})(JJ|KW|MM|HJ|X0)(\d{2})$")


class PeriodError(ContractError):
    """A period code that cannot be read."""


def from_cbs(code: str) -> str:
    """`2025KW04` -> `2025-Q4`, `2024JJ00` -> `2024`, `2023MM03` -> `2023-03`; series-break records raise."""
    match = CBS_PERIOD.match(code.strip())
    if not match:
        raise PeriodError(f"not a CBS period code: {code!r}")
    year, kind, number = match.groups()
    if kind == "JJ":
        return year
    if kind == "KW" and 1 <= int(number) <= 4:
        return f"{year}-Q{int(number)}"
    if kind == "MM" and 1 <= int(number) <= 12:
        return f"{year}-{number}"
    if kind == "HJ" and int(number) in (1, 2):
        return f"{year}-H{int(number)}"
    raise PeriodError(f"CBS period {code!r} has no contract equivalent (series-break or unknown record)")


def sort_key(period: str) -> tuple[int, int]:
    """Order periods of mixed frequency: a year sorts after its quarters and months."""
    year = int(period[:4])
    rest = period[5:]
    if not rest:
        return (year, 99)
    if rest.startswith("Q"):
        return (year, int(rest[1]) * 3)
    if rest.startswith("H"):
        return (year, int(rest[1]) * 6)
    return (year, int(rest))
