"""A table (columns and rows) as CSV, Markdown or JSON text: what every command that
prints or writes a table produces, made here once."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..csv_writer import csv_text
from ..model import DEFAULT_CSV, CsvStyle
from ..terminal_text import json_text

TEXT_FORMATS = ("csv", "md", "json")


def cell(value: Any) -> str:
    """A value as a table shows it: '-' for nothing, three significant digits for a
    fraction."""
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.3g}"
    return str(value)


def markdown_table(columns: Sequence[str], rows: Sequence[Sequence[Any]], title: str | None = None) -> str:
    def esc(v: Any) -> str:
        return cell(v).replace("|", "\\|").replace("\n", " ")

    lines = ([f"### {title}", ""] if title else []) + [
        "| " + " | ".join(esc(c) for c in columns) + " |",
        "|" + "|".join("---" for _ in columns) + "|",
    ]
    lines += ["| " + " | ".join(esc(v) for v in r) + " |" for r in rows]
    return "\n".join(lines) + "\n"


def table_text(fmt: str, columns: Sequence[str], rows: Sequence[Sequence[Any]], *,
               title: str | None = None, data: Any = None, csv_style: CsvStyle = DEFAULT_CSV,
               for_file: bool = False) -> str:
    """The table as ``fmt`` (csv, md or json; ``data``: what JSON holds instead of one
    object per row). A CSV file ends its lines as RFC 4180 says (CR LF); printed, lines
    end as lines do."""
    if fmt == "json":
        return json_text(data if data is not None else [dict(zip(columns, r)) for r in rows]) + "\n"
    if fmt == "csv":
        return csv_text(columns, rows, style=csv_style, lineterminator="\r\n" if for_file else "\n")
    if fmt == "md":
        return markdown_table(columns, rows, title)
    raise ValueError(f"{fmt!r} is not one of {TEXT_FORMATS}")
