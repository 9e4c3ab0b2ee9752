"""Find occupations in every code list by name (Dutch or English, diacritics ignored) or by code, through the FTS5 index."""

from __future__ import annotations

import re

import pandas as pd

from dashboard import database

SCHEMES = ("brc2014", "brc2014e2025", "isco08", "vdab", "uwv")
RESULT_LIMIT = 25
# Words of the query become prefix terms; everything else (quotes, operators, brackets) is dropped, so a user's text
# can never be read as FTS5 syntax.
WORD = re.compile(r"\w+", re.UNICODE)
MAX_WORDS = 8


@database.per_version
def code_list() -> pd.DataFrame:
    """Every occupation of the searchable schemes: scheme, code, level, parent_code, label_nl, label_en."""
    marks = ", ".join("?" for _ in SCHEMES)
    return database.current().query(
        f"SELECT scheme, code, level, parent_code, label_nl, label_en FROM occupation WHERE scheme IN ({marks}) "
        "ORDER BY scheme, code", SCHEMES)


@database.per_version
def known_codes() -> frozenset[tuple[str, str]]:
    rows = code_list()
    return frozenset(zip(rows["scheme"], rows["code"], strict=True))


def occupation(scheme: str, code: str) -> dict | None:
    """One code-list row as a dict, or None when the code is not in the scheme's list."""
    rows = code_list()
    found = rows[(rows["scheme"] == scheme) & (rows["code"] == code)]
    return found.iloc[0].to_dict() if len(found) else None


def label(row: dict, lang: str) -> str:
    """The occupation's name in `lang`, the Dutch one where the code list has no English label."""
    return row.get(f"label_{lang}") or row.get("label_nl") or ""


def match_expression(query: str) -> str:
    """`klant serv` -> `"klant"* "serv"*` (every word required, each as a prefix); empty when there are no words."""
    words = WORD.findall(query or "")[:MAX_WORDS]
    return " ".join(f'"{w}"*' for w in words)


@database.per_version
def search(query: str, limit: int = RESULT_LIMIT) -> pd.DataFrame:
    """Occupations whose code or Dutch or English label matches every word of `query`, best match first."""
    expression = match_expression(query)
    if not expression:
        return code_list().iloc[0:0]
    marks = ", ".join("?" for _ in SCHEMES)
    return database.current().query(
        "SELECT o.scheme, o.code, o.level, o.parent_code, o.label_nl, o.label_en "
        "FROM occupation_fts f JOIN occupation o ON o.rowid = f.rowid "
        f"WHERE occupation_fts MATCH ? AND o.scheme IN ({marks}) ORDER BY bm25(occupation_fts), o.scheme, o.code LIMIT ?",
        (expression, *SCHEMES, limit))
