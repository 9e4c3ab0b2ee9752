"""Occupation search over every code list, by name in Dutch or English (diacritics ignored) or by code."""

from dashboard import occupation_search


def _found(query):
    return [(r.scheme, r.code) for r in occupation_search.search(query).itertuples()]


def test_callcenter_finds_the_brc_group_of_outbound_call_centre_workers(db):
    assert _found("callcenter") == [("brc2014", "0334")]


def test_contactcenter_finds_the_vdab_title_contactcenter_medewerker(db):
    assert _found("contactcenter") == [("vdab", "contactcenter-medewerker")]


def test_a_code_finds_its_isco_unit_group(db):
    assert _found("4222") == [("isco08", "4222")]


def test_an_english_name_finds_the_isco_unit_group_by_its_english_label(db):
    assert _found("contact centre salespersons") == [("isco08", "5244")]


def test_a_word_typed_without_its_diacritics_finds_the_label_that_has_them(db):
    assert ("brc2014", "1115") in _found("concierges")


def test_every_word_must_match_so_two_words_narrow_the_results(db):
    assert _found("medewerker klant") == [("brc2014e2025", "0433")]


def test_fts_syntax_in_a_query_is_dropped_so_only_its_words_are_searched():
    assert occupation_search.match_expression('"or( NEAR*') == '"or"* "NEAR"*'
    assert occupation_search.match_expression(" -- ") == ""


def test_an_occupation_without_an_english_label_is_named_in_dutch(db):
    row = occupation_search.occupation("vdab", "contactcenter-medewerker")
    assert occupation_search.label(row, "en") == "Contactcenter medewerker"
    assert occupation_search.occupation("brc2014", "4222") is None
