"""What a parser returns: observation rows plus the dataset, code-list rows that describe them."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

# A dataset's texts for people, in each page language (the English `publisher`, `licence` and `completeness` above are
# the maintainers' notes and stay as they are); empty where a source has not written them yet.
DATASET_TEXT_FIELDS = [f"{field}_{lang}" for field in ("publisher", "licence", "completeness") for lang in ("nl", "en")]
DATASET_FIELDS = [
    "dataset_id", "source", "publisher", "table_id", "title", "title_en", "url", "licence",
    "retrieved_at", "origin", "checksum", "completeness", "replaced_by", "note",
    *DATASET_TEXT_FIELDS,
]


def dataset_texts(publisher: tuple[str, str], licence: tuple[str, str], completeness: tuple[str, str]) -> dict:
    """A parser's dataset texts for people, each given as (Dutch, English), as DATASET_TEXT_FIELDS names them."""
    texts = {"publisher": publisher, "licence": licence, "completeness": completeness}
    return {f"{field}_{lang}": pair[i] for field, pair in texts.items() for i, lang in enumerate(("nl", "en"))}


OCCUPATION_FIELDS = ["scheme", "code", "level", "parent_code", "label_nl", "label_en"]
SECTOR_FIELDS = ["scheme", "code", "level", "label_nl", "label_en"]
CONTEXT_FIELDS = [
    "fact_id", "sector_id", "country", "period", "topic", "statement_nl", "statement_en", "value", "unit",
    "publisher", "publication", "published", "source_url",
]


@dataclass
class Parsed:
    """Rows for the data product from one input; empty frames where an input has nothing of a kind."""

    observations: pd.DataFrame
    datasets: pd.DataFrame
    occupations: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=OCCUPATION_FIELDS))
    sectors: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=SECTOR_FIELDS))
    context: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=CONTEXT_FIELDS))
