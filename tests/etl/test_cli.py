"""The command line: help on every command, status output, exit codes for bad input."""

import gzip
import subprocess
import sys

import pytest

from etl import cli, sector_definitions
from etl.build import build
from tests.etl.core_fixtures import write_bundle

COMMANDS = ["build", "refresh", "import", "model", "status", "bundle"]


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help(command, capsys):
    with pytest.raises(SystemExit) as exit_info:
        cli.run([command, "--help"])
    assert exit_info.value.code == 0
    assert "usage: python -m etl " + command in capsys.readouterr().out


def test_status_lists_each_dataset_with_its_periods_rows_and_origin(tmp_path, capsys):
    db = tmp_path / "labour.sqlite"
    build(db, bundle_dir=write_bundle(tmp_path / "bundle"), train_model=False)
    assert cli.run(["status", "--db", str(db)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["dataset", "source", "table", "periods", "rows", "retrieved", "at", "origin",
                                "completeness"]
    assert lines[1].split() == ["cbs-85276NED", "cbs", "85276NED", "2025-Q4", "(1)", "2", "bundled"]


def test_status_without_a_database_says_how_to_build_one(tmp_path, capsys):
    assert cli.run(["status", "--db", str(tmp_path / "absent.sqlite")]) == 1
    assert "run `python -m etl build` first" in capsys.readouterr().err


def test_import_of_a_missing_path_exits_2_naming_the_path(tmp_path):
    missing = tmp_path / "downloads" / "80472ned.csv"
    result = subprocess.run([sys.executable, "-m", "etl", "import", "cbs", str(missing), "--db", str(tmp_path / "x.sqlite")],
                            capture_output=True, text=True)
    assert result.returncode == 2
    assert result.stderr.strip() == f"error: {missing}: no such file or directory"


def test_an_unknown_source_is_refused_by_the_parser():
    with pytest.raises(SystemExit) as exit_info:
        cli.run(["import", "ons", "file.csv"])
    assert exit_info.value.code == 2


def test_a_sector_code_missing_from_its_list_is_refused_in_one_line_with_exit_2(tmp_path, monkeypatch, capsys):
    definitions = tmp_path / "sectors.toml"
    definitions.write_text('[ict]\nlabel_nl = "ICT"\nlabel_en = "ICT"\n\n'
                           '[[ict.codes]]\ncountry = "BE"\nscheme = "isco08"\ncodes = ["2512", "9999"]\n', "utf-8")
    monkeypatch.setattr(sector_definitions, "SECTORS_FILE", definitions)
    db = tmp_path / "labour.sqlite"
    assert cli.run(["build", "--db", str(db), "--no-model"]) == 2
    assert capsys.readouterr().err == "error: sector definitions name unknown codes: ict: isco08 9999\n"
    assert not db.exists()


def test_import_of_a_folder_as_uwv_exits_2_naming_the_folder(tmp_path, capsys):
    folder = tmp_path / "downloads"
    folder.mkdir()
    assert cli.run(["import", "uwv", str(folder), "--db", str(tmp_path / "labour.sqlite")]) == 2
    assert capsys.readouterr().err == f"error: {folder}: a directory; give the UWV spanningsindicator files (CSV) themselves\n"
    assert not (tmp_path / "raw").exists()


@pytest.mark.parametrize(("name", "content", "problem"), [
    ("garbage.txt", bytes(range(256)) * 4, "binary content, not a Statbel text file (utf-8-sig or cp1252)"),
    ("TF_JOB_VACANCIES.txt.gz", gzip.compress(b"CD_YEAR|CD_QUARTER\n2024|Q1\n"),
     "a gzip file; Statbel publishes ZIP or text files"),
])
def test_statbel_import_of_garbage_or_gzip_exits_2_in_one_line(tmp_path, capsys, name, content, problem):
    path = tmp_path / name
    path.write_bytes(content)
    assert cli.run(["import", "statbel", str(path), "--db", str(tmp_path / "labour.sqlite")]) == 2
    assert capsys.readouterr().err == f"error: {path}: {problem}\n"
    assert not (tmp_path / "raw").exists()
