"""Part of the sector model computed in a second process: the same outputs as in one, and no process left behind."""

import multiprocessing
import shutil
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import pandas as pd
import pytest

from etl.build import BuildError, build
from etl.model import pipeline, sector, sector_backtest, sector_worker, store
from tests.etl.core_fixtures import write_bundle


def table(db, name) -> pd.DataFrame:
    with closing(sqlite3.connect(db)) as conn:
        return pd.read_sql_query(f"SELECT * FROM {name}", conn)


def test_a_worker_stores_exactly_the_outputs_of_training_in_one_process(bundled_db, tmp_path, monkeypatch):
    alone, helped = tmp_path / "alone.sqlite", tmp_path / "helped.sqlite"
    shutil.copyfile(bundled_db, alone)
    shutil.copyfile(bundled_db, helped)
    with closing(sqlite3.connect(alone)) as conn:
        pipeline.train_and_store(conn)
    with sector_worker.started(True) as worker, closing(sqlite3.connect(helped)) as conn:
        # The worker was forked with the real functions: from here on only it can fit ETS or compute the ratio.
        monkeypatch.setattr(sector, "ets_forecasts", lambda *args: pytest.fail("ETS fitted in this process"))
        real = sector_backtest.forecasts
        monkeypatch.setattr(sector_backtest, "forecasts", lambda panel, indicator, *args: real(
            panel, indicator, *args) if indicator == "vacancies_open" else pytest.fail(indicator))
        pipeline.train_and_store(conn, worker)
    assert len(table(helped, "model_forecast")) > 5000
    for name in store.TABLES:
        pd.testing.assert_frame_equal(table(helped, name), table(alone, name), check_exact=True, obj=name)


def test_a_fresh_build_leaves_no_worker_process_running(tmp_path):
    assert build(tmp_path / "labour.sqlite", bundle_dir=write_bundle(tmp_path / "bundle"))["model"]["trained"]
    assert multiprocessing.active_children() == []


def test_a_failure_in_the_worker_fails_the_build_and_keeps_the_previous_database(bundled_db, tmp_path, monkeypatch):
    db = tmp_path / "labour.sqlite"
    shutil.copyfile(bundled_db, db)  # the bundled snapshot: sector series to fit ETS on
    before = db.read_bytes()

    def broken(*args):
        raise RuntimeError("ETS failed")

    monkeypatch.setattr(sector, "ets_forecasts", broken)  # inherited by the forked worker, where ETS runs
    with pytest.raises(RuntimeError, match="ETS failed"):
        build(db, reuse_model=False)
    assert db.read_bytes() == before
    assert multiprocessing.active_children() == []
    assert not list(tmp_path.glob(".labour.sqlite.*"))
    with pytest.raises(BuildError):  # the writer lock was released: the next build runs (and fails on its own)
        build(db, bundle_dir=tmp_path / "missing")


def test_a_fresh_build_loads_statsmodels_and_scikit_learn_only_in_the_worker(tmp_path):
    script = (
        "import sys\n"
        "from pathlib import Path\n"
        "from etl.build import build\n"
        f"assert build(Path({str(tmp_path / 'labour.sqlite')!r}))['model']['trained']\n"  # the bundled snapshot
        "print(sorted(m for m in ('statsmodels', 'sklearn', 'scipy.stats') if m in sys.modules))\n")
    ran = subprocess.run([sys.executable, "-c", script], cwd=Path(__file__).parents[3], capture_output=True, text=True,
                         check=True)
    assert ran.stdout == "[]\n"


def test_where_no_second_process_can_start_the_build_trains_in_one(tmp_path, monkeypatch):
    def no_semaphores(method):
        raise ImportError("This platform lacks a functioning sem_open implementation")

    monkeypatch.setattr(sector_worker.multiprocessing, "get_context", no_semaphores)
    with sector_worker.started(True) as worker:
        assert worker is None
    assert build(tmp_path / "labour.sqlite", bundle_dir=write_bundle(tmp_path / "bundle"))["model"]["trained"]
