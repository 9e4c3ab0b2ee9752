"""Read the tidy long reference CSVs (../shared/reference/nl) into contract-shaped observation fields."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pandas as pd

from etl import periods
from etl.sources import cbs_mapping

# Rows quoted from news, dashboards or press pages are figures from a publication, not a statistical table.
REPORTED_SOURCE_KINDS = {"news_quoting_cbs", "news_quoting_uwv", "cbs_dashboard_text", "uwv_page"}
DATE_IN_VINTAGE = re.compile(r"\d{4}-\d{2}-\d{2}")
# Code-hosting sites hold copies of files: never the publisher's page for a number (the contract's source_url).
CODE_HOSTING = re.compile(r"github|gitlab|bitbucket|codeberg|sourceforge", re.IGNORECASE)


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
    """The published figure in absolute units (the multipliers are the live CBS path's, cbs_units.csv)."""
    return cbs_mapping.scaled(value, cbs_mapping.unit_factor(unit, where))


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


def publisher_page(source_url: str, page: str) -> str:
    """The publisher's page for a figure transcribed from a third-party copy; any other source stays as it is."""
    return page if CODE_HOSTING.search(source_url) else source_url


def transcription_note(source_urls: pd.Series) -> str:
    """A sentence for the dataset's note naming the third-party copies its figures came through ('' when none)."""
    routes = sorted({url for url in source_urls if CODE_HOSTING.search(url)})
    if not routes:
        return ""
    return (" Transcribed from third-party copies of the publisher's figures (each row's source_url is the "
            f"publisher's page instead): {'; '.join(routes)}.")


def drop_repeated(rows: pd.DataFrame, key: list[str], where: str) -> pd.DataFrame:
    """Keep the first of rows that repeat a key with the same value (the same figure seen in two sources);
    a repeated key with a different value is a conflict the bundler must not settle silently."""
    repeated = rows[rows.duplicated(key, keep=False)]
    conflicts = repeated.groupby(key, dropna=False)["value"].nunique()
    if (conflicts > 1).any():
        first = conflicts[conflicts > 1].index[0]
        raise TidyError(f"{where}: different values for the same observation {first}")
    return rows.drop_duplicates(key, keep="first")
