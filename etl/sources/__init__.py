"""Registry of publisher modules: each fetches live data, imports users' files and parses its own formats."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from types import ModuleType

from etl.parsed import Parsed
from etl.snapshot import Snapshot

# Order is the order `make refresh` runs and prints them in.
SOURCE_NAMES = ("cbs", "uwv", "vdab", "statbel", "eurostat")


def module(name: str) -> ModuleType:
    """The module for a source name; raises KeyError naming the known sources."""
    if name not in SOURCE_NAMES:
        raise KeyError(f"unknown source {name!r}; known sources: {', '.join(SOURCE_NAMES)}")
    return importlib.import_module(f"etl.sources.{name}")


def parser_for(format_name: str) -> Callable[[Snapshot], Parsed]:
    """The parse function registered for a snapshot format by one of the source modules."""
    for name in SOURCE_NAMES:
        parsers = getattr(module(name), "PARSERS", {})
        if format_name in parsers:
            return parsers[format_name]
    raise KeyError(f"no parser registered for snapshot format {format_name!r}")
