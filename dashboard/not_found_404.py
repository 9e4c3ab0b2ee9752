"""The body Dash shows for an address no page claims (Dash finds it by this module's name); the shell keeps the menu."""

from __future__ import annotations

from dash import html

from dashboard.i18n import DEFAULT_LANGUAGE, LANGUAGES, text


def layout(lang: str = DEFAULT_LANGUAGE, **_query) -> html.Div:
    """'Page not found' in the visitor's language, with a pointer to the menu."""
    lang = lang if lang in LANGUAGES else DEFAULT_LANGUAGE
    return html.Div([html.H1(text("shell.not_found", lang), id="not-found-title"),
                     html.P(text("shell.not_found_help", lang))], className="page", lang=lang)
