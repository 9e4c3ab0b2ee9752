"""UWV spanningsindicator: the five classes, the strict file layout, and imports that change nothing when bad."""

from pathlib import Path

import pytest

from etl.errors import InputError
from etl.snapshot import SnapshotStore
from etl.sources import uwv

FILE = Path(__file__).parents[1] / "fixtures" / "uwv" / "spanningsindicator_2023q1.csv"


@pytest.mark.parametrize(("ratio", "expected"), [
    (0.24, "very_slack"), (0.25, "slack"), (0.66, "slack"), (0.67, "average"), (0.93, "average"),
    (1.5, "tight"), (3.99, "tight"), (4.0, "very_tight"), (4.32, "very_tight"),
])
def test_tension_classes_follow_uwv_thresholds(ratio, expected):
    assert uwv.tension_class(ratio) == expected


def test_a_file_in_the_layout_gives_tension_with_numerator_and_denominator():
    rows = uwv.parse_file(FILE.read_bytes()).observations
    national = rows[(rows["occupation_code"] == "") & (rows["period"] == "2023-Q1")].set_index("indicator")
    assert national["value"].to_dict() == {"vacancies_open": 432900.0, "ww_recipients_short_duration": 100314.0,
                                           "tension_ratio": 4.32}
    groups = rows[rows["occupation_scheme"] == "uwv"].set_index("occupation_code")["value"].to_dict()
    assert groups == {"accountants": 9.38, "hulpkrachten-bouw-en-industrie": 0.93}
    assert rows.query("period == '2022-Q4' and indicator == 'tension_ratio'").empty  # blank cell: no row


def test_a_file_with_other_columns_is_refused_naming_the_header(tmp_path):
    other = tmp_path / "export.csv"
    other.write_text("Periode;Beroep;Spanning\n2023-Q1;Accountants;9,38\n", "utf-8")
    with pytest.raises(InputError, match=f"{other}: header \\['Periode', 'Beroep', 'Spanning'\\] is not UWV's"):
        uwv.import_paths([other], SnapshotStore(tmp_path / "raw"))
    assert SnapshotStore(tmp_path / "raw").all() == []


def test_a_truncated_line_is_refused(tmp_path):
    cut = tmp_path / "cut.csv"
    cut.write_bytes(FILE.read_bytes()[:-30])
    with pytest.raises(InputError, match=r"cut.csv line 5: 2 fields, the header has 6 \(truncated file\?\)"):
        uwv.import_paths([cut], SnapshotStore(tmp_path / "raw"))


def test_thousands_separators_in_counts_are_refused_rather_than_guessed(tmp_path):
    dotted = tmp_path / "dotted.csv"
    dotted.write_text(FILE.read_text("utf-8").replace("432900", "432.900"), "utf-8")
    with pytest.raises(InputError, match="'432.900' is not a whole number without thousands separators"):
        uwv.import_paths([dotted], SnapshotStore(tmp_path / "raw"))


def test_a_good_file_is_stored_once(tmp_path):
    store = SnapshotStore(tmp_path / "raw")
    first = uwv.import_paths([FILE], store)
    second = uwv.import_paths([FILE], store)
    assert [is_new for _, is_new in first + second] == [True, False]
    assert uwv.PARSERS[first[0][0].format](first[0][0]).observations["value"].max() == 432900.0


def test_uwv_has_no_live_api_and_says_how_to_import():
    [outcome] = uwv.fetch(SnapshotStore(Path("/nonexistent")))
    assert outcome.outcome == "unchanged" and "python -m etl import uwv FILE" in outcome.message


def test_an_imported_file_describes_its_dataset_in_dutch_and_english():
    dataset = uwv.parse_file(FILE.read_bytes()).datasets.iloc[0]
    assert (dataset["publisher_nl"], dataset["publisher_en"]) == ("UWV", "UWV")
    assert dataset["completeness_nl"] == "de kwartalen en beroepsgroepen in het geïmporteerde UWV-bestand"
    assert dataset["completeness_en"] == dataset["completeness"]
    assert dataset["licence_en"] == dataset["licence"]
