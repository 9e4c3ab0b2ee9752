"""Find occupations in every code list by name (Dutch or English, inside compounds, diacritics ignored), synonym or code."""

from __future__ import annotations

import csv
import re
import unicodedata
from pathlib import Path
from typing import NamedTuple

import pandas as pd

from dashboard import database

SCHEMES = ("brc2014", "brc2014e2025", "isco08", "vdab", "uwv")
RESULT_LIMIT = 25
SYNONYMS_FILE = Path(__file__).with_name("search_synonyms.csv")
# Words of the query are matched as text; quotes, operators and brackets are dropped, so no input is read as syntax.
WORD = re.compile(r"\w+", re.UNICODE)
MAX_WORDS = 8
# A Dutch compound names what its last part names (a "vrachtwagenchauffeur" is a chauffeur, a "nursery" is no nurse):
# a query word that ends a label word, give or take a plural or inflection ending, is a word match.
INFLECTION_ENDINGS = ("", "s", "es", "n", "en", "e")
# How well one query word matches, best first. A query's matches are those at the best level it reaches, so "nurse"
# (matching "nurses") drops "nursery", while "verpleeg" (no whole word) keeps every word it begins or sits in.
CODE, WORD_MATCH, PART_OF_WORD = 0, 1, 2


class Entry(NamedTuple):
    scheme: str
    code: str
    label: str
    words: tuple[str, ...]


def fold(text: str) -> str:
    """Lower case without diacritics: `Conciërges` -> `concierges`."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def query_words(query: str) -> list[str]:
    """The searchable words of a user's text, folded; empty when there are none."""
    return WORD.findall(fold(query))[:MAX_WORDS]


def match_expression(query: str) -> str:
    """The query's searchable words joined by spaces; empty when there are none (pages test this before searching)."""
    return " ".join(query_words(query))


def synonym_groups() -> list[tuple[str, ...]]:
    """The versioned synonym file as groups of folded terms (each term one or more words)."""
    groups: dict[str, list[str]] = {}
    with SYNONYMS_FILE.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            groups.setdefault(row["group"], []).append(" ".join(query_words(row["term"])))
    return [tuple(terms) for terms in groups.values()]


def alternatives(words: list[str], groups: list[tuple[str, ...]]) -> list[list[str]]:
    """The query, its words written as one compound (Dutch joins them), then each with a synonym in place of a term."""
    bases = [words, ["".join(words)]] if len(words) > 1 else [words]
    found = list(bases)
    for base in bases:
        phrase = " ".join(base)
        for terms in groups:
            for term in sorted(terms, key=len, reverse=True):
                whole_term = rf"(^| ){re.escape(term)}( |$)"
                if re.search(whole_term, phrase):
                    found += [re.sub(whole_term, rf"\g<1>{other}\g<2>", phrase).split() for other in terms if other != term]
                    break
    unique = []
    for candidate in found:
        if candidate not in unique:
            unique.append(candidate)
    return unique


def word_level(word: str, entry: Entry) -> int | None:
    """How well one query word matches an occupation (CODE, WORD_MATCH, PART_OF_WORD), or None."""
    if word == entry.code or (word.isdigit() and entry.code.startswith(word) and entry.code.isdigit()):
        return CODE if word == entry.code else PART_OF_WORD
    level = None
    for label_word in entry.words:
        start = label_word.find(word)
        while start != -1:
            if label_word[start + len(word):] in INFLECTION_ENDINGS:
                return WORD_MATCH
            level = PART_OF_WORD
            start = label_word.find(word, start + 1)
    return level


@database.per_version
def code_list() -> pd.DataFrame:
    """Every occupation of the searchable schemes: scheme, code, level, parent_code, label_nl, label_en."""
    marks = ", ".join("?" for _ in SCHEMES)
    return database.current().query(
        f"SELECT scheme, code, level, parent_code, label_nl, label_en FROM occupation WHERE scheme IN ({marks}) "
        "ORDER BY scheme, code", SCHEMES)


@database.per_version
def _entries() -> tuple[Entry, ...]:
    rows = code_list()
    entries = []
    for scheme, code, label_nl, label_en in zip(rows["scheme"], rows["code"], rows["label_nl"], rows["label_en"],
                                                strict=True):
        label = fold(f"{label_nl} {label_en}")
        entries.append(Entry(scheme, fold(code), label, tuple(WORD.findall(label))))
    return tuple(entries)


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


def _ranked(words: list[str], entries: tuple[Entry, ...]) -> dict[int, tuple]:
    """Entry position -> sort key, for the entries matching every word at the best level this alternative reaches."""
    phrase = " ".join(words)
    matches = {}
    for position, entry in enumerate(entries):
        levels = [word_level(word, entry) for word in words]
        if None not in levels:
            # A label that is the query, or starts with it, comes before one that merely contains it; then the shorter.
            closeness = 0 if entry.label == phrase else 1 if entry.label.startswith(phrase) else 2
            matches[position] = (max(levels), closeness, len(entry.label))
    best = min((key[0] for key in matches.values()), default=None)
    return {position: key for position, key in matches.items() if key[0] == best}


@database.per_version
def search(query: str, limit: int = RESULT_LIMIT) -> pd.DataFrame:
    """Occupations matching `query` or one of its synonyms in any scheme, best match first (code, word, part of word)."""
    words = query_words(query)
    rows = code_list()
    if not words:
        return rows.iloc[0:0]
    entries = _entries()
    order = {scheme: index for index, scheme in enumerate(SCHEMES)}
    best: dict[int, tuple] = {}
    for rank, alternative in enumerate(alternatives(words, synonym_groups())):
        for position, (level, closeness, length) in _ranked(alternative, entries).items():
            key = (level, rank, closeness, length, order[entries[position].scheme], entries[position].code)
            best[position] = min(best.get(position, key), key)
    chosen = sorted(best, key=best.get)[:limit]
    return rows.iloc[chosen].reset_index(drop=True)
