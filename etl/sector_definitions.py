"""Sector definitions (e.g. customer contact) read from a versioned TOML file and checked against code lists."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pandas as pd

from etl.errors import ContractError

SECTORS_FILE = Path(__file__).parent / "definitions" / "sectors.toml"
FIELDS = ["sector_id", "label_nl", "label_en", "country", "scheme", "code", "caveat_nl", "caveat_en"]
DEFAULT_SECTOR = "customer_contact"


class SectorDefinitionError(ContractError):
    """A sector file that is malformed or names a code its scheme does not have."""


def load(path: Path | None = None) -> pd.DataFrame:
    """One row per (sector, country, scheme, code) from the TOML file (SECTORS_FILE unless given)."""
    path = path or SECTORS_FILE
    try:
        document = tomllib.loads(Path(path).read_text("utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise SectorDefinitionError(f"{path}: not valid TOML ({exc})") from exc
    rows = []
    for sector_id, sector in document.items():
        for required in ("label_nl", "label_en", "codes"):
            if required not in sector:
                raise SectorDefinitionError(f"{path}: sector {sector_id!r} has no {required!r}")
        for group in sector["codes"]:
            for required in ("country", "scheme", "codes"):
                if required not in group:
                    raise SectorDefinitionError(f"{path}: a code group of {sector_id!r} has no {required!r}")
            for code in group["codes"]:
                rows.append({
                    "sector_id": sector_id,
                    "label_nl": sector["label_nl"],
                    "label_en": sector["label_en"],
                    "country": group["country"],
                    "scheme": group["scheme"],
                    "code": str(code),
                    "caveat_nl": group.get("caveat_nl", sector.get("caveat_nl", "")),
                    "caveat_en": group.get("caveat_en", sector.get("caveat_en", "")),
                })
    return pd.DataFrame(rows, columns=FIELDS)


def check_codes(definitions: pd.DataFrame, known: set[tuple[str, str]]) -> None:
    """Raise if a definition names a (scheme, code) that no code list in the database has."""
    unknown = [
        f"{row.sector_id}: {row.scheme} {row.code}"
        for row in definitions.itertuples()
        if (row.scheme, row.code) not in known
    ]
    if unknown:
        raise SectorDefinitionError(f"sector definitions name unknown codes: {', '.join(unknown)}")
