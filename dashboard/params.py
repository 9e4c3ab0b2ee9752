"""Check the query parameters of a page URL: known names, allowed values, one clear message per problem."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from urllib.parse import parse_qs, urlencode

from dash import Input, Output, State, clientside_callback

from dashboard.i18n import DEFAULT_LANGUAGE, LANGUAGES, text

MAX_VALUE_LENGTH = 200


@dataclass
class PageState:
    """The cleaned state of one page view, plus the messages to show for whatever was rejected."""

    lang: str
    values: dict[str, str]
    problems: list[str] = field(default_factory=list)

    def get(self, name: str, default: str = "") -> str:
        return self.values.get(name, default)


def read(query: dict, allowed: dict[str, object]) -> PageState:
    """Validate `query` (as Dash passes it: str, or list when repeated) against `allowed`.

    `allowed` maps a parameter name to its default and a validator: either a collection of accepted values or a
    callable returning True for good values. Anything else gives a message and the default, never an exception.
    """
    raw_lang = _single(query.get("lang", DEFAULT_LANGUAGE))
    lang = raw_lang if raw_lang in LANGUAGES else DEFAULT_LANGUAGE
    problems = []
    if raw_lang not in LANGUAGES:
        problems.append(text("params.bad_value", lang, name="lang", value=_shown(raw_lang), allowed="nl, en"))
    values: dict[str, str] = {}
    for name, (default, accepted) in allowed.items():
        given = query.get(name)
        if given is None or given == "":
            values[name] = default
            continue
        if isinstance(given, list):
            problems.append(text("params.repeated", lang, name=name))
            given = given[0]
        if _accepts(accepted, given):
            values[name] = given
        else:
            shown_allowed = ", ".join(sorted(accepted)[:12]) if not callable(accepted) else text("params.see_page", lang)
            problems.append(text("params.bad_value", lang, name=name, value=_shown(given), allowed=shown_allowed))
            values[name] = default
    for name in query:
        if name != "lang" and name not in allowed:
            problems.append(text("params.unknown", lang, name=_shown(name), known=", ".join(["lang", *allowed])))
    return PageState(lang=lang, values=values, problems=problems)


def _single(value) -> str:
    return value[0] if isinstance(value, list) and value else (value or "")


def _shown(value: str) -> str:
    value = str(value)
    return value if len(value) <= 40 else value[:40] + "…"


def _accepts(accepted, value: str) -> bool:
    if len(value) > MAX_VALUE_LENGTH:
        return False
    if callable(accepted):
        return bool(accepted(value))
    return value in accepted


def search_string(**values: str) -> str:
    """`?a=1&b=2` from the non-empty values, in a stable order so equal views have equal URLs."""
    kept = {k: v for k, v in sorted(values.items()) if v not in (None, "")}
    return "?" + urlencode(kept) if kept else ""


def chosen_search(search: str | None, chosen: dict[str, str], defaults: dict[str, str]) -> str | None:
    """The URL's search string with the chosen control values put in, or None when the view would not change:
    an empty choice, or every value already in the URL (or its default where the URL has none)."""
    query = parse_search(search)
    if not all(chosen.values()) or all((query.get(k) or defaults[k]) == v for k, v in chosen.items()):
        return None
    query.update(chosen)
    return search_string(**query)


def parse_search(search: str | None) -> dict[str, str | list[str]]:
    """A URL's search string as Dash hands query parameters to a layout function."""
    parsed = parse_qs((search or "").lstrip("?"), keep_blank_values=True)
    return {k: v[0] if len(v) == 1 else v for k, v in parsed.items()}


def chosen_search_script(names: list[str], defaults: dict[str, str], *, with_options: tuple[str, ...] = ()) -> str:
    """A browser-side `chosen_search` (assets/url_choice.js) of the dropdown values `names` and the URL's search.

    A name in `with_options` takes its dropdown's options as an extra argument after the values, and its default is
    the first option (a default that depends on the data, as the page shows when the URL names none).
    """
    arguments = [*names, *(f"{name}_options" for name in with_options), "search"]
    chosen = ", ".join(f"{json.dumps(name)}: {name}" for name in names)
    fixed = json.dumps({name: default for name, default in defaults.items() if name not in with_options})
    first = "".join(f"defaults[{json.dumps(name)}] = {name}_options && {name}_options.length ? "
                    f"{name}_options[0].value : {name}; " for name in with_options)
    return (f"function ({', '.join(arguments)}) {{ var defaults = {fixed}; {first}"
            f"return window.dash_clientside.url.chosenSearch(search, {{{chosen}}}, defaults); }}")


def choice_in_url(script: str, *inputs: Input | State) -> None:
    """Write dropdown choices into the page's URL in the browser with `script`, a JavaScript function of the inputs and
    the URL's search (no server round trip); the router then renders the page for the new URL."""
    clientside_callback(script, Output("_pages_location", "search", allow_duplicate=True), *inputs,
                        State("_pages_location", "search"), prevent_initial_call=True)
