"""VDAB titles become stable slug codes; renamed titles meet in one code through the versioned alias file."""

import pytest

from etl import vdab_titles


def test_a_title_becomes_a_lower_case_ascii_slug():
    assert vdab_titles.slug("Contactcenter medewerker") == "contactcenter-medewerker"
    assert vdab_titles.slug("Maître d'hôtel") == "maitre-d-hotel"
    assert vdab_titles.slug("Tekenaar-ontwerper elektriciteit, elektronica") == "tekenaar-ontwerper-elektriciteit-elektronica"


def test_spelling_variants_with_hyphen_or_space_give_one_slug():
    assert vdab_titles.slug("analist-ontwikkelaar ICT") == vdab_titles.slug("analist ontwikkelaar ICT")


def test_the_three_contact_centre_wordings_share_one_code():
    codes = {vdab_titles.code(t) for t in ("Contactcenter medewerker", "medewerker callcenter", "medewerker contactcenter")}
    assert codes == {"contactcenter-medewerker"}


def test_a_title_without_an_alias_keeps_its_own_slug():
    assert vdab_titles.code("Werfleider") == "werfleider"


def test_a_sector_heading_code_cannot_collide_with_a_title():
    assert vdab_titles.heading_code("Horecaberoepen") == "groep-horecaberoepen"
    assert vdab_titles.code("horecaberoepen") == "horecaberoepen"


def test_a_title_of_punctuation_only_is_rejected():
    with pytest.raises(vdab_titles.TitleError, match="no letters or digits"):
        vdab_titles.slug(" - ")


def test_an_alias_file_mapping_one_title_to_two_codes_is_rejected(tmp_path):
    path = tmp_path / "aliases.csv"
    path.write_text("title,code,since,note\nmedewerker callcenter,a,2018,x\nMedewerker Callcenter,b,2018,y\n", "utf-8")
    with pytest.raises(vdab_titles.TitleError, match="two codes"):
        vdab_titles.aliases(path)
