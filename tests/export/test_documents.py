"""Codebook, framework matrix, pen portraits, methods appendix, coded segments and the
``qualcode export`` commands."""

from __future__ import annotations

import csv
import io

import docx
import pytest
from click.testing import CliRunner
from docx.enum.section import WD_ORIENT

from qualcode.cli import cli
from qualcode.errors import QualcodeError

from .conftest import all_text, paragraphs, styled, table_rows

# --- codebook ---------------------------------------------------------------------------

def test_codebook_document(small, tmp_path):
    path = small.export_codebook(tmp_path / "codebook.docx")
    assert paragraphs(path)[0].style.name == "Title"
    assert styled(path, "Heading 1") == ["Overview", "Journeys", "Workforce", "Unused"]
    assert styled(path, "Heading 2") == ["Referral", "Walking", "Change", "Let down",
                                         "Someone like me", "Paperwork"]
    assert styled(path, "Quote") == ["My GP sent me."]  # the code's example
    text = all_text(path)
    assert "Definition: How people come to the service and what it does for them." in text
    assert "Include: Accounts of first contact and of change." in text
    assert "Exclude: Service organisation." in text
    assert "Code; stage: initial; in vivo; under Workforce." in text
    assert "Coded segments: 9 (W1 5, W2 4)" in text
    table = docx.Document(str(path)).tables[0]
    assert table.style.name == "Table Grid"
    rows = table_rows(table)
    assert rows[0] == ["Code", "Stage", "W1", "W2", "Total"]
    assert rows[1] == ["Journeys", "axial", "5", "4", "9"]
    assert rows[2] == ["\u2003Referral", "focused", "1", "0", "1"]
    assert rows[-1] == ["Unused", "initial", "0", "0", "0"]
    assert styled(path, "Caption")[0].startswith("Table 1: The coding tree")


# --- framework matrix -------------------------------------------------------------------

def _landscape(section) -> bool:
    return section.orientation == WD_ORIENT.LANDSCAPE and section.page_width > section.page_height


def test_matrix_one_landscape_section_per_wave(small, tmp_path):
    path = small.export_matrix(tmp_path / "matrix.docx")
    document = docx.Document(str(path))
    assert len(document.sections) == 3  # title + W1 + W2
    assert all(_landscape(s) for s in document.sections)
    assert styled(path, "Heading 1") == ["W1: Baseline (clients) and start-up", "W2: Six months"]
    w1, w2 = (table_rows(t) for t in document.tables)
    assert all(t.style.name == "Table Grid" for t in document.tables)
    assert w1[0] == ["Case", "Journeys", "Workforce", "Unused"]
    assert w1[1][0] == "P01 (Jan)\nClient, Northgate"
    assert w1[1][1].startswith("My doctor told me about it. | A trainer came round")
    assert w1[2][:3] == ["P02 (Sammy)\nHealth trainer, Riverside", "",
                         "I grew up on the same estate as most of my clients | there is a box for "
                         "everything except what matters"]
    assert [r[0].split("\n")[0] for r in w2[1:]] == ["P01 (Jan)", "P03 (Kay)"]
    text = all_text(path)
    assert "Did not take part at W1: P03 (Kay)." in text
    for real in ("Janet", "Smith", "Sam Jones", "Kim Brown"):
        assert real not in text


def test_matrix_case_study_shape(small, tmp_path):
    """Rows: cases (sites) at each time point, the case cell spanning them; columns:
    dimensions (here the codes) - the shape of a case-study comparison table."""
    path = small.export_matrix(tmp_path / "cases.docx", by="case", cases="site", level="code",
                               max_chars=0)
    document = docx.Document(str(path))
    assert all(_landscape(s) for s in document.sections)
    table = document.tables[0]
    rows = table_rows(table)
    assert rows[0] == ["Case", "Time point", "Referral", "Walking", "Change", "Let down",
                       "Someone like me", "Paperwork", "Unused"]
    assert [r[:2] for r in rows[1:]] == [["Northgate", "Baseline"], ["Northgate", "Six months"],
                                          ["Riverside", "Baseline"], ["Riverside", "Six months"]]
    # the case cell is one merged cell spanning its time points
    assert table.cell(1, 0)._tc is table.cell(2, 0)._tc
    assert table.cell(3, 0)._tc is not table.cell(2, 0)._tc
    assert rows[2][5] == "I felt let down by the service, to be honest, like they forgot about me."
    assert rows[3][6] == "I grew up on the same estate as most of my clients"
    assert rows[1][4] == ("It changed my life really. | I lost two stone and my daughter says I "
                          "look ten years younger.")
    assert "Baseline: wave W1, Baseline (clients) and start-up." in all_text(path)


def test_matrix_memo_content_missing_cases_and_errors(small, tmp_path):
    rows = small.codings(transcript="p01_w2", code="Let down")
    small.set_coding_memo(rows[0]["id"], "Feels abandoned after the trainer left.")
    path = small.export_matrix(tmp_path / "m.docx", by="case", cases="participant",
                               content="memo", themes="Let down,Walking")
    rows = table_rows(docx.Document(str(path)).tables[0])
    assert rows[0] == ["Case", "Time point", "Let down", "Walking"]
    p01 = [r for r in rows if r[0].startswith("P01")]
    assert p01[1][1:3] == ["Six months", "Feels abandoned after the trainer left."]
    p03 = [r for r in rows if r[0].startswith("P03")]
    assert p03[0][1:] == ["Baseline", "\u2014", "\u2014"]  # missed: missing, not absent
    with pytest.raises(QualcodeError, match="unknown theme 'Nope'"):
        small.export_matrix(tmp_path / "x.docx", themes="Nope")
    with pytest.raises(QualcodeError, match="--by 'site'"):
        small.export_matrix(tmp_path / "x.docx", by="site")
    with pytest.raises(QualcodeError, match="does not exist"):
        small.export_matrix(tmp_path / "nowhere" / "x.docx")


def test_matrix_splits_wide_tables(small, tmp_path, monkeypatch):
    from qualcode.export import docx_matrix

    monkeypatch.setattr(docx_matrix, "MAX_COLUMNS", 3)
    path = small.export_matrix(tmp_path / "m.docx", level="code", waves="W1")
    tables = docx.Document(str(path)).tables
    assert [table_rows(t)[0] for t in tables] == [
        ["Case", "Referral", "Walking", "Change"], ["Case", "Let down", "Someone like me"],
        ["Case", "Paperwork", "Unused"]]
    assert styled(path, "Heading 1") == ["W1: Baseline (clients) and start-up"]


# --- pen portraits ------------------------------------------------------------------------

def test_portraits_one_file(small, tmp_path):
    [path] = small.export_portraits(tmp_path / "portraits.docx")
    assert styled(path, "Heading 1") == ["P01 (Jan)", "P02 (Sammy)", "P03 (Kay)"]
    document = docx.Document(str(path))
    tables = [table_rows(t) for t in document.tables]
    assert all(t.style.name == "Table Grid" for t in document.tables)
    assert tables[0] == [["Attribute", "Value"], ["Role", "Client"], ["Site", "Northgate"],
                         ["age band", "45-54"]]
    assert tables[1] == [["Attribute", "W1", "W2"], ["goal", "walk more", "\u2013"]]
    assert tables[2] == [["Wave", "Time point", "Status", "Transcripts"],
                         ["W1", "Baseline", "interviewed", "p01_w1"],
                         ["W2", "Six months", "interviewed", "p01_w2"]]
    assert tables[3][:3] == [["Code", "W1", "W2", "Total"], ["Journeys", "5", "2", "7"],
                             ["\u2003Referral", "1", "0", "1"]]
    p03_attendance = [t for t in tables if t[0][0] == "Wave"][2]
    assert p03_attendance[1] == ["W1", "Baseline", "missed", "\u2013"]
    text = all_text(path)
    assert "Jan is a retired cook who walks by the canal." in text
    assert "No pen-portrait memo has been written yet." in text
    paras = paragraphs(path)
    by_id = {c["id"]: c["text"] for c in small.codings()}
    texts = set(by_id.values())
    quotes = [(p.text, paras[i + 1].text) for i, p in enumerate(paras) if p.style.name == "Quote"]
    assert quotes and all(q in texts for q, _ in quotes)
    assert ("I stopped walking when the weather turned",
            "\u2014 Client P01 (Jan), Six months, p01_w2, turn 2 \u00b7 Walking") in quotes
    assert "Heading 3" in {p.style.name for p in paras}
    for real in ("Janet", "Smith", "Sam Jones", "Kim Brown"):
        assert real not in text


def test_portraits_one_file_per_participant(small, tmp_path):
    folder = tmp_path / "portraits"
    folder.mkdir()
    paths = small.export_portraits(folder, role="client", quotes=1)
    assert [p.name for p in paths] == ["P01.docx", "P03.docx"]
    assert styled(paths[1], "Heading 1") == ["P03 (Kay)"]
    assert len(styled(paths[0], "Quote")) == 2  # one per wave
    with pytest.raises(QualcodeError, match="does not exist"):
        small.export_portraits(str(tmp_path / "missing") + "/")
    with pytest.raises(QualcodeError, match="unknown participant 'P99'"):
        small.export_portraits(tmp_path / "x.docx", participants="P99")
    with pytest.raises(QualcodeError, match="no participant has the role 'chef'"):
        small.export_portraits(tmp_path / "x.docx", role="chef")


# --- methods appendix ---------------------------------------------------------------------

def test_methods_appendix(small, tmp_path):
    path = small.export_methods(tmp_path / "methods.docx")
    assert styled(path, "Heading 1") == ["Participants", "Waves and attendance", "Data collected",
                                         "Coding", "Saturation", "How quotes are identified"]
    document = docx.Document(str(path))
    tables = [table_rows(t) for t in document.tables]
    assert tables[0] == [["Role", "Northgate", "Riverside", "Total"], ["Client", "1", "1", "2"],
                         ["Health trainer", "0", "1", "1"], ["Total", "1", "2", "3"]]
    assert tables[1][0][:3] == ["Wave", "Time point", "Dates"]
    assert tables[1][1][3:6] == ["2", "0", "1"]   # W1: interviewed, focus group, missed
    assert tables[1][2][3:7] == ["2", "0", "0", "1"]
    assert styled(path, "List Bullet") == ["Health trainer P02 (Sammy): withdrawn at W2",
                                           "Client P03 (Kay): missed at W1"]
    text = all_text(path)
    assert "3 participants: 2 clients, 1 health trainer; 2 sites." in text
    assert "No transcript has turn timestamps" in text
    assert "2 coders applied 11 codings." in text
    assert "anna and ben both coded 1 transcript (p01_w1)." in text
    assert "Krippendorff's alpha" in text
    assert len(document.inline_shapes) == 1  # the saturation curve
    assert styled(path, "Caption")[-1].startswith("Figure 1: Saturation")
    image = document.inline_shapes[0]._inline.graphic.graphicData.pic.blipFill.blip.embed
    assert document.part.related_parts[image].content_type == "image/png"


def test_methods_durations_on_the_example(example, tmp_path):
    path = example.export_methods(tmp_path / "methods.docx")
    text = all_text(path)
    assert "Turn timestamps exist for 7 of 31 transcripts." in text
    assert "25 participants: 8 clients, 13 health trainers, 4 managers; 3 sites." in text
    bullets = styled(path, "List Bullet")
    assert "Client C02 (Ray): missed at W2" in bullets
    assert "Client C04 (Darren): withdrawn at W3" in bullets


# --- coded segments -----------------------------------------------------------------------

def test_segments_csv_and_markdown(small, tmp_path):
    path = small.export_segments(tmp_path / "segments.csv")
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))
    codings = {c["id"]: c for c in small.codings()}
    assert len(rows) == len(codings) == 11
    for row in rows:
        coding = codings[int(row["coding_id"])]
        assert row["text"] == coding["text"] and row["code"] == coding["code"]
        assert row["coder"] == coding["coder"]
    first = rows[0]
    assert (first["participant"], first["pseudonym"], first["wave"], first["transcript"]) == (
        "P01", "Jan", "W1", "p01_w1")
    assert first["attribution"] == "Client P01 (Jan), Baseline, p01_w1, turn 2"
    only = small.export_segments(tmp_path / "w.csv", codes="Workforce", wave="W1")
    assert [r["code"] for r in csv.DictReader(io.StringIO(only.read_text()))] == [
        "Someone like me", "Paperwork"]
    md = small.export_segments(tmp_path / "segments.md", codes=["Let down"]).read_text()
    assert md.startswith("# Coded segments: Walking study")
    assert "## Let down" in md and "> When they moved everything to the telephone I felt let down" in md
    assert "> \u2014 Client P03 (Kay), Six months, p03_w2, turn 4 (coder anna)" in md
    with pytest.raises(QualcodeError, match="unknown code 'Nope'"):
        small.export_segments(tmp_path / "x.csv", codes="Nope")
    with pytest.raises(QualcodeError, match="must end in .csv"):
        small.export_segments(tmp_path / "x.docx")


# --- the commands ---------------------------------------------------------------------------

def test_cli_export_commands(small, tmp_path):
    runner = CliRunner()
    project = str(small.path)

    def run(*args):
        return runner.invoke(cli, ["-p", project, "export", *map(str, args)])

    result = run("docx", "-o", tmp_path / "t.docx", "--themes", "Journeys,Workforce",
                 "--quotes", 2, "--order", "frequency", "--coder", "anna")
    assert result.exit_code == 0, result.output
    assert result.output.strip() == f"wrote {tmp_path / 't.docx'}"
    assert styled(tmp_path / "t.docx", "Heading 1")[:2] == ["Journeys", "Workforce"]
    assert run("docx", "-o", tmp_path / "t.md", "--category", "Journeys", "--wave", "W2").exit_code == 0
    assert "## Walking" in (tmp_path / "t.md").read_text()
    assert run("docx", "-o", tmp_path / "t.csv", "--format", "csv").exit_code == 0
    assert run("codebook", "-o", tmp_path / "c.docx").exit_code == 0
    assert run("matrix", "-o", tmp_path / "m.docx", "--by", "case", "--cases", "site").exit_code == 0
    assert run("methods", "-o", tmp_path / "me.docx").exit_code == 0
    (tmp_path / "pp").mkdir()
    result = run("portraits", "-o", tmp_path / "pp")
    assert result.exit_code == 0 and result.output.count("wrote") == 3
    assert run("segments", "-o", tmp_path / "s.md", "--code", "Walking", "--no-subcodes").exit_code == 0
    for name in ("c.docx", "m.docx", "me.docx", "pp/P02.docx"):
        assert (tmp_path / name).exists()
    # errors: one line, exit code 1
    for args, message in (
            (("docx", "-o", tmp_path / "x.docx", "--themes", "Nope"), "unknown theme 'Nope'"),
            (("docx", "-o", tmp_path / "no" / "x.docx"), "does not exist"),
            (("docx", "-o", tmp_path / "x.docx", "--themes", "Unused"), "nothing to export"),
            (("matrix", "-o", tmp_path / "x.docx", "--category", "Nope"), "unknown theme 'Nope'"),
            (("portraits", "-o", tmp_path / "x.docx", "--participants", "P42"), "unknown participant")):
        result = run(*args)
        assert result.exit_code == 1, args
        assert result.output.startswith("Error: ") and message in result.output
        assert result.output.count("\n") == 1


def test_empty_project_errors(tmp_path):
    from .conftest import P

    with P.create(tmp_path / "empty.qualcode") as empty:
        for call, message in ((lambda: empty.export_themes(tmp_path / "t.docx"), "codebook is empty"),
                              (lambda: empty.export_codebook(tmp_path / "c.docx"), "codebook is empty"),
                              (lambda: empty.export_methods(tmp_path / "m.docx"), "no participants"),
                              (lambda: empty.export_portraits(tmp_path / "p.docx"), "no participants"),
                              (lambda: empty.export_matrix(tmp_path / "x.docx"), "nothing to export")):
            with pytest.raises(QualcodeError, match=message):
                call()
        assert list(tmp_path.glob("*.docx")) == []
