"""The committed bundled snapshot holds the Belgian VDAB and Statbel figures and the ISCO-08 code list exactly as
etl/bundle/vdab.py, statbel.py and be_isco08.py produce them, with partial years marked as partial."""

from pathlib import Path

import pandas as pd
import pytest

from etl import bundle_files
from etl.bundle import be_isco08, statbel, vdab, with_texts
from etl.observation import KEY
from etl.parsed import Parsed
from etl.paths import BUNDLE_DIR, DEFAULT_REFERENCE_DIR

BE_DATASETS = ["statbel-jvs", "statbel-wages", "vdab-arvastat-bouw", "vdab-knelpuntberoepen", "vdab-press"]
CONTACT_CENTRE = "contactcenter-medewerker"


@pytest.fixture(scope="module")
def bundle() -> Parsed:
    return bundle_files.read(BUNDLE_DIR)


@pytest.fixture(scope="module")
def by_key(bundle) -> pd.DataFrame:
    return bundle.observations.set_index(KEY).sort_index()


def value(by_key: pd.DataFrame, **where) -> tuple[float, str, str]:
    """(value, unit, status) of the one row whose key is `where` (key columns not named are blank)."""
    found = by_key.loc[[tuple(where.get(column, "") for column in KEY)]]
    assert len(found) == 1, f"{len(found)} rows have the key {where}"
    return found["value"].iloc[0], found["unit"].iloc[0], found["status"].iloc[0]


def shortage_rows(bundle: Parsed) -> pd.DataFrame:
    obs = bundle.observations
    return obs[(obs["dataset_id"] == "vdab-knelpuntberoepen") & (obs["indicator"] == "shortage_listed")]


def test_the_2026_vdab_list_has_227_titles_all_listed_in_flanders(bundle):
    full = shortage_rows(bundle)
    full = full[(full["breakdown"] == "") & (full["period"] == "2026")]
    assert len(full) == 227
    assert full["occupation_code"].nunique() == 227
    assert set(full["value"]) == {1.0}
    assert set(full["region"]) == {"BE2"} and set(full["occupation_scheme"]) == {"vdab"}


def test_the_contact_centre_title_is_on_the_2026_list(by_key):
    assert value(by_key, dataset_id="vdab-knelpuntberoepen", indicator="shortage_listed", country="BE", region="BE2",
                 occupation_scheme="vdab", occupation_code=CONTACT_CENTRE, period="2026") == (1, "flag", "final")


def test_no_partial_year_is_presented_as_a_complete_list(bundle):
    rows = shortage_rows(bundle)
    assert set(rows.loc[rows["breakdown"] == "", "period"]) == {"2026"}
    evidence = rows.loc[rows["period"] != "2026", "breakdown"]
    assert evidence.str.contains("evidence=").all()


def test_renamed_contact_centre_titles_of_2013_and_2018_share_one_code(by_key):
    assert value(by_key, dataset_id="vdab-knelpuntberoepen", indicator="shortage_listed", country="BE", region="BE2",
                 occupation_scheme="vdab", occupation_code=CONTACT_CENTRE, breakdown="evidence=top10",
                 period="2018") == (1, "flag", "reported")
    assert value(by_key, dataset_id="vdab-knelpuntberoepen", indicator="shortage_listed", country="BE", region="BE2",
                 occupation_scheme="vdab", occupation_code=CONTACT_CENTRE,
                 breakdown="cause=kwalitatief-of-arbeidsomstandigheden;evidence=top5_by_cause",
                 period="2013") == (1, "flag", "reported")


def test_a_title_removed_from_the_list_is_zero_for_that_year(by_key):
    assert value(by_key, dataset_id="vdab-knelpuntberoepen", indicator="shortage_listed", country="BE", region="BE2",
                 occupation_scheme="vdab", occupation_code="koetswerkbouwer", breakdown="evidence=removed",
                 period="2020") == (0, "flag", "reported")


def test_a_printed_top_10_order_is_kept_as_rank(by_key):
    assert value(by_key, dataset_id="vdab-knelpuntberoepen", indicator="shortage_list_rank", country="BE",
                 region="BE2", occupation_scheme="vdab", occupation_code="verpleegkundige",
                 breakdown="evidence=top10", period="2022") == (1, "rank", "reported")


def test_list_sizes_are_reported_and_the_derived_2025_count_is_left_out(bundle, by_key):
    assert value(by_key, dataset_id="vdab-knelpuntberoepen", indicator="shortage_list_size", country="BE",
                 region="BE2", period="2024") == (241, "occupations", "reported")
    assert value(by_key, dataset_id="vdab-knelpuntberoepen", indicator="shortage_list_size", country="BE",
                 region="BE2", period="2026") == (227, "occupations", "reported")
    sizes = bundle.observations[bundle.observations["indicator"] == "shortage_list_size"]
    assert "2025" not in set(sizes["period"])


def test_arvastat_construction_windows_are_filed_under_their_last_month(by_key):
    assert value(by_key, dataset_id="vdab-arvastat-bouw", indicator="vacancies_new", country="BE", region="BE2",
                 breakdown="vdab_sector=bouw;window=12m", period="2026-04") == (17868, "vacancies", "final")
    assert value(by_key, dataset_id="vdab-arvastat-bouw", indicator="vacancies_new", country="BE", region="BE2",
                 breakdown="vdab_sector=bouw;window=12m", period="2017-12") == (18973, "vacancies", "final")


def test_arvastat_monthly_received_and_open_vacancies_in_construction(bundle, by_key):
    assert value(by_key, dataset_id="vdab-arvastat-bouw", indicator="vacancies_new", country="BE", region="BE2",
                 breakdown="vdab_sector=bouw", period="2016-01") == (1062, "vacancies", "final")
    assert value(by_key, dataset_id="vdab-arvastat-bouw", indicator="vacancies_open", country="BE", region="BE2",
                 breakdown="vdab_sector=bouw", period="2026-04") == (4420, "vacancies", "final")
    arvastat = bundle.observations[bundle.observations["dataset_id"] == "vdab-arvastat-bouw"]
    assert (arvastat["sector_scheme"] == "").all(), "Arvastat's employer-sector filter is not NACE F"


def test_the_2160_call_centre_vacancies_are_a_reported_12_month_figure(by_key):
    assert value(by_key, dataset_id="vdab-press", indicator="vacancies_new", country="BE", region="BE2",
                 occupation_scheme="vdab", occupation_code=CONTACT_CENTRE, breakdown="window=12m",
                 period="2024-10") == (2160, "vacancies", "reported")


def test_press_lower_bounds_are_not_stored_as_figures(bundle, by_key):
    press = bundle.observations[bundle.observations["dataset_id"] == "vdab-press"]
    assert 360000 not in set(press["value"])
    assert value(by_key, dataset_id="vdab-press", indicator="vacancies_new", country="BE", region="BE2",
                 period="2021-10") == (36255, "vacancies", "reported")


def test_statbel_vacancies_and_rates_by_region_and_section(by_key):
    assert value(by_key, dataset_id="statbel-jvs", indicator="vacancies_open", country="BE", sector_scheme="nace2",
                 sector_code="B-S", period="2021-Q3") == (196227, "vacancies", "reported")
    assert value(by_key, dataset_id="statbel-jvs", indicator="vacancy_rate", country="BE", region="BE2",
                 sector_scheme="nace2", sector_code="B-S", period="2018-Q4") == (3.84, "percent", "reported")
    assert value(by_key, dataset_id="statbel-jvs", indicator="vacancy_rate", country="BE", sector_scheme="nace2",
                 sector_code="J", period="2018-Q2") == (7.4, "percent", "reported")
    assert value(by_key, dataset_id="statbel-jvs", indicator="vacancy_rate", country="BE", breakdown="size=LT10",
                 period="2018-Q4") == (5.17, "percent", "reported")


def test_statbel_quarters_the_press_did_not_print_are_left_out(bundle):
    jvs = bundle.observations[bundle.observations["dataset_id"] == "statbel-jvs"]
    assert not {"2017-Q4", "2018-Q1"} & set(jvs["period"])


def test_statbel_wages_carry_the_october_reference_month(by_key):
    assert value(by_key, dataset_id="statbel-wages", indicator="monthly_wage_mean", country="BE",
                 period="2017-10") == (3558, "EUR/month", "reported")
    assert value(by_key, dataset_id="statbel-wages", indicator="monthly_wage_median", country="BE",
                 period="2008-10") == (2595, "EUR/month", "reported")
    assert value(by_key, dataset_id="statbel-wages", indicator="monthly_wage_mean", country="BE", region="BE2",
                 period="2017-10") == (3499, "EUR/month", "reported")


def test_vdab_titles_have_a_code_list_with_sector_headings_as_parents(bundle):
    codes = bundle.occupations.set_index(["scheme", "code"])
    title = codes.loc[("vdab", CONTACT_CENTRE)]
    assert title["label_nl"] == "Contactcenter medewerker"
    assert title["parent_code"] == "groep-organisatieondersteunende-en-kennisberoepen"
    assert codes.loc[("vdab", title["parent_code"]), "level"] == "sector_heading"


def test_isco08_code_list_has_every_unit_group_with_official_english_labels(bundle):
    isco = bundle.occupations[bundle.occupations["scheme"] == "isco08"]
    assert isco["level"].value_counts().to_dict() == {"unit": 436, "minor": 130, "sub_major": 43, "major": 10}
    labels = isco.set_index("code")["label_en"]
    assert labels["4222"] == "Contact centre information clerks"
    assert labels["4223"] == "Telephone switchboard operators"
    assert labels["5244"] == "Contact centre salespersons"


def test_every_be_dataset_has_provenance_and_says_what_is_partial(bundle):
    datasets = bundle.datasets.set_index("dataset_id")
    for dataset_id in BE_DATASETS:
        row = datasets.loc[dataset_id]
        assert row["publisher"] and row["licence"] and row["completeness"], dataset_id
        assert row["origin"] == "bundled"
    rows = bundle.observations[bundle.observations["dataset_id"].isin(BE_DATASETS)]
    assert (rows["source_url"] != "").all()
    assert set(rows["country"]) == {"BE"}


def test_regenerating_the_be_bundle_from_shared_equals_the_committed_files(tmp_path):
    reference = DEFAULT_REFERENCE_DIR
    if not (Path(reference) / "be").is_dir():
        pytest.skip("../shared/reference is absent (a fresh clone); the committed bundle is checked above")
    parts = [vdab.bundle(reference), statbel.bundle(reference), be_isco08.bundle(reference)]
    fresh = Parsed(observations=pd.concat([p.observations for p in parts], ignore_index=True),
                   datasets=with_texts(pd.concat([p.datasets for p in parts if len(p.datasets)], ignore_index=True)),
                   occupations=pd.concat([p.occupations for p in parts], ignore_index=True))
    bundle_files.write(fresh, tmp_path)
    for dataset_id in BE_DATASETS:
        name = f"{bundle_files.OBSERVATION_DIR}/{dataset_id}.csv"
        assert (tmp_path / name).read_bytes() == (BUNDLE_DIR / name).read_bytes(), f"{name} differs"
    for name in (bundle_files.DATASET_FILE, bundle_files.OCCUPATION_FILE):
        regenerated = pd.read_csv(tmp_path / name, dtype=str, keep_default_na=False)
        committed = pd.read_csv(BUNDLE_DIR / name, dtype=str, keep_default_na=False)
        merged = regenerated.merge(committed, how="left", indicator=True)
        assert (merged["_merge"] == "both").all(), f"{name}: rows differ from the committed bundle"


def test_a_printed_figure_names_its_publisher_only_when_the_publication_does_not():
    from etl.bundle.publications import printed_source

    assert printed_source("Knack, november 2024", "Knack") == "Knack, november 2024"
    assert printed_source("Knack, november 2024", "Hudson") == "Knack, november 2024 (Hudson)"
