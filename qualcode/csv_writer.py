"""The one CSV writer: every CSV export and the name key file are made here.

Spreadsheets (Excel, LibreOffice Calc, Google Sheets) run a cell that starts with ``=``,
``+``, ``-`` or ``@`` as a formula, and some also after a leading tab or carriage return.
Interview quotes, code names, pseudonyms and memos can start that way by chance or on
purpose ("CSV injection": a formula that fetches a web address leaks the sheet). So a text
cell starting with one of those characters, or with spaces or line breaks followed by
one, is written with a leading apostrophe (``'=SUM(A1)``), which spreadsheets show as
text. Numbers (the Python numbers of counts and measures, and text that is only a plain
number such as ``-3`` or ``+1.5``) are left alone. :attr:`CsvStyle.neutralise` turns
this off for programs that read the file as data; :func:`restore` undoes it for the
files qualcode reads back (the name key).

:attr:`CsvStyle.bom` starts the file with a UTF-8 byte order mark: Excel on Windows
then reads accented letters right instead of guessing a legacy encoding.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from . import outputs
from .model import DEFAULT_CSV, CsvStyle

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_LEADING_BLANKS = " \t\r\n"
_PLAIN_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


# The style is a value the faces pass in, so it lives with the vocabulary.
DEFAULT = DEFAULT_CSV


def needs_guard(value: str) -> bool:
    if not value:
        return False
    if value[0] in FORMULA_STARTS or value.lstrip(_LEADING_BLANKS)[:1] in FORMULA_STARTS:
        return not _PLAIN_NUMBER.fullmatch(value)
    return False


def neutralise(value: Any) -> Any:
    """A cell as written with the formula guard: text that a spreadsheet would run gets
    a leading apostrophe; everything else is unchanged. Text that already starts with
    apostrophes before such a start gets one more, so :func:`restore` is exact."""
    if isinstance(value, str) and needs_guard(value.lstrip("'")):
        return "'" + value
    return value


def restore(value: str) -> str:
    """A cell read back from a file :func:`neutralise` wrote: the apostrophe it added
    is taken off (only where it added one)."""
    if value.startswith("'") and needs_guard(value[1:].lstrip("'")):
        return value[1:]
    return value


def csv_text(header: Sequence[str], rows: Iterable[Sequence[Any]], *, style: CsvStyle = DEFAULT,
             lineterminator: str = "\r\n") -> str:
    """The CSV text of a header and rows (``None`` is an empty cell). No BOM here: the
    writer adds it (:func:`write_csv`), so text can still be printed."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator=lineterminator)
    clean = neutralise if style.neutralise else (lambda v: v)
    writer.writerow([clean(h) for h in header])
    for row in rows:
        writer.writerow(["" if v is None else clean(v) for v in row])
    return buffer.getvalue()


def dict_rows(columns: Sequence[str], rows: Iterable[dict]) -> Iterable[list]:
    """Dictionaries as rows of ``columns`` (missing keys are empty cells)."""
    return ([row.get(c) for c in columns] for row in rows)


def write_csv(path: str | Path, header: Sequence[str], rows: Iterable[Sequence[Any]], *,
              style: CsvStyle = DEFAULT, lineterminator: str = "\r\n") -> Path:
    """Write a CSV file through :mod:`qualcode.outputs` (atomic, owner-only, never over
    the open project)."""
    text = csv_text(header, rows, style=style, lineterminator=lineterminator)
    return outputs.write_text(path, text, bom=style.bom)


__all__ = ["DEFAULT", "CsvStyle", "csv_text", "dict_rows", "needs_guard", "neutralise", "restore",
           "write_csv"]
