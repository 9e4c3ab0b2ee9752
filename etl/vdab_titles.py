"""VDAB occupation titles -> stable slug codes (scheme `vdab`), with a versioned alias file for renamed titles."""

from __future__ import annotations

import csv
import re
import unicodedata
from functools import cache
from pathlib import Path

from etl.errors import ContractError

ALIASES_FILE = Path(__file__).parent / "definitions" / "vdab_title_aliases.csv"
SCHEME = "vdab"
# Sector headings of the list become parent codes; the prefix keeps them apart from titles
# (a press article once named the heading 'horecaberoepen' as if it were a title).
HEADING_PREFIX = "groep-"
NOT_SLUG_CHARACTER = re.compile(r"[^a-z0-9]+")


class TitleError(ContractError):
    """A title that has no letters or digits to make a code from."""


def slug(title: str) -> str:
    """The literal code of a title: lower case, accents dropped, every run of other characters one hyphen.

    'Contactcenter medewerker' -> 'contactcenter-medewerker'; 'Maître d'hôtel' -> 'maitre-d-hotel';
    'analist-ontwikkelaar ICT' and 'analist ontwikkelaar ICT' give the same code.
    """
    decomposed = unicodedata.normalize("NFKD", title.strip().lower())
    ascii_text = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    code = NOT_SLUG_CHARACTER.sub("-", ascii_text).strip("-")
    if not code:
        raise TitleError(f"title {title!r} has no letters or digits")
    return code


def heading_code(heading: str) -> str:
    return HEADING_PREFIX + slug(heading)


@cache
def aliases(path: Path = ALIASES_FILE) -> dict[str, str]:
    """Literal slug of a title as seen -> the stable code of the occupation it names (from the alias file)."""
    with open(path, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    mapping: dict[str, str] = {}
    for row in rows:
        seen = slug(row["title"])
        if seen in mapping and mapping[seen] != row["code"]:
            raise TitleError(f"{path.name}: title {row['title']!r} is mapped to two codes")
        mapping[seen] = row["code"]
    return mapping


def code(title: str) -> str:
    """Stable code of a title: its alias target when the alias file links it to another title, else its slug."""
    literal = slug(title)
    return aliases().get(literal, literal)
