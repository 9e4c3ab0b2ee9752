"""Each stored snapshot's parsed rows, kept beside the raw store so a rebuild does not parse an unchanged input again.

Keyed by the snapshot's checksum and a digest of the parsing code and definitions: a changed parser, mapping or
definition file makes every entry stale, and a stale entry is simply parsed again and replaced.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import os
import pickle
from collections.abc import Callable
from pathlib import Path

from etl.parsed import Parsed
from etl.snapshot import Snapshot

ETL_DIR = Path(__file__).parent
# What a parse result depends on besides the raw bytes.
CODE_GLOBS = ["*.py", "sources/*.py", "definitions/**/*"]
CACHE_FOLDER = ".parsed"
LOG = logging.getLogger(__name__)
# Results an import parsed from exactly the files it then stored, waiting for the build of the same process.
_handed_over: dict[Path, Parsed] = {}


@functools.cache
def code_version() -> str:
    digest = hashlib.sha256()
    for path in sorted({p for pattern in CODE_GLOBS for p in ETL_DIR.glob(pattern) if p.is_file()}):
        digest.update(str(path.relative_to(ETL_DIR)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


def cache_file(snapshot: Snapshot) -> Path:
    """`<raw store>/.parsed/<checksum>-<code version>.pickle` (the store keeps snapshots three folders deep)."""
    return snapshot.path.parents[2] / CACHE_FOLDER / f"{snapshot.sha256}-{code_version()}.pickle"


def hand_over(snapshot: Snapshot, result: Parsed) -> None:
    """Give the next `parsed(snapshot)` of this process a result already parsed from the snapshot's very files (an
    import checks a table before it stores it; its build then need not parse the same bytes a second time)."""
    _handed_over[cache_file(snapshot)] = result


def parsed(snapshot: Snapshot, parse: Callable[[Snapshot], Parsed]) -> Parsed:
    """The snapshot's parse result: handed over by its import, from the cache, or `parse(snapshot)` stored for next time."""
    path = cache_file(snapshot)
    if path in _handed_over:
        result = _handed_over.pop(path)
        _store(path, result)
        return result
    try:
        with path.open("rb") as stored:
            found = pickle.load(stored)
        if isinstance(found, Parsed):
            return found
    except FileNotFoundError:
        pass
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError) as exc:
        LOG.warning("parsed-rows cache %s unreadable, parsing again: %s", path, exc)
    result = parse(snapshot)
    _store(path, result)
    return result


def _store(path: Path, result: Parsed) -> None:
    try:
        path.parent.mkdir(exist_ok=True)
        for stale in path.parent.glob(f"{path.name.split('-')[0]}-*.pickle"):
            stale.unlink(missing_ok=True)
        partial = path.with_name(f".{path.name}.{os.getpid()}")
        with partial.open("wb") as out:
            pickle.dump(result, out, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(partial, path)
    except OSError as exc:
        LOG.warning("parsed-rows cache %s not written: %s", path, exc)
