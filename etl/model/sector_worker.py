"""Compute part of the sector model in a second process, which loads its libraries while the build still writes."""

from __future__ import annotations

import multiprocessing
import signal
import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path

from threadpoolctl import threadpool_limits

from etl.model import sector, sector_backtest


class SectorWorker:
    """One process that loads statsmodels and scikit-learn at once (a second of CPU), then computes when asked."""

    def __init__(self):
        from concurrent.futures import ProcessPoolExecutor

        # fork: the child starts with pandas and numpy already loaded (spawn would load them again, +0.4 s)
        self._pool = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("fork"),
                                         initializer=_leave_interrupts_to_the_build)
        self._pool.submit(_load_libraries)

    def start(self, db_path: Path, config: dict) -> sector_backtest.InWorker:
        """Ask for the worker's share of sector_backtest.outputs on the committed tables of db_path (read-only)."""
        uri = Path(db_path).resolve().as_uri() + "?mode=ro"
        # In this order: the vacancies' ETS forecasts first, which this process needs soonest.
        return sector_backtest.InWorker(self._pool.submit(_vacancies_ets, uri, config),
                                        self._pool.submit(_ratio, uri, config))

    def close(self) -> None:
        self._pool.shutdown(cancel_futures=True)


@contextmanager
def started(wanted: bool) -> Iterator[SectorWorker | None]:
    """A running SectorWorker (None when not wanted or not possible here), stopped on leaving, whatever happened."""
    worker = None
    if wanted:
        try:
            worker = SectorWorker()
        except (OSError, ImportError, NotImplementedError):  # no fork or no semaphores (some sandboxes): one process
            worker = None
    try:
        yield worker
    finally:
        if worker is not None:
            worker.close()


def _leave_interrupts_to_the_build() -> None:
    # Ctrl-C reaches the whole process group: the build stops, and stops this worker when it leaves `started`.
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _load_libraries() -> None:
    from sklearn.isotonic import IsotonicRegression  # noqa: F401
    from statsmodels.tsa.exponential_smoothing.ets import ETSModel  # noqa: F401


_PANELS: dict[str, tuple] = {}  # the worker lives for one build: it reads the panel once for both requests


def _backtest(uri: str, config: dict) -> tuple | None:
    if uri not in _PANELS:
        with closing(sqlite3.connect(uri, uri=True)) as conn:
            panel = sector_backtest.read_panel(conn, config)
        _PANELS[uri] = (panel, sector_backtest.windows(panel, config))
    panel, backtest = _PANELS[uri]
    return None if backtest is None else (panel, *backtest)


def _vacancies_ets(uri: str, config: dict) -> dict | None:
    backtest = _backtest(uri, config)
    # One BLAS thread, as in pipeline.train_and_store: the same sums in the same order as in one process.
    with threadpool_limits(limits=1):
        return None if backtest is None else sector.ets_forecasts(backtest[0], "vacancies_open", config, *backtest[1:])


def _ratio(uri: str, config: dict) -> tuple | None:
    backtest = _backtest(uri, config)
    with threadpool_limits(limits=1):
        return None if backtest is None else sector_backtest.forecasts(backtest[0], "open_filled_ratio", config,
                                                                      *backtest[1:])
