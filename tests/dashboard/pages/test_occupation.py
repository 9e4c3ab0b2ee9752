"""The occupation explorer's state, views, rendering and search callback, called as plain functions on the bundled data."""

from dashboard.pages import occupation


def _state(**query):
    return occupation.state(query)


def _values(rows, indicator):
    part = rows[(rows["indicator"] == indicator) & (rows["breakdown"] == "")]
    return dict(zip(part["period"], zip(part["value"], part["status"], strict=True), strict=True))


def test_the_default_occupation_is_brc_0334_and_its_employment_is_the_published_one(db):
    state = _state(lang="en")
    assert state.values == {"scheme": "brc2014", "code": "0334"}
    rows = occupation.VIEWS["employment"](state)
    assert _values(rows, "employed_persons") == {
        "2023": (127000, "final"), "2024-Q4": (105000, "final"), "2025-Q4": (118000, "final")}
    assert _values(rows, "employees") == {"2022": (113000, "final"), "2024": (100000, "provisional")}
    assert set(rows["licence"]) == {"CC BY 4.0"}


def test_the_wage_view_of_brc_0433_holds_the_2024_median_and_quartiles(db):
    rows = occupation.VIEWS["wages"](_state(scheme="brc2014", code="0433"))
    assert _values(rows, "hourly_wage_median") == {"2023": (19.4, "final"), "2024": (20.7, "provisional")}
    assert _values(rows, "hourly_wage_p25") == {"2024": (17.7, "provisional")}
    assert _values(rows, "hourly_wage_p75") == {"2024": (25.6, "provisional")}


def test_the_breakdown_view_puts_women_beside_the_total_of_the_same_quarter(db):
    rows = occupation.VIEWS["breakdowns"](_state())
    assert list(zip(rows["breakdown"], rows["period"], rows["value"], strict=True)) == [
        ("", "2025-Q4", 118000), ("sex=F", "2025-Q4", 69000)]
    assert "sex=F" not in set(occupation.VIEWS["employment"](_state())["breakdown"])


def test_brc_0334_links_to_isco_5244_and_isco_5244_links_back_to_both_countries(db):
    links = occupation.VIEWS["links"](_state(lang="en"))
    assert links[["direction", "scheme", "code", "label", "confidence"]].values.tolist() == [
        ["to", "isco08", "5244", "Contact centre salespersons", "high"]]
    back = occupation.VIEWS["links"](_state(scheme="isco08", code="5244"))
    assert back[["direction", "scheme", "code", "confidence"]].values.tolist() == [
        ["from", "brc2014", "0334", "high"], ["from", "vdab", "contactcenter-medewerker", "medium"]]


def test_a_vdab_title_links_to_its_isco_codes_with_their_confidence(db):
    links = occupation.VIEWS["links"](_state(scheme="vdab", code="contactcenter-medewerker"))
    assert links[["scheme", "code", "confidence"]].values.tolist() == [
        ["isco08", "4222", "high"], ["isco08", "5244", "medium"]]


def test_the_linked_codes_are_links_that_put_scheme_and_code_in_the_url(db):
    page = str(occupation.render(_state(lang="en")))
    assert "/occupation?code=5244&lang=en&scheme=isco08" in page


def test_brc_0334_ranks_26th_of_114_groups_by_employment_and_63rd_of_74_by_median_wage(db):
    state = _state(lang="en")
    employed = occupation.VIEWS["standing-employment"](state)
    own = employed[employed["occupation_code"] == "0334"].iloc[0]
    assert (own["rank"], own["of"], own["period"], own["value"]) == (26, 114, "2025-Q4", 118000)
    assert len(employed) == 114 and set(employed["breakdown"]) == {""}
    wage = occupation.VIEWS["standing-wage"](state)
    own = wage[wage["occupation_code"] == "0334"].iloc[0]
    assert (own["rank"], own["of"], own["period"], own["value"]) == (63, 74, "2024", 18.3)
    assert "rank 26 of 114 at level occupation group (2025-Q4: 118,000)" in str(occupation.render(state))


def test_the_vdab_list_shows_partial_years_as_partial_evidence_and_years_without_a_row_as_unknown(db):
    state = _state(scheme="vdab", code="contactcenter-medewerker", lang="en")
    rows = occupation.VIEWS["shortage"](state)
    assert [(r.period, occupation._shortage_state(r, "en")) for r in rows.itertuples()] == [
        ("2013", "listed (partial evidence: top 5 by cause in the press)"),
        ("2018", "listed (partial evidence: top 10 in the press)"),
        ("2026", "listed")]
    assert occupation._unknown_years(rows) == [
        "2014", "2015", "2016", "2017", "2019", "2020", "2021", "2022", "2023", "2024", "2025"]
    page = str(occupation.render(state))
    assert "not listed" not in page.replace("not 'not listed'", "")


def test_a_title_reported_as_removed_is_shown_as_taken_off_not_as_not_listed(db):
    rows = occupation.VIEWS["shortage"](_state(scheme="vdab", code="keukenmedewerker"))
    removed = rows[rows["period"] == "2020"].iloc[0]
    assert occupation._shortage_state(removed, "en") == "taken off the list (partial evidence: reported in the press)"


def test_a_uwv_group_shows_its_tension_ratio_and_uwv_class(db):
    state = _state(scheme="uwv", code="accountants", lang="en")
    rows = occupation.VIEWS["tension"](state)
    assert _values(rows, "tension_ratio") == {"2023-Q1": (9.38, "reported")}
    assert occupation._series.tension_notes(rows, "en", occupation._series_label(rows, "en")) == [
        "Tension indicator, 2023-Q1: 9.38 — very tight (UWV class)."]


def test_what_is_missing_is_said_plainly(db):
    state = _state(scheme="isco08", code="4222", lang="en")
    assert occupation.VIEWS["wages"](state).empty
    page = str(occupation.render(state))
    assert "No figures for this occupation in the database (Hourly wages (P25, median, P75))." in page
    assert ("Not in the database for this occupation: Employment, Hourly wages (P25, median, P75), Vacancies, "
            "Tension (UWV), Occupation changers, VDAB shortage list.") in page
    assert "No figure for this occupation (Employed persons), so no position." in page


def test_a_code_of_another_scheme_gives_a_message_and_the_default(db):
    state = _state(code="4222", lang="en")
    assert state.values == {"scheme": "brc2014", "code": "0334"}
    assert state.problems == ["'4222' is not a code in BRC 2014; showing BRC 2014 0334."]


def test_bad_parameters_give_visible_messages_not_an_error(db):
    state = _state(scheme="<script>", code="x" * 300, colour="red", lang="en")
    assert state.values == {"scheme": "brc2014", "code": "0334"}
    assert state.problems == [
        "'<script>' is not a valid value for scheme (allowed: brc2014, brc2014e2025, isco08, uwv, vdab); showing the default.",
        f"'{'x' * 40}…' is not a valid value for code (allowed: see the choices on the page); showing the default.",
        "Unknown parameter 'colour' ignored (known: lang, scheme, code)."]
    page = str(occupation.layout(scheme="<script>", lang="en"))
    assert "occupation-problems" in page and "Outbound call-centre and other salespersons (BRC 2014 0334)" in page


def test_searching_lists_links_that_select_the_occupation_in_the_page_language(db):
    items = occupation.find_occupations("4222", "?lang=en&scheme=brc2014&code=0334")
    assert [(i.children.children, i.children.href) for i in items] == [
        ("Contact centre information clerks — ISCO-08 4222", "/occupation?code=4222&lang=en&scheme=isco08")]


def test_a_search_without_results_says_so_and_an_empty_one_lists_nothing(db):
    assert occupation.find_occupations("zzqxq", "?lang=en")[0].children == "No occupation found for 'zzqxq'."
    assert occupation.find_occupations("  ", "?lang=en") == []
