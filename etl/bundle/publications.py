"""Publication figures for sectors (status `reported`): labour figures into `observation`, the rest as context facts."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from etl.parsed import CONTEXT_FIELDS, Parsed

FACTS_FILE = Path(__file__).with_name("publication_facts.csv")
SECONDARY_FACTS = "nl/context_secondary_facts.csv"
DATASET_ID = "publications-customer-contact"
SECTOR_BREAKDOWN = "sector=customer_contact"
# Rows of context_secondary_facts.csv (topic klantcontact) that are labour indicators, by their measure text.
MEASURE_TO_INDICATOR = {
    "werkzame personen": ("employed_persons", "persons"),
    "openstaande vacatures": ("vacancies_open", "vacancies"),
    "vacatures (vraag naar mensen)": ("vacancies_open", "vacancies"),
}
# Labour figures from METHODS.md publications that are not in a reference CSV: (fact_id, indicator, unit).
FACTS_AS_OBSERVATIONS = {
    "be-kc-workforce-2024": ("employed_persons", "persons"),
}


def _period(code: str) -> str:
    return f"{code[:4]}-Q{int(code[-1])}" if "KW" in code else code


def printed_source(publication: str, publisher: str) -> str:
    """A printed figure's source without a web page: the publication, and whose figure it is when someone else's."""
    return publication if publication.startswith(publisher) else f"{publication} ({publisher})"


def bundle(reference_dir: Path) -> Parsed:
    facts = pd.read_csv(FACTS_FILE, dtype=str, keep_default_na=False)
    secondary = pd.read_csv(Path(reference_dir) / SECONDARY_FACTS, dtype=str, keep_default_na=False)
    secondary = secondary[(secondary["topic"] == "klantcontact") & secondary["measure"].isin(MEASURE_TO_INDICATOR)]
    rows = []
    for row in secondary.itertuples():
        indicator, unit = MEASURE_TO_INDICATOR[row.measure]
        rows.append({"indicator": indicator, "country": "NL", "period": _period(row.period), "value": row.value,
                     "unit": unit, "source_url": row.quoted_in_url})
    for row in facts[facts["fact_id"].isin(FACTS_AS_OBSERVATIONS)].itertuples():
        indicator, unit = FACTS_AS_OBSERVATIONS[row.fact_id]
        rows.append({"indicator": indicator, "country": row.country, "period": row.period, "value": row.value,
                     "unit": unit, "source_url": row.source_url or printed_source(row.publication, row.publisher)})
    observations = pd.DataFrame(rows).assign(
        dataset_id=DATASET_ID, region="", occupation_scheme="", occupation_code="", sector_scheme="",
        sector_code="", breakdown=SECTOR_BREAKDOWN, status="reported",
    )
    datasets = pd.DataFrame([{
        "dataset_id": DATASET_ID,
        "source": "publication",
        "publisher": "UWV, Klantenservice Federatie, Knack (figures as published)",
        "title": "Klantcontact: cijfers uit publicaties",
        "title_en": "Customer contact: figures from publications",
        "licence": "quoted from publications; see each row's source",
        "origin": "bundled",
        "completeness": "publication figures, not a statistical series",
        "note": "each figure as reported in the cited article; sector boundaries differ between publishers",
    }])
    return Parsed(observations=observations, datasets=datasets, context=facts.reindex(columns=CONTEXT_FIELDS))
