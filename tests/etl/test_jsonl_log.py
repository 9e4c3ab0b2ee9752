"""A JSON-lines log cut in the middle of a line still reads, and the next append does not merge into the cut line."""

from etl import jsonl_log
from etl.build import build
from etl.paths import refresh_log_path
from tests.etl.store_fixtures import query, tiny_database

ROW = {"run_id": "2026-01-01T00:00:00Z", "started_at": "2026-01-01T00:00:00Z", "source": "uwv",
       "dataset_id": "uwv-spanningsindicator", "outcome": "failed", "message": "HTTP 503"}


def test_a_half_last_line_is_skipped_with_one_warning_naming_the_file_and_line(tmp_path, capsys):
    log = tmp_path / "refresh_log.jsonl"
    jsonl_log.append(log, [ROW])
    with log.open("ab") as handle:
        handle.write(b'{"run_id": "2026-02-01T00:0')
    assert jsonl_log.read(log) == [ROW]
    assert capsys.readouterr().err == (f"warning: {log}: skipped 1 line(s) that cannot be read (cut short?): line 2\n")


def test_an_append_after_a_cut_line_starts_on_a_line_of_its_own(tmp_path, capsys):
    log = tmp_path / "refresh_log.jsonl"
    log.write_bytes(b'{"run_id": "2026-02-01T00:0')
    jsonl_log.append(log, [ROW, ROW | {"outcome": "fetched"}])
    assert [row["outcome"] for row in jsonl_log.read(log)] == ["failed", "fetched"]
    assert "line 1" in capsys.readouterr().err


def test_a_build_goes_on_when_the_refresh_log_ends_in_a_half_line(tmp_path, capsys):
    db, bundle = tiny_database(tmp_path)
    jsonl_log.append(refresh_log_path(db), [ROW])
    with refresh_log_path(db).open("ab") as handle:
        handle.write(b'{"run_id": "2026-02')
    build(db, bundle_dir=bundle, train_model=False)
    assert query(db, "SELECT source, outcome, message FROM refresh_log") == [("uwv", "failed", "HTTP 503")]
    assert "skipped 1 line(s)" in capsys.readouterr().err
