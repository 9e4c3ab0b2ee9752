"""One writer at a time: build, import, refresh and model hold an exclusive lock beside the database."""

from __future__ import annotations

import contextlib
import fcntl
import functools
import inspect
import os
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from etl.paths import raw_dir
from etl.snapshot import SnapshotStore

# How long a second writer waits for the first before refusing; ETL_WRITER_WAIT_SECONDS overrides it.
WAIT_SECONDS = 1800.0
WAIT_ENV = "ETL_WRITER_WAIT_SECONDS"
POLL_SECONDS = 0.25
LOCK_NAME = ".etl-writer.lock"
# Temporary databases beside the real one: `.labour.sqlite.building-<pid>` (build), `.model-<pid>` (model).
LEFTOVER_KINDS = ("building", "model")

_held: dict[Path, int] = {}  # lock file -> how many nested holders in this process (build inside an import)


class WriterBusy(RuntimeError):
    """Another process kept the lock for longer than the wait allowed; nothing was changed."""


def lock_path(db_path: Path) -> Path:
    """One lock per folder: the databases of a folder share its snapshot store and logs."""
    return Path(db_path).resolve().parent / LOCK_NAME


def wait_seconds() -> float:
    configured = os.environ.get(WAIT_ENV, "")
    try:
        return float(configured) if configured else WAIT_SECONDS
    except ValueError:
        raise WriterBusy(f"{WAIT_ENV}={configured!r} is not a number of seconds") from None


@contextlib.contextmanager
def hold(db_path: Path, *, wait: float | None = None, say: Callable[[str], None] | None = None) -> Iterator[None]:
    """Hold the database's writer lock; when another process holds it, say so once, wait, then refuse."""
    path = lock_path(db_path)
    if path in _held:
        _held[path] += 1
        try:
            yield
        finally:
            _held[path] -= 1
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    handle = _acquire(path, wait_seconds() if wait is None else wait, say or _to_stderr)
    _held[path] = 1
    try:
        yield
    finally:
        del _held[path]
        # Removed while still locked: a waiter that locked this file sees it gone and locks the next one instead.
        path.unlink(missing_ok=True)
        fcntl.flock(handle, fcntl.LOCK_UN)
        handle.close()


def holding(function):
    """Run a function that takes a `db_path` argument while holding that database's writer lock."""
    signature = inspect.signature(function)

    @functools.wraps(function)
    def locked(*args, **kwargs):
        with hold(signature.bind(*args, **kwargs).arguments["db_path"]):
            return function(*args, **kwargs)
    return locked


def remove_leftovers(db_path: Path) -> list[Path]:
    """Delete the temporary databases and snapshot staging folders of killed runs (the lock keeps live ones safe)."""
    if not _held.get(lock_path(db_path)):
        raise RuntimeError("remove_leftovers needs the writer lock: another writer's files would look like leftovers")
    db_path = Path(db_path).resolve()
    removed = sorted(path for kind in LEFTOVER_KINDS for path in db_path.parent.glob(f".{db_path.name}.{kind}-*"))
    for path in removed:
        path.unlink(missing_ok=True)
    return removed + SnapshotStore(raw_dir(db_path)).remove_staging_leftovers()


def _acquire(path: Path, wait: float, say: Callable[[str], None]):
    """An open lock file this process holds an exclusive lock on, and that is still the file at `path`."""
    deadline = time.monotonic() + wait
    announced = False
    while True:
        handle = path.open("a+")
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.close()
            if time.monotonic() >= deadline:
                raise WriterBusy(f"another build, import, refresh or model run still holds {path} after "
                                 f"{wait:g} s; nothing was changed, try again when it has finished") from None
            if not announced:
                say(f"waiting for another build, import, refresh or model run to finish (lock {path}, "
                    f"at most {wait:g} s)")
                announced = True
            time.sleep(POLL_SECONDS)
            continue
        if _same_file(handle, path):
            return handle
        handle.close()  # the holder removed it on release after we opened it: lock the current file instead


def _same_file(handle, path: Path) -> bool:
    try:
        return os.fstat(handle.fileno()).st_ino == path.stat().st_ino
    except FileNotFoundError:
        return False


def _to_stderr(line: str) -> None:
    print(line, file=sys.stderr, flush=True)
