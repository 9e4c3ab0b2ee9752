"""Sector presets as the database defines them, and the observation rows that belong to a sector."""

from __future__ import annotations

import pandas as pd

from dashboard import database

# Occupation schemes carried by observations; other definition rows (nace2, sbi2008) name industries.
OCCUPATION_SCHEMES = ("brc2014", "brc2014e2025", "isco08", "vdab", "uwv")
# Links followed from a defined occupation to series under another code: the successor edition of BRC 2014
# (forward) and UWV's own occupation groups (backward, UWV group -> BRC); confidence is shown beside the figures.
FORWARD_LINK_SCHEMES = ("brc2014e2025",)
BACKWARD_LINK_SCHEMES = ("uwv",)
LINK_CONFIDENCE = ("exact", "high", "medium")
# Regions whose figures stand for a country on the sector page: VDAB publishes for Flanders (BE2) only.
COUNTRY_REGIONS = {"NL": ("",), "BE": ("", "BE2")}


@database.per_version
def choices() -> pd.DataFrame:
    """One row per defined sector: sector_id, label_nl, label_en."""
    return database.current().query(
        "SELECT sector_id, MIN(label_nl) AS label_nl, MIN(label_en) AS label_en FROM sector_definition "
        "GROUP BY sector_id ORDER BY sector_id")


@database.per_version
def definition(sector_id: str) -> pd.DataFrame:
    return database.current().query(
        "SELECT * FROM sector_definition WHERE sector_id = ? ORDER BY country DESC, scheme, code", (sector_id,))


@database.per_version
def occupation_codes(sector_id: str, country: str) -> pd.DataFrame:
    """Defined occupation codes plus linked codes: columns scheme, code, via (the defined code), confidence."""
    rows = definition(sector_id)
    rows = rows[(rows["country"] == country) & rows["scheme"].isin(OCCUPATION_SCHEMES)]
    out = [pd.DataFrame({"scheme": rows["scheme"], "code": rows["code"], "via": "", "confidence": "defined"})]
    db = database.current()
    for scheme, code in zip(rows["scheme"], rows["code"], strict=True):
        marks = ", ".join("?" for _ in LINK_CONFIDENCE)
        forward = db.query(
            f"SELECT to_scheme AS scheme, to_code AS code, confidence FROM crosswalk "
            f"WHERE from_scheme = ? AND from_code = ? AND confidence IN ({marks})", (scheme, code, *LINK_CONFIDENCE))
        backward = db.query(
            f"SELECT from_scheme AS scheme, from_code AS code, confidence FROM crosswalk "
            f"WHERE to_scheme = ? AND to_code = ? AND confidence IN ({marks})", (scheme, code, *LINK_CONFIDENCE))
        linked = pd.concat([forward[forward["scheme"].isin(FORWARD_LINK_SCHEMES)],
                            backward[backward["scheme"].isin(BACKWARD_LINK_SCHEMES)]], ignore_index=True)
        out.append(linked.assign(via=f"{scheme} {code}"))
    return pd.concat(out, ignore_index=True).drop_duplicates(["scheme", "code"])


@database.per_version
def industry_codes(sector_id: str, country: str) -> pd.DataFrame:
    rows = definition(sector_id)
    return rows[(rows["country"] == country) & ~rows["scheme"].isin(OCCUPATION_SCHEMES)][["scheme", "code"]]


@database.per_version
def occupation_rows(sector_id: str, country: str, indicators: tuple[str, ...]) -> pd.DataFrame:
    """Observations for the sector's occupations (defined and linked) in one country (and its COUNTRY_REGIONS)."""
    db = database.current()
    frames = []
    for scheme, codes in occupation_codes(sector_id, country).groupby("scheme")["code"]:
        frames.append(db.observations({"occupation_scheme": scheme, "occupation_code": list(codes),
                                       "indicator": list(indicators), "country": country,
                                       "region": list(COUNTRY_REGIONS[country]), "sector_scheme": "", "breakdown": ""}))
    return _stack(frames)


@database.per_version
def industry_rows(sector_id: str, country: str, indicators: tuple[str, ...]) -> pd.DataFrame:
    """Observations for the sector's industries (NACE) in one country (and its COUNTRY_REGIONS), all occupations."""
    db = database.current()
    frames = []
    for scheme, codes in industry_codes(sector_id, country).groupby("scheme")["code"]:
        frames.append(db.observations({"sector_scheme": scheme, "sector_code": list(codes), "indicator": list(indicators),
                                       "country": country, "region": list(COUNTRY_REGIONS[country]),
                                       "occupation_scheme": "", "breakdown": ""}))
    return _stack(frames)


@database.per_version
def publication_rows(sector_id: str, country: str) -> pd.DataFrame:
    """Figures quoted from publications for the sector as a whole (breakdown `sector=<id>`)."""
    db = database.current()
    ids = db.query("SELECT dataset_id FROM dataset WHERE source = 'publication'")["dataset_id"].tolist()
    if not ids:
        return _stack([])
    return db.observations({"dataset_id": ids, "country": country, "breakdown": f"sector={sector_id}"})


@database.per_version
def national_rows(country: str, indicators: tuple[str, ...]) -> pd.DataFrame:
    """Whole-economy figures of one country (no occupation, no industry, no breakdown except seasonal adjustment)."""
    return database.current().observations({"indicator": list(indicators), "country": country, "region": "",
                                             "occupation_scheme": "", "sector_scheme": "",
                                             "breakdown": ["", "adjustment=sa"]})


@database.per_version
def context_facts(sector_id: str, country: str) -> pd.DataFrame:
    return database.current().query(
        "SELECT * FROM context_fact WHERE sector_id = ? AND country = ? ORDER BY topic, period DESC, fact_id",
        (sector_id, country))


def _stack(frames: list[pd.DataFrame]) -> pd.DataFrame:
    frames = [f for f in frames if not f.empty]
    if not frames:
        return database.current().observations({"dataset_id": []})
    return pd.concat(frames, ignore_index=True)
