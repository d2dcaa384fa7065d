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
    path = small.exports.codebook_document(tmp_path / "codebook.docx")
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
    # 9 codings under Journeys, but anna's and ben's Walking codings in p01_w1 overlap:
    # 8 passages (W1: Referral, Walking, Change x2; W2: Walking x2, Let down x2)
    assert "Coded passages: 8 (W1 4, W2 4)" in text
    table = docx.Document(str(path)).tables[0]
    assert table.style.name == "Table Grid"
    rows = table_rows(table)
    assert rows[0] == ["Code", "Stage", "W1", "W2", "Total"]
    assert rows[1] == ["Journeys", "axial", "4", "4", "8"]
    assert rows[2] == ["\u2003Referral", "focused", "1", "0", "1"]
    assert rows[3] == ["\u2003Walking", "initial", "1", "2", "3"]
    assert rows[-1] == ["Unused", "initial", "0", "0", "0"]
    caption = styled(path, "Caption")[0]
    assert caption.startswith("Table 1: The coding tree with coded passages")
    assert "overlapping codings of one code by several coders count once" in caption
    assert styled(path, "toc 1") == ["Overview", "Journeys", "Workforce", "Unused"]


# --- framework matrix -------------------------------------------------------------------

def _landscape(section) -> bool:
    return section.orientation == WD_ORIENT.LANDSCAPE and section.page_width > section.page_height


def test_matrix_one_landscape_section_per_wave(small, tmp_path):
    path = small.exports.matrix(tmp_path / "matrix.docx")
    document = docx.Document(str(path))
    assert len(document.sections) == 3  # title + W1 + W2
    assert all(_landscape(s) for s in document.sections)
    assert styled(path, "Heading 1") == ["W1: Baseline (clients) and start-up", "W2: Six months"]
    w1, w2 = (table_rows(t) for t in document.tables)
    assert all(t.style.name == "Table Grid" for t in document.tables)
    assert w1[0] == ["Case", "Journeys", "Workforce", "Unused"]
    assert w1[1][0] == "P01 (Jan)\nClient, Northgate"
    # one passage per cell entry: anna's and ben's Walking codings are shown once, joined
    assert w1[1][1].startswith("My doctor told me about it. | A trainer came round and we went "
                               "walking together every Tuesday morning by the canal | It changed")
    assert w1[1][1].count("walking together") == 1
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
    path = small.exports.matrix(tmp_path / "cases.docx", by="case", cases="site", level="code",
                               max_chars=0)
    document = docx.Document(str(path))
    assert all(_landscape(s) for s in document.sections)
    table = document.tables[0]
    rows = table_rows(table)
    assert rows[0] == ["Case", "Time point", "Referral", "Walking", "Change", "Let down",
                       "Someone like me", "Paperwork", "Unused"]
    # A site mixes roles: its W1 is cited by the part of "Baseline (clients) and
    # start-up" that names no role.
    assert [r[:2] for r in rows[1:]] == [["Northgate", "Start-up"], ["Northgate", "Six months"],
                                          ["Riverside", "Start-up"], ["Riverside", "Six months"]]
    # the case cell is one merged cell spanning its time points
    assert table.cell(1, 0)._tc is table.cell(2, 0)._tc
    assert table.cell(3, 0)._tc is not table.cell(2, 0)._tc
    assert rows[2][5] == "I felt let down by the service, to be honest, like they forgot about me."
    assert rows[3][6] == "I grew up on the same estate as most of my clients"
    assert rows[1][4] == ("It changed my life really. | I lost two stone and my daughter says I "
                          "look ten years younger.")
    assert rows[1][3] == ("A trainer came round and we went walking together every Tuesday "
                          "morning by the canal")
    assert ("Wave W1 (Baseline (clients) and start-up): cited as Baseline, Start-up."
            in all_text(path))


def test_matrix_memo_content_missing_cases_and_errors(small, tmp_path):
    rows = small.coding.codings(transcript="p01_w2", code="Let down")
    small.coding.set_coding_memo(rows[0].id, "Feels abandoned after the trainer left.")
    path = small.exports.matrix(tmp_path / "m.docx", by="case", cases="participant",
                               content="memo", themes="Let down,Walking")
    rows = table_rows(docx.Document(str(path)).tables[0])
    assert rows[0] == ["Case", "Time point", "Let down", "Walking"]
    p01 = [r for r in rows if r[0].startswith("P01")]
    assert p01[1][1:3] == ["Six months", "Feels abandoned after the trainer left."]
    p03 = [r for r in rows if r[0].startswith("P03")]
    assert p03[0][1:] == ["Baseline", "\u2014", "\u2014"]  # missed: missing, not absent
    with pytest.raises(QualcodeError, match="unknown theme 'Nope'"):
        small.exports.matrix(tmp_path / "x.docx", themes="Nope")
    with pytest.raises(QualcodeError, match="--by 'site'"):
        small.exports.matrix(tmp_path / "x.docx", by="site")
    with pytest.raises(QualcodeError, match="does not exist"):
        small.exports.matrix(tmp_path / "nowhere" / "x.docx")


def test_matrix_splits_wide_tables(small, tmp_path, monkeypatch):
    from qualcode.export import docx_matrix

    monkeypatch.setattr(docx_matrix, "MAX_COLUMNS", 3)
    path = small.exports.matrix(tmp_path / "m.docx", level="code", waves="W1")
    tables = docx.Document(str(path)).tables
    assert [table_rows(t)[0] for t in tables] == [
        ["Case", "Referral", "Walking", "Change"], ["Case", "Let down", "Someone like me"],
        ["Case", "Paperwork", "Unused"]]
    assert styled(path, "Heading 1") == ["W1: Baseline (clients) and start-up"]


# --- pen portraits ------------------------------------------------------------------------

def test_portraits_one_file(small, tmp_path):
    [path] = small.exports.portraits(tmp_path / "portraits.docx")
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
    # Passages: W1 Referral, Walking (anna and ben, once), Change x2; W2 Walking, Let down
    assert tables[3][:4] == [["Code", "W1", "W2", "Total"], ["Journeys", "4", "2", "6"],
                             ["\u2003Referral", "1", "0", "1"], ["\u2003Walking", "1", "1", "2"]]
    p03_attendance = [t for t in tables if t[0][0] == "Wave"][2]
    assert p03_attendance[1] == ["W1", "Baseline", "missed", "\u2013"]
    # P03 missed W1: a dash there, not 0
    p03_profile = [t for t in tables if t[0][0] == "Code"][-1]
    assert p03_profile[1] == ["Journeys", "\u2013", "2", "2"]
    text = all_text(path)
    assert "Jan is a retired cook who walks by the canal." in text
    assert "No pen-portrait memo has been written yet." in text
    paras = paragraphs(path)
    texts = {c.text for c in small.coding.codings()}
    quotes = [(p.text, paras[i + 1].text) for i, p in enumerate(paras) if p.style.name == "Quote"]
    assert quotes and all(any(t in q for t in texts) for q, _ in quotes)
    assert ("I stopped walking when the weather turned and the trainer left, and nobody rang me "
            "for weeks.",
            "\u2014 Client P01 (Jan), Six months, p01_w2, turn 2 \u00b7 Walking") in quotes
    assert "Heading 3" in {p.style.name for p in paras}
    for real in ("Janet", "Smith", "Sam Jones", "Kim Brown"):
        assert real not in text


def test_portraits_one_file_per_participant(small, tmp_path):
    folder = tmp_path / "portraits"
    folder.mkdir()
    paths = small.exports.portraits(folder, role="client", quotes=1)
    assert [p.name for p in paths] == ["P01.docx", "P03.docx"]
    assert styled(paths[1], "Heading 1") == ["P03 (Kay)"]
    assert len(styled(paths[0], "Quote")) == 2  # one per wave
    with pytest.raises(QualcodeError, match="does not exist"):
        small.exports.portraits(str(tmp_path / "missing") + "/")
    with pytest.raises(QualcodeError, match="unknown participant 'P99'"):
        small.exports.portraits(tmp_path / "x.docx", participants="P99")
    with pytest.raises(QualcodeError, match="no participant has the role 'chef'"):
        small.exports.portraits(tmp_path / "x.docx", role="chef")


# --- methods appendix ---------------------------------------------------------------------

def test_methods_appendix(small, tmp_path):
    path = small.exports.methods(tmp_path / "methods.docx")
    assert styled(path, "Heading 1") == ["COREQ checklist", "Participants", "Waves and attendance",
                                         "Data collected", "Coding", "Saturation",
                                         "How quotes are identified", "Research team"]
    document = docx.Document(str(path))
    tables = [table_rows(t) for t in document.tables]
    coreq = tables[0]
    assert coreq[0] == ["No.", "Item", "In this project"]
    numbered = [r for r in coreq[1:] if r[0]]
    assert [int(r[0]) for r in numbered] == list(range(1, 33))
    assert [r[1] for r in coreq[1:] if not r[0]] == [
        "Domain 1: research team and reflexivity", "Domain 2: study design",
        "Domain 3: analysis and findings"]
    items = {int(r[0]): r[2] for r in numbered}
    assert items[1] == "not recorded" and items[19] == "not recorded"    # no study facts yet
    assert items[12] == "3 participants: 2 clients, 1 health trainer."
    assert items[24].startswith("2: anna, ben; 1 transcripts coded by two or more")
    assert items[27].startswith("qualcode ")
    assert tables[1] == [["Role", "Northgate", "Riverside", "Total"], ["Client", "1", "1", "2"],
                         ["Health trainer", "0", "1", "1"], ["Total", "1", "2", "3"]]
    sample = tables[2]
    assert sample[0] == ["Attribute", "Value", "Clients (n=2)", "Health trainers (n=1)", "All (n=3)"]
    assert ["age band", "45-54", "1 (50%)", "\u2013", "1 (33%)"] in sample
    assert ["", "(missing)", "1 (50%)", "1 (100%)", "2 (67%)"] in sample     # the same attribute
    waves = tables[3]
    assert waves[0][:3] == ["Wave", "Time point", "Dates"]
    assert waves[1][1] == "Baseline (clients); Start-up (health trainers)"
    assert waves[1][3:6] == ["2", "0", "1"]   # W1: interviewed, focus group, missed
    assert waves[2][3:7] == ["2", "0", "0", "1"]
    assert styled(path, "List Bullet")[:2] == ["Health trainer P02 (Sammy): withdrawn at W2",
                                               "Client P03 (Kay): missed at W1"]
    text = all_text(path)
    assert "Interviews: no duration recorded and none completely time-stamped (of 4)." in text
    assert "2 coders applied 11 codings." in text
    assert "anna and ben both coded 1 transcript (p01_w1)." in text
    assert "Krippendorff's alpha" in text
    # Base counts, by hand: in p01_w1 anna coded Referral, Walking and Change twice, ben
    # Walking once; their Walking codings share "we went walking together".
    anna = sum(map(len, ("My doctor told me about it.",
                         "we went walking together every Tuesday morning by the canal",
                         "It changed my life really.",
                         "I lost two stone and my daughter says I look ten years younger.")))
    ben = len("A trainer came round and we went walking together")
    both = len("we went walking together")
    base = next(t for t in tables if t[0] == ["Coder", "Codings", "Transcripts", "Characters coded"])
    assert base[1:] == [["anna", "4", "1", str(anna)], ["ben", "1", "1", str(ben)]]
    assert f"the coders agreed on {100 * both / (anna + ben - both):.1f}%" in text
    per_code = next(t for t in tables if t[0][0] == "Code" and "Kappa" in t[0])
    assert [r[0] for r in per_code[1:]] == ["Referral", "Walking", "Change"]    # codebook order
    assert per_code[2][1:4] == [str(len("we went walking together every Tuesday morning by the canal")),
                                str(ben), str(both)]
    assert len(document.inline_shapes) == 1  # the saturation curve
    assert styled(path, "Caption")[-1].startswith("Figure 1: Saturation")
    image = document.inline_shapes[0]._inline.graphic.graphicData.pic.blipFill.blip.embed
    assert document.part.related_parts[image].content_type == "image/png"


def test_methods_shows_a_negative_kappa(tmp_path):
    """anna codes the first half of a transcript and ben the second with one code: po =
    0, pe = 1/2 x 1/2 + 1/2 x 1/2 = 1/2, kappa = (0 - 1/2) / (1 - 1/2) = -1."""
    from qualcode.export.docx_methods import fmt

    from .conftest import P

    assert fmt(-0.123) == "\u22120.12" and fmt(-0.0001) == "0.00" and fmt(None) == "\u2013"
    (tmp_path / "t.txt").write_text("R: abcdefghij klmnopqrs\n", encoding="utf-8")
    with P.create(tmp_path / "k.qualcode") as p:
        p.study.add_participant("P1")
        p.transcripts.import_transcript(tmp_path / "t.txt", participant="P1")
        p.codebook.add_code("X")
        n = len(p.transcripts.get("t").text)
        assert n % 2 == 0
        p.coder = "anna"
        p.coding.apply_spans([("t", "X", 0, n // 2)], summary="a")
        p.coder = "ben"
        p.coding.apply_spans([("t", "X", n // 2, n)], summary="b")
        path = p.exports.methods(tmp_path / "k.docx")
    per_code = next(table_rows(t) for t in docx.Document(str(path)).tables if "Kappa" in table_rows(t)[0])
    assert per_code[1][0] == "X" and per_code[1][-2] == "\u22121.00"


def test_methods_coreq_from_study_facts_and_durations(example, tmp_path):
    path = example.exports.methods(tmp_path / "methods.docx")
    text = all_text(path)
    # Only completely time-stamped (C04_W1: 32 of 32 turns, C06_W2: 42 of 42) or recorded
    # (FG1 92, FG2 88 minutes) durations count; C04_W2, C08_W2, C06_W3 are partly timed.
    assert ("Interviews: median 10 minutes, range 10 to 11 (2 of 29 with a recorded duration "
            "or complete timestamps).") in text
    assert ("Focus groups: median 90 minutes, range 88 to 92 (2 of 2 with a recorded duration "
            "or complete timestamps).") in text
    assert "Left out: 3 transcripts with timestamps on some turns only (C04_W2, C08_W2, C06_W3)" in text
    coreq = table_rows(docx.Document(str(path)).tables[0])
    items = {int(r[0]): r[2] for r in coreq[1:] if r[0]}
    assert len(items) == 32
    assert items[1] == "anna, ben" and items[2] == "anna: MSc; ben: PhD"
    assert items[12] == "25 participants: 8 clients, 13 health trainers, 4 managers."
    assert items[19].startswith("Audio-recorded with consent")
    assert items[28].startswith("A summary of findings was discussed")
    assert items[30].startswith("not recorded")
    assert items[18].startswith("Yes: 3 waves; 8 clients interviewed more than once (21 interviews)")
    assert sum(1 for v in items.values() if v.startswith("not recorded")) <= 3
    bullets = styled(path, "List Bullet")
    assert "Client C02 (Ray): missed at W2" in bullets
    assert "Client C04 (Darren): withdrawn at W3" in bullets


# --- coded segments -----------------------------------------------------------------------

def test_segments_csv_and_markdown(small, tmp_path):
    path = small.exports.segments(tmp_path / "segments.csv")
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))
    codings = {c.id: c for c in small.coding.codings()}
    assert len(rows) == len(codings) == 11
    for row in rows:
        coding = codings[int(row["coding_id"])]
        assert row["text"] == coding.text and row["code"] == coding.code
        assert row["coder"] == coding.coder
    first = rows[0]
    assert (first["participant"], first["pseudonym"], first["wave"], first["transcript"]) == (
        "P01", "Jan", "W1", "p01_w1")
    assert first["attribution"] == "Client P01 (Jan), Baseline, p01_w1, turn 2"
    only = small.exports.segments(tmp_path / "w.csv", codes="Workforce", wave="W1")
    assert [r["code"] for r in csv.DictReader(io.StringIO(only.read_text()))] == [
        "Someone like me", "Paperwork"]
    md = small.exports.segments(tmp_path / "segments.md", codes=["Let down"]).read_text()
    assert md.startswith("# Coded segments: Walking study")
    assert "## Let down" in md and "> When they moved everything to the telephone I felt let down" in md
    assert "> \u2014 Client P03 (Kay), Six months, p03_w2, turn 4 (coded by anna)" in md
    # anna's and ben's overlapping Walking codings: two rows, one passage number; the
    # Markdown lists the passage once with both coders
    walking = [r for r in rows if r["code"] == "Walking" and r["transcript"] == "p01_w1"]
    assert len(walking) == 2 and walking[0]["passage"] == walking[1]["passage"]
    assert len({r["passage"] for r in rows}) == 10
    md = small.exports.segments(tmp_path / "walk.md", codes=["Walking"]).read_text()
    assert "3 coded passages (4 codings" in md and "(coded by anna, ben)" in md
    with pytest.raises(QualcodeError, match="unknown code 'Nope'"):
        small.exports.segments(tmp_path / "x.csv", codes="Nope")
    with pytest.raises(QualcodeError, match="must end in .csv"):
        small.exports.segments(tmp_path / "x.docx")


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
        for call, message in ((lambda: empty.exports.themes(tmp_path / "t.docx"), "codebook is empty"),
                              (lambda: empty.exports.codebook_document(tmp_path / "c.docx"), "codebook is empty"),
                              (lambda: empty.exports.methods(tmp_path / "m.docx"), "no participants"),
                              (lambda: empty.exports.portraits(tmp_path / "p.docx"), "no participants"),
                              (lambda: empty.exports.matrix(tmp_path / "x.docx"), "nothing to export")):
            with pytest.raises(QualcodeError, match=message):
                call()
        assert list(tmp_path.glob("*.docx")) == []
