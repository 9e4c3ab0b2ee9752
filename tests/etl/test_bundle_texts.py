"""The bundled datasets' texts for people: each dataset has its publisher, licence and coverage in plain Dutch and
English, with no column names, keys or file names, and a texts file that misses a dataset is refused by name."""

import pandas as pd
import pytest

from etl import bundle_files
from etl.bundle import DatasetTextsError, with_texts
from etl.parsed import DATASET_TEXT_FIELDS
from etl.paths import BUNDLE_DIR
from tests.dashboard.test_plain_words import english_in_dutch, findings


@pytest.fixture(scope="module")
def datasets():
    return bundle_files.read(BUNDLE_DIR).datasets.set_index("dataset_id")


def test_every_bundled_dataset_has_its_texts_in_both_languages(datasets):
    assert len(datasets) == 19
    empty = {(dataset_id, field) for field in DATASET_TEXT_FIELDS for dataset_id in datasets.index[datasets[field] == ""]}
    assert empty == set()


def test_no_dataset_text_in_either_language_holds_a_developer_word(datasets):
    dataset_ids = frozenset(datasets.index)
    found = {(dataset_id, field): findings(text, dataset_ids)
             for field in DATASET_TEXT_FIELDS for dataset_id, text in datasets[field].items()
             if findings(text, dataset_ids)}
    assert found == {}


def test_no_dutch_dataset_text_holds_english_words(datasets):
    english = {(dataset_id, field): english_in_dutch(text)
               for field in DATASET_TEXT_FIELDS if field.endswith("_nl")
               for dataset_id, text in datasets[field].items() if english_in_dutch(text)}
    assert english == {}


def test_the_completeness_of_85276ned_is_told_in_plain_dutch_and_english(datasets):
    row = datasets.loc["cbs-85276NED"]
    assert row["completeness_nl"] == (
        "2023 (alle 168 beroepen van BRC 2014), 2024-Q4 en 2025-Q4: de 114 beroepsgroepen, het landelijke totaal en de "
        "beroepsklassen 01-10 (2024-Q4) / 01-09 (2025-Q4); vrouwen alleen voor de 114 beroepsgroepen in 2025-Q4; geen "
        "mannen, geen andere persoonskenmerken, geen andere kwartalen.")
    assert row["completeness_en"].startswith("2023 (all 168 BRC 2014 codes), 2024-Q4 and 2025-Q4 only: the 114 ")
    # The maintainers' note stays as it was: it names the column value a query needs.
    assert "(sex=F)" in row["completeness"]


def test_the_press_figures_of_vdab_name_their_publisher_in_each_language(datasets):
    row = datasets.loc["vdab-press"]
    assert (row["publisher_nl"], row["publisher_en"], row["publisher"]) == (
        "VDAB (cijfers uit de pers)", "VDAB (figures quoted in the press)", "VDAB (figures quoted in the press)")


def test_a_texts_file_that_misses_a_dataset_is_refused_naming_it(tmp_path):
    texts = tmp_path / "dataset_texts.csv"
    pd.DataFrame([{"dataset_id": "cbs-a", **{field: "tekst" for field in DATASET_TEXT_FIELDS}}]).to_csv(texts, index=False)
    datasets = pd.DataFrame({"dataset_id": ["cbs-a", "cbs-b"]})
    with pytest.raises(DatasetTextsError, match=r"^dataset_texts\.csv: no texts for cbs-b$"):
        with_texts(datasets, texts)


def test_a_texts_file_with_an_empty_text_is_refused_naming_the_dataset(tmp_path):
    texts = tmp_path / "dataset_texts.csv"
    row = {"dataset_id": "cbs-a", **{field: "tekst" for field in DATASET_TEXT_FIELDS}, "licence_nl": ""}
    pd.DataFrame([row]).to_csv(texts, index=False)
    with pytest.raises(DatasetTextsError, match=r"^dataset_texts\.csv: empty texts for cbs-a$"):
        with_texts(pd.DataFrame({"dataset_id": ["cbs-a"]}), texts)
