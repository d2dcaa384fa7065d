"""CSV exports and the key file: a cell a spreadsheet would run as a formula is written
with a leading apostrophe, unless --no-formula-guard; --bom writes a UTF-8 BOM."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest

from qualcode import Project
from qualcode.csv_writer import CsvStyle, csv_text, neutralise, restore

from . import hostile

TRIGGERS = ["'=already", "=1+1", "+1+1", "-1+1", "@SUM(A1)", "\t=1", "\r=1", "  =1", "\n@x", "-", "=", "+cmd|' /C calc'!A0"]
HARMLESS = ["walking", "", "'quoted", "1", "-3", "+1.5", "-0.25e3", "3-4", "a=b", " leading space"]

# The CSV writers; each should show the formula payload somewhere in its cells.
CSV_WRITERS = {
    "segments": ["export", "segments", "-o", "{out}"],
    "themes": ["export", "docx", "--format", "csv", "-o", "{out}"],
    "matrix": ["matrix", "--format", "csv", "-o", "{out}"],
    "framework matrix": ["matrix", "--measure", "text", "--format", "csv", "-o", "{out}"],
    "cooccur": ["cooccur", "-o", "{out}"],
    "attendance": ["attendance", "-o", "{out}"],
    "describe": ["describe", "--by", "site", "-o", "{out}"],
    "name key": ["namekey", "export", "{out}"],
}


@pytest.mark.parametrize("cell", TRIGGERS)
def test_formula_cells_get_an_apostrophe_and_come_back(cell):
    assert neutralise(cell) == "'" + cell
    assert restore(neutralise(cell)) == cell


@pytest.mark.parametrize("cell", [*HARMLESS, 3, -2, 0.5, None])
def test_other_cells_are_left_alone(cell):
    assert neutralise(cell) == cell
    if isinstance(cell, str):
        assert restore(cell) == cell


def test_the_guard_can_be_turned_off():
    rows = [["=1+1", "-2", 5]]
    assert csv_text(["a", "b", "c"], rows) == "a,b,c\r\n'=1+1,-2,5\r\n"
    assert csv_text(["a", "b", "c"], rows, style=CsvStyle(neutralise=False)) == "a,b,c\r\n=1+1,-2,5\r\n"


@pytest.fixture(scope="module")
def study(tmp_path_factory) -> Path:
    return hostile.build(tmp_path_factory.mktemp("csv"), hostile.FORMULA, name_key=True)


def cells(path: Path) -> list[str]:
    text = path.read_bytes().decode("utf-8")
    return [cell for row in csv.reader(io.StringIO(text.removeprefix("\ufeff"))) for cell in row]


def write(run_cli, study: Path, writer: str, out: Path, *extra: str) -> Path:
    args = [str(out) if a == "{out}" else a for a in CSV_WRITERS[writer]]
    result = run_cli("-p", study, *args, *extra)
    assert result.exit_code == 0, result.output
    return out


@pytest.mark.parametrize("writer", sorted(CSV_WRITERS))
def test_no_csv_cell_starts_like_a_formula(writer, study, run_cli, tmp_path):
    guarded = cells(write(run_cli, study, writer, tmp_path / "guarded.csv"))
    assert any(c.startswith("'" + hostile.FORMULA) for c in guarded), guarded
    for cell in guarded:
        assert not re.match(r"[\s]*[=+\-@\t\r]", cell) or re.fullmatch(r"[+-]?[\d.]+", cell), cell
    raw = cells(write(run_cli, study, writer, tmp_path / "raw.csv", "--no-formula-guard"))
    assert any(c.startswith(hostile.FORMULA) for c in raw), raw
    assert len(raw) == len(guarded)


@pytest.mark.parametrize("writer", sorted(CSV_WRITERS))
def test_bom_on_request_only(writer, study, run_cli, tmp_path):
    plain = write(run_cli, study, writer, tmp_path / "plain.csv").read_bytes()
    with_bom = write(run_cli, study, writer, tmp_path / "bom.csv", "--bom").read_bytes()
    assert not plain.startswith(b"\xef\xbb\xbf")
    assert with_bom == b"\xef\xbb\xbf" + plain


def test_the_key_file_reads_back_as_it_was(study, run_cli, tmp_path):
    key = write(run_cli, study, "name key", tmp_path / "key.csv", "--bom")
    assert f"'{hostile.FORMULA}Margaret" in cells(key)
    copy = tmp_path / "copy.qualcode"
    with Project.create(copy) as project:
        project.study.add_participant("P01")
        project.privacy.import_name_key(key)
        assert [e.real for e in project.privacy.name_key()] == [f"{hostile.FORMULA}Margaret"]


def test_spreadsheets_store_formula_text_as_text(study, run_cli, tmp_path):
    """The .xlsx versions keep such cells as text cells (a column header too: a code's
    name heads the matrix's columns)."""
    from openpyxl import load_workbook

    out = tmp_path / "matrix.xlsx"
    result = run_cli("-p", study, "matrix", "--format", "xlsx", "-o", out)
    assert result.exit_code == 0, result.output
    cells = [cell for sheet in load_workbook(out).worksheets for row in sheet.iter_rows() for cell in row
             if isinstance(cell.value, str) and cell.value.startswith("=")]
    assert cells and all(cell.data_type == "s" for cell in cells)
