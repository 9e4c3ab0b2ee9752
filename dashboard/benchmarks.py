"""Entry points for `make bench`: each page's main callback with typical inputs, on a given database."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from pathlib import Path

from dashboard import database

# (page module, callback name, keyword arguments): what a visitor typically asks for.
TYPICAL_CALLS = [
    ("sector", "layout", {"sector": "customer_contact", "lang": "nl"}),
    ("sector", "layout", {"sector": "customer_contact", "lang": "en"}),
]


def callbacks(db_path: Path) -> dict[str, Callable[[], object]]:
    """Name -> a no-argument call of one page callback against `db_path` (the page's layout is what the router runs)."""
    database.use(db_path)
    calls = {}
    for module_name, function, kwargs in TYPICAL_CALLS:
        module = importlib.import_module(f"dashboard.pages.{module_name}")
        target = getattr(module, function)
        name = "_".join([module_name, function, *(str(v) for v in kwargs.values())])
        calls[name] = lambda target=target, kwargs=kwargs: target(**kwargs)
    return calls
