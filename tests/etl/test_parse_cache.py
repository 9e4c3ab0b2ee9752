"""A stored snapshot is parsed once per version of the parsing code; a rebuild reads its rows from the cache."""

import pandas as pd

from etl import parse_cache
from etl.parsed import Parsed
from etl.snapshot import SnapshotStore


def _snapshot(tmp_path):
    snapshot, _ = SnapshotStore(tmp_path / "raw").save(source="cbs", key="80472NED", format="cbs-odata-v3", origin="import",
                                                       files={"TableInfos.json": b"[]"}, licence="CC BY 4.0", location="here")
    return snapshot


class CountingParser:
    def __init__(self):
        self.calls = 0

    def __call__(self, snapshot) -> Parsed:
        self.calls += 1
        return Parsed(observations=pd.DataFrame({"value": [89800.0]}), datasets=pd.DataFrame({"dataset_id": ["cbs-80472NED"]}))


def test_a_second_build_reads_the_snapshots_rows_from_the_cache_without_parsing(tmp_path):
    snapshot, parse = _snapshot(tmp_path), CountingParser()
    first = parse_cache.parsed(snapshot, parse)
    again = parse_cache.parsed(snapshot, parse)
    assert parse.calls == 1
    assert again.observations["value"].tolist() == first.observations["value"].tolist() == [89800.0]
    assert parse_cache.cache_file(snapshot).parent == tmp_path / "raw" / ".parsed"


def test_changed_parsing_code_parses_again_and_replaces_the_stale_entry(tmp_path, monkeypatch):
    snapshot, parse = _snapshot(tmp_path), CountingParser()
    parse_cache.parsed(snapshot, parse)
    old = parse_cache.cache_file(snapshot)
    monkeypatch.setattr(parse_cache, "code_version", lambda: "a-new-parser")
    parse_cache.parsed(snapshot, parse)
    assert parse.calls == 2
    assert not old.exists()
    assert parse_cache.cache_file(snapshot).exists()


def test_an_unreadable_cache_entry_is_parsed_again(tmp_path):
    snapshot, parse = _snapshot(tmp_path), CountingParser()
    path = parse_cache.cache_file(snapshot)
    path.parent.mkdir()
    path.write_bytes(b"truncated")
    assert parse_cache.parsed(snapshot, parse).observations["value"].tolist() == [89800.0]
    assert parse.calls == 1


def test_rows_handed_over_by_the_import_are_used_once_without_parsing_and_kept_for_the_next_build(tmp_path):
    snapshot, parse = _snapshot(tmp_path), CountingParser()
    checked = Parsed(observations=pd.DataFrame({"value": [118000.0]}), datasets=pd.DataFrame({"dataset_id": ["x"]}))
    parse_cache.hand_over(snapshot, checked)
    assert parse_cache.parsed(snapshot, parse) is checked
    assert parse.calls == 0
    assert parse_cache.parsed(snapshot, parse).observations["value"].tolist() == [118000.0]  # from the file now
    assert parse.calls == 0
