"""The "what changed" section lists each update's new periods, revisions and unused updates in Dutch and English."""

import pytest

from dashboard import database
from dashboard.pages import _change_summary, data
from tests.etl.store_fixtures import CBS_FIXTURES, import_and_build, statline_folder, tiny_database

TITLE_EN = "Vacancies; SIC 2008, company size"
TITLE_NL = "Vacatures; SBI 2008; naar economische activiteit en bedrijfsgrootte"


@pytest.fixture
def changed(tmp_path, monkeypatch):
    """The StatLine download of 80472NED imported, then its OData download fetched, then half of it imported."""
    db, bundle = tiny_database(tmp_path)
    import_and_build(db, bundle, statline_folder(tmp_path / "statline"), trigger="import")
    import_and_build(db, bundle, CBS_FIXTURES / "v3_80472NED", trigger="refresh")
    import_and_build(db, bundle, statline_folder(tmp_path / "half", keep_lines=3), trigger="import")
    monkeypatch.setattr(database, "_current", database.Database(db))
    return db


def headings_and_items(lang):
    return [(heading.split(" — ")[1], datasets) for heading, datasets in _change_summary.runs(lang)]


def test_each_update_is_listed_latest_first_with_its_changes_in_english(changed):
    held_back, refreshed, imported = headings_and_items("en")
    assert imported == ("files added by hand", [(TITLE_EN, ["New: 17 figures from 1997 to 2023-Q3"])])
    assert refreshed[0] == "updated from the sources"
    [(title, items)] = refreshed[1]
    assert title == TITLE_EN
    assert items[:3] == [
        "New period 1997-Q1 (3 figures)",
        "New period 1997-Q2 (3 figures)",
        "Revised: Filled vacancies, Netherlands, 2023-Q3: 375,000 → 375,000 (provisional → final)",
    ]
    assert items[-1] == ("Revised: Open vacancies, Netherlands, Administrative and support service activities, "
                         "2023-Q3: 29,500 → 29,500 (provisional → final)")
    assert len(items) == 2 + 9
    assert held_back[0] == "files added by hand"
    assert held_back[1][0][1][0].startswith("An update of ")
    assert "was held back because it differs sharply from the previous version" in held_back[1][0][1][0]


def test_the_same_changes_read_in_dutch(changed):
    held_back, refreshed, imported = headings_and_items("nl")
    assert imported == ("bestanden handmatig toegevoegd", [(TITLE_NL, ["Nieuw: 17 cijfers van 1997 tot en met 2023-Q3"])])
    assert refreshed[1][0][1][3] == ("Herzien: Vervulde vacatures, Nederland, 0 tot 10 werkzame personen, 2023-Q3: "
                                     "69.000 → 69.000 (voorlopig → definitief)")
    assert held_back[1][0][1][0].startswith("Een update van ")


def test_the_section_has_no_file_names_commands_or_codes(changed):
    words = " ".join(item for _, datasets in _change_summary.runs("en") for _, items in datasets for item in items)
    for forbidden in ("--accept-drift", "cbs-80472NED", "raw/", ".csv", "vacancies_open", "held_back", "provisional,"):
        assert forbidden not in words


def test_a_database_without_changes_says_so_on_the_data_page(db):
    page = data.render(data.state({"lang": "en"}))
    assert "No changes recorded yet since the database was first built." in str(page)
