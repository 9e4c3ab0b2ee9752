"""`make refresh` reports every dataset, survives a broken source and keeps the last good database."""

import json
import sqlite3
from contextlib import closing
from types import SimpleNamespace

import pytest

from etl import refresh as refresh_module
from etl import sources
from etl.fetch_outcome import FetchOutcome
from etl.paths import refresh_log_path
from tests.etl.core_fixtures import write_bundle


def fake_sources(monkeypatch, behaviours):
    """Replace the publisher modules by ones whose fetch returns or raises what the test says."""
    def module(name):
        def fetch(store):
            result = behaviours[name]
            if isinstance(result, Exception):
                raise result
            return result
        return SimpleNamespace(fetch=fetch)
    monkeypatch.setattr(sources, "module", module)


@pytest.fixture
def db(tmp_path, monkeypatch):
    bundle = write_bundle(tmp_path / "bundle")
    real_build = refresh_module.build
    monkeypatch.setattr(refresh_module, "build", lambda path: real_build(path, bundle_dir=bundle, train_model=False))
    return tmp_path / "data" / "labour.sqlite"


def test_one_line_per_dataset_and_exit_1_when_a_source_fails(db, monkeypatch):
    fake_sources(monkeypatch, {
        "cbs": [FetchOutcome("cbs", "cbs-85276NED", "unchanged")],
        "vdab": ConnectionError("Failed to resolve 'www.vdab.be'"),
    })
    lines = []
    code = refresh_module.refresh(db, ["cbs", "vdab"], out=lines.append)
    assert code == 1
    assert lines[0].split() == ["cbs", "cbs-85276NED", "unchanged"]
    assert lines[1].split(None, 2) == ["vdab", "*", "failed: Failed to resolve 'www.vdab.be'"]
    assert lines[2].startswith("build     3 observations in 2 datasets")
    assert lines[3] == "refresh   1 of 2 dataset(s) failed; their last good data is kept"


def test_the_refresh_log_is_kept_on_disk_and_loaded_into_the_database(db, monkeypatch):
    fake_sources(monkeypatch, {"uwv": [FetchOutcome("uwv", "uwv-spanningsindicator", "failed", "HTTP 503")]})
    refresh_module.refresh(db, ["uwv"], out=lambda line: None)
    logged = [json.loads(line) for line in refresh_log_path(db).read_text().splitlines()]
    assert [(r["source"], r["outcome"], r["message"]) for r in logged] == [("uwv", "failed", "HTTP 503")]
    with closing(sqlite3.connect(db)) as conn:
        assert conn.execute("SELECT source, dataset_id, outcome, message FROM refresh_log").fetchall() == [
            ("uwv", "uwv-spanningsindicator", "failed", "HTTP 503")]


def test_exit_0_only_when_every_source_succeeded(db, monkeypatch):
    fake_sources(monkeypatch, {"cbs": [FetchOutcome("cbs", "cbs-85276NED", "fetched")]})
    assert refresh_module.refresh(db, ["cbs"], out=lambda line: None) == 0
