"""The shared helpers: fast paragraphs and tables, attributions, output paths."""

from __future__ import annotations

import docx

from qualcode.export import docx_common as dc


def test_fast_paragraphs_and_tables_are_ordinary_docx(tmp_path):
    doc = dc.new_document("T")
    dc.par(doc, "tab\there\nnext line\x0b and a control char", "Quote")
    dc.heading(doc, "A heading", 2)
    dc.add_table(doc, ["A", "B"], [["1 & <2>", None], ["x\ny", 3]], widths=[3, 4], caption="Table 1: Cap.")
    dc.landscape_section(doc)
    dc.par(doc, "after the section break")
    path = dc.save(doc, tmp_path / "t.docx")
    read = docx.Document(str(path))
    paras = [(p.style.name, p.text) for p in read.paragraphs if p.text]
    assert ("Quote", "tab\there\nnext line and a control char") in paras
    assert ("Heading 2", "A heading") in paras
    assert ("Caption", "Table 1: Cap.") in paras
    assert paras[-1] == ("Normal", "after the section break")
    table = read.tables[0]
    assert table.style.name == "Table Grid"
    assert [[c.text for c in r.cells] for r in table.rows] == [["A", "B"], ["1 & <2>", ""], ["x\ny", "3"]]
    assert {p.style.name for r in table.rows for c in r.cells for p in c.paragraphs} == {"Table Text"}
    assert [s.orientation for s in read.sections] == [0, 1]
    # Nothing asks Word to update fields on opening: the contents are written out.
    assert "updateFields" not in read.settings.element.xml


def test_document_properties_say_now_the_coder_and_qualcode(tmp_path):
    import datetime as dt
    import zipfile

    from qualcode import __version__

    before = dt.datetime.now(dt.UTC).replace(microsecond=0)
    path = dc.save(dc.new_document("Title", subject="S", author="anna"), tmp_path / "p.docx")
    props = docx.Document(str(path)).core_properties
    assert props.author == "anna" and props.last_modified_by == "anna"
    assert props.created >= before - dt.timedelta(seconds=1)        # not python-docx's 2013
    assert props.modified == props.created and props.last_printed is None
    app = zipfile.ZipFile(path).read("docProps/app.xml").decode()
    assert f"<Application>qualcode {__version__}</Application>" in app
    assert "Microsoft" not in app


def test_written_contents_link_to_bookmarked_headings(tmp_path):
    doc = dc.new_document("T")
    dc.add_contents(doc, [("1. First", "t1"), ("2. Second", "t2")])
    for n, text in ((1, "First"), (2, "Second")):
        dc.bookmark(dc.heading(doc, text, 1), f"t{n}")
    path = dc.save(doc, tmp_path / "c.docx")
    read = docx.Document(str(path))
    xml = read.element.xml
    assert "TOC \\o" not in xml and "fldChar" not in xml.split("<w:sectPr")[0]
    entries = [p for p in read.paragraphs if p.style.name == "toc 1"]
    assert [p.text for p in entries] == ["1. First", "2. Second"]
    assert xml.count('w:anchor="t1"') == 1 and xml.count('w:name="t1"') == 1


def test_attribution_and_time_points():
    from qualcode.records import Wave

    waves = {"W1": Wave(id=1, guid="a", label="W1", ordinal=1, description="Baseline (clients) and start-up"),
             "W2": Wave(id=2, guid="b", label="W2", ordinal=2, description=None),
             "W3": Wave(id=3, guid="c", label="W3", ordinal=3,
                        description="Twelve months (clients) and follow-up (managers)",
                        time_points={"health_trainer": "Trainers' follow-up"})}
    from qualcode.records.codings import Segment

    row = Segment(**{name: None for name in Segment._fields})._replace(
        participant="C07", pseudonym="Sharon", role="client", wave="W1", transcript="C07_W1",
        turn=12, time="")
    assert dc.attribution(row, waves) == "Client C07 (Sharon), Baseline, C07_W1, turn 12"
    assert dc.attribution(row._replace(time="~00:14:32"), waves).endswith("turn 12, ~00:14:32")
    # The time point is the one of the speaker's role: a manager's first wave is the start-up.
    assert dc.attribution(row._replace(role="manager"), waves).startswith("Manager C07 (Sharon), Start-up,")
    assert [dc.wave_text(waves["W3"], r) for r in ("client", "manager", "health_trainer", None)] == [
        "Twelve months", "Follow-up", "Trainers' follow-up", "W3"]
    row = row._replace(role="health_trainer", pseudonym=None, wave="W2", turn=None)
    assert dc.attribution(row, waves) == "Health trainer C07, W2, C07_W1"
    row = row._replace(participant=None)
    assert dc.attribution(row, waves).startswith("Unattributed speaker, W2")
    assert dc.shorten("one two three four five", 12) == "one two\u2026"
    assert dc.plural(1, "participant") == "1 participant" and dc.plural(2, "code") == "2 codes"
