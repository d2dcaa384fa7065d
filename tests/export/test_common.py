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
    assert "updateFields" in read.settings.element.xml


def test_attribution_and_time_points():
    waves = {"W1": {"label": "W1", "description": "Baseline (clients) and start-up"},
             "W2": {"label": "W2", "description": None}}
    row = {"participant": "C07", "pseudonym": "Sharon", "role": "client", "wave": "W1",
           "transcript": "C07_W1", "turn": 12}
    assert dc.attribution(row, waves) == "Client C07 (Sharon), Baseline, C07_W1, turn 12"
    row.update(role="health_trainer", pseudonym=None, wave="W2", turn=None)
    assert dc.attribution(row, waves) == "Health trainer C07, W2, C07_W1"
    row.update(participant=None)
    assert dc.attribution(row, waves).startswith("Unattributed speaker, W2")
    assert dc.shorten("one two three four five", 12) == "one two\u2026"
    assert dc.plural(1, "participant") == "1 participant" and dc.plural(2, "code") == "2 codes"
