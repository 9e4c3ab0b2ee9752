"""VDAB for the bundle: the knelpuntberoepen (complete 2026 list, partial press evidence for other years, list sizes),
the Arvastat construction-sector vacancy series, and VDAB figures quoted in the press."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from etl import vdab_titles
from etl.bundle import _tidy
from etl.observation import DEFINITIONS_DIR, KEY
from etl.parsed import Parsed
from etl.sources import vdab_periods

LIST_FILE = "be/knelpuntberoepen.csv"
COUNTS_FILE = "be/knelpuntberoepen_counts.csv"
STATS_FILE = "be/vdab_vacancy_stats.csv"
PUBLICATION_FIGURES_FILE = DEFINITIONS_DIR / "vdab_publication_figures.csv"

LIST_DATASET = "vdab-knelpuntberoepen"
ARVASTAT_DATASET = "vdab-arvastat-bouw"
PRESS_DATASET = "vdab-press"
FLANDERS = "BE2"
REGIONS = {"Vlaanderen": "BE2", "Vlaams-Brabant": "BE24", "Brussel": "BE1", "Wallonie": "BE3"}

# The one evidence kind that is a whole list; every other kind is a partial glimpse and goes in `breakdown`.
FULL_LIST = "full_list"
PARTIAL_EVIDENCE = {"top10", "top5_by_cause", "newcomer", "removed", "mentioned"}
# A 'removed' entry is evidence the title left the list that year (0); every other kind says it was on it (1).
LISTED_VALUE = {"removed": 0}
CAUSES = {
    "kwantitatief": "kwantitatief",
    "kwalitatief en/of arbeidsomstandigheden": "kwalitatief-of-arbeidsomstandigheden",
    "specifieke arbeidsomstandigheden": "arbeidsomstandigheden",
}
CORONA_NOTE = "'corona' indication"
# The 2025 count is derived by a third party from 'the 2026 list has 24 fewer', never seen published: left out.
COUNT_CONFIDENCE_KEPT = {"high", "medium"}

# vdab_vacancy_stats.csv measures -> (indicator, unit, breakdown, how the period reads). Every measure in the
# file must be here or in LEFT_OUT_MEASURES, so a new kind of row in the reference cannot vanish silently.
MEASURES = {
    "ontvangen vacatures (maand)": ("vacancies_new", "vacancies", "", "month"),
    "openstaande vacatures (einde maand)": ("vacancies_open", "vacancies", "", "month"),
    "openstaande vacatures": ("vacancies_open", "vacancies", "", "month"),
    "ontvangen vacatures (12 maanden, NECzU rechtstreeks)": ("vacancies_new", "vacancies", "window=12m", "dutch_window"),
    "ontvangen NEC-vacatures rechtstreeks (12 maanden)": ("vacancies_new", "vacancies", "window=12m", "month_range"),
    "openstaande vacatures (12-maands voortschrijdend gemiddelde)": ("vacancies_open", "vacancies", "average=12m", "month"),
    "ontvangen vacatures voor knelpuntberoep": ("vacancies_new", "vacancies", "", "year"),
    "niet-werkende werkzoekenden": ("jobseekers", "persons", "", "month"),
}
LEFT_OUT_MEASURES = {
    "ontvangen vacatures (jaar)": "a lower bound ('meer dan 360.000'), not a figure",
    "ontvangen vacatures (12 maanden)": "the 12-month window is only approximately dated by the article",
    "ontvangen vacatures (11 maanden)": "an 11-month window, only approximately dated",
    "ontvangen vacatures (jaar, approx)": "a rounded figure whose measure ('vacatures eind 2017') is unclear",
    "ontvangen vacatures": "the source does not say whether it is a month or a 12-month average",
    "ontvangen vacatures rechtstreeks (12 maanden)": "the 12-month window is only approximately dated",
    "werkzoekenden": "the article does not say whether these are non-working jobseekers",
    "niet-werkende werkzoekenden per openstaande vacature": "no indicator for jobseekers per vacancy; approximate ('amper vier')",
    "kandidaten per vacature": "no indicator for candidates per vacancy; approximate date",
    "vacatures knelpuntberoep": "unclear which vacancy count (received, open, or knelpunt vacancies) is meant",
    "aandeel knelpuntvacatures (looptijd>90d of geannuleerd wegens geen kandidaat)": "no indicator for this share",
}
# Only VDAB's own figures belong to a VDAB dataset; the Brussels (Actiris) and Walloon (Forem) counts quoted
# alongside are other publishers' figures.
VDAB_REGIONS = {"Vlaanderen", "Vlaams-Brabant"}
ARVASTAT_SOURCE = "VDAB Arvastat"
OCCUPATION_LABELS_ALL = {"all", "all occupations", ""}
ARVASTAT_SECTOR_BREAKDOWN = "vdab_sector=bouw"
MONTH_RANGE = re.compile(r"^(\d{4})-(\d{2})\.\.(\d{4})-(\d{2})$")

LIST_URL = "https://www.vdab.be/trends/knelpuntberoepen"
ARVASTAT_URL = "https://arvastat.vdab.be/"
VDAB_LICENCE = ("VDAB figures as published by VDAB (no open-data licence is documented for these tables in the "
                "reference); each row cites where it was seen")


def bundle(reference_dir: Path) -> Parsed:
    entries = _tidy.read(reference_dir, LIST_FILE)
    counts = _tidy.read(reference_dir, COUNTS_FILE)
    stats = _tidy.read(reference_dir, STATS_FILE)
    observations = pd.concat([
        _shortage_rows(entries),
        _list_size_rows(counts),
        _vacancy_rows(stats),
        _publication_rows(pd.read_csv(PUBLICATION_FIGURES_FILE, dtype=str, keep_default_na=False)),
    ], ignore_index=True)
    observations = _tidy.drop_repeated(observations, KEY, f"{LIST_FILE}, {STATS_FILE}")
    datasets = _datasets(reference_dir, entries, stats, observations)
    return Parsed(observations=observations, datasets=datasets, occupations=occupation_codes(entries))


def _row(**fields) -> dict:
    base = {"country": "BE", "region": FLANDERS, "occupation_scheme": "", "occupation_code": "",
            "sector_scheme": "", "sector_code": "", "breakdown": ""}
    return base | fields


def _shortage_rows(entries: pd.DataFrame) -> pd.DataFrame:
    rows = []
    for number, entry in enumerate(entries.itertuples(), start=2):
        where = f"{LIST_FILE} line {number}"
        full_years = set(entries.loc[entries["evidence"] == FULL_LIST, "year"])
        if entry.evidence != FULL_LIST and entry.evidence not in PARTIAL_EVIDENCE:
            raise _tidy.TidyError(f"{where}: unknown evidence {entry.evidence!r}")
        # In a year whose complete list is known, a press 'mention' adds nothing; a newcomer still marks an entry.
        if entry.year in full_years and entry.evidence == "mentioned":
            continue
        occupation = {"occupation_scheme": vdab_titles.SCHEME, "occupation_code": vdab_titles.code(entry.occupation_title)}
        parts = {} if entry.evidence == FULL_LIST else {"evidence": entry.evidence}
        if entry.reason:
            if entry.reason not in CAUSES:
                raise _tidy.TidyError(f"{where}: unknown cause {entry.reason!r}")
            parts["cause"] = CAUSES[entry.reason]
        if CORONA_NOTE in entry.note:
            parts["indication"] = "corona"
        breakdown = ";".join(f"{k}={v}" for k, v in sorted(parts.items()))
        status = "final" if entry.evidence == FULL_LIST else "reported"
        rows.append(_row(dataset_id=LIST_DATASET, indicator="shortage_listed", breakdown=breakdown,
                         period=entry.year, value=LISTED_VALUE.get(entry.evidence, 1), unit="flag",
                         status=status, source_url=_tidy.publisher_page(entry.source_url, LIST_URL), **occupation))
        if entry.rank:
            rows.append(_row(dataset_id=LIST_DATASET, indicator="shortage_list_rank", breakdown=breakdown,
                             period=entry.year, value=int(entry.rank), unit="rank", status="reported",
                             source_url=_tidy.publisher_page(entry.source_url, LIST_URL), **occupation))
    return pd.DataFrame(rows)


def _list_size_rows(counts: pd.DataFrame) -> pd.DataFrame:
    kept = counts[counts["confidence"].isin(COUNT_CONFIDENCE_KEPT)]
    return pd.DataFrame([
        _row(dataset_id=LIST_DATASET, indicator="shortage_list_size", period=row.year,
             value=int(row.n_occupations), unit="occupations", status="reported", source_url=row.source_url)
        for row in kept.itertuples()
    ])


def _period(text: str, kind: str, where: str) -> str:
    if kind == "dutch_window":
        return vdab_periods.window_end(text)
    if kind == "month_range":
        match = MONTH_RANGE.match(text)
        if not match:
            raise _tidy.TidyError(f"{where}: period {text!r} is not 'YYYY-MM..YYYY-MM'")
        span = (int(match[3]) * 12 + int(match[4])) - (int(match[1]) * 12 + int(match[2])) + 1
        if span != vdab_periods.WINDOW_MONTHS:
            raise _tidy.TidyError(f"{where}: period {text!r} spans {span} months, not 12")
        return f"{match[3]}-{match[4]}"
    expected = r"\d{4}-\d{2}" if kind == "month" else r"\d{4}"
    if not re.fullmatch(expected, text):
        raise _tidy.TidyError(f"{where}: period {text!r} is not a {kind}")
    return text


def _vacancy_rows(stats: pd.DataFrame) -> pd.DataFrame:
    rows = []
    for number, row in enumerate(stats.itertuples(), start=2):
        where = f"{STATS_FILE} line {number}"
        if row.measure in LEFT_OUT_MEASURES or row.region not in VDAB_REGIONS:
            continue
        if row.measure not in MEASURES:
            raise _tidy.TidyError(f"{where}: measure {row.measure!r} is neither mapped nor listed as left out")
        indicator, unit, breakdown, period_kind = MEASURES[row.measure]
        arvastat = row.source.startswith(ARVASTAT_SOURCE)
        occupation = {}
        if row.dimension_labels.split(";")[0].strip() not in OCCUPATION_LABELS_ALL and not arvastat:
            occupation = {"occupation_scheme": vdab_titles.SCHEME,
                          "occupation_code": vdab_titles.code(row.dimension_labels)}
        if arvastat:
            if row.dimension_codes != "sector=bouw":
                raise _tidy.TidyError(f"{where}: Arvastat row outside the construction filter ({row.dimension_codes!r})")
            breakdown = ";".join(sorted(filter(None, [breakdown, ARVASTAT_SECTOR_BREAKDOWN])))
        rows.append(_row(
            dataset_id=ARVASTAT_DATASET if arvastat else PRESS_DATASET, indicator=indicator,
            region=REGIONS[row.region], breakdown=breakdown, period=_period(row.period, period_kind, where),
            value=float(row.value), unit=unit, status="final" if arvastat else "reported",
            source_url=_tidy.publisher_page(row.source_url, ARVASTAT_URL) if arvastat else row.source_url, **occupation,
        ))
    return pd.DataFrame(rows)


def _publication_rows(figures: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame([
        _row(dataset_id=PRESS_DATASET, indicator=f.indicator, region=f.region, breakdown=f.breakdown,
             occupation_scheme=vdab_titles.SCHEME, occupation_code=vdab_titles.code(f.title), period=f.period,
             value=float(f.value), unit=f.unit, status="reported", source_url=f.source_url or f.publication)
        for f in figures.itertuples()
    ])


def occupation_codes(entries: pd.DataFrame) -> pd.DataFrame:
    """The vdab code list: every title seen (label as on the newest list, else the newest press wording),
    with the 2026 list's sector headings as parents."""
    ordered = entries.assign(full=entries["evidence"] == FULL_LIST).sort_values(
        ["full", "year"], ascending=[False, False], kind="stable")
    rows, seen = [], set()
    for entry in ordered.itertuples():
        code = vdab_titles.code(entry.occupation_title)
        if code in seen:
            continue
        seen.add(code)
        parent = vdab_titles.heading_code(entry.sector_group) if entry.sector_group else ""
        rows.append({"scheme": vdab_titles.SCHEME, "code": code, "level": "title", "parent_code": parent,
                     "label_nl": entry.occupation_title, "label_en": ""})
    for heading in entries.loc[entries["sector_group"] != "", "sector_group"].drop_duplicates():
        rows.append({"scheme": vdab_titles.SCHEME, "code": vdab_titles.heading_code(heading),
                     "level": "sector_heading", "parent_code": "", "label_nl": heading, "label_en": ""})
    return pd.DataFrame(rows)


def _datasets(reference_dir: Path, entries: pd.DataFrame, stats: pd.DataFrame, obs: pd.DataFrame) -> pd.DataFrame:
    full = entries[entries["evidence"] == FULL_LIST]
    full_years = ", ".join(sorted(full["year"].unique()))
    partial_years = ", ".join(sorted(set(entries["year"]) - set(full["year"])))
    arvastat = obs[obs["dataset_id"] == ARVASTAT_DATASET]
    monthly = sorted(arvastat.loc[arvastat["breakdown"] == ARVASTAT_SECTOR_BREAKDOWN, "period"])
    windows = sorted(arvastat.loc[arvastat["breakdown"] != ARVASTAT_SECTOR_BREAKDOWN, "period"])
    checksums = lambda *names: " ".join(_tidy.checksum(reference_dir, n) for n in names)  # noqa: E731
    return pd.DataFrame([
        {
            "dataset_id": LIST_DATASET, "source": "vdab", "publisher": "VDAB", "table_id": "knelpuntberoepen",
            "title": "Knelpuntberoepen Vlaanderen", "title_en": "Shortage occupations, Flanders",
            "url": LIST_URL, "licence": VDAB_LICENCE, "retrieved_at": "", "origin": "bundled",
            "checksum": checksums(LIST_FILE, COUNTS_FILE),
            "completeness": (
                f"complete list only for {full_years} ({len(full)} titles, shortage_listed=1 with breakdown ''); "
                f"for {partial_years} only partial press evidence, each row marked in breakdown "
                "(evidence=top10|top5_by_cause|newcomer|removed|mentioned): those years are never a complete list "
                "and a title without a row is unknown, not absent. Causes (kwantitatief, kwalitatief, "
                "arbeidsomstandigheden) only where the press printed them (2013, one 2021 title). List sizes "
                "(shortage_list_size) for 2018, 2020-2024 and 2026; 2025 is left out (a third party's derivation, "
                "not a published count)."),
            "replaced_by": "",
            "note": (
                "Titles only, no codes: each title is a stable slug (scheme vdab, etl/vdab_titles.py); renamed "
                "titles are linked in etl/definitions/vdab_title_aliases.csv (e.g. 'medewerker callcenter' = "
                "'Contactcenter medewerker'). The 2026 list is a third-party transcription of VDAB's list whose "
                "227 titles match the count VDAB gave the press (status final); press evidence has status "
                "reported. evidence=removed rows have value 0 (the title left the list that year). "
                "shortage_list_rank only where the press printed the order." +
                _tidy.transcription_note(entries["source_url"])),
        },
        {
            "dataset_id": ARVASTAT_DATASET, "source": "vdab", "publisher": "VDAB (Arvastat)",
            "table_id": "arvastat-vacatures-bouw",
            "title": "Ontvangen en openstaande vacatures, werkgeverssector bouw (Arvastat)",
            "title_en": "Received and open vacancies, employer sector construction (Arvastat)",
            "url": ARVASTAT_URL, "licence": VDAB_LICENCE, "retrieved_at": "", "origin": "bundled",
            "checksum": _tidy.checksum(reference_dir, STATS_FILE),
            "completeness": (
                f"Flanders, employer sector construction only: monthly received and end-of-month open vacancies "
                f"{monthly[0]} to {monthly[-1]}, and received vacancies over 12-month windows ending "
                f"{', '.join(windows)}; no other sector, no per-occupation rows in the bundle"),
            "replaced_by": "",
            "note": (
                "breakdown vdab_sector=bouw is Arvastat's 'werkgeverssector bouw' filter (VDAB's own employer-sector "
                "grouping), not NACE section F, so sector is left blank. Vacancies are NECzU received directly by "
                "VDAB (normal economic circuit without temp-agency assignments). A 12-month window is filed under "
                "its last month with breakdown window=12m (e.g. 'mei 2025 - april 2026' -> 2026-04). Monthly "
                "figures are sums over occupations of Arvastat's monthly exports made by gehuybre/embuild-analyses." +
                _tidy.transcription_note(stats.loc[stats["source"].str.startswith(ARVASTAT_SOURCE), "source_url"])),
        },
        {
            "dataset_id": PRESS_DATASET, "source": "vdab", "publisher": "VDAB (figures quoted in the press)",
            "table_id": "press", "title": "VDAB-cijfers uit publicaties", "title_en": "VDAB figures from publications",
            "url": "", "licence": "quoted from publications; see each row's source", "retrieved_at": "",
            "origin": "bundled", "checksum": _tidy.checksum(reference_dir, STATS_FILE),
            "completeness": (
                "single figures quoted by the press, not a series: Flanders received vacancies in a few months, "
                "Vlaams-Brabant figures for 2018 and 2024, the 2023-12 12-month average of open vacancies, "
                "non-working jobseekers 2018-12, and contact-centre vacancies for 2013 and the 12 months to "
                "October 2024. Left out: lower bounds, approximately dated windows, figures of unclear measure "
                "and the Brussels/Wallonia counts (Actiris, Forem)."),
            "replaced_by": "",
            "note": (
                "status reported. The 2,160 'medewerker callcenter' vacancies (Knack, Nov 2024: the 12 months "
                "before November 2024) are filed as 2024-10 with window=12m; the 2013 contact-centre figure is "
                "from Wikipedia quoting VDAB. average=12m marks a 12-month moving average of open vacancies."),
        },
    ])
