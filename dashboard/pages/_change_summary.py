"""The "what changed" section of the Data & downloads page: per update, new periods, revisions and unused updates."""

from __future__ import annotations

import pandas as pd
from dash import html

from dashboard import catalogue, database, enrich
from dashboard.i18n import breakdown_text, format_number, format_value, text, text_or

NAME = "data-changes"
RUNS_SHOWN = 10  # the latest updates on the page; the whole history stays in the change_log table


Run = tuple[str, list[tuple[str, list[str]]]]  # heading, then per dataset its title and sentences


@database.per_version
def runs(lang: str) -> list[Run]:
    """Per update, latest first: when and how, then per dataset what changed, each a sentence in `lang`."""
    db = database.current()
    if not db.table_exists("change_log"):
        return []
    rows = db.query("SELECT * FROM change_log ORDER BY rowid")
    found = []
    for (run_id, trigger), run in rows.groupby(["run_id", "trigger"], sort=False):
        heading = f"{_when(run_id)} — {text('changes.trigger.' + trigger, lang)}"
        found.append((heading, [(_dataset_title(dataset_id, lang), [_item(row, lang) for row in group.itertuples()])
                                for dataset_id, group in run.groupby("dataset_id", sort=False)]))
    return found[::-1]


def section(lang: str) -> html.Section:
    heading_id = f"{NAME}-heading"
    shown = runs(lang)
    children = [html.H2(text("changes.heading", lang), id=heading_id), html.P(text("changes.intro", lang))]
    if not shown:
        children.append(html.P(text("changes.none", lang), id=f"{NAME}-none"))
    for heading, datasets in shown[:RUNS_SHOWN]:
        children += [html.H3(heading), html.Ul([html.Li([title, html.Ul([html.Li(item) for item in items])])
                                                for title, items in datasets])]
    if len(shown) > RUNS_SHOWN:
        children.append(html.P(text("changes.older", lang, count=format_number(len(shown) - RUNS_SHOWN, lang)),
                               className="note"))
    return html.Section(children, className="panel", id=NAME, **{"aria-labelledby": heading_id})


def _item(row, lang: str) -> str:
    values = {"period": row.period,
              "figures": text("changes.figures", lang, count=format_number(row.rows, lang))}
    if row.change == "new_dataset":
        return text("changes.item.new_dataset", lang, first=row.detail, last=row.period, **values)
    if row.change == "revised" and not row.indicator:
        return text("changes.item.more_revised", lang, count=format_number(row.rows, lang), **values)
    if row.change == "revised":
        unit = _units().get(row.indicator, "")
        sentence = text("changes.item.revised", lang, what=_series(row, lang), old=_value(row.old_value, unit, lang),
                        new=_value(row.new_value, unit, lang), **values)
        if row.old_status != row.new_status:
            sentence += f" ({_status(row.old_status, lang)} → {_status(row.new_status, lang)})"
        return sentence
    if row.change == "held_back":
        return text("changes.item.held_back", lang, date=_when(row.run_id), **values)
    return text(f"changes.item.{row.change}", lang, **values)


def _series(row, lang: str) -> str:
    """Which figure: the indicator and every dimension that narrows it, in words."""
    parts = [enrich.indicator_labels(lang).get(row.indicator, row.indicator), text("country." + row.country, lang)]
    if row.region:
        parts.append(text_or("region." + row.region, lang, row.region))
    if row.occupation_code:
        parts.append(enrich.occupation_labels(lang).get((row.occupation_scheme, row.occupation_code),
                                                        row.occupation_code))
    if row.sector_code:
        parts.append(enrich.sector_labels(lang).get((row.sector_scheme, row.sector_code), row.sector_code))
    if row.breakdown:
        parts.append(breakdown_text(row.breakdown, lang))
    return ", ".join(parts)


def _dataset_title(dataset_id: str, lang: str) -> str:
    titles = catalogue.catalogue(lang).set_index("dataset_id")["title"]
    return titles.get(dataset_id, text("changes.unknown_dataset", lang))


def _units() -> dict[str, str]:
    indicators = catalogue.indicators()
    return dict(zip(indicators["indicator"], indicators["unit"], strict=True))


def _value(value, unit: str, lang: str) -> str:
    return format_value(None if pd.isna(value) else float(value), unit, lang) or "—"


def _status(status: str, lang: str) -> str:
    return text_or("status." + status, lang, status)


def _when(run_id: str) -> str:
    """`2026-11-30T01:10:05Z` -> `2026-11-30 01:10 UTC`: the same in both languages, and sorts as it reads."""
    return f"{run_id[:10]} {run_id[11:16]} UTC" if len(run_id) >= 16 else run_id
