"""URL state: a control's choice goes into the search string only when it changes the view."""

from dashboard import params


def test_a_new_choice_is_put_in_the_url_keeping_the_other_parameters():
    assert params.chosen_search("?lang=en&sector=N", {"sector": "J"}, {"sector": "N"}) == "?lang=en&sector=J"


def test_choosing_what_the_url_already_shows_or_its_default_changes_nothing():
    assert params.chosen_search("?lang=en&sector=N", {"sector": "N"}, {"sector": "N"}) is None
    assert params.chosen_search("?lang=en", {"isco": "4222", "section": "N"}, {"isco": "4222", "section": "N"}) is None


def test_an_empty_choice_changes_nothing():
    assert params.chosen_search("?lang=nl", {"isco": "", "section": "J"}, {"isco": "4222", "section": "N"}) is None


def test_bad_values_give_a_message_each_and_the_default():
    state = params.read({"lang": "fr", "sector": "X", "colour": "red"}, {"sector": ("N", {"N", "J"})})
    assert state.lang == "nl" and state.values == {"sector": "N"}
    assert len(state.problems) == 3


def test_the_browser_writes_a_search_string_exactly_as_the_server_does():
    from tests.dashboard.clientside import run

    values = {"q": "call centre/ops", "code": "nace2:P", "x": "a~b*c'(d)!", "city": "Liège", "empty": "", "b": "1+1"}
    script = "function (query) { return window.dash_clientside.url.searchString(query); }"
    assert run(script, values) == params.search_string(**values)
    parse = "function (search) { return window.dash_clientside.url.parse(search); }"
    assert run(parse, params.search_string(**values)) == {k: v for k, v in values.items() if v}
