"""Which stored snapshots a build uses: intact, parseable and, unless accepted, no suspicious drift."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from etl import drift
from etl.parsed import Parsed
from etl.snapshot import Snapshot, SnapshotStore

# Beside the snapshots: the held-back snapshots a user accepted (`--accept-drift`), by folder under the store.
ACCEPTED_FILE = "accepted_drift.json"
SET_ASIDE = "set_aside"
HELD_BACK = "held_back"
ACCEPT_OPTION = "--accept-drift"


@dataclass(frozen=True)
class Problem:
    """A stored snapshot the build did not use, and why."""

    problem: str  # SET_ASIDE (damaged, unreadable) or HELD_BACK (drift)
    snapshot: str  # its folder under the store: source/key/timestamp-hash
    source: str
    key: str
    dataset_id: str
    retrieved_at: str
    reason: str

    def line(self) -> str:
        """One line for the command line and the refresh log."""
        if self.problem == HELD_BACK:
            return (f"{self.dataset_id}: update of {self.retrieved_at} held back, not used: {self.reason}; "
                    f"to use it anyway: {ACCEPT_OPTION} {self.dataset_id}")
        return f"{self.dataset_id}: stored snapshot {self.snapshot} set aside, not used: {self.reason}"


@dataclass
class Selection:
    inputs: list[Parsed] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def select(store: SnapshotStore, parse: Callable[[Snapshot], Parsed], accept: Iterable[str] = ()) -> Selection:
    """Parse every usable snapshot oldest first; each is checked against the last good one of the same dataset."""
    accept = set(accept)
    accepted = _read_accepted(store.root)
    chosen = Selection()
    for folder, reason in store.unreadable():
        relative = _relative(store, folder)
        source, key = (relative.split("/") + ["", ""])[:2]
        chosen.problems.append(Problem(SET_ASIDE, relative, source, key, f"{source}-{key}", "", reason))
    last_good: dict[tuple[str, str], Parsed] = {}
    for snapshot in store.all():
        relative = _relative(store, snapshot.path)
        fallback_id = f"{snapshot.source}-{snapshot.key}"
        damage, parsed = snapshot.damage(), None
        try:
            parsed = None if damage else parse(snapshot)
        except Exception as exc:  # any parser failure sets this one snapshot aside; the build goes on
            damage = " ".join(str(exc).split())[:300] or type(exc).__name__
        if parsed is None:
            chosen.problems.append(Problem(SET_ASIDE, relative, snapshot.source, snapshot.key, fallback_id,
                                           snapshot.retrieved_at, damage))
            continue
        dataset_ids = sorted(set(parsed.datasets["dataset_id"]) | set(pd.unique(parsed.observations["dataset_id"])))
        dataset_id = dataset_ids[0] if dataset_ids else fallback_id
        previous = last_good.get((snapshot.source, snapshot.key))
        changes = drift.changes(previous.observations, parsed.observations) if previous is not None else []
        if changes and relative not in accepted:
            if not accept & {*dataset_ids, snapshot.key, fallback_id}:
                chosen.problems.append(Problem(HELD_BACK, relative, snapshot.source, snapshot.key, dataset_id,
                                               snapshot.retrieved_at, "; ".join(changes)))
                continue
            accepted.add(relative)
            _write_accepted(store.root, accepted)
        last_good[(snapshot.source, snapshot.key)] = parsed
        chosen.inputs.append(parsed)
    return chosen


def _relative(store: SnapshotStore, folder: Path) -> str:
    return folder.relative_to(store.root).as_posix()


def _read_accepted(root: Path) -> set[str]:
    """The accepted list; when it cannot be read the updates it named are held back again, which loses nothing."""
    path = Path(root) / ACCEPTED_FILE
    try:
        listed = json.loads(path.read_text("utf-8")) if path.exists() else []
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        print(f"warning: {path} cannot be read ({exc}); updates accepted earlier may be held back again",
              file=sys.stderr)
        listed = []
    return {item for item in listed if isinstance(item, str)} if isinstance(listed, list) else set()


def _write_accepted(root: Path, accepted: set[str]) -> None:
    """Write to a temporary file and rename it, so a killed run leaves the old list or the new one, never half."""
    path = Path(root) / ACCEPTED_FILE
    temporary = path.with_name(f".{path.name}.{os.getpid()}")
    temporary.write_text(json.dumps(sorted(accepted), indent=1), "utf-8")
    os.replace(temporary, path)


def problem_table(problems: list[Problem]) -> pd.DataFrame:
    """The `snapshot_problem` table: the stored snapshots this build did not use."""
    return pd.DataFrame([vars(p) for p in problems], columns=list(Problem.__dataclass_fields__))
