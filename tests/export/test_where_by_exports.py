"""--where and --by on the Word exports and segment exports, on the typed longitudinal
project of tests/analysis/test_where_by.py (ages P1 9, P2 10, P3 50; P1 sex F)."""

from __future__ import annotations

import csv
import io

import docx

from qualcode import Project, QualcodeError
from tests.analysis.test_where_by import typed_path  # noqa: F401 (the module fixture)


def _table(document, heading_start: str) -> list[list[str]]:
    """The first table after the heading that starts with ``heading_start``."""
    body = document.element.body
    seen = False
    for child in body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p" and "".join(child.itertext()).startswith(heading_start):
            seen = True
        elif tag == "tbl" and seen:
            table = docx.table.Table(child, document)
            return [[cell.text for cell in row.cells] for row in table.rows]
    raise AssertionError(f"no table after {heading_start!r}")


def test_theme_summary_by_age_and_where(typed_path, tmp_path):  # noqa: F811
    with Project.open(typed_path) as project:
        path = project.exports.themes(tmp_path / "t.docx", themes=["Cease"], by="age",
                                      where=["age<50"])
    rows = _table(docx.Document(str(path)), "Prevalence by wave and age")
    # Cease: P1 1/1/0 codings, P2 1/-/0 (missed W2); P3 (age 50) is filtered out.
    assert rows[0][:4] == ["age", "W1", "W2", "W3"]
    assert [r[:5] for r in rows[1:]] == [
        ["age 9", "1/1 (1)", "1/1 (1)", "0/1 (0)", "1/1 (2)"],
        ["age 10", "1/1 (1)", "–", "0/1 (0)", "1/1 (1)"],
        ["All participants", "2/2 (2)", "1/1 (1)", "0/2 (0)", "2/2 (3)"]]


def test_theme_summary_where_coder_picks_passages_not_people(typed_path, tmp_path):  # noqa: F811
    with Project.open(typed_path) as project:
        md = project.exports.themes(tmp_path / "t.md", themes=["Constant"], where=["coder:tester", "sex=F"])
    text = md.read_text(encoding="utf-8")
    assert "only coder:tester and sex=F" in text
    assert "| All participants | 1/1 (2) | 1/1 (2) | 1/1 (2) | 1/1 (6) |" in text


def test_segment_export_where_and_attribute_columns(typed_path, tmp_path):  # noqa: F811
    with Project.open(typed_path) as project:
        path = project.exports.segments(tmp_path / "s.csv", codes=["Cease"], where=["age<=10"])
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
    assert [(r["participant"], r["wave"], r["attr:age"], r["wave:employment"]) for r in rows] == [
        ("P1", "W1", "9", "unemployed"), ("P2", "W1", "10", "unemployed"), ("P1", "W2", "9", "part-time")]


def test_framework_matrix_and_portraits_where(typed_path, tmp_path):  # noqa: F811
    with Project.open(typed_path) as project:
        path = project.exports.matrix(tmp_path / "m.docx", by="case", level="code", themes=["Constant"],
                                      where=["sex=F"])
        cases = {row[0] for table in docx.Document(str(path)).tables for row in
                 ([c.text for c in r.cells] for r in table.rows[1:])}
        assert any(case.startswith("P1") for case in cases)
        assert not any(case.startswith(("P2", "P3")) for case in cases)
        portraits = project.exports.portraits(tmp_path / "p.docx", where=["age>=10"])
        headings = [p.text for p in docx.Document(str(portraits[0])).paragraphs
                    if p.style.name == "Heading 1"]
        assert [h for h in headings if h.startswith(("P", "T"))] == ["P2", "P3"]
        try:
            project.exports.matrix(tmp_path / "x.docx", where=["coder:tester"])
        except QualcodeError as error:
            assert "counts participants, not codings: it cannot filter by coder" in str(error)
        else:
            raise AssertionError("a coding-level filter on the framework matrix was not refused")
