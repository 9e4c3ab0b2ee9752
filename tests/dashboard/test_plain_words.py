"""Words for people: no page shows commands, file names, paths, code identifiers or raw keys, and Dutch pages are Dutch."""

from __future__ import annotations

import re
import sqlite3
from contextlib import closing

import pytest

from tests.dashboard.browser_checks import LANGUAGES, PAGES, open_rendered

# What a visitor must never read, by what it is. Text in <code>, <pre>, <kbd> and <samp> is exempt (a page may show
# code on purpose, marked as code), and so are web addresses (an analyst copies them).
DEVELOPER_WORDS = {
    "a command": r"\bmake [a-z-]+|python -m \w+|--[a-z][a-z-]+\b",
    "a file name": r"\b[\w-]+\.(?:toml|csv|py|md|sqlite|json|xlsx)\b",
    "a repository path": r"(?<![\w.])(?:etl|dashboard|tests|data)/[\w./-]*",
    "a file-system path": r"(?<![\w.:/])/(?:work|home|tmp|usr|var|opt|srv|root)/",
    "an internal key": r"breakdown ''|\b(?:brc2014e2025|brc2014|isco08|nace2|sbi2008)\b",
    "a code identifier": r"\b[a-z][a-z0-9]*_[a-z0-9_]+\b",
    "a missing value shown as text": r"\b(?:None|nan|NaN|null|undefined)\b",
}
# Official table codes that look like identifiers but are how the publisher names the table.
OFFICIAL_CODES = {"jvs_q_nace2"}
# Words that are English and never Dutch: on a Dutch page they mean English text was left in.
# Lower case (and "The"), so "CC BY 4.0" is not read as English prose.
ENGLISH_WORDS = r"\b(?:[Tt]he|and|with|from|which|each|this|that|are|were|been|has|have|only|where|should|by|to|for|on|not)\b"
ADDRESS = re.compile(r"https?://\S+")
# Visible text (folded sections opened first), leaving out code and, for the language check, official names that
# exist only in English (ISCO-08), which pages mark as <span lang="en" class="official-name">.
PAGE_TEXT = """skip => {
    document.querySelectorAll('details').forEach(d => d.open = true);
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    const parts = [document.title];
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const parent = node.parentElement;
        if (!parent || parent.closest(skip) || parent.closest('[hidden], script, style')) continue;
        parts.push(node.textContent);
    }
    return parts.join('\\n');
}"""
CODE = "code, pre, kbd, samp"
CODE_AND_OFFICIAL_ENGLISH = "code, pre, kbd, samp, .official-name"


def findings(text: str, raw_keys: frozenset[str]) -> list[str]:
    """Each developer word (and, on a Dutch page, each English word) found in a page's text, with what it is."""
    text = ADDRESS.sub(" ", text)
    found = [f"{kind}: {match!r}" for kind, pattern in DEVELOPER_WORDS.items()
             for match in sorted(set(re.findall(pattern, text))) if match not in OFFICIAL_CODES]
    words = set(re.findall(r"[\w-]+", text))
    found += [f"a raw key: {key!r}" for key in sorted(raw_keys & words)]
    return found


def english_in_dutch(text: str) -> list[str]:
    """The lines of a Dutch page's text that hold English words."""
    return [line.strip()[:120] for line in ADDRESS.sub(" ", text).splitlines()
            if re.search(ENGLISH_WORDS, line)]


def _raw_keys(db_path) -> frozenset[str]:
    """Keys a visitor should see as names: VDAB and UWV occupation slugs, dataset ids and sector ids."""
    with closing(sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)) as conn:
        rows = conn.execute("SELECT code FROM occupation WHERE scheme IN ('vdab', 'uwv') AND code LIKE '%-%' "
                            "UNION SELECT dataset_id FROM dataset UNION SELECT sector_id FROM sector_definition")
        return frozenset(row[0] for row in rows if "-" in row[0] or "_" in row[0])


@pytest.mark.browser
@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("path", list(PAGES))
def test_a_page_shows_no_developer_words_and_a_dutch_page_no_english(page, live_server, db, db_path, path, lang):
    open_rendered(page, live_server, path, lang)
    problems = findings(page.evaluate(PAGE_TEXT, CODE), _raw_keys(db_path))
    if lang == "nl":
        problems += [f"English on a Dutch page: {line!r}"
                     for line in english_in_dutch(page.evaluate(PAGE_TEXT, CODE_AND_OFFICIAL_ENGLISH))]
    assert problems == [], f"{path}?lang={lang}:\n" + "\n".join(problems)


def test_the_patterns_catch_each_kind_of_developer_word():
    text = ("Run make refresh; see etl/definitions/model.toml and METHODS.md, the file /work/x/labour.sqlite, "
            "breakdown '' for brc2014 0433, hourly_wage_median, value None, sector klantcontact-nl")
    assert findings(text, frozenset({"klantcontact-nl"})) == [
        "a command: 'make refresh'", "a file name: 'METHODS.md'", "a file name: 'labour.sqlite'",
        "a file name: 'model.toml'", "a repository path: 'etl/definitions/model.toml'",
        "a file-system path: '/work/'", "an internal key: 'brc2014'", "an internal key: \"breakdown ''\"",
        "a code identifier: 'hourly_wage_median'", "a missing value shown as text: 'None'",
        "a raw key: 'klantcontact-nl'"]


def test_plain_dutch_and_official_codes_and_web_addresses_pass():
    text = ("Vacaturegraad (Eurostat jvs_q_nace2), CBS 80567NED, BRC 2014 editie 2025, 0433 "
            "https://opendata.cbs.nl/statline/#/CBS/nl/dataset/85276NED/table")
    assert findings(text, frozenset()) == []
    assert english_in_dutch(text) == []
    assert english_in_dutch("Werkzame personen\nVDAB figures as published by VDAB") == [
        "VDAB figures as published by VDAB"]
