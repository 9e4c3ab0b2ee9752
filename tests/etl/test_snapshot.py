"""The raw snapshot store keeps every input with a manifest and stores an identical input once."""

import json

import pytest

from etl.snapshot import SnapshotStore, content_hash

BODY = b'{"odata.metadata": "https://opendata.cbs.nl/ODataApi/OData/83642NED/$metadata", "value": []}'


def save(store, files, **overrides):
    args = {"source": "cbs", "key": "83642NED", "format": "cbs-odata-v3", "origin": "live", "files": files,
            "licence": "CC BY 4.0", "location": "https://opendata.cbs.nl/ODataFeed/odata/83642NED/"}
    return store.save(**(args | overrides))


def test_a_saved_snapshot_has_its_files_and_a_manifest(tmp_path):
    snapshot, is_new = save(SnapshotStore(tmp_path), {"root.json": BODY})
    manifest = json.loads((snapshot.path / "manifest.json").read_text())
    assert is_new
    assert snapshot.read_bytes("root.json") == BODY
    assert manifest["sha256"] == content_hash({"root.json": BODY})
    assert manifest["licence"] == "CC BY 4.0"
    assert manifest["origin"] == "live"


def test_an_identical_input_creates_no_new_snapshot(tmp_path):
    store = SnapshotStore(tmp_path)
    first, _ = save(store, {"root.json": BODY})
    second, is_new = save(store, {"root.json": BODY}, retrieved_at="2099-01-01T00:00:00Z")
    assert not is_new
    assert second.path == first.path
    assert len(store.all()) == 1


def test_a_changed_input_is_stored_beside_the_previous_one(tmp_path):
    store = SnapshotStore(tmp_path)
    save(store, {"root.json": BODY}, retrieved_at="2026-01-01T00:00:00Z")
    changed, is_new = save(store, {"root.json": BODY + b"\n"}, retrieved_at="2026-02-01T00:00:00Z")
    assert is_new
    assert [s.retrieved_at for s in store.all()] == ["2026-01-01T00:00:00Z", "2026-02-01T00:00:00Z"]
    assert store.latest("cbs", "83642NED") == changed


def test_a_half_written_folder_without_manifest_is_ignored(tmp_path):
    store = SnapshotStore(tmp_path)
    (tmp_path / "cbs" / "83642NED" / "2026-01-01-abc").mkdir(parents=True)
    assert store.all() == []


def test_only_live_and_import_origins_are_stored(tmp_path):
    with pytest.raises(ValueError, match="origin must be one of"):
        save(SnapshotStore(tmp_path), {"a": b"x"}, origin="bundled")


def test_a_stored_file_cut_at_a_line_boundary_no_longer_matches_its_checksum(tmp_path):
    snapshot, _ = save(SnapshotStore(tmp_path), {"data.csv": b"a;b\n1;2\n3;4\n"})
    assert snapshot.damage() is None
    (snapshot.path / "data.csv").write_bytes(b"a;b\n1;2\n")
    assert snapshot.damage().startswith("data.csv does not match its checksum (8 bytes, sha256 ")


def test_saving_the_same_input_again_replaces_a_damaged_stored_copy(tmp_path):
    store = SnapshotStore(tmp_path)
    first, _ = save(store, {"root.json": BODY}, retrieved_at="2026-01-01T00:00:00Z")
    (first.path / "root.json").write_bytes(BODY[:40])
    repaired, is_new = save(store, {"root.json": BODY}, retrieved_at="2026-02-01T00:00:00Z")
    assert is_new
    assert repaired.read_bytes("root.json") == BODY and repaired.damage() is None
    assert store.all() == [repaired]
    assert not first.path.exists()


def test_a_truncated_manifest_is_listed_as_unreadable_and_the_other_snapshots_stay_usable(tmp_path):
    store = SnapshotStore(tmp_path)
    cut, _ = save(store, {"root.json": BODY}, key="80472NED")
    kept, _ = save(store, {"root.json": BODY}, key="85276NED")
    manifest = cut.path / "manifest.json"
    manifest.write_bytes(manifest.read_bytes()[:50])
    assert store.all() == [kept]
    [(folder, reason)] = store.unreadable()
    assert folder == cut.path
    assert reason.startswith(f"{manifest}: manifest cannot be read, perhaps cut short (")


def test_staging_folders_left_by_a_killed_run_are_removed(tmp_path):
    store = SnapshotStore(tmp_path)
    kept, _ = save(store, {"root.json": BODY})
    leftover = kept.path.parent / ".incoming-abc123"
    leftover.mkdir()
    (leftover / "root.json").write_bytes(BODY[:10])
    assert store.remove_staging_leftovers() == [leftover]
    assert not leftover.exists() and store.all() == [kept]


def test_latest_passes_over_a_damaged_snapshot_so_a_refresh_downloads_it_again(tmp_path):
    store = SnapshotStore(tmp_path)
    older, _ = save(store, {"root.json": BODY}, retrieved_at="2026-01-01T00:00:00Z")
    newer, _ = save(store, {"root.json": BODY + b" "}, retrieved_at="2026-02-01T00:00:00Z")
    (newer.path / "root.json").write_bytes(b"")
    assert store.latest("cbs", "83642NED") == older


def test_saving_the_same_input_again_replaces_a_copy_whose_manifest_was_cut_short(tmp_path):
    store = SnapshotStore(tmp_path)
    first, _ = save(store, {"root.json": BODY}, retrieved_at="2026-01-01T00:00:00Z")
    (first.path / "manifest.json").write_bytes(b'{"source": "cbs", "ke')
    repaired, is_new = save(store, {"root.json": BODY}, retrieved_at="2026-02-01T00:00:00Z")
    assert is_new and store.all() == [repaired] and store.unreadable() == []


def test_snapshots_stored_within_the_same_second_keep_the_order_they_were_stored_in(tmp_path):
    store = SnapshotStore(tmp_path)
    bodies = [BODY + b" " * n for n in range(6)]  # folder names sort by checksum, not by when they were stored
    stored = [save(store, {"root.json": body}, retrieved_at="2026-01-01T00:00:00Z")[0] for body in bodies]
    assert store.all() == stored
    assert store.latest("cbs", "83642NED") == stored[-1]
