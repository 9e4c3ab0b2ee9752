"""Each page's main callback with typical inputs, as no-argument calls on a given database (for bench/figures.py)."""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable
from pathlib import Path

from dashboard.app import create_app

# (page module, callback name, keyword arguments): what a visitor typically asks for.
TYPICAL_CALLS = [
    ("sector", "layout", {"sector": "customer_contact", "lang": "nl"}),
    ("sector", "layout", {"sector": "customer_contact", "lang": "en"}),
    ("occupation", "layout", {"scheme": "brc2014", "code": "0334", "lang": "nl"}),
    ("occupation", "layout", {"scheme": "vdab", "code": "contactcenter-medewerker", "lang": "en"}),
    ("occupation", "find_occupations", {"query": "contactcenter", "search": "?lang=nl"}),
    ("industry", "layout", {"sector": "N", "lang": "nl"}),
    ("industry", "layout", {"sector": "all", "frequency": "year", "lang": "en"}),
    ("compare", "layout", {"isco": "4222", "lang": "nl"}),
    ("outlook", "layout", {"lang": "nl"}),
    ("data", "layout", {"country": "NL", "indicator": "employed_persons", "lang": "en"}),
    ("data", "layout", {"indicator": "vacancies_open", "sector_code": "N", "lang": "nl"}),  # after choosing filters
    ("methods", "layout", {"lang": "nl"}),
]


def callbacks(db_path: Path) -> dict[str, Callable[[], object]]:
    """Name -> a no-argument call of one page callback against `db_path` (the page's layout is what the router runs)."""
    create_app(db_path)  # pages register themselves with Dash, which needs an app first
    calls = {}
    for module_name, function, kwargs in TYPICAL_CALLS:
        module = importlib.import_module(f"dashboard.pages.{module_name}")
        target = getattr(module, function)
        name = re.sub(r"\W+", "_", "_".join([module_name, function, *(str(v) for v in kwargs.values() if v)]))[:80]
        calls[name] = lambda target=target, kwargs=kwargs: target(**kwargs)
    return calls
