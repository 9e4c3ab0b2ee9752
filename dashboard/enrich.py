"""Add labels, publisher, dataset title and licence to observation rows, in the page's language."""

from __future__ import annotations

import pandas as pd

from dashboard import database
from etl.observation import COLUMNS

LABEL_COLUMNS = ["indicator_label", "occupation_label", "sector_label", "publisher", "dataset_title", "licence"]
EXPORT_COLUMNS = COLUMNS + LABEL_COLUMNS


@database.per_version
def _labels(sql: str, key: tuple[str, ...], lang: str) -> dict:
    """Code -> label in `lang` (Dutch where no English label exists), kept per data version."""
    frame = database.current().query(sql)
    label = frame[f"label_{lang}"].where(frame[f"label_{lang}"] != "", frame["label_nl"])
    return dict(zip(zip(*(frame[k] for k in key), strict=True), label, strict=True))


def indicator_labels(lang: str) -> dict[str, str]:
    return {k[0]: v for k, v in _labels("SELECT indicator, label_nl, label_en FROM indicator", ("indicator",), lang).items()}


def occupation_labels(lang: str) -> dict[tuple[str, str], str]:
    return _labels("SELECT scheme, code, label_nl, label_en FROM occupation", ("scheme", "code"), lang)


def sector_labels(lang: str) -> dict[tuple[str, str], str]:
    return _labels("SELECT scheme, code, label_nl, label_en FROM sector", ("scheme", "code"), lang)


def datasets() -> pd.DataFrame:
    """The provenance table, indexed by dataset id."""
    return database.current().query("SELECT * FROM dataset ORDER BY dataset_id").set_index("dataset_id", drop=False)


def with_labels(rows: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Observation rows with EXPORT_COLUMNS: the contract's columns, then labels, publisher, title and licence."""
    out = rows.reindex(columns=COLUMNS).copy()
    indicators = indicator_labels(lang)
    occupations = occupation_labels(lang)
    sectors = sector_labels(lang)
    meta = datasets()
    title = meta["title_en"].where((meta["title_en"] != "") & (lang == "en"), meta["title"])
    out["indicator_label"] = out["indicator"].map(indicators).fillna("")
    out["occupation_label"] = [occupations.get((s, c), "") for s, c in
                               zip(out["occupation_scheme"], out["occupation_code"], strict=True)]
    out["sector_label"] = [sectors.get((s, c), "") for s, c in zip(out["sector_scheme"], out["sector_code"], strict=True)]
    out["publisher"] = out["dataset_id"].map(meta["publisher"]).fillna("")
    out["dataset_title"] = out["dataset_id"].map(title).fillna("")
    out["licence"] = out["dataset_id"].map(meta["licence"]).fillna("")
    return out[EXPORT_COLUMNS]
