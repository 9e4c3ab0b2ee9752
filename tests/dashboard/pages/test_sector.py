"""The sector overview's callback and views, called as plain functions on the bundled data."""

import pandas as pd

from dashboard import params
from dashboard.pages import sector
from tests.dashboard.clientside import NO_UPDATE, run


def _state(**query):
    return sector.state(query)


def test_choosing_a_sector_puts_it_in_the_url_and_keeps_the_language():
    assert run(sector.CHOOSE_SECTOR, "customer_contact", "?lang=en&sector=other") == "?lang=en&sector=customer_contact"


def test_choosing_the_sector_already_shown_changes_nothing():
    assert run(sector.CHOOSE_SECTOR, "customer_contact", "?lang=en") == NO_UPDATE


def test_the_workforce_view_holds_the_published_employed_persons_of_brc_0334_and_0433(db):
    rows = sector.topic_rows(_state(lang="en"), "NL", "workforce")
    employed = rows[rows["indicator"] == "employed_persons"]
    assert list(zip(employed["occupation_code"], employed["period"], employed["value"], strict=True)) == [
        ("0334", "2023", 127000), ("0334", "2024-Q4", 105000), ("0334", "2025-Q4", 118000),
        ("0433", "2023", 186000), ("0433", "2024-Q4", 186000), ("0433", "2025-Q4", 178000)]
    assert set(employed["licence"]) == {"CC BY 4.0"}


def test_the_wage_view_follows_the_crosswalk_to_brc_editie_2025(db):
    rows = sector.topic_rows(_state(), "NL", "wages")
    wages = {(r.occupation_scheme, r.occupation_code, r.indicator, r.period): (r.value, r.status) for r in rows.itertuples()}
    assert wages[("brc2014", "0433", "hourly_wage_median", "2024")] == (20.7, "provisional")
    assert wages[("brc2014", "0433", "hourly_wage_p25", "2024")] == (17.7, "provisional")
    assert wages[("brc2014e2025", "0433", "hourly_wage_median", "2025")] == (22.0, "provisional")


def test_the_vacancy_view_charts_the_quarters_of_section_n_and_leaves_out_the_yearly_averages(db):
    rows = sector.topic_rows(_state(), "NL", "vacancies")
    open_n = rows[rows["indicator"] == "vacancies_open"].set_index("period")["value"]
    assert open_n["2023-Q3"] == 29500
    assert not any(len(p) == 4 for p in rows["period"])


def test_a_country_without_codes_in_the_definition_gets_no_rows_and_a_plain_message(db, monkeypatch, request):
    only_dutch = sector.sectors.definition("customer_contact").query("country == 'NL'")
    monkeypatch.setattr(sector.sectors, "definition", lambda sector_id: only_dutch)
    # Results kept per data version come from the real definition, and those made under the patch must not outlive it.
    sector.database.forget_cached()
    request.addfinalizer(sector.database.forget_cached)
    state = _state(lang="en")
    assert sector.topic_rows(state, "BE", "workforce").empty
    assert sector._empty(state, "BE", "workforce") == (
        "The sector definition has no codes for Belgium (yet), so there are no figures to show.")


def test_a_bad_sector_parameter_gives_a_message_and_the_default_sector(db):
    state = _state(sector="<script>", colour="red", lang="en")
    assert state.get("sector") == "customer_contact"
    assert state.problems == [
        "'<script>' is not a valid value for sector (allowed: customer_contact); showing the default.",
        "Unknown parameter 'colour' ignored (known: lang, sector)."]
    page = str(sector.layout(sector="<script>", colour="red", lang="en"))
    assert "sector-problems" in page and "Customer contact: the Netherlands and Belgium" in page


def test_an_unknown_language_falls_back_to_dutch_with_a_message(db):
    state = _state(lang="fr")
    assert state.lang == "nl"
    assert state.problems == ["'fr' is geen geldige waarde voor lang (mogelijk: nl, en); de standaardwaarde wordt getoond."]


def test_the_dutch_and_english_pages_differ_in_text_and_number_format(db):
    dutch = str(sector.render(_state(lang="nl")))
    english = str(sector.render(_state(lang="en")))
    assert "Klantcontact: Nederland en België" in dutch and "Customer contact: the Netherlands and Belgium" in english
    assert "118.000" in dutch and "118,000" not in dutch
    assert "118,000" in english and "118.000" not in english


def test_every_view_download_link_carries_the_page_state():
    state = params.PageState(lang="en", values={"sector": "customer_contact"})
    links = sector.view_links(sector.NAME, "workforce-nl", state, "en")
    assert links == {"csv": "/download/view/sector/workforce-nl.csv?lang=en&sector=customer_contact",
                     "xlsx": "/download/view/sector/workforce-nl.xlsx?lang=en&sector=customer_contact"}


def test_the_belgian_column_sets_belgium_beside_the_netherlands_on_eurostats_vacancy_rate(db):
    column = sector._country_column(_state(lang="nl"), "BE", "vacancy_rate")
    page = str(column)
    assert "sector-vacancy_rate_eu-be-graph" in page
    assert ("In 2025-Q4, het laatste kwartaal met een cijfer voor beide landen, was de vacaturegraad 3,9% in Nederland "
            "en 3,5% in België") in page
    rows = sector.VIEWS["vacancy_rate_eu-be"](_state())
    assert rows.set_index(["country", "period"]).loc[("BE", "2024-Q4"), "value"] == 4.1


def _key(state, country, topic):
    from dashboard.pages import _key_figures

    frames = _key_figures.candidates(lambda c, t: sector.topic_rows(state, c, t), state.get("sector"), country, topic,
                                     state.lang)
    chosen = _key_figures.best(frames)
    return [(r.dataset_id, r.occupation_code or r.sector_code, r.period, r.value, r.status)
            for r in chosen.itertuples()]


def test_key_figures_take_an_official_table_first_and_the_latest_period_of_each_code(db):
    state = _state(lang="en")
    assert _key(state, "NL", "workforce") == [("cbs-85276NED", "0334", "2025-Q4", 118000.0, "final"),
                                              ("cbs-85276NED", "0433", "2025-Q4", 178000.0, "final")]
    # BRC 0433's 2025 median is published in the successor edition's table; it is the latest for that code.
    assert _key(state, "NL", "wages") == [("cbs-85517NED", "0334", "2024", 18.3, "provisional"),
                                          ("cbs-86355NED", "0433", "2025", 22.0, "provisional")]
    assert _key(state, "NL", "vacancy_rate") == [("eurostat-jvs_q_nace2", "B-S", "2025-Q4", 3.9, "reported")]


def test_the_belgian_key_figures_are_the_vdab_titles_vacancies_and_shortage_status(db):
    state = _state(lang="en")
    assert _key(state, "BE", "vacancies") == [
        ("vdab-press", "contactcenter-medewerker", "2024-10", 2160.0, "reported")]
    assert _key(state, "BE", "tension") == [("vdab-knelpuntberoepen", "contactcenter-medewerker", "2026", 1.0, "final")]
    assert _key(state, "BE", "vacancy_rate") == [("eurostat-jvs_q_nace2", "B-S", "2025-Q4", 3.5, "reported")]
    assert _key(state, "BE", "workforce") == [("publications-customer-contact", "", "2024", 200000.0, "reported")]


def test_a_missing_key_figure_says_who_publishes_it_and_when_it_appears(db, monkeypatch):
    from dashboard.pages import _key_figures

    monkeypatch.setattr(_key_figures, "candidates", lambda *args: [])
    page = str(sector.render(_state(lang="en")))
    assert "No figure yet: published by Statbel; appears after a data refresh." in page
    assert "No figure yet: published by CBS; appears after a data refresh." in page


def test_the_key_figures_come_first_and_the_details_are_folded(db):
    page = sector.render(_state(lang="nl"))
    header = page.children[0]
    kinds = [getattr(c, "id", None) or type(c).__name__ for c in header.children]
    assert kinds[:3] == ["sector-title", "Div", "Section"]
    folded = [c for c in page.children if type(c).__name__ == "Details"]
    assert [d.id for d in folded] == [f"sector-{topic}" for topic in sector.ROWS]
    assert not any(getattr(d, "open", False) for d in folded)


def test_employed_persons_and_employees_never_share_a_chart_and_keep_their_colour(db):
    from dashboard import figures
    from dashboard.pages import _series

    rows = sector.topic_rows(_state(lang="en"), "NL", "workforce").query("indicator == 'employed_persons'")
    both = pd.concat([rows, rows.assign(indicator="employees", indicator_label="Employees")], ignore_index=True)
    charts, _ = _series.charts(both.assign(series=_series.series_label(both, "en")), "en")
    assert len(charts) == 2
    assert {t.line.color for t in charts[0].data} == {figures.INDICATOR_COLOURS["employed_persons"]}
    assert {t.line.color for t in charts[1].data} == {figures.INDICATOR_COLOURS["employees"]}
    # Each series labels its latest value.
    assert [t.text[-1] for t in charts[0].data][-1] == "178,000"


def test_a_publisher_quoted_in_a_magazine_is_named_with_the_magazine_as_the_publication(db):
    panel = str(sector._publication_panel(sector.state({"lang": "nl"}), "BE"))
    assert "Telenet, Knack, november 2024, 2024-11" in panel
    assert "quoted by" not in panel
