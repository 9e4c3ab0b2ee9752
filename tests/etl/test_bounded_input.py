"""Bounded input: a file, a ZIP member or a gzip stream past the size cap is refused in one line (exit 2) before it
fills memory; tests use small caps so they stay fast."""

import gzip
import io
import zipfile
from pathlib import Path

import openpyxl
import pytest

from etl import bounded_input, cli

FIXTURES = Path(__file__).parents[1] / "fixtures"
JVS = (FIXTURES / "statbel" / "jvs_opendata.txt").read_bytes()
LIMIT = f"set {bounded_input.MAX_FILE_ENV} (MB) to allow more"


@pytest.fixture
def cap(monkeypatch):
    monkeypatch.delenv(bounded_input.MAX_FILE_ENV, raising=False)
    monkeypatch.setattr(bounded_input, "MAX_FILE_BYTES", 10_000)
    return 10_000


def zipped(members: dict[str, bytes], compression=zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def refused(tmp_path, capsys, source: str, path: Path) -> str:
    assert cli.run(["import", source, str(path), "--db", str(tmp_path / "labour.sqlite")]) == 2
    assert not (tmp_path / "raw").exists()
    return capsys.readouterr().err


def test_a_file_over_the_cap_is_refused_naming_it(cap, tmp_path, capsys):
    path = tmp_path / "spanningsindicator.csv"
    path.write_bytes(b"x" * (cap + 1))
    assert refused(tmp_path, capsys, "uwv", path) == \
        f"error: {path}: is larger than the limit of 10,000 bytes per file; {LIMIT}\n"


def test_a_zip_whose_members_declare_more_than_the_cap_is_refused_before_unpacking(cap, tmp_path, capsys):
    path = tmp_path / "TF_JOB_VACANCIES.zip"
    path.write_bytes(zipped({"jvs.txt": JVS + b"2021|Q3|TOTAL|TOTAL|1|1\n" * 1000}))
    assert path.stat().st_size < cap
    assert refused(tmp_path, capsys, "statbel", path) == \
        f"error: {path}: says it expands to more than the limit of 10,000 bytes per file; {LIMIT}\n"


def test_a_zip_member_is_counted_against_the_cap_while_it_streams_whatever_it_declared(cap, monkeypatch):
    archive = bounded_input.open_zip(zipped({"jvs.txt": b"a|b\n" * 2000}), "big.zip")
    monkeypatch.setattr(bounded_input, "MAX_FILE_BYTES", 5_000)  # the declared 8,000 bytes passed the first check
    with pytest.raises(bounded_input.InputError, match=r"^big.zip!jvs.txt: expands to more than the limit of 5,000"):
        bounded_input.read_member(archive, "jvs.txt", "big.zip")


def test_a_zip_member_with_a_foreign_header_is_refused_before_the_rest_is_unpacked(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(bounded_input, "CHUNK_BYTES", 64)
    data = bytearray(zipped({"other.txt": b"NAME|AGE\n" + b"x|1\n" * 25_000}, zipfile.ZIP_STORED))
    start = data.index(b"NAME|AGE")
    data[start + 50_000] ^= 0xFF  # corrupt a byte far past the first chunk: reading it would fail the CRC instead
    path = tmp_path / "TF_JOB_VACANCIES.zip"
    path.write_bytes(bytes(data))
    assert refused(tmp_path, capsys, "statbel", path) == (
        f"error: {path}!other.txt: header ['NAME', 'AGE'] is not a Statbel job-vacancy or wage layout "
        "(see etl/definitions/statbel_files.toml)\n")


def test_a_gzip_file_that_expands_past_the_cap_is_refused(cap, tmp_path, capsys):
    path = tmp_path / "jvs_q_nace2.tsv.gz"
    path.write_bytes(gzip.compress((FIXTURES / "eurostat" / "jvs_q_nace2.tsv").read_bytes() + b"\n" * 20_000))
    assert refused(tmp_path, capsys, "eurostat", path) == \
        f"error: {path}: expands to more than the limit of 10,000 bytes per file; {LIMIT}\n"


def workbook(cell: str) -> bytes:
    book = openpyxl.Workbook()
    book.active.append([cell])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_a_cell_longer_than_a_spreadsheet_holds_is_refused(tmp_path, capsys):
    path = tmp_path / "arvastat.csv"
    path.write_bytes(b"Beroep;Totaal\n" + b"x" * 40_000 + b";1\n")
    assert refused(tmp_path, capsys, "vdab", path) == (
        f"error: {path}: row 2 column 1: a cell of 40000 characters, more than a spreadsheet cell holds (32767)\n")


def test_an_xlsx_that_unpacks_past_the_cap_is_refused_before_openpyxl_reads_it(cap, tmp_path, capsys):
    path = tmp_path / "arvastat.xlsx"
    path.write_bytes(workbook("x" * 20_000))
    assert path.stat().st_size < cap
    assert refused(tmp_path, capsys, "vdab", path) == \
        f"error: {path}: says it expands to more than the limit of 10,000 bytes per file; {LIMIT}\n"


def test_the_environment_variable_overrides_the_cap_in_megabytes(monkeypatch):
    monkeypatch.setenv(bounded_input.MAX_FILE_ENV, "3")
    assert bounded_input.max_bytes() == 3 * 2**20
    monkeypatch.setenv(bounded_input.MAX_FILE_ENV, "lots")
    with pytest.raises(bounded_input.InputError, match="^ARBEIDSMARKT_MAX_FILE_MB='lots': not a whole number"):
        bounded_input.max_bytes()


@pytest.mark.parametrize("source", ["uwv", "statbel", "vdab"])
def test_a_text_field_past_the_csv_field_limit_is_refused_in_one_line(tmp_path, capsys, source):
    path = tmp_path / "download.csv"
    path.write_bytes(b"A|B;C\n" + b"x" * 200_000 + b"|1;2\n")
    assert refused(tmp_path, capsys, source, path).endswith(
        "not readable as delimited text (field larger than field limit (131072))\n")
