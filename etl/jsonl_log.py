"""Append-only JSON-lines logs beside the database that survive a run killed in the middle of a line."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path


def append(path: Path, rows: list[dict]) -> None:
    """Add rows as one write; a last line cut short by an earlier killed run is closed first, so no row merges into it."""
    if not rows:
        return
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    text = "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)
    with path.open("a+b") as handle:
        handle.seek(0, os.SEEK_END)
        if handle.tell():
            handle.seek(-1, os.SEEK_END)
            if handle.read(1) != b"\n":
                text = "\n" + text
        handle.write(text.encode("utf-8"))
        handle.flush()
        os.fsync(handle.fileno())


def read(path: Path) -> list[dict]:
    """Every whole row; a line that is not a JSON object (cut short, damaged) is skipped with one line on stderr."""
    path = Path(path)
    if not path.exists():
        return []
    rows, skipped = [], []
    for number, line in enumerate(path.read_bytes().decode("utf-8", "replace").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError:
            row = None
        if isinstance(row, dict):
            rows.append(row)
        else:
            skipped.append(number)
    if skipped:
        where = ", ".join(map(str, skipped[:5])) + (" ..." if len(skipped) > 5 else "")
        print(f"warning: {path}: skipped {len(skipped)} line(s) that cannot be read (cut short?): line {where}",
              file=sys.stderr)
    return rows
