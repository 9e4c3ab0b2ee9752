"""A tiny bundle of real published figures for tests of the core pipeline (values from CBS 85276NED / 85517NED)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from etl import bundle_files
from etl.parsed import Parsed

SOURCE = "https://datasets.cbs.nl/odata/v1/CBS/85276NED/Observations"


def observation_rows() -> pd.DataFrame:
    base = {"country": "NL", "region": "", "occupation_scheme": "brc2014", "sector_scheme": "", "sector_code": "",
            "breakdown": "", "status": "final", "source_url": SOURCE}
    return pd.DataFrame([
        {**base, "dataset_id": "cbs-85276NED", "indicator": "employed_persons", "occupation_code": "0334",
         "period": "2025-Q4", "value": 118000.0, "unit": "persons"},
        {**base, "dataset_id": "cbs-85276NED", "indicator": "employed_persons", "occupation_code": "0433",
         "period": "2025-Q4", "value": 178000.0, "unit": "persons"},
        {**base, "dataset_id": "cbs-85517NED", "indicator": "hourly_wage_median", "occupation_code": "0433",
         "period": "2024", "value": 20.7, "unit": "EUR/hour", "status": "provisional"},
    ])


def datasets() -> pd.DataFrame:
    return pd.DataFrame([
        {"dataset_id": "cbs-85276NED", "source": "cbs", "publisher": "CBS", "table_id": "85276NED",
         "title": "Werkzame beroepsbevolking; beroep", "licence": "CC BY 4.0", "origin": "bundled"},
        {"dataset_id": "cbs-85517NED", "source": "cbs", "publisher": "CBS", "table_id": "85517NED",
         "title": "Werknemers; uurloon en beroep", "licence": "CC BY 4.0", "origin": "bundled"},
    ])


def occupations() -> pd.DataFrame:
    return pd.DataFrame([
        {"scheme": "brc2014", "code": "0334", "level": "beroepsgroep", "parent_code": "033",
         "label_nl": "Callcentermedewerkers outbound en overige verkopers",
         "label_en": "Outbound call-centre and other salespersons"},
        {"scheme": "brc2014", "code": "0433", "level": "beroepsgroep", "parent_code": "043",
         "label_nl": "Receptionisten en telefonisten", "label_en": "Receptionists and telephonists"},
        # The Belgian codes of the customer-contact preset in definitions/sectors.toml (VDAB title, ILO ISCO-08).
        {"scheme": "vdab", "code": "contactcenter-medewerker", "level": "title", "parent_code": "",
         "label_nl": "Contactcenter medewerker", "label_en": ""},
        {"scheme": "isco08", "code": "4222", "level": "unit", "parent_code": "422", "label_nl": "",
         "label_en": "Contact centre information clerks"},
        {"scheme": "isco08", "code": "4223", "level": "unit", "parent_code": "422", "label_nl": "",
         "label_en": "Telephone switchboard operators"},
        {"scheme": "isco08", "code": "5244", "level": "unit", "parent_code": "524", "label_nl": "",
         "label_en": "Contact centre salespersons"},
    ])


def write_bundle(folder: Path, observations: pd.DataFrame | None = None) -> Path:
    """Write the small bundle to folder; observations may be replaced to test bad input."""
    parsed = Parsed(observations=observation_rows() if observations is None else observations,
                    datasets=datasets(), occupations=occupations())
    bundle_files.write(parsed, folder)
    return folder
