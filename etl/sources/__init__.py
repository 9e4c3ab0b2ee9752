"""The source contract: what a publisher module provides, its registry, and the one fetch and import skeleton they share."""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol, cast

from etl import bounded_input, http, observation, parse_cache
from etl.errors import ContractError, InputError, SourceError
from etl.fetch_outcome import FetchOutcome
from etl.parsed import Parsed
from etl.snapshot import Snapshot, SnapshotStore

# Order is the order `make refresh` runs and prints them in.
SOURCE_NAMES = ("cbs", "uwv", "vdab", "statbel", "eurostat")


class Source(Protocol):
    """What each module etl/sources/<name>.py provides (a module satisfies this protocol by its top-level names)."""

    SOURCE: str
    """The source's name, as in SOURCE_NAMES and the `source` column of the data product."""

    PARSERS: dict[str, Callable[[Snapshot], Parsed]]
    """Snapshot format -> the pure function that turns a stored snapshot of that format into contract rows."""

    def fetch(self, store: SnapshotStore) -> list[FetchOutcome]:
        """Fetch every live dataset into the store; one outcome per dataset, never raising for one dataset's failure."""

    def import_paths(self, paths: list[Path], store: SnapshotStore) -> list[tuple[Snapshot, bool]]:
        """Recognise, parse and validate every file first, then store each; InputError naming the file otherwise."""


def module(name: str) -> Source:
    """The module for a source name; raises KeyError naming the known sources."""
    if name not in SOURCE_NAMES:
        raise KeyError(f"unknown source {name!r}; known sources: {', '.join(SOURCE_NAMES)}")
    return cast(Source, importlib.import_module(f"etl.sources.{name}"))


def parser_for(format_name: str) -> Callable[[Snapshot], Parsed]:
    """The parse function registered for a snapshot format by one of the source modules."""
    for name in SOURCE_NAMES:
        parsers = module(name).PARSERS
        if format_name in parsers:
            return parsers[format_name]
    raise KeyError(f"no parser registered for snapshot format {format_name!r}")


# ---- fetch: one dataset from a live host ------------------------------------------------------------------

def fetch_dataset(source: str, dataset_id: str, what: str, url: str, unreachable: http.UnreachableHosts,
                  fetch_and_store: Callable[[], FetchOutcome], *, advice: str = "; stored data kept") -> FetchOutcome:
    """Run one dataset's fetch; a host that did not resolve before is skipped, every expected failure is an outcome.

    `what` names the dataset in messages ("CBS 85276NED"); `advice` follows a SourceError's message."""
    no_network = unreachable.message(what, url)
    if unreachable.known(url):
        return FetchOutcome(source, dataset_id, "failed", no_network)
    try:
        return fetch_and_store()
    except http.HostUnresolvable:
        unreachable.remember(url)
        return FetchOutcome(source, dataset_id, "failed", no_network)
    except SourceError as exc:
        return FetchOutcome(source, dataset_id, "failed", f"{exc}{advice}")
    except ContractError as exc:
        return FetchOutcome(source, dataset_id, "failed", f"{what}: answer not in the expected format: {exc}")


# ---- import: files a user downloaded by hand ---------------------------------------------------------------

@dataclass(frozen=True)
class Upload:
    """One recognised input, checked and ready to store as a snapshot."""

    key: str
    format: str
    files: dict[str, bytes]
    location: str
    extra: dict = field(default_factory=dict)
    # True when the check parsed the files exactly as the snapshot's parser will (same function, same source_url),
    # so the build can take the check's rows instead of parsing the stored copy again.
    parsed_as_stored: bool = False


def read_files(paths: Iterable[Path], what: str) -> list[tuple[Path, bytes]]:
    """(path, bytes) of each file; a directory is refused, since these sources need the files themselves."""
    out = []
    for path in map(Path, paths):
        if path.is_dir():
            raise InputError(f"{path}: a directory; give the {what} themselves")
        out.append((path, bounded_input.read_file(path)))
    return out


def naming(where: object, exc: Exception) -> str:
    """The error's message, prefixed with the file it is about unless it already names it."""
    return str(exc) if str(where) in str(exc) else f"{where}: {exc}"


def import_checked(source: str, licence: str, units: Iterable[tuple[object, object]],
                   check: Callable[[object], tuple[Parsed, Upload]], store: SnapshotStore) -> list[tuple[Snapshot, bool]]:
    """Check every unit (recognise by content, parse, validate the rows), then store them all; nothing is stored
    unless all are good. `units` are (where, unit) pairs; a contract error becomes an InputError naming `where`."""
    checked = []
    for where, unit in units:
        try:
            parsed, upload = check(unit)
            valid = observation.validated_for_combine(parsed.observations)
        except ContractError as exc:
            raise InputError(naming(where, exc)) from exc
        if upload.parsed_as_stored:
            parsed.observations = valid  # the same rows, conformed: the rebuild combines them without checking again
        checked.append((parsed, upload))
    results = []
    for parsed, upload in checked:
        snapshot, is_new = store.save(source=source, key=upload.key, format=upload.format, origin="import",
                                      files=upload.files, licence=licence, location=upload.location, extra=upload.extra)
        if upload.parsed_as_stored:
            parse_cache.hand_over(snapshot, parsed)
        results.append((snapshot, is_new))
    return results


def import_files(source: str, licence: str, paths: Iterable[Path], what: str,
                 check: Callable[[tuple[Path, bytes]], tuple[Parsed, Upload]],
                 store: SnapshotStore) -> list[tuple[Snapshot, bool]]:
    """The import of a source whose files each hold one upload: read them (no folders), check all, store all."""
    return import_checked(source, licence, [(path, (path, data)) for path, data in read_files(paths, what)], check, store)
