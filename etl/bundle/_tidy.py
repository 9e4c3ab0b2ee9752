"""Read the tidy long reference CSVs (../shared/reference/nl) into contract-shaped observation fields."""

from __future__ import annotations

import hashlib
import re
from decimal import Decimal
from pathlib import Path

import pandas as pd

from etl import periods

# Multiplier that turns a published figure into absolute units, by the CSV's `unit` text.
SCALE_BY_UNIT = {
    "x 1 000": Decimal(1000),
    "euro": Decimal(1),
    "uur": Decimal(1),
    # 80567NED publishes vacancies per 1,000 jobs; the contract's vacancy_rate is a percentage (33 -> 3.3).
    "vacatures per 1 000 banen van werknemers": Decimal("0.1"),
    "aantal per 100 werklozen": Decimal(1),
    "ratio": Decimal(1),
    "openstaande vacatures / WW-uitkeringen met verstreken duur < 6 mnd": Decimal(1),
    "aantal": Decimal(1),
    "aantal regio's": Decimal(1),
}
# Rows quoted from news, dashboards or press pages are figures from a publication, not a statistical table.
REPORTED_SOURCE_KINDS = {"news_quoting_cbs", "news_quoting_uwv", "cbs_dashboard_text", "uwv_page"}
DATE_IN_VINTAGE = re.compile(r"\d{4}-\d{2}-\d{2}")


class TidyError(ValueError):
    """A reference CSV row the bundler cannot translate; the message names the file and the row."""


def read(reference_dir: Path, name: str) -> pd.DataFrame:
    return pd.read_csv(Path(reference_dir) / name, dtype=str, keep_default_na=False)


def checksum(reference_dir: Path, name: str) -> str:
    return "sha256:" + hashlib.sha256((Path(reference_dir) / name).read_bytes()).hexdigest()


def status(status_text: str, source_kind: str) -> str:
    """Contract status from the CSV's status text and the kind of source the row was seen in."""
    if source_kind in REPORTED_SOURCE_KINDS:
        return "reported"
    if "voorlopig" in status_text.lower():
        return "provisional"
    return "final"


def scaled(value: str, unit: str, where: str) -> float:
    """The published figure in absolute units; exact decimal arithmetic so 89.8 thousand is 89800, not 89799.99."""
    if unit not in SCALE_BY_UNIT:
        raise TidyError(f"{where}: unit {unit!r} has no known multiplier")
    return float(Decimal(value) * SCALE_BY_UNIT[unit])


def period(code: str) -> str | None:
    """Contract period, or None for CBS series-break records (e.g. 2010X000) that have no contract equivalent."""
    try:
        return periods.from_cbs(code)
    except periods.PeriodError:
        return None


def latest_vintage_date(frame: pd.DataFrame) -> str:
    """The latest ISO date mentioned in the rows' vintage text ('' when none is given)."""
    dates = sorted({d for text in frame["vintage"] for d in DATE_IN_VINTAGE.findall(text)})
    return dates[-1] if dates else ""


def drop_repeated(rows: pd.DataFrame, key: list[str], where: str) -> pd.DataFrame:
    """Keep the first of rows that repeat a key with the same value (the same figure seen in two sources);
    a repeated key with a different value is a conflict the bundler must not settle silently."""
    repeated = rows[rows.duplicated(key, keep=False)]
    conflicts = repeated.groupby(key, dropna=False)["value"].nunique()
    if (conflicts > 1).any():
        first = conflicts[conflicts > 1].index[0]
        raise TidyError(f"{where}: different values for the same observation {first}")
    return rows.drop_duplicates(key, keep="first")
