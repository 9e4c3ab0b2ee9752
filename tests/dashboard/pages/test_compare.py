"""The NL–BE comparison page's views, layout and callback, called as plain functions on the bundled data."""

import shutil
from pathlib import Path

import pytest

from dashboard import database
from dashboard.pages import compare
from tests.dashboard.clientside import NO_UPDATE, run

EUROSTAT_FIXTURES = Path(__file__).parents[2] / "fixtures" / "eurostat"
# The quoted Eurostat vacancy rates as the pages printed them (../shared, read-only reference material).
EU_REFERENCE = Path(__file__).parents[3].parent / "shared" / "reference" / "eu" / "eurostat_jvr_press.csv"


@pytest.fixture()
def with_eurostat(db_path, tmp_path):
    """The bundled database plus the genuine Eurostat LFS sample (ISCO-08 at two digits), as `etl import` loads it."""
    from etl import importing

    path = tmp_path / "labour.sqlite"
    shutil.copy(db_path, path)
    importing.import_files("eurostat", [EUROSTAT_FIXTURES / "lfsa_egai2d.json"], path)
    yield database.use(path)
    database.use(db_path)


def _state(**query):
    return compare.state(query)


def test_the_default_view_is_contact_centre_clerks_and_section_n(db):
    state = _state()
    assert state.values == {"isco": "4222", "section": "N"}
    assert state.problems == []


def test_isco_4222_links_to_brc_0433_and_the_vdab_contact_centre_title_with_their_confidence(db):
    links = compare.links(_state(lang="en"))
    assert links[["country", "scheme", "code", "confidence", "via"]].values.tolist() == [
        ["NL", "brc2014", "0433", "high", ""],
        ["NL", "brc2014e2025", "0433", "high", "brc2014 0433"],
        ["BE", "vdab", "contactcenter-medewerker", "high", ""]]
    assert links["label"].tolist() == ["Receptionists and telephonists", "Customer-service staff and receptionists",
                                       "Contactcenter medewerker"]


def test_the_links_table_shows_the_confidence_in_the_page_language_and_a_vdab_title_without_its_slug(db):
    page = str(compare._links_panel(_state(lang="nl")))
    assert "| Nederland | BRC 2014 | 0433 | Receptionisten en telefonisten | hoog |" in page
    assert "| België | VDAB-beroep |  | Contactcenter medewerker | hoog |" in page
    assert "contactcenter-medewerker" not in page
    assert "De toelichting bij elke koppeling bestaat alleen in het Engels" in page and "| Toelichting |" not in page


def test_the_dutch_figures_of_the_linked_brc_groups_are_the_published_ones(db):
    rows = compare.nl_figures(_state())
    employed = rows[rows["indicator"] == "employed_persons"]
    assert list(zip(employed["occupation_code"], employed["period"], employed["value"], strict=True)) == [
        ("0433", "2023", 186000), ("0433", "2024-Q4", 186000), ("0433", "2025-Q4", 178000)]
    median = rows[rows["indicator"] == "hourly_wage_median"]
    assert list(zip(median["occupation_scheme"], median["period"], median["value"], median["status"], strict=True)) == [
        ("brc2014", "2023", 19.4, "final"), ("brc2014", "2024", 20.7, "provisional"),
        ("brc2014e2025", "2025", 22.0, "provisional")]


def test_no_uwv_group_links_to_brc_0433_so_the_page_says_there_is_no_tension_figure(db):
    state = _state(lang="en")
    assert not (compare.nl_figures(state)["indicator"] == "tension_ratio").any()
    assert "No UWV tension indicator" in str(compare._nl_panel(state))


def test_the_uwv_tension_of_administrative_staff_comes_through_brc_0431_for_isco_4110(db):
    rows = compare.nl_figures(_state(isco="4110"))
    tension = rows[rows["indicator"] == "tension_ratio"]
    assert tension[["occupation_scheme", "occupation_code", "period", "value"]].values.tolist() == [
        ["uwv", "administratief-medewerkers", "2023-Q1", 2.49]]


def test_the_belgian_shortage_status_of_the_contact_centre_title_is_listed_in_2013_2018_and_2026(db):
    rows = compare.be_shortage(_state())
    assert rows[["period", "value", "status", "breakdown"]].values.tolist() == [
        ["2013", 1.0, "reported", "cause=kwalitatief-of-arbeidsomstandigheden;evidence=top5_by_cause"],
        ["2018", 1.0, "reported", "evidence=top10"],
        ["2026", 1.0, "final", ""]]


def test_the_belgian_vacancies_of_the_contact_centre_title_are_the_two_vdab_figures(db):
    rows = compare.be_vacancies(_state())
    assert rows[["period", "value", "breakdown"]].values.tolist() == [
        ["2013", 3533.0, ""], ["2024-10", 2160.0, "window=12m"]]
    assert "Contactcenter medewerker — New vacancies (Flanders, 12-month window)" in str(
        compare._be_vacancy_panel(_state(lang="en")))


def test_without_isco_observations_the_page_says_eurostat_publishes_them_and_they_appear_after_a_refresh(db):
    state = _state(lang="en")
    assert compare.harmonised(state).empty
    assert ("The database holds no figures on ISCO-08 4222 or the groups above it yet. Eurostat publishes these series; "
            "they appear after a data refresh.") in str(compare._harmonised_panel(state))


def test_the_vacancy_rate_of_all_sectors_sets_cbs_beside_statbel_in_their_common_quarters(db):
    state = _state(section="all", lang="en")
    rows = compare.vacancy_rate(state)
    by_country = {c: part.set_index("period")["value"].to_dict() for c, part in rows.groupby("country")}
    assert by_country["NL"] == {"2018-Q1": 2.9, "2018-Q4": 3.0, "2019-Q1": 3.3, "2023-Q3": 4.6, "2024-Q1": 4.6}
    assert by_country["BE"]["2018-Q4"] == 3.44 and by_country["BE"]["2019-Q1"] == 3.64
    assert set(rows["unit"]) == {"percent"}
    page = str(compare._rate_panel(state))
    assert "Periods with a figure from both countries: 2018-Q4, 2019-Q1, 2023-Q3." in page
    assert "| 2018-Q4 | 3.0 (from a publication) | 3.4 (from a publication) |" in page
    assert "| 2018-Q1 | 2.9 (from a publication) | missing |" in page


def test_one_chart_holds_both_countries_because_both_rates_are_percentages(db):
    page = compare._rate_panel(_state(section="J", lang="en"))
    graphs = [c for c in page.children if getattr(c, "id", "") == "compare-vacancy_rate-graph"]
    assert len(graphs) == 1
    assert [t.name for t in graphs[0].figure.data] == ["Netherlands — CBS 80567NED", "Belgium — Statbel jvs"]


def test_section_n_has_no_vacancy_rate_in_either_country_and_the_page_names_the_sections_that_do(db):
    state = _state(lang="en")
    assert compare.vacancy_rate(state).empty
    assert compare.sections_with_both() == ("all", "I", "J")
    assert ("With figures from both countries: All industries, I Accommodation and food service activities, "
            "J Information and communication.") in str(compare._rate_panel(state))


def test_bad_parameters_give_messages_and_the_defaults(db):
    state = _state(isco="9999x", section="QQ", lang="en", colour="red")
    assert state.values == {"isco": "4222", "section": "N"}
    assert state.problems[-1] == "Unknown parameter 'colour' ignored (known: lang, isco, section)."
    assert len(state.problems) == 3
    page = str(compare.layout(isco="9999x", lang="en"))
    assert "compare-problems" in page and "The Netherlands and Belgium compared" in page


def test_choosing_an_occupation_or_section_writes_it_into_the_url():
    assert run(compare.CHOOSE, "4110", "N", "?lang=en") == "?isco=4110&lang=en&section=N"
    assert run(compare.CHOOSE, "4222", "all", "?lang=en") == "?isco=4222&lang=en&section=all"
    assert run(compare.CHOOSE, "4222", "N", "?lang=en") == NO_UPDATE


def test_the_views_are_the_page_panels(db):
    assert sorted(compare.VIEWS) == ["eurostat_rate", "figures-nl", "isco", "links", "shortage-be", "vacancies-be",
                                     "vacancy_rate"]


def test_dutch_wage_percentiles_are_whiskers_around_the_median(db):
    page = compare._nl_panel(_state(lang="en"))
    graphs = [c for c in page.children if type(c).__name__ == "Graph"]
    wages = graphs[1].figure
    # The successor edition's group is named as such; a long name wraps in the legend instead of being cut off.
    assert [t.name for t in wages.data] == [
        "0433 Receptionists and telephonists",
        "0433 Customer-service staff and<br>receptionists (BRC 2014 edition 2025)"]
    median = wages.data[0]
    assert list(median.y) == [19.4, 20.7]
    # 2023 has a median only; 2024 has P25 17.7 and P75 25.6 around the median 20.7.
    assert median.error_y.array[0] is None and round(median.error_y.array[1], 2) == 4.9
    assert median.error_y.arrayminus[0] is None and round(median.error_y.arrayminus[1], 2) == 3.0


def test_eurostat_rows_on_the_wider_isco_group_42_are_shown_for_4222_with_a_note_that_the_group_is_wider(with_eurostat):
    state = _state(lang="en")
    rows = compare.harmonised(state)
    assert rows[["dataset_id", "country", "occupation_code", "indicator", "period", "value"]].values.tolist() == [
        ["eurostat-lfsa_egai2d", "NL", "42", "employed_persons", "2023", 127000.0]]
    page = str(compare._harmonised_panel(state))
    assert "Netherlands — 42 Customer services clerks — Employed persons" in page
    assert "a wider group holds 4222 and other occupations" in page


def _published() -> dict[tuple[str, str], set[float]]:
    """Every value the quoted pages print per (country, quarter), NACE B-S."""
    import csv

    if not EU_REFERENCE.exists():
        pytest.skip(f"{EU_REFERENCE} is absent: the published values cannot be compared")
    published: dict[tuple[str, str], set[float]] = {}
    with open(EU_REFERENCE, encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if row["nace"] == "B-S":
                published.setdefault((row["geo"], row["period"]), set()).add(float(row["value"]))
    return published


def test_the_eurostat_rate_download_holds_nl_and_be_for_at_least_15_common_quarters_as_published(db, dash_app):
    response = dash_app.server.test_client().get("/download/view/compare/eurostat_rate.csv?lang=en")
    assert response.status_code == 200
    import io

    import pandas as pd

    rows = pd.read_csv(io.StringIO(response.get_data(as_text=True)), dtype={"period": str})
    assert set(rows["dataset_id"]) == {"eurostat-jvs_q_nace2"} and set(rows["sector_code"]) == {"B-S"}
    nl = rows[rows["country"] == "NL"].set_index("period")["value"]
    be = rows[rows["country"] == "BE"].set_index("period")["value"]
    common = sorted(set(nl.index) & set(be.index))
    assert len(common) >= 15
    # Quarters with one published value are shown exactly as printed.
    assert (nl["2025-Q4"], be["2025-Q4"]) == (3.9, 3.5)
    assert (nl["2022-Q1"], be["2022-Q1"]) == (4.9, 4.8)
    assert (nl["2016-Q1"], be["2016-Q1"]) == (2.0, 2.6)
    published = _published()
    assert all(value in published[(country, period)]
               for country, period, value in zip(rows["country"], rows["period"], rows["value"], strict=True))
    assert set(rows["country"]) == {"NL", "BE", "EA"}


def test_the_eurostat_chart_sets_nl_beside_be_on_one_axis_with_gaps_and_the_euro_area_dashed(db):
    section = compare._eurostat_rate.rate_panel(page="compare", view="eurostat_rate", state=_state(lang="en"))
    graphs = [c for c in section.children if type(c).__name__ == "Graph"]
    assert len(graphs) == 1
    traces = {t.name: t for t in graphs[0].figure.data}
    assert list(traces) == ["Netherlands", "Belgium", "Euro area"]
    nl = traces["Netherlands"]
    # 2016-Q2 .. 2017-Q2 were not found in any page: the line breaks there instead of joining 2016-Q1 to 2017-Q3.
    assert list(nl.y[:7]) == [2.0, None, None, None, None, None, 2.5] and nl.connectgaps is False
    assert traces["Euro area"].line.dash == "dash" and traces["Euro area"].line.color == "#767676"
    assert (nl.text[-1], nl.textposition) == ("3.9 NL", "middle right")
    assert ("In 2025-Q4, the latest quarter with a figure for both countries, the job vacancy rate was 3.9% in the "
            "Netherlands and 3.5% in Belgium (23 quarters with a figure for both).") in str(section)
