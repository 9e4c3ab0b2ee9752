"""Compute the sector half of the model in a second process, which loads its libraries while the build still writes."""

from __future__ import annotations

import multiprocessing
import signal
import sqlite3
from collections.abc import Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import closing, contextmanager
from pathlib import Path

from threadpoolctl import threadpool_limits


class SectorWorker:
    """One process that loads statsmodels and scikit-learn at once (a second of CPU), then computes when asked."""

    def __init__(self):
        # fork: the child starts with pandas and numpy already loaded (spawn would load them again, +0.4 s)
        self._pool = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("fork"),
                                         initializer=_leave_interrupts_to_the_build)
        self._pool.submit(_load_libraries)

    def outputs(self, db_path: Path, config: dict) -> Future:
        """sector_backtest.outputs on the committed tables of db_path, read-only, computed in the worker."""
        return self._pool.submit(_outputs, Path(db_path).resolve().as_uri() + "?mode=ro", config)

    def close(self) -> None:
        self._pool.shutdown(cancel_futures=True)


@contextmanager
def started(wanted: bool) -> Iterator[SectorWorker | None]:
    """A running SectorWorker (None when not wanted), stopped on leaving, whatever happened."""
    worker = SectorWorker() if wanted else None
    try:
        yield worker
    finally:
        if worker is not None:
            worker.close()


def _leave_interrupts_to_the_build() -> None:
    # Ctrl-C reaches the whole process group: the build stops, and stops this worker when it leaves `started`.
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _load_libraries() -> None:
    from sklearn.isotonic import IsotonicRegression  # noqa: F401  (imported where first used: load it now)

    from etl.model import sector_backtest  # noqa: F401  (statsmodels, scipy)


def _outputs(uri: str, config: dict) -> dict:
    from etl.model import sector_backtest

    # One BLAS thread, as in pipeline.train_and_store: the same sums in the same order as in one process.
    with threadpool_limits(limits=1), closing(sqlite3.connect(uri, uri=True)) as conn:
        return sector_backtest.outputs(conn, config)
