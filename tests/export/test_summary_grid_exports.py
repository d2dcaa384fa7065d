"""The summary grid exported: Word (cases across time points, participants' trajectories)
and a spreadsheet; and the example study's grid of its three services."""

from __future__ import annotations

import docx
import pytest
from openpyxl import load_workbook

from qualcode import Project, QualcodeError
from qualcode.model import Target

from ..coding.conftest import build_small_project


@pytest.fixture
def charted(tmp_path):
    project = build_small_project(tmp_path / "grid.qualcode", tmp_path / "src")
    project.codebook.add_code("Trust")
    [coding] = project.coding.tag("p01_w1", "Trust", Target(turn=2))
    project.summaries.set("Northgate", "W1", "Funding", "Council money.", case=True, dimension=True)
    project.summaries.set("Northgate", "W2", "Funding", "Cut by a fifth.", case=True, dimension=True)
    project.summaries.set("Riverside", "W2", "Provider", "One charity.", case=True, dimension=True)
    project.summaries.set("P01", "W1", "Trust", "Trusts Sam at once.", cite=[coding.id])
    yield project
    project.close()


def test_word_document_has_the_case_time_table_and_a_trajectory(charted, tmp_path):
    path = charted.exports.summary_grid(tmp_path / "grid.docx")
    document = docx.Document(str(path))
    case_table, trajectory = document.tables
    rows = [[cell.text for cell in row.cells] for row in case_table.rows]
    assert rows[0] == ["Case", "Time point", "Funding", "Provider"]
    # each case at each wave with a summary; the case's cell spans its time points
    assert rows[1:] == [
        ["Northgate", "W1", "Council money.", ""],
        ["Northgate", "W2", "Cut by a fifth.", ""],
        ["Riverside", "W1", "", ""],
        ["Riverside", "W2", "", "One charity."],
    ]
    assert [[c.text for c in row.cells] for row in trajectory.rows] == [["Theme", "W1"],
                                                                         ["Trust", "Trusts Sam at once."]]
    text = "\n".join(p.text for p in document.paragraphs)
    assert "P01" in text and "Passages the summaries cite" in text
    assert "My doctor told me about it." in text


def test_spreadsheet_holds_the_grids_and_every_summary(charted, tmp_path):
    path = charted.exports.summary_grid(tmp_path / "grid.xlsx")
    book = load_workbook(path)
    assert book.sheetnames == ["About", "Cases", "Participants", "Summaries"]
    cases = [[c.value for c in row] for row in book["Cases"].iter_rows()]
    assert cases[0] == ["case", "time point", "Funding", "Provider"]
    assert cases[1] == ["Northgate", "W1", "Council money.", None]
    assert len(cases) == 1 + 2 * 2
    assert book["Cases"]["C2"].alignment.wrap_text  # a summary wraps within its column
    summaries = [[c.value for c in row] for row in book["Summaries"].iter_rows()]
    assert len(summaries) == 1 + 4
    trust = next(r for r in summaries if r[0] == "P01")
    assert trust[3] == "Trust" and trust[8].endswith("p01_w1 [Trust]")


def test_nothing_to_export_and_an_unknown_role(tmp_path):
    project = build_small_project(tmp_path / "empty.qualcode", tmp_path / "src")
    with project, pytest.raises(QualcodeError, match="nothing to export: no summaries yet"):
        project.exports.summary_grid(tmp_path / "x.docx")
    assert not (tmp_path / "x.docx").exists()


def test_the_example_study_has_its_three_services_at_start_up_and_follow_up(example_project, tmp_path, run_cli):
    with Project.open(example_project) as project:
        grid = project.summaries.grid(cases=True)
        assert grid.rows == ("Moorfield", "Northgate", "Riverside") and grid.waves == ("W1", "W3")
        assert len(grid.themes) == 8 and len(grid.summaries) == 3 * 2 * 8  # every cell filled
        assert all(s.theme_kind == "dimension" for s in grid.summaries)
        assert any(s.citations for s in grid.summaries)
        assert all(c.present for s in grid.summaries for c in s.citations)
    out = tmp_path / "example-grid.docx"
    result = run_cli("-p", example_project, "export", "summaries", "-o", out, "--case-role", "manager")
    assert result.exit_code == 0, result.output
    first = docx.Document(str(out)).tables[0]
    assert [c.text for c in first.rows[1].cells][:2] == ["Moorfield", "Service start-up"]
    assert [c.text for c in first.rows[2].cells][1] == "Follow-up"


def test_portraits_and_theme_summary_carry_the_summaries(charted, tmp_path):
    charted.summaries.set("P01", "W2", "Trust", "Still trusts Sam.")
    [portrait] = charted.exports.portraits(tmp_path / "portraits.docx", participants=["P01"])
    tables = [[[c.text for c in row.cells] for row in t.rows] for t in docx.Document(str(portrait)).tables]
    assert [["Theme", "W1", "W2"], ["Trust", "Trusts Sam at once.", "Still trusts Sam."]] in tables
    themes = charted.exports.themes(tmp_path / "themes.docx", themes=["Trust"])
    document = docx.Document(str(themes))
    assert "The analyst's summaries across the waves" in [p.text for p in document.paragraphs]
    tables = [[[c.text for c in row.cells] for row in t.rows] for t in document.tables]
    assert [["Participant or case", "W1", "W2"], ["P01", "Trusts Sam at once.", "Still trusts Sam."]] in tables
