"""VDAB titles -> ISCO-08: every title on the 2026 list is mapped or explicitly unmapped, into codes that exist."""

import pandas as pd
import pytest

from etl import bundle_files, crosswalks
from etl.paths import BUNDLE_DIR

CROSSWALK_FILE = crosswalks.CROSSWALK_DIR / "vdab_isco08.csv"


@pytest.fixture(scope="module")
def links() -> pd.DataFrame:
    return pd.read_csv(CROSSWALK_FILE, dtype=str, keep_default_na=False)


@pytest.fixture(scope="module")
def listed_2026() -> set[str]:
    obs = bundle_files.read(BUNDLE_DIR).observations
    rows = obs[(obs["dataset_id"] == "vdab-knelpuntberoepen") & (obs["indicator"] == "shortage_listed")
               & (obs["period"] == "2026") & (obs["breakdown"] == "")]
    return set(rows["occupation_code"])


def test_every_title_on_the_2026_list_is_mapped_or_marked_unmapped(links, listed_2026):
    assert len(listed_2026) == 227
    assert listed_2026 == set(links["from_code"])


def test_221_titles_map_to_isco_and_6_are_honestly_unmapped(links):
    unmapped = links[links["confidence"] == "unmapped"]
    assert unmapped["from_code"].nunique() == 6
    assert (unmapped["to_code"] == "").all()
    mapped = links[links["confidence"] != "unmapped"]
    assert mapped["from_code"].nunique() == 221
    assert not set(unmapped["from_code"]) & set(mapped["from_code"])


def test_every_isco_target_is_a_unit_group_of_the_code_list(links):
    occupations = bundle_files.read(BUNDLE_DIR).occupations
    units = set(occupations.loc[(occupations["scheme"] == "isco08") & (occupations["level"] == "unit"), "code"])
    targets = set(links.loc[links["to_code"] != "", "to_code"])
    assert targets <= units, sorted(targets - units)


def test_the_contact_centre_title_maps_to_4222_and_5244(links):
    rows = links[links["from_code"] == "contactcenter-medewerker"].set_index("to_code")["confidence"].to_dict()
    assert rows == {"4222": "high", "5244": "medium"}


def test_the_crosswalk_loads_with_the_other_crosswalks():
    loaded = crosswalks.load()
    assert len(loaded[loaded["from_scheme"] == "vdab"]) == 229
