"""The industries page's views, layout and callback, called as plain functions on the bundled data."""


from dashboard.pages import industry
from tests.dashboard.clientside import NO_UPDATE, run


def _state(**query):
    return industry.state(query)


def test_the_default_view_is_section_n_vacancies_per_quarter(db):
    state = _state()
    assert state.values == {"sector": "N", "group": "vacancies", "frequency": "quarter"}
    assert state.problems == []


def test_open_new_and_filled_vacancies_of_section_n_in_2023_q3_are_the_published_figures(db):
    rows = industry.group_view(_state(lang="en"), "NL")
    q3 = rows[(rows["period"] == "2023-Q3") & (rows["breakdown"] == "")].set_index("indicator")["value"]
    assert q3.to_dict() == {"vacancies_filled": 29000, "vacancies_new": 28000, "vacancies_open": 29500}
    assert set(rows["dataset_id"]) == {"cbs-80472NED", "cbs-80474NED"}
    assert not any(len(p) == 4 for p in rows["period"])


def test_the_seasonally_adjusted_series_of_section_n_sits_beside_the_unadjusted_one(db):
    rows = industry.group_view(_state(), "NL")
    adjusted = rows[rows["breakdown"] == "adjustment=sa"]
    assert adjusted[["period", "value", "status"]].values.tolist() == [["2023-Q2", 29600, "provisional"]]


def test_the_yearly_frequency_gives_the_yearly_figures_of_80472ned(db):
    rows = industry.group_view(_state(frequency="year"), "NL")
    y2022 = rows[rows["period"] == "2022"].set_index("indicator")["value"]
    assert y2022.to_dict() == {"vacancies_filled": 117000, "vacancies_new": 121000, "vacancies_open": 29100}
    assert all(len(p) == 4 for p in rows["period"])


def test_belgium_has_no_vacancy_figures_for_section_n_and_says_so(db):
    state = _state(lang="en")
    assert industry.group_view(state, "BE").empty
    assert industry._empty(state, "BE") == (
        "The database holds no vacancies (open, new, filled) figures per quarter for "
        "N Administrative and support service activities (Belgium).")


def test_all_sectors_takes_the_statbel_total_b_s_for_belgium(db):
    rows = industry.group_view(_state(sector="all", group="vacancy_rate"), "BE")
    national = rows[rows["region"] == ""].set_index("period")["value"]
    assert national["2018-Q4"] == 3.44
    assert national["2021-Q3"] == 4.74
    assert set(rows["sector_code"]) == {"B-S"}
    flanders = rows[rows["region"] == "BE2"].set_index("period")["value"]
    assert flanders["2021-Q3"] == 5.43


def test_an_empty_sector_parameter_means_all_sectors(db):
    assert _state(sector="").get("sector") == "all"
    rows = industry.group_view(_state(sector="", group="vacancy_rate"), "NL")
    assert rows.set_index("period")["value"].to_dict() == {
        "2018-Q1": 2.9, "2018-Q4": 3.0, "2019-Q1": 3.3, "2023-Q3": 4.6, "2024-Q1": 4.6}


def test_vacancies_by_company_size_are_shown_for_all_sectors_only(db):
    assert industry.size_view(_state()).empty
    rows = industry.size_view(_state(sector="all", frequency="year"))
    open_2022 = rows[(rows["indicator"] == "vacancies_open") & (rows["period"] == "2022")]
    assert dict(zip(open_2022["breakdown"], open_2022["value"], strict=True)) == {
        "size=0-10": 73500, "size=10-100": 120900, "size=100+": 250000}


def test_jobs_and_wages_of_section_n_in_2022_come_from_81431ned(db):
    rows = industry.group_view(_state(group="jobs_wages", frequency="year"), "NL")
    y2022 = rows[rows["period"] == "2022"]
    assert dict(zip(y2022["indicator"], y2022["value"], strict=True)) == {
        "hourly_wage_mean": 18.17, "jobs": 1058000, "monthly_wage_mean": 1962}
    assert industry.group_view(_state(group="jobs_wages", frequency="year"), "BE").empty
    assert industry._empty(_state(group="jobs_wages", lang="en"), "BE").startswith(
        "For Belgium the database has no jobs and wages figures by industry")


def test_the_cross_section_holds_every_section_in_2023_q3_with_n_at_29500(db):
    rows = industry.cross_view(_state(), "NL")
    assert set(rows["period"]) == {"2023-Q3"}
    assert rows["sector_code"].tolist() == list("ABCDEFGHIJKLMNOPQRS")
    assert rows.set_index("sector_code").loc["N", "value"] == 29500
    assert rows.set_index("sector_code").loc["G", "value"] == 79800


def test_the_yearly_cross_section_of_2023_says_which_sections_cbs_left_out(db):
    rows = industry.cross_view(_state(frequency="year"), "NL")
    assert set(rows["period"]) == {"2023"}
    assert rows["sector_code"].tolist() == list("ABCDEFGHI")
    page = str(industry._cross_panel(_state(frequency="year", lang="en"), "NL"))
    assert "No figure for 2023 in the database for: J, K, L, M, N, O, P, Q, R, S, T, U." in page
    assert "The chosen section N has no figure for 2023." in page


def test_the_vacancy_rate_cross_section_uses_the_latest_quarter_of_each_country(db):
    state = _state(group="vacancy_rate")
    nl = industry.cross_view(state, "NL")
    assert nl[["sector_code", "period", "value"]].values.tolist() == [["F", "2024-Q1", 7.2], ["P", "2024-Q1", 2.2]]
    be = industry.cross_view(state, "BE")
    assert be[["sector_code", "period", "value"]].values.tolist() == [["I", "2021-Q2", 10.2]]


def test_the_selected_section_is_the_highlighted_bar(db):
    state = _state(lang="en")
    rows = industry.cross_view(state, "NL")
    labelled = rows.assign(series=rows["sector_code"])
    figure = industry._series.bar_figure(labelled, "en", "vacancies", "N")
    colours = dict(zip(figure.data[0].y, figure.data[0].marker.color, strict=True))
    assert colours["N"] == industry._series.HIGHLIGHT
    assert {c for code, c in colours.items() if code != "N"} == {industry._series.OTHER}


def test_the_page_states_plainly_which_belgian_quarters_the_database_holds(db):
    assert industry.belgian_coverage("en").startswith(
        "Belgium: of Statbel's job vacancy survey the database holds only scattered quarters as reported (15: 2017-Q3, "
        "2018-Q2, 2018-Q3, 2018-Q4, 2019-Q1, 2019-Q2, 2019-Q3, 2020-Q4, 2021-Q1, 2021-Q2, 2021-Q3, 2021-Q4, 2022-Q1, "
        "2023-Q3, 2023-Q4), for the industries "
        "B-S, I, J, M-N")


def test_bad_parameters_give_messages_and_the_defaults(db):
    state = _state(sector="ZZ", group="salaries", frequency="month", colour="red", lang="en")
    assert state.values == {"sector": "N", "group": "vacancies", "frequency": "quarter"}
    assert state.problems[1:] == [
        "'salaries' is not a valid value for group (allowed: jobs_wages, vacancies, vacancy_rate); showing the default.",
        "'month' is not a valid value for frequency (allowed: quarter, year); showing the default.",
        "Unknown parameter 'colour' ignored (known: lang, sector, group, frequency)."]
    page = str(industry.layout(sector="ZZ", lang="en"))
    assert "industry-problems" in page and "Industries: N Administrative and support service activities" in page


def test_dutch_and_english_pages_format_numbers_their_own_way(db):
    dutch = str(industry.render(_state(lang="nl")))
    english = str(industry.render(_state(lang="en")))
    assert "Bedrijfstakken: N Verhuur en overige zakelijke diensten" in dutch
    assert "| 2023-Q3 | Openstaande vacatures | 29.500 |" in dutch
    assert "| 2023-Q3 | Open vacancies | 29,500 |" in english


def test_choosing_controls_writes_them_into_the_url_and_keeps_the_frequency():
    assert run(industry.CHOOSE, "J", "vacancy_rate", "?frequency=year&lang=en") == (
        "?frequency=year&group=vacancy_rate&lang=en&sector=J")
    assert run(industry.CHOOSE, None, "vacancies", "?lang=en&sector=J") == "?group=vacancies&lang=en&sector=all"


def test_choosing_what_is_already_shown_changes_nothing():
    assert run(industry.CHOOSE, "N", "vacancies", "?lang=en") == NO_UPDATE
    assert run(industry.CHOOSE, "all", "vacancies", "?sector=") == NO_UPDATE


def test_the_frequency_is_a_labelled_group_of_two_links_to_this_view_with_the_chosen_one_current(db):
    group = industry._frequency_links(_state(sector="J", group="vacancy_rate", frequency="year", lang="en"))
    assert (group.role, getattr(group, "aria-labelledby")) == ("group", "industry-frequency-label")
    assert group["industry-frequency-label"].children == "Frequency"
    items = group.children[1].children
    assert [(item.children.children, item.children.href, getattr(item, "aria-current", None)) for item in items] == [
        ("quarter", "/industry?frequency=quarter&group=vacancy_rate&lang=en&sector=J", None),
        ("year", "/industry?frequency=year&group=vacancy_rate&lang=en&sector=J", "true")]


def test_every_view_is_downloadable_with_the_page_state(db):
    state = _state(sector="J", lang="en")
    links = industry.view_links(industry.NAME, "cross-nl", state, "en")
    assert links["csv"] == "/download/view/industry/cross-nl.csv?frequency=quarter&group=vacancies&lang=en&sector=J"
    assert sorted(industry.VIEWS) == ["cross-be", "cross-nl", "series-be", "series-nl", "sizes-nl"]


def test_an_empty_quarterly_view_points_to_the_yearly_figures(db):
    assert industry._empty(_state(group="jobs_wages", lang="en"), "NL") == (
        "The database holds no jobs and wages figures per quarter for N Administrative and support service activities "
        "(Netherlands). There are figures per year: choose that frequency.")


def test_every_chart_names_its_series_even_when_it_holds_only_one(db):
    page = industry._series_panel(_state(group="jobs_wages", frequency="year", lang="en"), "NL")
    graphs = [c for c in page.children if type(c).__name__ == "Graph"]
    assert [[t.name for t in g.figure.data] for g in graphs] == [
        ["Hourly wage, mean"], ["Jobs"], ["Monthly wage, mean"]]
    assert all(g.figure.layout.showlegend for g in graphs)
