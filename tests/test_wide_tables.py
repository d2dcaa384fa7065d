"""A table wider than the terminal is printed as records, not squeezed into empty boxes."""

from __future__ import annotations

import io

from rich.console import Console

from qualcode.cli import common


def printed(monkeypatch, capsys, width: int, columns: list[str], rows: list[list]) -> str:
    out = io.StringIO()
    monkeypatch.setattr(common, "_console", Console(file=out, width=width, highlight=False))
    common.print_table(columns, rows, title="count by age")
    return out.getvalue()


def test_a_table_that_fits_stays_a_table(monkeypatch, capsys):
    text = printed(monkeypatch, capsys, 80, ["age", "wave", "n"], [[29, "W1", 1]])
    assert "┃ age" in text and "29" in text
    assert capsys.readouterr().err == ""


def test_too_many_columns_become_records_with_every_value(monkeypatch, capsys):
    codes = [f"Code {i}" for i in range(20)]
    rows = [[29, "W1", *range(20)], [38, "W2", *range(100, 120)]]
    text = printed(monkeypatch, capsys, 80, ["age", "wave", *codes], rows)
    assert "┃" not in text  # no squeezed table
    lines = text.splitlines()
    assert lines[0] == "count by age" and lines[1] == "-- 1 --"
    # Every cell is there, beside its column name.
    assert any(line.split() == ["Code", "19", "19"] for line in lines)
    assert any(line.split() == ["Code", "0", "100"] for line in lines)
    assert "22 columns do not fit in 80" in capsys.readouterr().err
