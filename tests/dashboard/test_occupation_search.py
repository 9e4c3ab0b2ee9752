"""Occupation search over every code list: inside Dutch compounds, Dutch or English, diacritics ignored, synonyms, codes."""

import pytest

from dashboard import occupation_search

CUSTOMER_CONTACT = {("brc2014", "0334"), ("brc2014", "0433"), ("brc2014e2025", "0433"), ("isco08", "4222"),
                    ("isco08", "4223"), ("isco08", "5244"), ("vdab", "contactcenter-medewerker")}


def _found(query):
    return [(r.scheme, r.code) for r in occupation_search.search(query).itertuples()]


def test_chauffeur_finds_the_chauffeurs_inside_dutch_compounds_in_every_scheme(db):
    found = _found("chauffeur")
    assert {("brc2014", "1212"), ("brc2014", "1213"), ("brc2014", "1214"), ("brc2014e2025", "1214"),
            ("vdab", "autobuschauffeur"), ("vdab", "taxichauffeur-en-chauffeur-privevervoer"),
            ("isco08", "8322"), ("isco08", "8332")} <= set(found)
    assert found[0] == ("brc2014", "1212")


@pytest.mark.parametrize("query", ["klantcontact", "callcenter", "contact center", "Contactcenter", "klantenservice"])
def test_every_name_for_customer_contact_finds_the_customer_contact_codes_of_both_countries(db, query):
    assert set(_found(query)) == CUSTOMER_CONTACT | {("isco08", "42")}


def test_a_word_that_ends_a_compound_matches_as_a_word_and_one_that_begins_a_longer_word_only_in_part():
    def entry(*words):
        return occupation_search.Entry("brc2014", "1214", " ".join(words), words)

    assert occupation_search.word_level("chauffeur", entry("vrachtwagenchauffeurs")) == occupation_search.WORD_MATCH
    assert occupation_search.word_level("nurse", entry("nursery", "growers")) == occupation_search.PART_OF_WORD
    assert occupation_search.word_level("1214", entry("truck")) == occupation_search.CODE
    assert occupation_search.word_level("bus", entry("truck")) is None


def test_nurse_finds_the_nurses_of_both_languages_and_not_the_nursery_gardeners(db):
    found = _found("nurse")
    assert {("brc2014", "1033"), ("brc2014", "1012"), ("vdab", "verpleegkundige"), ("isco08", "2221"),
            ("isco08", "3221")} <= set(found)
    assert ("isco08", "6113") not in found


def test_the_start_of_a_word_finds_every_label_it_begins_or_sits_in(db):
    assert _found("verpleeg") == [("vdab", "verpleegkundige"), ("brc2014", "1033"), ("vdab", "hoofdverpleegkundige"),
                                  ("brc2014", "1012"), ("brc2014", "101")]


def test_two_words_also_find_the_dutch_compound_they_make(db):
    assert _found("vrachtwagen chauffeur")[:2] == [("brc2014", "1214"), ("brc2014e2025", "1214")]


def test_a_code_finds_its_isco_unit_group(db):
    assert _found("4222") == [("isco08", "4222")]


def test_an_english_name_finds_the_isco_unit_group_by_its_english_label(db):
    assert _found("contact centre salespersons") == [("isco08", "5244"), ("brc2014", "0334")]


def test_a_word_typed_without_its_diacritics_finds_the_label_that_has_them(db):
    assert _found("concierges") == [("brc2014", "1115")]


def test_every_word_must_match_so_two_words_narrow_the_results(db):
    assert _found("medewerker klant") == [("brc2014e2025", "0433")]


def test_uwv_groups_are_found_by_name(db):
    assert ("uwv", "boekhouders") in _found("boekhouder")


def test_query_syntax_is_dropped_so_only_its_words_are_searched():
    assert occupation_search.match_expression('"or( NEAR*') == "or near"
    assert occupation_search.match_expression(" -- ") == ""


def test_a_synonym_replaces_its_term_inside_a_longer_query():
    groups = [("callcenter", "contact centre")]
    assert occupation_search.alternatives(["callcenter", "medewerker"], groups) == [
        ["callcenter", "medewerker"], ["callcentermedewerker"], ["contact", "centre", "medewerker"]]


def test_every_synonym_term_finds_at_least_one_occupation(db):
    lost = [term for group in occupation_search.synonym_groups() for term in group if not _found(term)]
    assert lost == []


def test_an_occupation_without_an_english_label_is_named_in_dutch(db):
    row = occupation_search.occupation("vdab", "contactcenter-medewerker")
    assert occupation_search.label(row, "en") == "Contactcenter medewerker"
    assert occupation_search.occupation("brc2014", "4222") is None
