"""The data dictionary file against the schema of a freshly built database and the README, so none can drift."""

import re
from pathlib import Path

from dashboard import data_dictionary

README = Path(__file__).parents[2] / "README.md"


def _pairs(frame) -> set[tuple[str, str]]:
    return set(zip(frame["table"], frame["column"], strict=True))


def test_every_table_and_column_of_a_freshly_built_database_is_in_the_dictionary_and_nothing_else(db):
    in_schema = _pairs(data_dictionary.schema())
    in_file = _pairs(data_dictionary.load())
    assert sorted(in_schema - in_file) == []
    assert sorted(in_file - in_schema) == []
    assert len(in_file) == 250


def test_the_schema_leaves_out_fts_shadow_tables_and_sqlite_statistics_but_keeps_the_fts_index(db):
    tables = set(data_dictionary.schema()["table"])
    assert "occupation_fts" in tables
    assert {"occupation_fts_data", "occupation_fts_idx", "occupation_fts_docsize", "occupation_fts_config",
            "sqlite_stat1"}.isdisjoint(tables)
    assert {"observation", "dataset", "indicator", "model_score", "model_setting"} <= tables


def test_every_entry_has_one_line_in_dutch_and_in_english_and_appears_once():
    rows = data_dictionary.load()
    assert not rows.duplicated(["table", "column"]).any()
    for language in ("meaning_nl", "meaning_en"):
        assert (rows[language].str.strip() != "").all()
        assert not rows[language].str.contains("\n").any()


def test_every_table_in_the_dictionary_has_its_own_entry_in_the_readme_data_dictionary():
    readme = README.read_text("utf-8")
    missing = [t for t in dict.fromkeys(data_dictionary.load()["table"]) if f"**`{t}`**" not in readme]
    assert missing == []


def test_entries_give_the_meaning_in_the_chosen_language():
    english = data_dictionary.entries("en").set_index(["table", "column"])["meaning"]
    dutch = data_dictionary.entries("nl").set_index(["table", "column"])["meaning"]
    assert english["observation", "value"] == "The number in absolute units; a suppressed figure has no row"
    assert dutch["observation", "value"] == "Het getal in absolute eenheden; een onderdrukt cijfer heeft geen rij"
    assert english["dataset", "replaced_by"] == "Successor table, when the publisher replaced the table"


def test_every_identifier_and_scheme_key_in_a_meaning_is_marked_as_code_and_the_download_drops_the_marks():
    rows = data_dictionary.load()
    unmarked = [re.sub(r"`[^`]*`", "", meaning) for meaning in (*rows["meaning_nl"], *rows["meaning_en"])]
    identifier = re.compile(r"\b(?:[a-z][a-z0-9]*_[a-z0-9_]+|brc2014|isco08|nace2|sbi2008)\b|\.toml\b")
    assert [m for m in unmarked if identifier.search(m)] == []
    assert data_dictionary.entries("en").set_index(["table", "column"])["meaning"]["build_info", "key"] == (
        "Key: built_at, schema_version, data_version, inputs")
