"""VDAB import: the knelpuntberoepen list and Arvastat exports recognised by content, bad files refused whole."""

import csv
import re
from pathlib import Path

import openpyxl
import pytest

from etl.errors import InputError
from etl.snapshot import SnapshotStore
from etl.sources import vdab

FIXTURES = Path(__file__).parents[1] / "fixtures" / "vdab"
LIST = FIXTURES / "knelpuntberoepen_2026_excerpt.csv"
WINDOW = FIXTURES / "arvastat_received_12m_bouw_2017_excerpt.csv"
MONTHLY_OPEN = FIXTURES / "arvastat_open_monthly_test_input.csv"
BY_STUDY = FIXTURES / "arvastat_received_by_study_test_input.csv"


def as_workbook(source: Path, target: Path) -> Path:
    """The fixture's rows as an Excel workbook with a `Data` sheet, the way Arvastat exports; counts as numbers."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Data"
    with open(source, encoding="utf-8", newline="") as handle:
        for row in csv.reader(handle, delimiter=";"):
            sheet.append([int(c) if c.isdigit() else (c or None) for c in row])
    book.save(target)
    return target


def imported(paths: list[Path], tmp_path: Path):
    store = SnapshotStore(tmp_path / "raw")
    results = vdab.import_paths(paths, store)
    return [vdab.PARSERS[snapshot.format](snapshot) for snapshot, _ in results], store


def values(parsed, **where) -> dict:
    rows = parsed.observations
    for column, wanted in where.items():
        rows = rows[rows[column] == wanted]
    return dict(zip(rows["occupation_code"] + "|" + rows["breakdown"], rows["value"], strict=True))


def test_a_list_file_is_recognised_by_its_content_not_its_name(tmp_path):
    renamed = tmp_path / "export.xlsx"
    renamed.write_bytes(LIST.read_bytes())
    assert vdab.recognise(renamed.read_bytes(), str(renamed)) == vdab.LIST_FORMAT
    assert vdab.recognise(WINDOW.read_bytes(), "list.csv") == vdab.ARVASTAT_FORMAT


def test_the_list_gives_each_title_listed_with_its_causes(tmp_path):
    (parsed,), _ = imported([LIST], tmp_path)
    listed = values(parsed, indicator="shortage_listed", period="2026", breakdown="")
    assert len(listed) == 6 and set(listed.values()) == {1.0}
    causes = values(parsed, occupation_code="contactcenter-medewerker")
    assert causes == {"contactcenter-medewerker|": 1.0, "contactcenter-medewerker|cause=kwalitatief": 1.0,
                      "contactcenter-medewerker|cause=arbeidsomstandigheden": 1.0}
    assert set(parsed.observations["region"]) == {"BE2"}


def test_list_headings_become_parents_of_their_titles(tmp_path):
    (parsed,), _ = imported([LIST], tmp_path)
    codes = parsed.occupations.set_index("code")
    assert codes.loc["maitre-d-hotel", "parent_code"] == "groep-horecaberoepen"
    assert codes.loc["groep-horecaberoepen", "level"] == "sector_heading"
    assert "2026 (6 titles" in parsed.datasets["completeness"].iloc[0]


def test_the_12_month_export_files_counts_under_the_window_end(tmp_path):
    (parsed,), _ = imported([as_workbook(WINDOW, tmp_path / "vacatures.xlsx")], tmp_path)
    received = values(parsed, indicator="vacancies_new", period="2017-12")
    assert received["werfleider|window=12m"] == 583
    assert received["metselaar|window=12m"] == 1022
    assert received["|window=12m"] == 2783
    assert parsed.datasets["dataset_id"].iloc[0] == "vdab-arvastat-received-12m"


def test_monthly_open_vacancies_read_english_months_and_skip_suppressed_counts(tmp_path):
    (parsed,), _ = imported([as_workbook(MONTHLY_OPEN, tmp_path / "open.xlsx")], tmp_path)
    january = values(parsed, indicator="vacancies_open", period="2026-01")
    assert january == {"werfleider|": 120, "metselaar|": 95, "|": 218}
    assert values(parsed, period="2026-02")["bodemonderzoeker|"] == 3
    assert "1 count(s) suppressed" in parsed.datasets["completeness"].iloc[0]


def test_monthly_received_vacancies_by_study_level_are_a_breakdown(tmp_path):
    (parsed,), _ = imported([BY_STUDY], tmp_path)
    assert values(parsed, indicator="vacancies_new", period="2026-01") == {
        "|study=laaggeschoold": 40, "|study=middengeschoold": 55, "|study=hooggeschoold": 30, "|": 125}


@pytest.mark.parametrize(("fixture", "old", "new", "message"), [
    (LIST, "Contactcenter medewerker;;x;x", "Contactcenter medewerker;;;",
     "bad.csv row 4: 'Organisatieondersteunende en kennisberoepen' has no cause marked and no titles"),
    (WINDOW, "Totaal;2783", "Totaal;2784", "bad.csv: the rows add up to 2783, the Totaal row says 2784"),
    (WINDOW, "januari 2017", "maart 2017", "bad.csv cell A4: period label 'maart 2017 - december 2017' spans 10"),
    (MONTHLY_OPEN, "January 2026", "januari 2026", "bad.csv row 4: unknown month 'januari'"),
], ids=["heading-without-titles", "total-mismatch", "window-not-12-months", "dutch-month-in-monthly-file"])
def test_a_file_off_layout_is_refused_naming_where_and_nothing_is_stored(tmp_path, fixture, old, new, message):
    bad = tmp_path / "bad.csv"
    bad.write_text(fixture.read_text("utf-8").replace(old, new), "utf-8")
    with pytest.raises(InputError, match=re.escape(message)):
        imported([bad], tmp_path)
    assert SnapshotStore(tmp_path / "raw").all() == []


def test_a_truncated_workbook_is_refused_and_nothing_is_stored(tmp_path):
    whole = as_workbook(WINDOW, tmp_path / "whole.xlsx").read_bytes()
    cut = tmp_path / "cut.xlsx"
    cut.write_bytes(whole[: len(whole) // 2])
    with pytest.raises(InputError, match="cut.xlsx: a damaged Excel workbook"):
        imported([LIST, cut], tmp_path)
    assert SnapshotStore(tmp_path / "raw").all() == []


def test_a_file_of_another_kind_is_refused_naming_both_layouts(tmp_path):
    other = tmp_path / "other.csv"
    other.write_text("Periode;Beroep;Spanning\n2023-Q1;Accountants;9,38\n", "utf-8")
    with pytest.raises(InputError, match="other.csv: neither a knelpuntberoepen list .* nor an Arvastat export"):
        imported([other], tmp_path)


def test_the_same_file_imported_twice_is_stored_once(tmp_path):
    store = SnapshotStore(tmp_path / "raw")
    first = vdab.import_paths([LIST], store)
    second = vdab.import_paths([LIST], store)
    assert [is_new for _, is_new in first + second] == [True, False]


def test_a_refresh_names_every_vdab_dataset_and_says_to_import_by_hand(tmp_path):
    outcomes = vdab.fetch(SnapshotStore(tmp_path / "raw"))
    assert [o.dataset_id for o in outcomes] == ["vdab-knelpuntberoepen", "vdab-arvastat"]
    assert all(o.outcome == "unchanged" and "python -m etl import vdab FILE" in o.message for o in outcomes)


def test_an_imported_list_describes_its_dataset_in_dutch_and_english(tmp_path):
    (parsed,), _ = imported([LIST], tmp_path)
    dataset = parsed.datasets.iloc[0]
    assert dataset["completeness_nl"].startswith("volledige lijst voor 2026 (6 titels, geïmporteerd uit de lijst van VDAB")
    assert dataset["completeness_en"] == dataset["completeness"]
    assert (dataset["licence_nl"], dataset["publisher_nl"]) == ("VDAB-cijfers zoals VDAB ze publiceerde", "VDAB")


@pytest.mark.parametrize(("fixture", "dutch"), [
    (WINDOW, "ontvangen vacatures over de 12 maanden januari 2017 - december 2017; 0 telling(en) door Arvastat "
             "afgeschermd hebben geen rij"),
    (MONTHLY_OPEN, "open vacatures per maand naar beroep, 2026-01 tot 2026-02; 1 telling(en) door Arvastat afgeschermd "
                   "hebben geen rij"),
    (BY_STUDY, "ontvangen vacatures per maand naar studieniveau, 2026-01 tot 2026-01; 0 telling(en) door Arvastat "
               "afgeschermd hebben geen rij"),
])
def test_an_arvastat_export_says_what_it_holds_in_dutch_and_english(tmp_path, fixture, dutch):
    (parsed,), _ = imported([fixture], tmp_path)
    dataset = parsed.datasets.iloc[0]
    assert dataset["completeness_nl"] == dutch
    assert dataset["completeness_en"] == dataset["completeness"]
