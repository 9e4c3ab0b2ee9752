"""Sector presets as data: the customer-contact preset resolves in both countries, and a federation's own sector
in the same file format is checked code by code against the code lists."""

from pathlib import Path

import pandas as pd
import pytest

from etl import bundle_files, sector_definitions
from etl.build import NACE_FILE
from etl.paths import BUNDLE_DIR

OWN_SECTOR = """
[ict]
label_nl = "ICT"
label_en = "ICT"

[[ict.codes]]
country = "BE"
scheme = "vdab"
codes = ["software-ontwikkelaar", "systeembeheerder"]

[[ict.codes]]
country = "BE"
scheme = "isco08"
codes = ["2512", "2522"]

[[ict.codes]]
country = "NL"
scheme = "nace2"
codes = ["J"]
"""


@pytest.fixture(scope="module")
def known_codes() -> set[tuple[str, str]]:
    occupations = bundle_files.read(BUNDLE_DIR).occupations
    nace = pd.read_csv(NACE_FILE, dtype=str, keep_default_na=False)
    return set(zip(occupations["scheme"], occupations["code"], strict=True)) | set(
        zip(nace["scheme"], nace["code"], strict=True))


def test_the_customer_contact_preset_resolves_to_codes_in_both_countries(known_codes):
    preset = sector_definitions.load()
    preset = preset[preset["sector_id"] == "customer_contact"]
    sector_definitions.check_codes(preset, known_codes)
    by_country = preset.groupby("country")["scheme"].apply(set).to_dict()
    assert by_country["NL"] >= {"brc2014", "nace2"}
    assert by_country["BE"] == {"vdab", "isco08", "nace2"}
    be = preset[preset["country"] == "BE"]
    assert set(be.loc[be["scheme"] == "isco08", "code"]) == {"4222", "4223", "5244"}
    assert set(be.loc[be["scheme"] == "vdab", "code"]) == {"contactcenter-medewerker"}


def test_a_federations_own_sector_in_the_same_format_is_accepted(tmp_path, known_codes):
    path = tmp_path / "sectors.toml"
    path.write_text(OWN_SECTOR, "utf-8")
    own = sector_definitions.load(path)
    sector_definitions.check_codes(own, known_codes)
    assert sorted(own["code"]) == ["2512", "2522", "J", "software-ontwikkelaar", "systeembeheerder"]


def test_a_code_that_does_not_exist_in_its_scheme_is_named(tmp_path, known_codes):
    path = tmp_path / "sectors.toml"
    path.write_text(OWN_SECTOR.replace('"2522"', '"2599"').replace('"systeembeheerder"', '"it-ninja"'), "utf-8")
    with pytest.raises(sector_definitions.SectorDefinitionError, match="ict: vdab it-ninja, ict: isco08 2599"):
        sector_definitions.check_codes(sector_definitions.load(path), known_codes)


def test_a_code_group_without_a_scheme_is_refused(tmp_path):
    path = tmp_path / "sectors.toml"
    path.write_text(OWN_SECTOR.replace('scheme = "nace2"\n', ""), "utf-8")
    with pytest.raises(sector_definitions.SectorDefinitionError, match="a code group of 'ict' has no 'scheme'"):
        sector_definitions.load(path)


def test_the_example_in_the_sector_file_header_loads_and_validates(tmp_path, known_codes):
    commented = [line[4:].split("  #")[0] for line in Path(sector_definitions.SECTORS_FILE).read_text("utf-8").splitlines()
                 if line.startswith("#   ")]
    path = tmp_path / "example.toml"
    path.write_text("\n".join(commented), "utf-8")
    example = sector_definitions.load(path)
    sector_definitions.check_codes(example, known_codes)
    assert sorted(example["code"]) == ["2512", "2522", "software-ontwikkelaar", "systeembeheerder"]
