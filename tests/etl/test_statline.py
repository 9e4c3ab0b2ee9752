"""StatLine CSV downloads, with or without their metadata download, read into the same rows as the API."""

from pathlib import Path

import pytest

from etl import bundle_files
from etl.paths import BUNDLE_DIR, DEFAULT_REFERENCE_DIR
from etl.sources import cbs_mapping, statline

FIXTURES = Path(__file__).parents[1] / "fixtures" / "cbs"
DATA = (FIXTURES / "statline_80472ned_data.csv").read_bytes()
METADATA = (FIXTURES / "statline_80472ned_metadata.csv").read_bytes()
REFERENCE_NL = Path(DEFAULT_REFERENCE_DIR) / "nl"


def rows(files: dict[str, bytes]):
    return cbs_mapping.to_parsed(statline.read(files), "https://example.test").observations


def test_files_are_told_apart_by_their_first_line():
    assert statline.kind(DATA) == "data"
    assert statline.kind(METADATA) == "metadata"
    assert statline.kind(b'{"value": []}') is None


def test_with_metadata_units_and_period_status_come_from_the_metadata():
    found = rows({statline.DATA_FILE: DATA, statline.METADATA_FILE: METADATA})
    n_q3 = found.query("sector_code == 'N' and period == '2023-Q3' and indicator == 'vacancies_open'")
    assert n_q3[["value", "unit", "status"]].values.tolist() == [[29500.0, "vacancies", "provisional"]]
    assert found.query("period == '2023-Q2' and sector_code == '' and breakdown == ''")["status"].eq("final").all()


def test_without_metadata_the_table_is_identified_by_its_measure_columns():
    table = statline.read({statline.DATA_FILE: DATA})
    assert table.table_id == "80472NED"
    found = rows({statline.DATA_FILE: DATA})
    assert found.query("breakdown == 'size=0-10' and indicator == 'vacancies_filled'")["value"].tolist() == [69000.0]


def test_a_dot_means_missing_and_gives_no_row():
    found = rows({statline.DATA_FILE: DATA})
    assert found.query("period == '1997' and indicator == 'vacancies_open'").empty
    assert found.query("period == '1997' and indicator == 'vacancies_new'")["value"].tolist() == [715000.0]


def test_a_truncated_data_file_names_the_line():
    cut = DATA[: DATA.rindex(b";")]
    with pytest.raises(statline.StatlineFormatError, match=r"line 7 has 5 fields, the header 6 \(truncated file\?\)"):
        statline.read({statline.DATA_FILE: cut})


def test_a_non_number_in_a_measure_column_is_named():
    bad = DATA.replace(b'"    29.5"', b'"   29,5x"')
    with pytest.raises(statline.StatlineFormatError, match="column OpenstaandeVacatures_1: '29,5x' is not a number"):
        statline.read({statline.DATA_FILE: bad})


def test_an_unknown_set_of_columns_asks_for_the_metadata_download():
    other = DATA.replace(b"VervuldeVacatures_3", b"Onbekend_9")
    with pytest.raises(statline.StatlineFormatError, match="cannot tell which CBS table"):
        statline.read({statline.DATA_FILE: other})


def test_the_genuine_statline_head_sample_reads_without_metadata():
    sample = REFERENCE_NL / "api-formats" / "v3_statline_csv_download_80472ned_head.csv"
    if not sample.exists():
        pytest.skip("../shared/reference/nl/api-formats is absent (fresh clone)")
    found = rows({statline.DATA_FILE: sample.read_bytes()})
    first = found.query("period == '1997-Q1' and sector_code == '' and breakdown == ''").set_index("indicator")
    assert first["value"].to_dict() == {"vacancies_open": 89800.0, "vacancies_new": 152000.0,
                                        "vacancies_filled": 142000.0}


def test_the_genuine_full_download_with_metadata_equals_the_bundled_80472ned_rows():
    raw = REFERENCE_NL / "raw" / "biancab97__python"
    if not (raw / "vacatures.csv").exists():
        pytest.skip("../shared/reference/nl/raw is absent (fresh clone); the genuine download is not available")
    live = rows({statline.DATA_FILE: (raw / "vacatures.csv").read_bytes(),
                 statline.METADATA_FILE: (raw / "vacatures_metadata.csv").read_bytes()})
    committed = bundle_files.read(BUNDLE_DIR).observations
    key = ["dataset_id", "indicator", "sector_scheme", "sector_code", "breakdown", "period"]
    merged = live.merge(committed, on=key, suffixes=("_live", "_bundled"))
    assert len(live) == 23084 and len(merged) == 23084
    assert (merged["value_live"] == merged["value_bundled"]).all()
    assert (merged["unit_live"] == merged["unit_bundled"]).all()
