"""One writer at a time: parallel imports and builds in separate processes never lose what one reported as stored."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from etl import writer_lock
from etl.build import build
from tests.etl.store_fixtures import CBS_FIXTURES, query, statline_folder, tiny_database

ROOT = Path(__file__).parents[2]
# A child process: import one CBS download into the database, rebuilding with the tiny bundle and no model.
IMPORT = """
import sys
from pathlib import Path
from etl import importing
from etl.build import build
bundle, db, path = map(Path, sys.argv[1:4])
importing.build = lambda p, **run: build(p, bundle_dir=bundle, train_model=False, **run)
print("\\n".join(importing.import_files("cbs", [path], db)), flush=True)
"""
# A child process that takes the writer lock, says so, and waits for a line on stdin before building and letting go.
HOLD_THEN_BUILD = """
import sys
from pathlib import Path
from etl import writer_lock
from etl.build import build
bundle, db = map(Path, sys.argv[1:3])
with writer_lock.hold(db):
    print("holding", flush=True)
    sys.stdin.readline()
    build(db, bundle_dir=bundle, train_model=False)
"""
DATASETS = "SELECT DISTINCT dataset_id FROM observation ORDER BY dataset_id"


def child(script: str, *args, env=None, **options) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", script, *map(str, args)], cwd=ROOT, text=True,
                            env={**os.environ, **(env or {})}, **options)


@pytest.fixture
def database(tmp_path):
    return tiny_database(tmp_path)


def test_two_imports_in_parallel_processes_both_end_up_in_the_database(database, tmp_path):
    db, bundle = database
    first = child(IMPORT, bundle, db, statline_folder(tmp_path / "statline"), stdout=subprocess.PIPE)
    second = child(IMPORT, bundle, db, CBS_FIXTURES / "v4_86355NED", stdout=subprocess.PIPE)
    outputs = [first.communicate()[0], second.communicate()[0]]
    assert [first.returncode, second.returncode] == [0, 0]
    assert [line.split(":")[1].split("(")[0].strip() for line in outputs] == ["stored", "stored"]
    assert query(db, DATASETS) == [("cbs-80472NED",), ("cbs-85276NED",), ("cbs-85517NED",), ("cbs-86355NED",)]


def test_an_import_waits_for_a_build_that_started_first_and_is_not_lost(database, tmp_path):
    db, bundle = database
    builder = child(HOLD_THEN_BUILD, bundle, db, stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    assert builder.stdout.readline() == "holding\n"
    importer = child(IMPORT, bundle, db, statline_folder(tmp_path / "statline"), stdout=subprocess.PIPE,
                     stderr=subprocess.PIPE)
    waiting = importer.stderr.readline()  # blocks until the importer has found the lock taken
    builder.communicate("go\n")
    output, errors = importer.communicate()
    assert waiting.startswith("waiting for another build, import, refresh or model run to finish")
    assert "waiting" not in errors  # said once
    assert (builder.returncode, importer.returncode) == (0, 0)
    assert output.startswith("cbs 80472NED: stored")
    assert ("cbs-80472NED",) in query(db, DATASETS)


def test_a_second_writer_refuses_with_one_line_after_the_wait(database, tmp_path):
    db, bundle = database
    before = db.stat().st_ino
    holder = child(HOLD_THEN_BUILD, bundle, db, stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    assert holder.stdout.readline() == "holding\n"
    refused = subprocess.run([sys.executable, "-m", "etl", "import", "cbs", str(CBS_FIXTURES / "v4_86355NED"),
                              "--db", str(db)], cwd=ROOT, capture_output=True, text=True,
                             env={**os.environ, writer_lock.WAIT_ENV: "0"})
    holder.communicate("go\n")
    assert refused.returncode == 1
    assert refused.stderr.splitlines() == [
        f"error: another build, import, refresh or model run still holds {writer_lock.lock_path(db)} after 0 s; "
        "nothing was changed, try again when it has finished"]
    assert refused.stdout == ""
    # The holder's build went through and replaced the file (a build within the same second can be byte-identical,
    # so the new file is told by its inode); the refused import stored nothing.
    assert holder.returncode == 0
    assert db.stat().st_ino != before
    assert not (db.parent / "raw").exists()


def test_temporary_files_of_killed_runs_are_removed_when_a_build_starts(database):
    db, bundle = database
    leftovers = [db.with_name(".labour.sqlite.building-4242"), db.with_name(".labour.sqlite.model-4242"),
                 db.parent / "raw" / "cbs" / "80472NED" / ".incoming-x1y2"]
    leftovers[2].mkdir(parents=True)
    for path in leftovers[:2]:
        path.write_bytes(b"SQLite format 3\0")
    build(db, bundle_dir=bundle, train_model=False)
    assert [path.exists() for path in leftovers] == [False, False, False]


def test_removing_leftovers_without_the_lock_is_refused(database):
    db, _ = database
    with pytest.raises(RuntimeError, match="needs the writer lock"):
        writer_lock.remove_leftovers(db)
