"""The committed bundled snapshot holds the Dutch CBS and UWV figures exactly as published (etl/bundle/cbs.py, uwv.py)."""

from pathlib import Path

import pandas as pd
import pytest

from etl import bundle_files
from etl.bundle import cbs, uwv, with_texts
from etl.observation import KEY
from etl.parsed import Parsed
from etl.paths import BUNDLE_DIR, DEFAULT_REFERENCE_DIR

NL_DATASETS = ["cbs-80472NED", "cbs-80474NED", "cbs-80567NED", "cbs-81431NED", "cbs-83120NED", "cbs-85081NED",
               "cbs-85276NED", "cbs-85388NED", "cbs-85517NED", "cbs-86355NED", "cbs-spanning",
               "uwv-spanningsindicator"]


@pytest.fixture(scope="module")
def bundle() -> Parsed:
    return bundle_files.read(BUNDLE_DIR)


def value(bundle: Parsed, **where) -> tuple[float, str, str]:
    """(value, unit, status) of the single row matching `where`; unspecified key columns must be blank."""
    rows = bundle.observations
    for column in KEY:
        rows = rows[rows[column] == where.get(column, "")]
    assert len(rows) == 1, f"{len(rows)} rows match {where}"
    row = rows.iloc[0]
    return row["value"], row["unit"], row["status"]


def test_employed_persons_in_brc_0334_in_2025_q4_is_118_thousand(bundle):
    assert value(bundle, dataset_id="cbs-85276NED", indicator="employed_persons", country="NL",
                 occupation_scheme="brc2014", occupation_code="0334", period="2025-Q4") == (118000, "persons", "final")


def test_women_in_brc_0433_in_2025_q4_are_a_sex_breakdown(bundle):
    assert value(bundle, dataset_id="cbs-85276NED", indicator="employed_persons", country="NL",
                 occupation_scheme="brc2014", occupation_code="0433", breakdown="sex=F",
                 period="2025-Q4") == (115000, "persons", "final")


def test_the_2023_national_total_and_page_totals_of_85276ned_are_kept(bundle):
    assert value(bundle, dataset_id="cbs-85276NED", indicator="employed_persons", country="NL",
                 occupation_scheme="brc2014", occupation_code="03", period="2023") == (1081000, "persons", "final")
    assert value(bundle, dataset_id="cbs-85276NED", indicator="employed_persons", country="NL",
                 period="2024-Q4") == (9809000, "persons", "final")


def test_median_hourly_wage_in_brc_0433_in_2024_is_20_70_provisional(bundle):
    assert value(bundle, dataset_id="cbs-85517NED", indicator="hourly_wage_median", country="NL",
                 occupation_scheme="brc2014", occupation_code="0433", period="2024") == (20.7, "EUR/hour", "provisional")
    assert value(bundle, dataset_id="cbs-85517NED", indicator="hourly_wage_p25", country="NL",
                 occupation_scheme="brc2014", occupation_code="0334", period="2024") == (15.5, "EUR/hour", "provisional")
    assert value(bundle, dataset_id="cbs-85517NED", indicator="employees", country="NL",
                 occupation_scheme="brc2014", occupation_code="0433", period="2024") == (177000, "persons", "provisional")


def test_a_suppressed_median_has_no_row(bundle):
    rows = bundle.observations
    suppressed = rows[(rows["dataset_id"] == "cbs-85517NED") & (rows["period"] == "2024")
                      & (rows["indicator"] == "hourly_wage_median")]
    assert len(suppressed) == 74  # CBS published the 2024 median for 74 of the 114 groups


def test_86355ned_keeps_its_own_scheme_and_relabelled_0433(bundle):
    assert value(bundle, dataset_id="cbs-86355NED", indicator="hourly_wage_median", country="NL",
                 occupation_scheme="brc2014e2025", occupation_code="0433", period="2025") == (22, "EUR/hour", "provisional")
    labels = bundle.occupations.set_index(["scheme", "code"])["label_nl"]
    assert labels[("brc2014e2025", "0433")] == "Klantenservice medewerkers en receptionisten"


def test_open_vacancies_in_section_n_in_2023_q3_are_29500(bundle):
    assert value(bundle, dataset_id="cbs-80472NED", indicator="vacancies_open", country="NL",
                 sector_scheme="nace2", sector_code="N", period="2023-Q3") == (29500, "vacancies", "final")


def test_80472ned_total_is_sector_blank_and_size_classes_are_breakdowns(bundle):
    assert value(bundle, dataset_id="cbs-80472NED", indicator="vacancies_open", country="NL",
                 period="1997-Q1") == (89800, "vacancies", "final")
    assert value(bundle, dataset_id="cbs-80472NED", indicator="vacancies_new", country="NL",
                 period="2023") == (1432000, "vacancies", "final")
    sizes = bundle.observations.query("dataset_id == 'cbs-80472NED' and breakdown != ''")["breakdown"]
    assert set(sizes) == {"size=0-10", "size=10-100", "size=100+"}


def test_80472ned_is_complete_from_1997_q1_to_2023_q3(bundle):
    rows = bundle.observations.query("dataset_id == 'cbs-80472NED'")
    quarters = rows[rows["period"].str.contains("Q")]
    assert quarters.groupby(["sector_code", "sector_scheme", "breakdown"])["period"].nunique().eq(107).all()
    assert len(rows) == 23162


def test_seasonally_adjusted_vacancies_carry_adjustment_sa(bundle):
    assert value(bundle, dataset_id="cbs-80474NED", indicator="vacancies_open", country="NL", sector_scheme="nace2",
                 sector_code="N", breakdown="adjustment=sa", period="2023-Q2") == (29600, "vacancies", "provisional")


def test_vacancy_rate_per_thousand_jobs_becomes_percent(bundle):
    assert value(bundle, dataset_id="cbs-80567NED", indicator="vacancy_rate", country="NL",
                 period="2019-Q1") == (3.3, "percent", "reported")


def test_81431ned_wages_and_jobs_in_section_n(bundle):
    rows = bundle.observations.query("dataset_id == 'cbs-81431NED' and period == '2009' and sector_code == ''")
    by_indicator = rows[rows["breakdown"] == ""].set_index("indicator")["value"]
    assert by_indicator["jobs"] == 7820000
    assert by_indicator["labour_volume"] == 5925000
    assert by_indicator["hourly_wage_mean"] == 20.02
    assert by_indicator["monthly_wage_mean"] == 2225


def test_occupation_changers_are_derived_and_marked_estimated(bundle):
    assert value(bundle, dataset_id="cbs-83120NED", indicator="occupation_changers", country="NL",
                 occupation_scheme="brc2014", occupation_code="01", period="2021-Q2") == (21000, "persons", "estimated")
    assert value(bundle, dataset_id="cbs-83120NED", indicator="employed_persons", country="NL",
                 occupation_scheme="brc2014", occupation_code="01", breakdown="occupation_change=none",
                 period="2021-Q2") == (618000, "persons", "final")
    class_13 = bundle.observations.query("indicator == 'occupation_changers' and occupation_code == '13'")
    assert class_13.empty


def test_new_vacancies_by_occupation_class_and_sector(bundle):
    assert value(bundle, dataset_id="cbs-85081NED", indicator="vacancies_new", country="NL",
                 occupation_scheme="brc2014", occupation_code="03", period="2022") == (198500, "vacancies", "provisional")
    assert value(bundle, dataset_id="cbs-85081NED", indicator="vacancies_new", country="NL",
                 occupation_scheme="brc2014", occupation_code="07", sector_scheme="nace2", sector_code="B-F",
                 period="2022") == (94600, "vacancies", "provisional")


def test_cbs_tension_quotes_are_reported_and_inferred_years_left_out(bundle):
    assert value(bundle, dataset_id="cbs-spanning", indicator="vacancies_per_100_unemployed", country="NL",
                 breakdown="adjustment=sa", period="2022-Q1") == (133, "per 100 unemployed", "reported")
    periods = set(bundle.observations.query("dataset_id == 'cbs-spanning'")["period"])
    assert "2022-Q2" not in periods and "2022-Q3" not in periods


def test_uwv_tension_with_numerator_denominator_and_occupation_groups(bundle):
    assert value(bundle, dataset_id="uwv-spanningsindicator", indicator="tension_ratio", country="NL",
                 period="2023-Q1") == (4.32, "ratio", "reported")
    assert value(bundle, dataset_id="uwv-spanningsindicator", indicator="vacancies_open", country="NL",
                 period="2023-Q1") == (432900, "vacancies", "reported")
    assert value(bundle, dataset_id="uwv-spanningsindicator", indicator="ww_recipients_short_duration",
                 country="NL", period="2023-Q1") == (100314, "persons", "reported")
    assert value(bundle, dataset_id="uwv-spanningsindicator", indicator="tension_ratio", country="NL",
                 occupation_scheme="uwv", occupation_code="boekhouders", period="2023-Q1") == (10.09, "ratio", "reported")


def test_press_quotes_of_85517ned_only_fill_gaps_in_the_table(bundle):
    reported = bundle.observations.query("dataset_id == 'cbs-85517NED' and status == 'reported'")
    assert sorted(zip(reported["occupation_code"], reported["period"], reported["value"], strict=True)) == [
        ("", "2013", 18.0), ("", "2023", 23.6)]
    # The table's own 2023 median for segment 033 (15.2) stands; the press quoted an older vintage (15.1).
    assert value(bundle, dataset_id="cbs-85517NED", indicator="hourly_wage_median", country="NL",
                 occupation_scheme="brc2014", occupation_code="033", period="2023") == (15.2, "EUR/hour", "final")


def test_every_nl_dataset_has_provenance_and_says_what_is_partial(bundle):
    datasets = bundle.datasets.set_index("dataset_id")
    for dataset_id in NL_DATASETS:
        row = datasets.loc[dataset_id]
        assert row["origin"] == "bundled" and row["completeness"] and row["title_en"]
        assert row["publisher"] == ("UWV" if dataset_id.startswith("uwv") else "CBS")
    assert datasets.loc["cbs-85276NED", "url"] == "https://opendata.cbs.nl/statline/#/CBS/nl/dataset/85276NED"
    assert datasets.loc["cbs-85276NED", "licence"] == "CC BY 4.0"
    assert datasets.loc["cbs-85517NED", "replaced_by"] == "86355NED"
    assert datasets.loc["cbs-83120NED", "replaced_by"] == "85388NED"
    rows = bundle.observations[bundle.observations["dataset_id"].isin(NL_DATASETS)]
    assert (rows["source_url"] != "").all()


def test_regenerating_the_nl_bundle_from_shared_equals_the_committed_files(tmp_path):
    reference = DEFAULT_REFERENCE_DIR
    if not (Path(reference) / "nl").is_dir():
        pytest.skip("../shared/reference is absent (a fresh clone); the committed bundle is checked above")
    parts = [cbs.bundle(reference), uwv.bundle(reference)]
    fresh = Parsed(observations=pd.concat([p.observations for p in parts], ignore_index=True),
                   datasets=with_texts(pd.concat([p.datasets for p in parts], ignore_index=True)),
                   occupations=pd.concat([p.occupations for p in parts], ignore_index=True),
                   sectors=pd.concat([p.sectors for p in parts], ignore_index=True))
    bundle_files.write(fresh, tmp_path)
    for dataset_id in NL_DATASETS:
        name = f"{bundle_files.OBSERVATION_DIR}/{dataset_id}.csv"
        assert (tmp_path / name).read_bytes() == (BUNDLE_DIR / name).read_bytes(), f"{name} differs"
    for name in (bundle_files.DATASET_FILE, bundle_files.OCCUPATION_FILE, bundle_files.SECTOR_FILE):
        regenerated = pd.read_csv(tmp_path / name, dtype=str, keep_default_na=False)
        committed = pd.read_csv(BUNDLE_DIR / name, dtype=str, keep_default_na=False)
        merged = regenerated.merge(committed, how="left", indicator=True)
        assert (merged["_merge"] == "both").all(), f"{name}: rows differ from the committed bundle"
