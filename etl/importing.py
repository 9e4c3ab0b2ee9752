"""`etl import SOURCE PATH ...`: store a user's downloaded files as snapshots and rebuild, or change nothing."""

from __future__ import annotations

import shutil
from pathlib import Path

from etl import sources
from etl.build import BuildError, build
from etl.errors import ContractError, InputError
from etl.paths import raw_dir
from etl.snapshot import SnapshotStore


def import_files(source: str, paths: list[Path], db_path: Path) -> list[str]:
    """Recognise each file by content, store it, rebuild; on any failure remove what was stored and re-raise."""
    for path in paths:
        if not Path(path).exists():
            raise InputError(f"{path}: no such file or directory")
    store = SnapshotStore(raw_dir(db_path))
    results = sources.module(source).import_paths([Path(p) for p in paths], store)
    added = [snapshot for snapshot, is_new in results if is_new]
    try:
        build(db_path)
    except (BuildError, ContractError) as exc:
        for snapshot in added:
            shutil.rmtree(snapshot.path, ignore_errors=True)
        raise InputError(f"{', '.join(map(str, paths))}: import rejected, database unchanged: {exc}") from exc
    lines = []
    for snapshot, is_new in results:
        state = "stored" if is_new else "identical to a stored snapshot"
        lines.append(f"{source} {snapshot.key}: {state} ({snapshot.format}, {snapshot.location})")
    return lines
