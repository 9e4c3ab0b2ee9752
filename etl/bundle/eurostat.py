"""Eurostat for the bundle: job vacancy rates (jvs_q_nace2) of NL, BE and the EU / euro area as its releases printed them."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlparse

import pandas as pd

from etl.bundle import _tidy
from etl.observation import COUNTRIES, REFERENCE_AGGREGATES
from etl.parsed import Parsed
from etl.sources import eurostat as live

RATES_FILE = "eu/eurostat_jvr_press.csv"
EXTRA_FILE = "eu/be_extra_press.csv"
CONFLICTS_FILE = Path(__file__).with_name("eurostat_jvr_conflicts.csv")
TABLE = "jvs_q_nace2"
# The reference's sector text -> the nace_r2 code the live parser writes for the same series.
SECTORS = {
    "B-S": "B-S",
    "industry and construction (B-F)": "B-F",
    "services (G-S)": "G-S",
    "N (administrative and support service activities)": "N",
}
GEOS = COUNTRIES | REFERENCE_AGGREGATES
RATE_INDICATORS = {"job_vacancy_rate", "vacancy_rate"}
DERIVED_PERIOD = "derived_period:"
# The page of the publisher itself is the best source among pages that printed the same figure.
PUBLISHER_HOST = "ec.europa.eu"
SECTOR_LABELS = {"G-S": ("Diensten (excl. huishoudens en extraterritoriale organisaties)",
                         "Services (except households and extraterritorial organisations)")}
LICENCE = ("Eurostat reuse policy (CC BY 4.0); figures as Eurostat's releases printed them, "
           "see each row's source")


def bundle(reference_dir: Path) -> Parsed:
    rows = _reference_rows(reference_dir)
    conflicts = pd.read_csv(CONFLICTS_FILE, dtype=str, keep_default_na=False)
    kept = _one_per_key(rows, conflicts)
    observations = pd.DataFrame({
        "dataset_id": _table()["dataset_id"], "indicator": "vacancy_rate", "country": kept["geo"], "region": "",
        "occupation_scheme": "", "occupation_code": "", "sector_scheme": "nace2", "sector_code": kept["sector"],
        # The releases quote Eurostat's headline (unadjusted) series: the plain breakdown, as the live NSA row has.
        "breakdown": "", "period": kept["period"], "value": kept["number"], "unit": "percent", "status": "reported",
        "source_url": kept["source_url"]})
    sectors = pd.DataFrame([{"scheme": "nace2", "code": code, "level": "aggregate", "label_nl": nl, "label_en": en}
                            for code, (nl, en) in SECTOR_LABELS.items()])
    return Parsed(observations=observations.reset_index(drop=True),
                  datasets=pd.DataFrame([_dataset(reference_dir, rows, kept, conflicts)]), sectors=sectors)


def _table() -> dict:
    return live.tables()[TABLE]


def _reference_rows(reference_dir: Path) -> pd.DataFrame:
    """Every rate row of NL, BE and the aggregates with its sector code; Belgian extras go to statbel.py instead."""
    rates = _tidy.read(reference_dir, RATES_FILE).assign(file=RATES_FILE)
    extra = _tidy.read(reference_dir, EXTRA_FILE).assign(file=EXTRA_FILE)
    extra = extra[extra["geo"].isin(REFERENCE_AGGREGATES) & extra["indicator"].isin(RATE_INDICATORS)]
    rows = pd.concat([rates, extra], ignore_index=True)
    unknown = rows[~rows["nace"].isin(SECTORS) | ~rows["geo"].isin(GEOS)
                   | ~rows["indicator"].isin(RATE_INDICATORS) | (rows["unit"] != "percent")]
    if len(unknown):
        row = unknown.iloc[0]
        raise _tidy.TidyError(f"{row['file']}: no rule for geo {row['geo']!r}, sector {row['nace']!r}, "
                              f"indicator {row['indicator']!r}, unit {row['unit']!r} ({row['period']})")
    return rows.assign(sector=rows["nace"].map(SECTORS), number=rows["value"].astype(float),
                       derived=rows["note"].str.startswith(DERIVED_PERIOD),
                       own_page=rows["source_url"].map(lambda url: urlparse(url).netloc == PUBLISHER_HOST))


def _one_per_key(rows: pd.DataFrame, conflicts: pd.DataFrame) -> pd.DataFrame:
    """One row per geo, sector and quarter: where pages disagree, the value conflicts file names; then Eurostat's
    own page before a reprint, a printed quarter before a derived one, the file's order."""
    key = ["geo", "sector", "period"]
    values = rows.groupby(key)["number"].nunique()
    disputed = set(values[values > 1].index)
    listed = {(c.geo, c.sector, c.period): float(c.kept) for c in conflicts.itertuples()}
    if disputed != set(listed):
        raise _tidy.TidyError(f"{CONFLICTS_FILE.name}: conflicts without a stated choice "
                              f"{sorted(disputed - set(listed))}, choices without a conflict "
                              f"{sorted(set(listed) - disputed)}")
    chosen = rows.apply(lambda r: listed.get((r["geo"], r["sector"], r["period"]), r["number"]) == r["number"],
                        axis=1)
    missing = set(listed) - set(map(tuple, rows.loc[chosen, key].to_numpy()))
    if missing:
        raise _tidy.TidyError(f"{CONFLICTS_FILE.name}: the kept value is on no page for {sorted(missing)}")
    ordered = rows[chosen].sort_values(["own_page", "derived"], ascending=[False, True], kind="stable")
    return ordered.drop_duplicates(key, keep="first").sort_values(key).reset_index(drop=True)


def _quarters(kept: pd.DataFrame, geo: str) -> list[str]:
    return sorted(kept.loc[(kept["geo"] == geo) & (kept["sector"] == "B-S"), "period"])


def _dataset(reference_dir: Path, rows: pd.DataFrame, kept: pd.DataFrame, conflicts: pd.DataFrame) -> dict:
    nl, be = _quarters(kept, "NL"), _quarters(kept, "BE")
    common = sorted(set(nl) & set(be))
    coverage = "; ".join(f"{geo} {len(q)} quarters {q[0]}..{q[-1]}"
                         for geo in ("NL", "BE", "EA", "EU27", "EU28") if (q := _quarters(kept, geo)))
    only_derived = rows.groupby(["geo", "sector", "period"])["derived"].all()
    only_derived = [" ".join(filter(None, [geo, "" if sector == "B-S" else sector, period]))
                    for (geo, sector, period), flag in only_derived.items() if flag]
    choices = "; ".join(f"{c.geo} {c.period}: {c.kept} ({c.kept_from}), not {c.other_values} ({c.others_from})"
                        for c in conflicts.itertuples())
    return {
        "dataset_id": _table()["dataset_id"], "source": live.SOURCE, "publisher": "Eurostat", "table_id": TABLE,
        "title": _table()["title"], "title_en": _table()["title_en"], "url": live.TABLE_PAGE.format(code=TABLE),
        "licence": LICENCE, "retrieved_at": "", "origin": "bundled",
        "checksum": _tidy.checksum(reference_dir, RATES_FILE), "replaced_by": "",
        "completeness": (
            f"job vacancy rate, industry, construction and services (NACE B-S), the quarters a release or the press "
            f"printed: {coverage}; {len(common)} quarters with both NL and BE ({common[0]}..{common[-1]}). Belgium "
            f"also industry and construction (B-F) and services (G-S) in a few quarters; euro area and EU section N "
            f"in 2023-Q4, 2024-Q4 (and the euro area 2025-Q4). Other quarters are gaps: nothing is interpolated."),
        "note": (
            "Job vacancy rate = vacancies / (occupied posts + vacancies), Eurostat jvs_q_nace2, the headline "
            "(not seasonally adjusted) series. Each figure was read in a public web page that printed it: Eurostat's "
            "Statistics Explained, reprints of Eurostat's euro-indicators releases and press articles quoting them "
            "(source_url is that page; each was transcribed with its verbatim quote into the project's reference "
            "collection). Status reported; a live Eurostat fetch or import replaces each figure by the "
            "table's own. EA is the euro area as published at the time (EA18 in 2014, EA19 2015-2022, EA20 from "
            "2023), EU28 the releases up to 2019, EU27 (EU27_2020) from 2020: reference lines, not countries. "
            "Where pages disagree, one value is kept: the latest release's (Eurostat revises aggregates by up to "
            "0.2 pp a year later); for NL 2018-Q1, one release read two ways, the reading the other pages support: "
            f"{choices}. Rows whose quarter the page states relative to another (e.g. 'the previous quarter') are "
            f"kept; these quarters rest only on such rows: {', '.join(only_derived)}."),
    }
