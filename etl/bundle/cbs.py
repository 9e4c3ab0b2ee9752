"""CBS tables and the CBS tension quotes from the tidy reference CSVs into rows of the bundled snapshot."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from etl.bundle import _tidy
from etl.observation import KEY
from etl.parsed import Parsed
from etl.sources import cbs_mapping

REFERENCE_FILES = [
    "nl/cbs_85276NED_werkzame_beroepsbevolking_beroep.csv",
    "nl/cbs_85517NED_uurloon_beroep.csv",
    "nl/cbs_86355NED_uurloon_beroep_brc2025.csv",
    "nl/cbs_80472NED_vacatures_sbi_bedrijfsgrootte.csv",
    "nl/cbs_80474NED_vacatures_seizoengecorrigeerd.csv",
    "nl/cbs_80567NED_vacaturegraad.csv",
    "nl/cbs_81431NED_banen_lonen_arbeidsduur_sbi.csv",
    "nl/cbs_83120NED_85388NED_wisseling_beroepsklasse.csv",
    "nl/cbs_85081NED_ontstane_vacatures_beroep.csv",
    "nl/cbs_spanning_vacatures_per_100_werklozen.csv",
]
CONTEXT_FILE = "nl/context_secondary_facts.csv"
BRC_CODES_FILE = "nl/brc2014_codes.csv"
TENSION_URL = "https://www.cbs.nl/nl-nl/visualisaties/dashboard-arbeidsmarkt/vacatures"

# Which tidy dimension columns hold an occupation code, and in which scheme, per table.
OCCUPATION_DIMENSION = {
    "85276NED": ("dim3_code", "brc2014"),
    "85517NED": ("dim1_code", "brc2014"),
    "86355NED": ("dim1_code", "brc2014e2025"),
    "85081NED": ("dim2_code", "brc2014"),
    "83120NED": ("dim2_code", "brc2014"),
    "85388NED": ("dim2_code", "brc2014"),
}
# Which tidy dimension column holds a CBS SBI key (or company-size key), per table.
SBI_DIMENSION = {"80472NED": "dim1_code", "80474NED": "dim1_code", "80567NED": "dim1_code",
                 "81431NED": "dim2_code", "85081NED": "dim1_code"}
# 80474NED categories the page shows without a key: ownership cuts of the all-sector total.
UNKEYED_SECTOR_LABELS = {"Particuliere bedrijven": "ownership=private", "Overheid": "ownership=government"}
# Rows whose period CBS did not print and the collector inferred are left out rather than guessed.
INFERRED_PERIOD = re.compile(r"inferred as \d{4}.*verify")
CONTEXT_WAGE_TOPIC = "wages_85517NED"
CONTEXT_CODE_IN_SUBJECT = re.compile(r"^(?:(?P<lead>\d{2,4}) .+|.+\((?:segment (?P<seg>\d{3})|(?P<level>segment))\))$")


def _definitions() -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    return cbs_mapping.tables(), cbs_mapping.measures(), cbs_mapping.sbi_keys()


def _dataset_for(table_id: str) -> str:
    return "CBS-spanning" if table_id.startswith("CBS-spanning") else table_id


def _page(table_id: str) -> str:
    """CBS's own page for a table: its StatLine page, or the labour-market dashboard for the tension figures."""
    return TENSION_URL if table_id == "CBS-spanning" else cbs_mapping.STATLINE_URL.format(table_id=table_id)


def _rows_of_file(frame: pd.DataFrame, name: str, measures: pd.DataFrame, sbi: pd.DataFrame) -> tuple[list[dict], list[str]]:
    """Observation rows for one tidy file, and a list of what was left out and why."""
    measure_map = {(m.table_id, m.measure): m for m in measures.itertuples()}
    sbi_map = {s.key: s for s in sbi.itertuples()}
    rows, left_out = [], []
    for number, row in enumerate(frame.itertuples(), start=2):
        where = f"{name} line {number}"
        table = _dataset_for(row.table_id)
        measure = measure_map.get((table, row.measure_code)) or measure_map.get((table, row.measure))
        if measure is None:
            raise _tidy.TidyError(f"{where}: measure {row.measure_code or row.measure!r} of {table} has no indicator")
        if not measure.indicator:
            left_out.append(f"{where}: measure {measure.measure} deliberately not loaded ({measure.note})")
            continue
        if row.value == "":
            left_out.append(f"{where}: no value (suppressed by CBS)")
            continue
        if INFERRED_PERIOD.search(row.note):
            left_out.append(f"{where}: period inferred by the collector, not printed in the source")
            continue
        period = _tidy.period(row.period)
        if period is None:
            left_out.append(f"{where}: period {row.period} has no contract equivalent")
            continue
        out = {
            "dataset_id": f"cbs-{table}" if table != "CBS-spanning" else "cbs-spanning",
            "indicator": measure.indicator, "country": "NL", "region": "",
            "occupation_scheme": "", "occupation_code": "", "sector_scheme": "", "sector_code": "",
            "period": period, "value": _tidy.scaled(row.value, row.unit, where), "unit": measure.unit,
            "status": _tidy.status(row.status, row.source_kind),
            "source_url": _tidy.publisher_page(row.source_url, _page(table)),
        }
        parts = [measure.breakdown] if measure.breakdown else []
        if table in OCCUPATION_DIMENSION:
            column, scheme = OCCUPATION_DIMENSION[table]
            code = getattr(row, column)
            if code:
                out["occupation_scheme"], out["occupation_code"] = scheme, code
        if table in SBI_DIMENSION:
            key = getattr(row, SBI_DIMENSION[table])
            label = getattr(row, SBI_DIMENSION[table].replace("_code", "_label"))
            if key == "" and label in UNKEYED_SECTOR_LABELS:
                parts.append(UNKEYED_SECTOR_LABELS[label])
                key = "T001081"
            if key not in sbi_map:
                left_out.append(f"{where}: sector key {key!r} is not in {cbs_mapping.SBI_KEYS_FILE.name}")
                continue
            category = sbi_map[key]
            out["sector_scheme"], out["sector_code"] = category.sector_scheme, category.sector_code
            if category.breakdown:
                parts.append(category.breakdown)
        if table in cbs_mapping.CHANGE_TABLES:
            parts.append(cbs_mapping.BREAKDOWN_BY_TITLE[row.dim1_label])
        for number_of_dim in (1, 2):
            name, code = getattr(row, f"dim{number_of_dim}_name"), getattr(row, f"dim{number_of_dim}_code")
            parts.append(cbs_mapping.dimension_keys().get((name, code), ""))
        out["breakdown"] = ";".join(sorted(p for p in parts if p))
        rows.append(out)
    return rows, left_out


def _context_wages(reference_dir: Path, codes: pd.DataFrame) -> list[dict]:
    """Press quotes of 85517NED medians whose subject names exactly one BRC code; others are left out."""
    facts = _tidy.read(reference_dir, CONTEXT_FILE)
    facts = facts[facts["topic"] == CONTEXT_WAGE_TOPIC]
    rows = []
    for fact in facts.itertuples():
        code = _context_code(fact.subject, codes)
        period = _tidy.period(fact.period)
        if code is None or period is None or fact.measure != "mediaan bruto uurloon" or fact.unit != "euro":
            continue
        rows.append({
            "dataset_id": "cbs-85517NED", "indicator": "hourly_wage_median", "country": "NL", "region": "",
            "occupation_scheme": "brc2014" if code else "", "occupation_code": code, "sector_scheme": "",
            "sector_code": "", "breakdown": "", "period": period, "value": float(fact.value), "unit": "EUR/hour",
            "status": "reported", "source_url": fact.quoted_in_url,
        })
    return rows


def _context_code(subject: str, codes: pd.DataFrame) -> str | None:
    """'' for the national total, the BRC code the subject names unambiguously, or None."""
    if subject == "Totaal Nederland":
        return ""
    match = CONTEXT_CODE_IN_SUBJECT.match(subject)
    label = re.sub(r"^\d{2,4} | \(.*\)$", "", subject)
    if match and (match["lead"] or match["seg"]):
        code = match["lead"] or match["seg"]
        known = codes.loc[codes["brc_code"] == code, "label_nl"]
        return code if len(known) and known.iloc[0] == label else None
    candidates = codes[codes["label_nl"] == label]
    if match and match["level"]:
        candidates = candidates[candidates["level_name"] == "beroepssegment"]
    return candidates["brc_code"].iloc[0] if len(candidates) == 1 else None


def _datasets(tables: pd.DataFrame, reference_dir: Path, frames: dict[str, pd.DataFrame]) -> pd.DataFrame:
    rows = []
    for table in tables.itertuples():
        used = [(name, f) for name, f in frames.items() if f["table_id"].map(_dataset_for).eq(table.table_id).any()]
        if not used:  # a live-only table (e.g. 80590ned) has no bundled rows
            continue
        vintages = pd.concat([f.loc[f["table_id"].map(_dataset_for) == table.table_id] for _, f in used])
        is_table = table.table_id != "CBS-spanning"
        rows.append({
            "dataset_id": table.dataset_id, "source": "cbs", "publisher": cbs_mapping.PUBLISHER,
            "table_id": table.table_id if is_table else "",
            "title": table.title_nl, "title_en": table.title_en,
            "url": _page(table.table_id),
            "licence": cbs_mapping.LICENCE, "retrieved_at": _tidy.latest_vintage_date(vintages), "origin": "bundled",
            "checksum": " ".join(_tidy.checksum(reference_dir, name) for name, _ in used),
            "completeness": table.bundled_completeness, "replaced_by": table.replaced_by,
            "note": table.note + _tidy.transcription_note(vintages["source_url"]),
        })
    return pd.DataFrame(rows)


def _sector_codes(sbi: pd.DataFrame) -> pd.DataFrame:
    """Sector code-list rows for CBS categories finer or wider than a NACE section (sections come from nace_sections)."""
    extra = sbi[(sbi["sector_code"] != "") & (sbi["level"] != "section")]
    return pd.DataFrame({"scheme": extra["sector_scheme"], "code": extra["sector_code"], "level": extra["level"],
                         "label_nl": extra["label_nl"].str.replace(r"^[\d.-]+ |^[A-Z]-[A-Z] ", "", regex=True),
                         "label_en": extra["label_en"]})


def _brc2025_codes(frame: pd.DataFrame) -> pd.DataFrame:
    """Code list of BRC 2014 editie 2025 for the codes 86355NED publishes, labels as CBS gives them."""
    codes = frame[["dim1_code", "dim1_label"]].drop_duplicates("dim1_code").sort_values("dim1_code")
    return cbs_mapping.brc2025_code_rows(dict(zip(codes["dim1_code"], codes["dim1_label"], strict=True)))


def bundle(reference_dir: Path) -> Parsed:
    tables, measures, sbi = _definitions()
    frames = {name: _tidy.read(reference_dir, name) for name in REFERENCE_FILES}
    rows = []
    for name, frame in frames.items():
        found, _left_out = _rows_of_file(frame, name, measures, sbi)
        rows.extend(found)
    obs = _tidy.drop_repeated(pd.DataFrame(rows), KEY, "CBS reference CSVs")
    obs = pd.concat([obs, cbs_mapping.occupation_changers(obs)], ignore_index=True)
    brc2014 = _tidy.read(reference_dir, BRC_CODES_FILE)
    quotes = pd.DataFrame(_context_wages(reference_dir, brc2014))
    # A press quote only fills a gap: where the table itself has the figure, the table's value stands.
    quotes = quotes[~quotes.set_index(KEY).index.isin(obs.set_index(KEY).index)]
    obs = pd.concat([obs, quotes], ignore_index=True)
    return Parsed(
        observations=obs,
        datasets=_datasets(tables, reference_dir, frames),
        occupations=_brc2025_codes(frames["nl/cbs_86355NED_uurloon_beroep_brc2025.csv"]),
        sectors=_sector_codes(sbi),
    )
