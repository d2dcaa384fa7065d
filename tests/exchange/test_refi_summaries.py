"""The summary grid through REFI-QDA: each summary a Note (valid against the official
schema) referenced from its sources and linked to its case; our import reads them back
as summaries, and a marked note it cannot place stays a memo."""

from __future__ import annotations

import json
import zipfile

import pytest
from lxml import etree

from qualcode import Project
from qualcode.model import Target

from ..coding.conftest import build_small_project
from ..conftest import shared_path

NS = {"q": "urn:QDA-XML:project:1.0"}


@pytest.fixture
def exported(tmp_path):
    with build_small_project(tmp_path / "grid.qualcode", tmp_path / "src") as project:
        project.codebook.add_code("Trust")
        [coding] = project.coding.tag("p01_w1", "Trust", Target(turn=2))
        project.summaries.set("P01", "W1", "Trust", "Trusts Sam at once.", cite=[coding.id])
        project.summaries.set("Riverside", "W2", "Funding", "Council money.", case=True, dimension=True)
        project.summaries.set("Northgate", "W2", "Funding", "Nobody interviewed here then.", case=True,
                              dimension=True)
        project.exchange.export_refi(tmp_path / "grid.qdpx")
        before = [(s.guid, s.row, s.wave, s.theme, s.theme_kind, s.body, s.author,
                   [c.coding_id for c in s.citations]) for s in project.summaries.all()]
    return tmp_path / "grid.qdpx", before


def _root(qdpx):
    with zipfile.ZipFile(qdpx) as archive:
        return etree.fromstring(archive.read("project.qde"))


def test_summaries_are_schema_valid_notes_referenced_from_their_sources(exported):
    qdpx, before = exported
    root = _root(qdpx)
    etree.XMLSchema(etree.parse(str(shared_path("refi", "schema", "Project.xsd")))).assertValid(root)
    notes = {n.get("guid"): n for n in root.xpath("//q:Notes/q:Note", namespaces=NS)}
    guids = {row[1]: row[0] for row in before}
    p01 = notes[guids["P01"]]
    cell = json.loads(p01.findtext("q:Description", namespaces=NS).split(": ", 1)[1])
    assert (cell["row"], cell["wave"], cell["theme"], cell["theme_kind"]) == ("P01", "W1", "Trust", "code")
    assert len(cell["cites"]) == 1 and p01.findtext("q:PlainTextContent", namespaces=NS) == "Trusts Sam at once."
    # P01's summary is about P01's W1 interview; Riverside's about P02's W2 interview (P02 works there)
    refs = {s.get("name"): s.xpath("q:NoteRef/@targetGUID", namespaces=NS)
            for s in root.xpath("//q:TextSource", namespaces=NS)}
    assert refs == {"p01_w1": [guids["P01"]], "p02_w2": [guids["Riverside"]]}
    # a summary about no source belongs to the project; a participant's is linked to its case
    assert root.xpath("/q:Project/q:NoteRef/@targetGUID", namespaces=NS) == [guids["Northgate"]]
    [link] = root.xpath("//q:Links/q:Link[@name='summary']", namespaces=NS)
    assert link.get("originGUID") == guids["P01"]


def test_our_import_reads_them_back_as_summaries(exported, tmp_path):
    qdpx, before = exported
    Project.from_refi(qdpx, tmp_path / "back.qualcode")
    with Project.open(tmp_path / "back.qualcode") as back:
        after = [(s.guid, s.row, s.wave, s.theme, s.theme_kind, s.body, s.author,
                  [c.coding_id for c in s.citations]) for s in back.summaries.all()]
        assert after == before
        assert back.memos.all() == []  # none of them became a memo


def test_a_marked_note_that_cannot_be_placed_stays_a_memo(exported, tmp_path):
    qdpx, _before = exported
    with zipfile.ZipFile(qdpx) as archive:
        files = {n: archive.read(n) for n in archive.namelist()}
    files["project.qde"] = files["project.qde"].replace(b'"row": "P01"', b'"row": "P99"')
    edited = tmp_path / "edited.qdpx"
    with zipfile.ZipFile(edited, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    report = Project.from_refi(edited, tmp_path / "edited.qualcode")
    assert any("P99 at W1 under 'Trust' is not in the project; kept as a memo" in w for w in report.warnings)
    with Project.open(tmp_path / "edited.qualcode") as back:
        assert [s.row for s in back.summaries.all()] == ["Northgate", "Riverside"]
        [memo] = back.memos.all()
        # the cell it named is kept in the memo's text, above the summary
        assert memo.body.startswith('qualcode summary: {"row": "P99"') and memo.body.endswith("Trusts Sam at once.")
