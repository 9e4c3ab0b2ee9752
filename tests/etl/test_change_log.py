"""`change_log` records per run the new periods, revised figures and snapshots that were not used."""

from etl import change_log
from tests.etl.store_fixtures import CBS_FIXTURES, import_and_build, query, statline_folder, statline_rows, tiny_database

REVISED = ("SELECT indicator, sector_code, breakdown, period, old_value, new_value, old_status, new_status "
           "FROM change_log WHERE change = 'revised' ORDER BY indicator, sector_code, breakdown")


def test_a_first_import_is_a_new_dataset_and_cbs_final_figures_are_revisions_of_provisional_ones(tmp_path):
    db, bundle = tiny_database(tmp_path)
    import_and_build(db, bundle, statline_folder(tmp_path / "statline"), trigger="import")
    assert query(db, "SELECT trigger, dataset_id, change, period, rows, detail FROM change_log") == [
        ("import", "cbs-80472NED", "new_dataset", "2023-Q3", 17, "1997")]
    # The OData download of the same table has two more quarters of 1997 and 2023-Q3 as final instead of provisional.
    import_and_build(db, bundle, CBS_FIXTURES / "v3_80472NED", trigger="import")
    runs = query(db, "SELECT DISTINCT run_id FROM change_log ORDER BY run_id")
    assert len(runs) in (1, 2)  # two runs within the same second share a run id
    assert query(db, "SELECT change, period, rows FROM change_log WHERE change = 'new_period' ORDER BY period") == [
        ("new_period", "1997-Q1", 3), ("new_period", "1997-Q2", 3)]
    assert query(db, REVISED) == [
        ("vacancies_filled", "", "", "2023-Q3", 375000.0, 375000.0, "provisional", "final"),
        ("vacancies_filled", "", "size=0-10", "2023-Q3", 69000.0, 69000.0, "provisional", "final"),
        ("vacancies_filled", "N", "", "2023-Q3", 29000.0, 29000.0, "provisional", "final"),
        ("vacancies_new", "", "", "2023-Q3", 351000.0, 351000.0, "provisional", "final"),
        ("vacancies_new", "", "size=0-10", "2023-Q3", 65000.0, 65000.0, "provisional", "final"),
        ("vacancies_new", "N", "", "2023-Q3", 28000.0, 28000.0, "provisional", "final"),
        ("vacancies_open", "", "", "2023-Q3", 416800.0, 416800.0, "provisional", "final"),
        ("vacancies_open", "", "size=0-10", "2023-Q3", 67600.0, 67600.0, "provisional", "final"),
        ("vacancies_open", "N", "", "2023-Q3", 29500.0, 29500.0, "provisional", "final"),
    ]


def test_the_history_survives_the_next_build_and_a_held_back_update_is_recorded_once(tmp_path):
    db, bundle = tiny_database(tmp_path)
    import_and_build(db, bundle, statline_folder(tmp_path / "full"), trigger="import")
    import_and_build(db, bundle, statline_folder(tmp_path / "half", keep_lines=3), trigger="import")
    import_and_build(db, bundle, CBS_FIXTURES / "v4_86355NED", trigger="import")
    assert query(db, "SELECT trigger, dataset_id, change, rows FROM change_log ORDER BY rowid") == [
        ("import", "cbs-80472NED", "new_dataset", 17),
        ("import", "cbs-80472NED", "held_back", 0),
        ("import", "cbs-86355NED", "new_dataset", 6),
    ]
    assert len(change_log.history(db)) == 3


def test_more_revisions_than_listed_are_counted_in_one_row(monkeypatch):
    monkeypatch.setattr(change_log, "REVISED_LISTED", 4)
    previous = statline_rows()  # 2023-Q3 provisional in the StatLine download: 9 figures
    new = previous.assign(status="final")
    found = change_log.compare(previous, new, "2026-01-01T00:00:00Z", "refresh")
    assert [(r["change"], r["rows"]) for r in found] == [("revised", 1)] * 4 + [("revised", 5)]
    assert found[-1]["detail"] == "more revised figures not listed one by one"
