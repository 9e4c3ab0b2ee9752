"""A damaged or unreadable stored snapshot is set aside with its reason and the build goes on with the rest."""

import json
from types import SimpleNamespace

from etl import cli, jsonl_log, refresh, sources, status
from etl.build import build
from etl.fetch_outcome import FetchOutcome
from etl.paths import refresh_log_path
from etl.snapshot_selection import ACCEPTED_FILE
from etl.sources import cbs
from tests.etl.store_fixtures import CBS_FIXTURES, import_and_build, query, statline_folder, store_of, tiny_database

DATASET_COUNTS = "SELECT dataset_id, COUNT(*) FROM observation GROUP BY dataset_id ORDER BY dataset_id"


def stored(db, key):
    return next(s for s in store_of(db).all() if s.key == key)


def test_a_snapshot_cut_mid_line_is_set_aside_and_the_build_goes_on(tmp_path):
    db, bundle = tiny_database(tmp_path)
    import_and_build(db, bundle, statline_folder(tmp_path / "statline"))
    import_and_build(db, bundle, CBS_FIXTURES / "v4_86355NED")
    data = stored(db, "80472NED").file("data.csv")
    data.write_bytes(data.read_bytes()[:100])
    summary = build(db, bundle_dir=bundle, train_model=False)
    assert query(db, DATASET_COUNTS) == [("cbs-85276NED", 2), ("cbs-85517NED", 1), ("cbs-86355NED", 6)]
    [problem] = summary["problems"]
    assert problem.line().startswith(f"cbs-80472NED: stored snapshot cbs/80472NED/{data.parent.name} set aside, not "
                                     "used: data.csv does not match its checksum (100 bytes, sha256 ")
    assert query(db, "SELECT problem, source, key, dataset_id FROM snapshot_problem") == [
        ("set_aside", "cbs", "80472NED", "cbs-80472NED")]


def test_a_snapshot_cut_at_a_line_boundary_is_set_aside_not_used_thinner(tmp_path):
    db, bundle = tiny_database(tmp_path)
    import_and_build(db, bundle, statline_folder(tmp_path / "statline"))
    data = stored(db, "80472NED").file("data.csv")
    data.write_bytes(b"".join(data.read_bytes().splitlines(keepends=True)[:3]))
    build(db, bundle_dir=bundle, train_model=False)
    assert query(db, DATASET_COUNTS) == [("cbs-85276NED", 2), ("cbs-85517NED", 1)]
    assert status.unused_snapshots(db)[1].split()[:2] == ["set_aside", "cbs-80472NED"]


def test_a_snapshot_that_no_longer_parses_is_set_aside_with_the_parser_message(tmp_path):
    db, bundle = tiny_database(tmp_path)
    store_of(db).save(source="cbs", key="80472NED", format="cbs-statline-csv", origin="import",
                      files={"data.csv": b'"Perioden";"Onbekend"\n'}, licence="CC BY 4.0", location="by hand")
    summary = build(db, bundle_dir=bundle, train_model=False)
    assert [p.problem for p in summary["problems"]] == ["set_aside"]
    assert "cannot be parsed" in summary["problems"][0].reason
    assert query(db, DATASET_COUNTS) == [("cbs-85276NED", 2), ("cbs-85517NED", 1)]


def test_a_truncated_manifest_is_set_aside_and_named(tmp_path):
    db, bundle = tiny_database(tmp_path)
    import_and_build(db, bundle, statline_folder(tmp_path / "statline"))
    manifest = stored(db, "80472NED").path / "manifest.json"
    manifest.write_bytes(manifest.read_bytes()[:30])
    summary = build(db, bundle_dir=bundle, train_model=False)
    [problem] = summary["problems"]
    assert (problem.problem, problem.dataset_id) == ("set_aside", "cbs-80472NED")
    assert problem.reason.startswith(f"{manifest}: manifest cannot be read, perhaps cut short")


def test_importing_the_good_file_again_repairs_a_damaged_copy(tmp_path):
    db, bundle = tiny_database(tmp_path)
    folder = statline_folder(tmp_path / "statline")
    import_and_build(db, bundle, folder)
    data = stored(db, "80472NED").file("data.csv")
    data.write_bytes(data.read_bytes()[:100])
    summary = import_and_build(db, bundle, folder)
    assert "problems" not in summary
    assert query(db, DATASET_COUNTS) == [("cbs-80472NED", 17), ("cbs-85276NED", 2), ("cbs-85517NED", 1)]
    assert len(store_of(db).all()) == 1


def test_half_the_rows_is_held_back_until_accepted(tmp_path):
    db, bundle = tiny_database(tmp_path)
    import_and_build(db, bundle, statline_folder(tmp_path / "full"))
    full = store_of(db).latest("cbs", "80472NED")
    summary = import_and_build(db, bundle, statline_folder(tmp_path / "half", keep_lines=3))
    [problem] = summary["problems"]
    assert problem.line() == (
        f"cbs-80472NED: update of {problem.retrieved_at} held back, not used: 8 of 17 figures missing (47%); "
        "periods gone: cbs-80472NED 1997; dimensions gone: cbs-80472NED size; "
        "to use it anyway: --accept-drift cbs-80472NED")
    assert query(db, "SELECT checksum FROM dataset WHERE dataset_id = 'cbs-80472NED'") == [(f"sha256:{full.sha256}",)]
    used = store_of(db).latest("cbs", "80472NED")
    summary = build(db, bundle_dir=bundle, train_model=False, accept_drift=["cbs-80472NED"])
    assert "problems" not in summary
    assert query(db, "SELECT checksum FROM dataset WHERE dataset_id = 'cbs-80472NED'") == [(f"sha256:{used.sha256}",)]
    accepted = json.loads((db.parent / "raw" / ACCEPTED_FILE).read_text())
    assert accepted == [used.path.relative_to(db.parent / "raw").as_posix()]
    assert "problems" not in build(db, bundle_dir=bundle, train_model=False)  # accepted once, used from then on


def test_a_refresh_that_fetches_half_the_rows_holds_it_back_logs_it_and_accepts_it_on_request(tmp_path, monkeypatch):
    db, bundle = tiny_database(tmp_path)
    answers = [statline_folder(tmp_path / "full"), statline_folder(tmp_path / "half", keep_lines=3)]

    def fetch(store):
        if answers:
            cbs.import_paths([answers.pop(0)], store)
        return [FetchOutcome("cbs", "cbs-80472NED", "fetched")]

    monkeypatch.setattr(sources, "module", lambda name: SimpleNamespace(fetch=fetch, PARSERS=cbs.PARSERS))
    monkeypatch.setattr(refresh, "build", lambda path, **run: build(path, bundle_dir=bundle, train_model=False, **run))
    assert refresh.refresh(db, ["cbs"], out=lambda line: None) == 0
    printed = []
    assert refresh.refresh(db, ["cbs"], out=printed.append) == 1
    assert printed[-1] == "refresh   1 update(s) not used (held back or set aside); their last good data is kept"
    half = store_of(db).latest("cbs", "80472NED")
    assert printed[-3] == (f"store     cbs-80472NED: update of {half.retrieved_at} held back, not used: 8 of 17 figures "
                           "missing (47%); periods gone: cbs-80472NED 1997; dimensions gone: cbs-80472NED size; "
                           "to use it anyway: --accept-drift cbs-80472NED")
    logged = [(r["dataset_id"], r["outcome"]) for r in jsonl_log.read(refresh_log_path(db))]
    assert logged == [("cbs-80472NED", "fetched"), ("cbs-80472NED", "fetched"), ("cbs-80472NED", "held_back")]
    printed.clear()
    assert refresh.refresh(db, ["cbs"], out=printed.append, accept_drift=["cbs-80472NED"]) == 0
    assert not [line for line in printed if line.startswith("store")]
    assert query(db, "SELECT checksum FROM dataset WHERE dataset_id = 'cbs-80472NED'") == [(f"sha256:{half.sha256}",)]


def test_the_command_line_prints_the_held_back_line_and_accepts_the_dataset_it_names(tmp_path, capsys):
    db = tmp_path / "data" / "labour.sqlite"
    cbs.import_paths([statline_folder(tmp_path / "full")], store_of(db))
    assert cli.run(["build", "--no-model", "--db", str(db)]) == 0
    cbs.import_paths([statline_folder(tmp_path / "half", keep_lines=3)], store_of(db))
    capsys.readouterr()
    assert cli.run(["build", "--no-model", "--db", str(db)]) == 0
    held = capsys.readouterr().out.splitlines()[0]
    assert held.endswith("to use it anyway: --accept-drift cbs-80472NED")
    assert cli.run(["build", "--no-model", "--db", str(db), "--accept-drift", "cbs-80472NED"]) == 0
    assert capsys.readouterr().out.startswith(f"built {db}: ")
    assert cli.run(["status", "--db", str(db)]) == 0
    assert "held_back" not in capsys.readouterr().out
