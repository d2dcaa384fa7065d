"""Spreadsheets (.xlsx, with openpyxl) of the tables qualcode also writes as CSV.

A sheet holds exactly the header and rows of the CSV version, numbers as numbers and
an empty cell where the CSV has nothing, so the two always show the same figures;
what a CSV cannot say (the counting rule, what a dash means) goes on a first sheet,
"About". Text that a spreadsheet would run as a formula (=, +, -, @ first) is stored
as text, never as a formula. openpyxl is imported here only, when a spreadsheet is
written.

:func:`write_xlsx` takes a path and writes it in one go, like the other writers of
:mod:`qualcode.export`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from pathlib import Path

from .. import outputs
from ..errors import QualcodeError

MAX_WIDTH = 60
_BAD_TITLE = re.compile(r"[\[\]:*?/\\]")
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")


def sheet_title(name: str, taken: set[str]) -> str:
    """A valid, unique sheet name (at most 31 characters, none of []:*?/\\)."""
    base = _BAD_TITLE.sub("-", name).strip("'") or "Sheet"
    title, n = base[:31], 2
    while title.casefold() in taken:
        suffix = f" ({n})"
        title, n = base[:31 - len(suffix)] + suffix, n + 1
    taken.add(title.casefold())
    return title


def write_xlsx(path: str | Path, sheets: Sequence[tuple[str, Sequence[str], Iterable[Sequence]]],
               *, about: Sequence[str] = (), wrap: bool = False) -> Path:
    """Write ``sheets`` ((name, header, rows)) to ``path``; ``about`` lines go on a
    first sheet of that name. ``wrap``: long text wraps within its column (cells that
    hold paragraphs, such as summaries) instead of running past it."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    path = Path(path)
    if path.suffix.lower() != ".xlsx":
        raise QualcodeError(f"{path.name}: a spreadsheet's name must end in .xlsx")
    book = Workbook()
    book.remove(book.active)
    taken: set[str] = set()
    if about:
        info = book.create_sheet(sheet_title("About", taken))
        for line in about:
            info.append([_value(line)])
        info.column_dimensions["A"].width = 110
    for name, header, rows in sheets:
        sheet = book.create_sheet(sheet_title(name, taken))
        sheet.append([_value(h) for h in header])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        widths = [len(str(h)) for h in header]
        for row in rows:
            values = [_value(v) for v in row]
            sheet.append(values)
            for i, v in enumerate(values[:len(widths)]):
                widths[i] = max(widths[i], min(MAX_WIDTH, len(str(v)) if v is not None else 0))
        for row in sheet.iter_rows(min_row=1):  # the header too: a code's name can start with =
            for cell in row:
                if isinstance(cell.value, str) and cell.value[:1] in "=+-@":
                    cell.data_type = "s"   # text, not a formula
                if wrap and cell.row > 1:
                    cell.alignment = Alignment(wrap_text=True, vertical="top")
        for i, width in enumerate(widths, start=1):
            sheet.column_dimensions[sheet.cell(row=1, column=i).column_letter].width = max(6, width + 2)
        sheet.freeze_panes = "A2"
    if not book.sheetnames:
        book.create_sheet("Empty")
    with outputs.output_path(path) as tmp:  # atomic, owner-only, never over the project
        book.save(tmp)
    return path


def _value(value):
    """A cell's value: numbers stay numbers, None stays empty, text loses control
    characters a spreadsheet cannot hold."""
    if value is None or isinstance(value, bool):
        return None if value is None else str(value)          # as the csv module writes it
    if isinstance(value, (int, float)):
        return value
    return _CONTROL.sub("", str(value))
