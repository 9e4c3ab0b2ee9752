"""The model's settings, read from the versioned file etl/definitions/model.toml."""

from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path

SETTINGS_FILE = Path(__file__).resolve().parents[1] / "definitions" / "model.toml"


@cache
def load(path: Path = SETTINGS_FILE) -> dict:
    """The settings as a dict (read once per process, never at import time)."""
    return tomllib.loads(Path(path).read_text("utf-8"))


def indicators(family: str, path: Path = SETTINGS_FILE) -> list[dict]:
    """Indicator definitions of one family ('sector' or 'occupation'), in file order."""
    return [i for i in load(path)["indicator"] if i["family"] == family]
