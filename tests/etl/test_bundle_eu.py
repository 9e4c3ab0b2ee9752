"""The committed bundle holds Eurostat's job vacancy rates for NL, BE and the euro area / EU exactly as published, one
value per quarter, keyed so that a live Eurostat row replaces the quoted one (etl/bundle/eurostat.py)."""

import shutil
from pathlib import Path

import pandas as pd
import pytest

from etl import bundle_files, observation
from etl.bundle import _tidy, eurostat, with_texts
from etl.observation import KEY
from etl.parsed import Parsed
from etl.paths import BUNDLE_DIR, DEFAULT_REFERENCE_DIR
from etl.sources import eurostat as live

DATASET = "eurostat-jvs_q_nace2"
LIVE_FIXTURE = Path(__file__).parents[1] / "fixtures" / "eurostat" / "jvs_q_nace2.json"
needs_reference = pytest.mark.skipif(not (DEFAULT_REFERENCE_DIR / "eu").is_dir(),
                                     reason="../shared/reference is absent (a fresh clone); the committed bundle is "
                                            "checked by the other tests")


@pytest.fixture(scope="module")
def bundle() -> Parsed:
    return bundle_files.read(BUNDLE_DIR)


@pytest.fixture(scope="module")
def rates(bundle) -> pd.DataFrame:
    obs = bundle.observations
    return obs[obs["dataset_id"] == DATASET]


def total(rates: pd.DataFrame, country: str) -> pd.Series:
    """Period -> value of the country's industry, construction and services rate."""
    rows = rates[(rates["country"] == country) & (rates["sector_code"] == "B-S")]
    return rows.set_index("period")["value"]


def test_nl_and_be_rates_are_exactly_as_eurostat_published(rates):
    nl, be = total(rates, "NL"), total(rates, "BE")
    assert (nl["2016-Q1"], nl["2022-Q1"], nl["2024-Q2"], nl["2025-Q4"]) == (2.0, 4.9, 4.4, 3.9)
    assert (be["2014-Q1"], be["2022-Q1"], be["2024-Q2"], be["2025-Q4"]) == (2.0, 4.8, 4.4, 3.5)
    row = rates[(rates["country"] == "BE") & (rates["period"] == "2025-Q4") & (rates["sector_code"] == "B-S")].iloc[0]
    assert (row["indicator"], row["unit"], row["status"], row["sector_scheme"], row["breakdown"], row["region"]) == (
        "vacancy_rate", "percent", "reported", "nace2", "", "")


def test_23_quarters_have_both_nl_and_be_from_2016_q1_to_2025_q4(rates):
    nl, be = total(rates, "NL"), total(rates, "BE")
    assert (len(nl), len(be)) == (24, 36)
    common = sorted(set(nl.index) & set(be.index))
    assert len(common) == 23 and common[0] == "2016-Q1" and common[-1] == "2025-Q4"


def test_the_euro_area_and_the_eu_are_reference_lines_beside_the_two_countries(rates):
    counts = rates[rates["sector_code"] == "B-S"].groupby("country").size().to_dict()
    assert counts == {"BE": 36, "EA": 45, "EU27": 28, "EU28": 20, "NL": 24}
    assert total(rates, "EA")["2025-Q4"] == 2.2
    section_n = rates[rates["sector_code"] == "N"].set_index(["country", "period"])["value"]
    assert section_n[("EA", "2023-Q4")] == 4.4 and section_n[("EU27", "2024-Q4")] == 3.9


def test_a_conflict_keeps_one_value_and_the_note_names_the_other(bundle, rates):
    assert total(rates, "NL")["2018-Q1"] == 2.8
    assert total(rates, "EA")["2014-Q4"] == 1.5
    assert total(rates, "EA")["2023-Q4"] == 2.9
    note = bundle.datasets.set_index("dataset_id").loc[DATASET, "note"]
    assert "NL 2018-Q1: 2.8 (the June 2018 release as The Brussels Times printed it), not 2.9" in note
    assert "EA 2014-Q4: 1.5 (Statistics Explained, March 2016, EA19), not 1.8 (the first release, EA18)" in note


def test_quarters_resting_only_on_a_derived_period_are_named_in_the_note(bundle, rates):
    assert total(rates, "NL")["2021-Q2"] == 3.8
    note = bundle.datasets.set_index("dataset_id").loc[DATASET, "note"]
    assert "these quarters rest only on such rows: BE B-F 2018-Q2, BE 2015-Q3, BE 2021-Q2," in note
    assert note.endswith("EU27 2025-Q2, NL 2021-Q2.")


def test_the_dataset_row_points_at_eurostat_and_uses_the_live_parsers_id(bundle):
    row = bundle.datasets.set_index("dataset_id").loc[DATASET]
    assert DATASET == live.tables()["jvs_q_nace2"]["dataset_id"]
    assert (row["publisher"], row["table_id"], row["origin"]) == ("Eurostat", "jvs_q_nace2", "bundled")
    assert row["url"] == "https://ec.europa.eu/eurostat/databrowser/view/jvs_q_nace2/default/table"


def test_a_live_eurostat_row_replaces_the_quoted_one_with_the_same_key(bundle):
    fetched = live.parse("eurostat-jsonstat", LIVE_FIXTURE.read_bytes(), "", "jvs_q_nace2.json", "jvs_q_nace2")
    combined = observation.combine([bundle.observations, fetched.observations])
    key = (DATASET, "vacancy_rate", "BE", "", "", "", "nace2", "B-S", "", "2019-Q1")
    assert bundle.observations.set_index(KEY).loc[key, "value"] == 3.6
    row = combined.set_index(KEY).loc[[key]]
    assert len(row) == 1
    assert (row["value"].iloc[0], row["status"].iloc[0]) == (3.64, "final")
    assert row["source_url"].iloc[0] == "https://ec.europa.eu/eurostat/databrowser/view/jvs_q_nace2/default/table"


def test_belgian_statbel_releases_add_two_decimal_rates_for_quarters_the_jvs_file_lacks(bundle):
    obs = bundle.observations
    statbel = obs[(obs["dataset_id"] == "statbel-jvs") & (obs["region"] == "") & (obs["sector_code"] == "B-S")]
    rate = statbel[statbel["indicator"] == "vacancy_rate"].set_index("period")
    assert (rate.loc["2023-Q4", "value"], rate.loc["2021-Q4", "value"], rate.loc["2019-Q3", "value"]) == (
        4.38, 4.72, 3.44)
    assert rate.loc["2023-Q4", "status"] == "reported"
    assert rate.loc["2023-Q4", "source_url"] == "https://statbel.fgov.be/en/themes/work-training/labour-market/job-vacancy"
    vacancies = statbel[statbel["indicator"] == "vacancies_open"].set_index("period")["value"]
    assert vacancies["2022-Q1"] == 205877


@needs_reference
def test_every_bundled_rate_is_printed_on_its_source_page():
    reference = pd.concat([_tidy.read(DEFAULT_REFERENCE_DIR, name) for name in (eurostat.RATES_FILE,
                                                                                   eurostat.EXTRA_FILE)])
    printed = {(r.geo, r.period, float(r.value), r.source_url) for r in reference.itertuples()}
    rows = bundle_files.read(BUNDLE_DIR).observations
    rows = rows[rows["dataset_id"] == DATASET]
    assert len(rows) == 170
    assert all((r.country, r.period, r.value, r.source_url) in printed for r in rows.itertuples())


@needs_reference
def test_a_conflict_without_a_stated_choice_stops_the_bundle(tmp_path):
    shutil.copytree(DEFAULT_REFERENCE_DIR / "eu", tmp_path / "eu")
    rates = tmp_path / eurostat.RATES_FILE
    text = rates.read_text("utf-8")
    first = text.splitlines()[1]
    assert first.startswith("NL,job_vacancy_rate,B-S,2016-Q1,2.0,")
    rates.write_text(text + first.replace(",2.0,", ",2.1,", 1) + "\n", "utf-8")
    with pytest.raises(_tidy.TidyError, match=r"conflicts without a stated choice \[\('NL', 'B-S', '2016-Q1'\)\]"):
        eurostat.bundle(tmp_path)


@needs_reference
def test_regenerating_the_eurostat_bundle_from_shared_equals_the_committed_file(tmp_path):
    fresh = eurostat.bundle(DEFAULT_REFERENCE_DIR)
    fresh.datasets = with_texts(fresh.datasets)
    bundle_files.write(fresh, tmp_path)
    name = f"{bundle_files.OBSERVATION_DIR}/{DATASET}.csv"
    assert (tmp_path / name).read_bytes() == (BUNDLE_DIR / name).read_bytes()
    regenerated = pd.read_csv(tmp_path / bundle_files.DATASET_FILE, dtype=str, keep_default_na=False)
    committed = pd.read_csv(BUNDLE_DIR / bundle_files.DATASET_FILE, dtype=str, keep_default_na=False)
    assert len(regenerated.merge(committed)) == 1
