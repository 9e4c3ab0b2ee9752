"""What the data product holds, in one language: the dataset catalogue with its coverage, and the indicator vocabulary."""

from __future__ import annotations

import pandas as pd

from dashboard import database
from dashboard.i18n import text

CATALOGUE_COLUMNS = ["dataset_id", "source", "publisher", "table_id", "title", "licence", "first_period", "last_period",
                     "period_count", "row_count", "retrieved_at", "origin", "completeness", "replaced_by", "url"]
# A dataset's texts a page shows in its own language (dataset columns `<field>_nl` and `<field>_en`).
TEXT_FIELDS = ("publisher", "licence", "completeness")
INDICATOR_COLUMNS = ["indicator", "label_nl", "label_en", "unit", "description_en", "row_count"]


def in_language(datasets: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Dataset rows with publisher, licence and completeness in the page's language where the dataset has them.

    A dataset without texts in that language (a source that has not written them) keeps its maintainers' English note.
    """
    out = datasets.copy()
    for field in TEXT_FIELDS:
        column = f"{field}_{lang}"
        if column in out:
            out[field] = out[column].where(out[column].fillna("") != "", out[field])
    return out


@database.per_version
def catalogue(lang: str) -> pd.DataFrame:
    """One row per dataset: provenance, coverage as computed at build, origin in words (read-only, shared)."""
    rows = in_language(database.current().query("SELECT * FROM dataset ORDER BY source, dataset_id"), lang)
    title = rows["title_en"].where((rows["title_en"] != "") & (lang == "en"), rows["title"])
    period_count = rows["periods"].map(lambda periods: len(periods.split(",")) if periods else 0)
    origin = rows["origin"].map(lambda origin: text("origin." + origin, lang))
    return rows.assign(title=title, period_count=period_count, origin=origin)[CATALOGUE_COLUMNS].reset_index(drop=True)


@database.per_version
def indicators() -> pd.DataFrame:
    """The indicator vocabulary with the number of observation rows of each (0 when none is loaded yet)."""
    return database.current().query(
        # A count per indicator, not a LEFT JOIN: SQLite would materialise the whole observation view for that.
        "SELECT i.indicator, i.label_nl, i.label_en, i.unit, i.description_en, "
        "(SELECT COUNT(*) FROM observation o WHERE o.indicator = i.indicator) AS row_count "
        "FROM indicator i ORDER BY i.indicator")[INDICATOR_COLUMNS]
