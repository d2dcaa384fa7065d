"""Spreadsheets: each .xlsx opens with openpyxl and holds the same figures as the CSV
of the same table (numbers as numbers), with what a CSV cannot say on an About sheet."""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest
from click.testing import CliRunner

from qualcode.cli import cli
from qualcode.errors import QualcodeError
from qualcode.export.xlsx import write_xlsx


def read_csv(path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))


def read_sheet(path, name: str) -> list[list]:
    book = openpyxl.load_workbook(path)
    return [list(row) for row in book[name].iter_rows(values_only=True)]


def same(csv_rows, sheet_rows) -> None:
    """Cell by cell: the CSV's text is the spreadsheet's value written out (a number
    as the same number: Excel keeps 50.0 as 50)."""
    assert len(csv_rows) == len(sheet_rows)
    for a, b in zip(csv_rows, sheet_rows):
        assert len(a) == len(b)
        for text, value in zip(a, b):
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                assert float(text) == pytest.approx(value, rel=1e-12), (a, b)
            else:
                assert text == ("" if value is None else str(value)), (a, b)


def run(project, *args):
    result = CliRunner().invoke(cli, ["-p", str(project.path), *map(str, args)])
    assert result.exit_code == 0, result.output
    return result


def test_matrix_xlsx_equals_csv(small, tmp_path):
    for extra in ((), ("--by", "role", "--level", "category")):
        run(small, "matrix", *extra, "--format", "csv", "-o", tmp_path / "m.csv")
        run(small, "matrix", *extra, "--format", "xlsx", "-o", tmp_path / "m.xlsx")
        book = openpyxl.load_workbook(tmp_path / "m.xlsx")
        assert book.sheetnames[0] == "About"
        same(read_csv(tmp_path / "m.csv"), read_sheet(tmp_path / "m.xlsx", book.sheetnames[1]))
    rows = read_sheet(tmp_path / "m.xlsx", book.sheetnames[1])
    # role x wave, category columns: clients at W1 have 4 Journeys passages (P01)
    header = rows[0]
    client_w1 = next(r for r in rows if r[:2] == ["client", "W1"])
    assert client_w1[header.index("Journeys")] == 4 and isinstance(client_w1[2], int)
    about = " ".join(r[0] for r in read_sheet(tmp_path / "m.xlsx", "About"))
    assert "overlapping codings of one code by several coders count once" in about


def test_segments_xlsx_with_attributes(small, tmp_path):
    small.exports.segments(tmp_path / "s.csv")
    small.exports.segments(tmp_path / "s.xlsx")
    csv_rows = read_csv(tmp_path / "s.csv")
    sheet = read_sheet(tmp_path / "s.xlsx", "Segments")
    same(csv_rows, sheet)
    header = sheet[0]
    assert header[-2:] == ["attr:age_band", "wave:goal"]
    p01_w1 = next(r for r in sheet[1:] if r[header.index("transcript")] == "p01_w1")
    assert (p01_w1[-2], p01_w1[-1]) == ("45-54", "walk more")
    p01_w2 = next(r for r in sheet[1:] if r[header.index("transcript")] == "p01_w2")
    assert p01_w2[-1] is None          # P01's goal is recorded for W1 only


def test_codebook_xlsx(small, tmp_path):
    path = small.exports.codebook_document(tmp_path / "c.xlsx")
    rows = read_sheet(path, "Codebook")
    header = rows[0]
    journeys = next(r for r in rows if r[0] == "Journeys")
    assert [journeys[header.index(c)] for c in ("passages W1", "passages W2", "passages")] == [4, 4, 8]
    walking = next(r for r in rows if r[0] == "Walking")
    assert (walking[header.index("parent")], walking[header.index("passages (own)")]) == ("Journeys", 3)


def test_attendance_describe_agreement_xlsx_equal_csv(small, tmp_path):
    for command in (("attendance",), ("describe", "--by", "role"),
                    ("agree", "--coders", "anna", "ben")):
        run(small, *command, "-o", tmp_path / "t.csv")
        run(small, *command, "-o", tmp_path / "t.xlsx")
        book = openpyxl.load_workbook(tmp_path / "t.xlsx")
        same(read_csv(tmp_path / "t.csv"), read_sheet(tmp_path / "t.xlsx", book.sheetnames[1]))
    grid = read_sheet(tmp_path / "t.xlsx", "Agreement")
    walking = next(r for r in grid if r[0] == "Walking")
    # both coded "we went walking together" (24 characters)
    assert walking[grid[0].index("both")] == len("we went walking together")
    attendance = read_sheet(_write(small, tmp_path, "attendance"), "Per wave")
    assert attendance[1][:3] == ["W1", 2, 0]     # interviewed, focus group
    with pytest.raises(AssertionError):
        run(small, "attendance", "-o", tmp_path / "t.txt")


def _write(project, tmp_path, command):
    run(project, command, "-o", tmp_path / f"{command}.xlsx")
    return tmp_path / f"{command}.xlsx"


def test_text_that_looks_like_a_formula_stays_text(tmp_path):
    path = write_xlsx(tmp_path / "f.xlsx", [("S", ["a", "b"], [["=1+1", 3], ["@cmd", None]])])
    book = openpyxl.load_workbook(path)
    cells = book["S"]["A"]
    assert [c.value for c in cells] == ["a", "=1+1", "@cmd"]
    assert cells[1].data_type == "s"
    assert book["S"]["B"][1].value == 3 and book["S"]["B"][2].value is None
    with pytest.raises(QualcodeError, match="must end in .xlsx"):
        write_xlsx(tmp_path / "f.csv", [])
