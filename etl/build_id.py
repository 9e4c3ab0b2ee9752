"""The build id: a digest of what a build reads besides the snapshot store (the bundle, etl/definitions, the ETL code)."""

from __future__ import annotations

import contextlib
import hashlib
import sqlite3
from pathlib import Path

from etl.paths import BUNDLE_DIR

ETL_DIR = Path(__file__).parent
# Files that never change what a build writes: compiled bytecode and editor or OS leftovers.
IGNORED_SUFFIXES = (".pyc", ".pyo", "~")
IGNORED_DIRS = {"__pycache__"}
LENGTH = 16


def _files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*")
                  if p.is_file() and not p.name.endswith(IGNORED_SUFFIXES) and not p.name.startswith(".")
                  and not IGNORED_DIRS & set(p.relative_to(root).parts))


def compute(bundle_dir: Path = BUNDLE_DIR) -> str:
    """The id a build from this checkout writes: every file's path and bytes under the bundle and etl/ (definitions
    included), so a pull that changes any of them makes an existing database stale."""
    digest = hashlib.sha256()
    for label, root in (("bundle", Path(bundle_dir)), ("etl", ETL_DIR)):
        for path in _files(root):
            digest.update(f"{label}/{path.relative_to(root).as_posix()}\0".encode())
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()[:LENGTH]


def of_database(db_path: Path) -> str | None:
    """The build id an existing database was written with; None when the file is absent, unreadable or older."""
    if not Path(db_path).is_file():
        return None
    try:
        with contextlib.closing(sqlite3.connect(f"file:{Path(db_path).resolve()}?mode=ro", uri=True)) as conn:
            row = conn.execute("SELECT value FROM build_info WHERE key = 'build_id'").fetchone()
    except sqlite3.Error:
        return None
    return row[0] if row else None


def staleness(db_path: Path, bundle_dir: Path = BUNDLE_DIR) -> str | None:
    """Why the database at db_path is not what this checkout would build, or None when it is."""
    current, existing = compute(bundle_dir), of_database(db_path)
    if existing == current:
        return None
    if existing:
        return f"built from another bundle, other definitions or other code (build id {existing}, this checkout {current})"
    return "it has no build id (built by an older version, or damaged)" if Path(db_path).exists() else "it does not exist"
