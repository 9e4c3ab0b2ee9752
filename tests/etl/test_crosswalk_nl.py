"""The Dutch crosswalk files: every code exists in its scheme and confidence is stated honestly."""

import re

import pandas as pd
import pytest

from etl import bundle_files, crosswalks
from etl.paths import BUNDLE_DIR


@pytest.fixture(scope="module")
def links():
    return crosswalks.load()


@pytest.fixture(scope="module")
def codes():
    occupations = bundle_files.read(BUNDLE_DIR).occupations
    return set(zip(occupations["scheme"], occupations["code"], strict=True))


def test_customer_contact_groups_map_to_the_isco_unit_groups_methods_names(links):
    brc = links[(links["from_scheme"] == "brc2014") & (links["to_scheme"] == "isco08")]
    high = brc[brc["confidence"] == "high"]
    assert sorted(zip(high["from_code"], high["to_code"], strict=True)) == [
        ("0334", "5244"), ("0433", "4222"), ("0433", "4223"), ("0433", "4225"), ("0433", "4226")]


def test_every_brc_code_in_a_crosswalk_is_a_brc_2014_group(links, codes):
    brc = pd.concat([links.loc[links["from_scheme"] == "brc2014", "from_code"],
                     links.loc[links["to_scheme"] == "brc2014", "to_code"]])
    assert set(brc) and all(("brc2014", code) in codes for code in brc)


def test_brc_isco_targets_are_four_digit_unit_groups_or_explicitly_unmapped(links):
    isco = links[(links["from_scheme"] == "brc2014") & (links["to_scheme"] == "isco08")]
    mapped = isco[isco["confidence"] != "unmapped"]
    assert mapped["to_code"].map(lambda c: bool(re.fullmatch(r"\d{4}", c))).all()
    assert sorted(isco.loc[isco["confidence"] == "unmapped", "from_code"]) == ["0551", "1311"]


def test_editie_2025_links_point_at_codes_86355ned_publishes(links, codes):
    edition = links[links["to_scheme"] == "brc2014e2025"]
    assert all(("brc2014e2025", code) in codes for code in edition["to_code"])
    by_pair = edition.set_index(["from_code", "to_code"])["confidence"]
    assert by_pair[("0433", "0433")] == "high"  # same CBS key A000206, relabelled
    assert by_pair[("0411", "0411")] == "exact"
    assert by_pair[("0811", "0814")] == "medium"  # same label, new key: re-cut


def test_sbi_sections_are_nace_sections_and_uwv_groups_link_to_brc(links, codes):
    sbi = links[links["from_scheme"] == "sbi2008"]
    assert (sbi.loc[sbi["from_code"].str.len() == 1, "confidence"] == "exact").sum() == 21
    uwv = links[links["from_scheme"] == "uwv"]
    assert all(("uwv", code) in codes for code in uwv["from_code"])
    assert set(uwv["confidence"]) == {"medium"}
