"""REFI-QDA project exchange (.qdpx): real exports in, our export out (validated, read by
an independent reader), round trips, and refusal of unsafe files."""

from __future__ import annotations

import io
import json
import re
import shutil
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qualcode import Project
from qualcode.errors import InputError, QualcodeError
from qualcode.exchange import refi_container, refi_export, refi_import_writer
from qualcode.exchange.refi_export import export_qdpx
from qualcode.exchange.refi_import import import_qdpx, quote_matches, utf16_to_code_points
from qualcode.exchange.service import import_refi
from qualcode.ingest.encoding import normalise
from qualcode.ingest.model import ParsedTranscript
from qualcode.model import LONGITUDINAL_MEMO_TYPES
from qualcode.records import MemoLink
from qualcode.store import schema

from ..conftest import shared_path

NS = "urn:QDA-XML:project:1.0"
ATLAS_QDE = ("refi", "samples", "atlasti-8.4-mac_refi-standard-project.qde")


ExchangeProject = Project  # the project, with its REFI-QDA use cases


def snapshot(project: Project) -> dict:
    """Everything a round trip must keep, keyed by GUIDs (ids are the file's business)."""

    def rows(sql: str) -> list[tuple]:
        return sorted(tuple("\0" if v is None else v for v in r) for r in project.db.execute(sql))

    return {
        "coders": rows("SELECT guid, name FROM coders WHERE id IN (SELECT coder_id FROM codings "
                       "UNION SELECT author_id FROM memos UNION SELECT imported_by FROM transcripts)"),
        "codes": rows("SELECT c.guid, c.name, p.guid, c.definition, c.inclusion, c.exclusion, c.example, "
                      "c.colour, c.stage, c.in_vivo, c.is_category, c.codable, c.keywords FROM codes c "
                      "LEFT JOIN codes p ON p.id = c.parent_id WHERE c.merged_into_id IS NULL"),
        "codings": rows("SELECT c.guid, t.guid, k.guid, d.name, c.start, c.end, c.memo, c.exemplar, c.created "
                        "FROM codings c JOIN transcripts t ON t.id = c.transcript_id "
                        "JOIN codes k ON k.id = c.code_id JOIN coders d ON d.id = c.coder_id"),
        "memos": rows("SELECT m.guid, m.type, m.title, m.body, a.name, m.created FROM memos m "
                      "LEFT JOIN coders a ON a.id = m.author_id"),
        "memo_links": rows("SELECT m.guid, k.guid, c.guid, p.guid, t.guid, w.guid FROM memo_links l "
                           "JOIN memos m ON m.id = l.memo_id LEFT JOIN codes k ON k.id = l.code_id "
                           "LEFT JOIN codings c ON c.id = l.coding_id "
                           "LEFT JOIN participants p ON p.id = l.participant_id "
                           "LEFT JOIN transcripts t ON t.id = l.transcript_id LEFT JOIN waves w ON w.id = l.wave_id"),
        "participants": rows("SELECT guid, pid, pseudonym, role, site FROM participants"),
        "attributes": rows("SELECT p.guid, a.key, a.value FROM participant_attributes a "
                           "JOIN participants p ON p.id = a.participant_id"),
        "wave_attributes": rows("SELECT p.guid, w.guid, a.key, a.value FROM participant_wave_attributes a "
                                "JOIN participants p ON p.id = a.participant_id JOIN waves w ON w.id = a.wave_id"),
        "attendance": rows("SELECT p.guid, w.guid, a.status FROM attendance a "
                           "JOIN participants p ON p.id = a.participant_id JOIN waves w ON w.id = a.wave_id"),
        "waves": rows("SELECT guid, label, ordinal, start_date, end_date, description FROM waves"),
        "transcripts": rows("SELECT t.guid, t.name, t.kind, w.guid, p.guid, t.date, t.text FROM transcripts t "
                            "LEFT JOIN waves w ON w.id = t.wave_id LEFT JOIN participants p ON p.id = t.participant_id"),
    }


def independent_read(qdpx: Path) -> dict:
    """A second reader, sharing no code with ours: lxml (libxml2) validates the .qde against
    the official schema and XPath counts what it holds; texts come straight from the zip."""
    from lxml import etree

    with zipfile.ZipFile(qdpx) as archive:
        qde = archive.read("project.qde")
        texts = {n: archive.read(n).decode("utf-8") for n in archive.namelist() if n.startswith("sources/")}
    xsd = etree.XMLSchema(etree.parse(str(shared_path("refi", "schema", "Project.xsd"))))
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    root = etree.fromstring(qde, parser)
    xsd.assertValid(root)
    ns = {"q": NS}
    quotes = []
    for source in root.xpath("//q:TextSource", namespaces=ns):
        text = texts["sources/" + source.get("plainTextPath").split("://", 1)[1]]
        for sel in source.xpath("q:PlainTextSelection", namespaces=ns):
            covered = text[int(sel.get("startPosition")):int(sel.get("endPosition"))]
            for coding in sel.xpath("q:Coding", namespaces=ns):
                quotes.append((source.get("name"), coding.xpath("q:CodeRef/@targetGUID", namespaces=ns)[0], covered))
    return {
        "users": len(root.xpath("/q:Project/q:Users/q:User", namespaces=ns)),
        "codes": len(root.xpath("//q:CodeBook//q:Code", namespaces=ns)),
        "cases": len(root.xpath("//q:Cases/q:Case", namespaces=ns)),
        "sources": len(root.xpath("//q:Sources/q:TextSource", namespaces=ns)),
        "selections": len(root.xpath("//q:PlainTextSelection", namespaces=ns)),
        "codings": len(root.xpath("//q:PlainTextSelection/q:Coding", namespaces=ns)),
        "notes": len(root.xpath("//q:Notes/q:Note", namespaces=ns)),
        "sets": len(root.xpath("//q:Sets/q:Set", namespaces=ns)),
        "quotes": sorted(quotes),
    }


# --- real exports from other programs --------------------------------------------------------

def test_qc_demo_project(tmp_path):
    path = shared_path("refi", "samples", "qc-1.3.2_demo.qdpx")
    report = import_qdpx(path, tmp_path / "qc.qualcode")
    assert report.counts["codes"] == 262
    assert report.counts["transcripts"] == 2
    assert report.counts["selections"] == 158
    assert report.counts["codings"] == 205
    assert report.counts["coders"] == 1
    assert report.dropped == {}
    # Ten names occur twice in different branches: kept, made unique, and said so.
    assert any("occur more than once" in w for w in report.warnings)
    with Project.open(tmp_path / "qc.qualcode") as project:
        assert {t.name for t in project.transcripts.all()} == {"board_2017", "admin-1"}
        codings = project.coding.codings()
        assert {c.coder for c in codings} == {"cp"}
        by_range = {(c.start, c.end): c for c in codings}
        assert by_range[(320, 400)].text == "This district goal is engage every student in joyful, purposeful learning that \n"
        assert by_range[(320, 400)].code == "fun"
        assert by_range[(474, 552)].text == "maximizes each student's opportunity to excel academically. Action step five \n"
        assert by_range[(25813, 25893)].text == ("an example. I know that many schools incorporate Python "
                                                    "into math classes, and \n")
        assert by_range[(25813, 25893)].code == "python"
        assert project.codebook.code("competencies").parent == "rq1_definition"
        assert project.codebook.code("programming").guid == "36636563-3863-6264-3638-303637613863"


def test_nvivo_mac_project_with_text_only_in_empty_docx(tmp_path):
    path = shared_path("refi", "samples", "nvivo-15.0-mac_qc-project.qdpx")
    report = import_qdpx(path, tmp_path / "nv.qualcode")
    counts = report.counts
    assert (counts["codes"], counts["transcripts"], counts["selections"], counts["codings"]) == (262, 2, 0, 0)
    assert counts["coders"] == 2
    # Both the 1-byte .txt and the .docx are empty in this export: reported, not invented.
    assert sum("its text is empty" in w for w in report.warnings) == 2
    with Project.open(tmp_path / "nv.qualcode") as project:
        assert {c.name for c in project.study.coders()} == {"chrisp", "cp"}
        names = {t.name for t in project.transcripts.all()}
        assert names == {"66653866-6334-3535-3435-366637306566", "33663939-3636-3632-3038-613431643463"}
        guids = {r[0] for r in project.db.execute("SELECT guid FROM transcripts")}
        assert guids == {"d097e6fd-7671-4d95-a8b6-7795fa4a72e1", "e65f5ee2-9a55-47f1-bb0b-4921d8ce15c4"}


def test_atlas_blank_project(tmp_path):
    path = shared_path("refi", "samples", "atlasti-23.2-win_blank-project.qdpx")
    report = import_qdpx(path, tmp_path / "blank.qualcode")
    assert report.counts["coders"] == 2
    assert report.counts["codes"] == report.counts["transcripts"] == 0
    with Project.open(tmp_path / "blank.qualcode") as project:
        assert {(c.name, c.guid) for c in project.study.coders()} == {
            ("Enric Llagostera", "088b08ac-d5cd-4adb-8b71-b4f3459c177f"),
            ("ATLAS.ti", "c32a2bd5-537f-4838-8b17-df9efbafdf4b")}
        assert project.title == "blank-atlas-project"


def test_atlas_standard_project_bare_qde_reports_missing_text(tmp_path):
    path = shared_path(*ATLAS_QDE)
    report = import_qdpx(path, tmp_path / "atlas.qualcode")
    counts = report.counts
    assert counts["codes"] == 14 and counts["coders"] == 3
    assert counts["transcripts"] == 8  # 6 TextSource + the text representations of 2 PDFs
    assert counts["codings"] == 0 and counts["selections"] == 0
    assert any("the text of 8 source(s) is not in the file" in w for w in report.warnings)
    dropped = report.dropped
    assert dropped["selections on sources whose text is missing"] == 8
    assert dropped["codings on sources whose text is missing"] == 9
    assert dropped["picture sources"] == 1 and dropped["picture selections"] == 1
    assert dropped["PDF region selections"] == 4
    # The videos' transcripts are those of two TextSources: kept, the recordings (not in a
    # bare .qde) reported missing; the audio source has no transcript to keep.
    assert dropped["audio sources without a transcript"] == 1 and "video sources" not in dropped
    assert sum("its recording" in w for w in report.warnings) == 3
    assert dropped["video selections"] == 2 and dropped["graphs"] == 1
    assert dropped["sets of codes (code groups)"] == 4
    with Project.open(tmp_path / "atlas.qualcode") as project:
        tree = {c.name: c for c in project.codebook.tree()}
        assert {c.name for c in tree["Coke"].children} == {"full-fat Coke", "diet Coke"}
        assert tree["Coke"].definition == "the breakfast of champions"
        assert project.codebook.code("diet Coke").guid == "d299efae-5779-46dc-9827-a3d1a5d544bc"
        assert project.codebook.code("cornflakes").colour == "#dc0000"
        memos = {m.title: m for m in project.memos.all()}
        assert memos["Research Plan"].body.startswith("day to day log about this amazing project")
        assert memos["My favorite Coke ad"].author == "Friedrich Markgraf"


def _atlas_with_texts(tmp_path: Path) -> tuple[Path, dict]:
    """The ATLAS.ti standard project with the texts it lacks: each quoted @name placed at
    its positions (code points, end exclusive) in filler, with CRLFs and decomposed
    accents around them that the import must map through."""
    qde = shared_path(*ATLAS_QDE).read_bytes()
    import xml.etree.ElementTree as ET

    root = ET.fromstring(qde)
    files, expected = {}, {}
    for source in root.iter():
        tag = source.tag.rsplit("}", 1)[-1]
        if tag not in ("TextSource", "Representation") or not source.get("plainTextPath"):
            continue
        selections = [s for s in source if s.tag.endswith("PlainTextSelection")]
        if not selections:
            continue
        length = max(int(s.get("endPosition")) for s in selections) + 30
        chars = ["-"] * length
        for sel in selections:
            start, end, name = int(sel.get("startPosition")), int(sel.get("endPosition")), sel.get("name")
            quote = name[:-1] if name.endswith("…") else name
            if len(quote) <= end - start and (name.endswith("…") or len(quote) == end - start):
                chars[start:start + len(quote)] = list(quote)
                expected[sel.get("guid")] = name
        first = min(int(s.get("startPosition")) for s in selections)
        if first >= 12:  # CRLF and a decomposed é before the first selection
            chars[2:4] = ["\r", "\n"]
            chars[6:8] = ["e", "\u0301"]
        files[source.get("plainTextPath").split("://")[1]] = "".join(chars).encode("utf-8")
    out = tmp_path / "atlas_with_texts.qdpx"
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("project.qde", qde)
        for name, data in files.items():
            archive.writestr(f"sources/{name}", data)
    return out, expected


def test_atlas_standard_project_quotes_match_the_imported_text(tmp_path):
    path, _expected = _atlas_with_texts(tmp_path)
    report = import_qdpx(path, tmp_path / "atlas.qualcode")
    # 8 selections quote their text in @name; "damage done by fatty foods" is a name
    # given to a 219-character quotation, not a quote: reported, not hidden.
    assert report.checks["quoted selections checked"] == 8
    assert report.checks["quoted selections matching the text"] == 7
    assert any("quote other text" in w and "Simon 688-907" in w for w in report.warnings)
    with Project.open(tmp_path / "atlas.qualcode") as project:
        codings = project.coding.codings()
        assert len(codings) == 9  # 7 on the 3 coded text sources, 2 on a PDF's text representation
        by_code = {}
        for c in codings:
            by_code.setdefault(c.code, []).append(c)
        assert [c.text for c in by_code["diet Coke"]] == [
            "Oh, that was great. See you tomorrow? Eleven thirty. Mm."]
        assert by_code["diet Coke"][0].transcript == "1994 Diet Coke-Diet Coke Break"
        # The CRLF and the e + combining accent before it each shrink by one character.
        assert (by_code["diet Coke"][0].start, by_code["diet Coke"][0].end) == (137, 193)
        assert [c.text for c in by_code["waste of time"]] == ["granola"]
        assert [c.text for c in by_code["Feelings"]] == [
            "I did try the gluten free bread, but it was always so soggy,"]
        for c in codings:
            assert c.coder == "Friedrich Markgraf"
        mabel = [c for c in codings if c.transcript == "Mabel"]
        assert len(mabel) == 3 and all(c.text.startswith("I'm a single mum with an 8 month old") for c in mabel)
        comments = [m for m in project.memos.all() if m.type == "segment"]
        assert {m.body.split("\n")[0] for m in comments} == {
            "why does Simon feel the need to do this?",
            "Mabel is not the only person I know who has Coke for breakfast!"}


# --- positions: NVivo for Windows counts UTF-16 code units ---------------------------------

NVIVO_TEXT = "Hello 😀 world\r\nSecond line 🎉🎉 has emoji\r\nThird 😀 line é.\r\n"


def _units(raw: str, piece: str, nth: int = 0) -> tuple[int, int]:
    start = -1
    for _ in range(nth + 1):
        start = raw.index(piece, start + 1)
    before = len(raw[:start].encode("utf-16-le")) // 2
    return before, before + len(piece.encode("utf-16-le")) // 2


def _nvivo_qdpx(path: Path, origin: str, *, quotes: bool, utf16: bool = True) -> Path:
    raw = NVIVO_TEXT
    spans = []
    for piece in ("world", "has emoji", "Third 😀 line é."):
        if utf16:
            spans.append((piece, *_units(raw, piece)))
        else:
            start = raw.index(piece)
            spans.append((piece, start, start + len(piece)))
    sels = []
    for _i, (piece, start, end) in enumerate(spans):
        for code in ("0000000A-0000-4000-8000-000000000001", "0000000A-0000-4000-8000-000000000002"):
            # One selection per coding, as NVivo writes them: duplicates to merge.
            sels.append(
                f'<PlainTextSelection guid="{_g(10 + len(sels))}" name="{piece if quotes else ""}" '
                f'startPosition="{start}" endPosition="{end}" creatingUser="{_g(1)}"><Description/>'
                f'<Coding guid="{_g(100 + len(sels))}" creatingUser="{_g(1)}"><CodeRef targetGUID="{code}"/></Coding>'
                "</PlainTextSelection>")
    qde = (f'<?xml version="1.0" encoding="utf-8"?><Project xmlns="{NS}" name="nv" origin="{origin}">'
           f'<Users><User guid="{_g(1)}" name="Win User"/></Users><CodeBook><Codes>'
           '<Code guid="0000000A-0000-4000-8000-000000000001" name="one" isCodable="true"/>'
           '<Code guid="0000000A-0000-4000-8000-000000000002" name="two" isCodable="true"/>'
           f'</Codes></CodeBook><Sources><TextSource guid="{_g(2)}" name="Interview 1" '
           f'plainTextPath="internal://{_g(2)}.txt">{"".join(sels)}</TextSource></Sources></Project>')
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("project.qde", qde)
        archive.writestr(f"Sources/{_g(2)}.txt", "\ufeff".encode() + raw.encode("utf-8"))
    return path


def _g(n: int) -> str:
    return f"00000000-0000-4000-8000-{n:012d}"


@pytest.mark.parametrize("origin, quotes, utf16", [
    ("NVivo 12.6.0.959 (Windows)", False, True),  # judged by origin
    ("Some Tool 1.0", True, True),               # judged by the quotes in @name
    ("NVivo for Mac 15.0.0", False, False),       # code points, as the standard says
    ("Some Tool 1.0", True, False),
])
def test_utf16_positions_are_detected_and_converted(tmp_path, origin, quotes, utf16):
    path = _nvivo_qdpx(tmp_path / "nv.qdpx", origin, quotes=quotes, utf16=utf16)
    report = import_qdpx(path, tmp_path / "nv.qualcode")
    assert report.counts["selections"] == 3 and report.counts["codings"] == 6
    assert any("duplicate selections" in w for w in report.warnings)
    assert any("UTF-16" in w for w in report.warnings) == utf16
    with Project.open(tmp_path / "nv.qualcode") as project:
        texts = sorted({c.text for c in project.coding.codings()})
        assert texts == sorted(["world", "has emoji", "Third 😀 line é."])
        assert {c.coder for c in project.coding.codings()} == {"Win User"}
        text = project.transcripts.get("Interview 1").text
        assert text == normalise(NVIVO_TEXT)  # BOM gone, LF, NFC


def test_position_helpers():
    raw = "a😀b"
    convert = utf16_to_code_points(raw)
    assert [convert(u) for u in (0, 1, 3, 4)] == [0, 1, 2, 3]
    assert quote_matches("Hello wor…", "Hello world, again")
    assert quote_matches("two  words", "two words")
    assert not quote_matches("other", "text")


# --- lenient reading of odd files ---------------------------------------------------------------

def _docx_bytes(lines: list[str]) -> bytes:
    import docx

    document = docx.Document()
    for line in lines:
        document.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_lenient_reading_of_odd_but_clear_files(tmp_path):
    ns = "urn:QDA-XML:project:1:0"  # the colon typo that circulates
    qde = f"""<Project xmlns="{ns}" name="odd" origin="Other 2.0">
      <Users><User guid="{{{_g(1).upper()}}}" name="Ann"/></Users>
      <CodeBook><Codes>
        <Code guid="c001" name="Food" isCodable="true" color="#abc"/>
        <Code guid="c002" name="Food::Fruit" isCodable="true" color="rgb(1,2,3)"/>
      </Codes></CodeBook>
      <Variables><Variable guid="{_g(50)}" name="gender" typeOfVariable="Text"/></Variables>
      <Cases><Case guid="{_g(60)}" name="Jane Doe">
        <VariableValue><VariableRef targetGUID="{_g(50)}"/><TextValue> female </TextValue></VariableValue>
        <SourceRef targetGUID="{_g(2)}"/></Case></Cases>
      <Sources>
        <TextSource guid="{_g(2)}" name="first.txt" plainTextPath="first.txt">
          <PlainTextSelection guid="{_g(10)}" startPosition="0" endPosition="5" creatingUser="{_g(1)}">
            <Coding guid="{_g(11)}"><CodeRef targetGUID="c002"/></Coding></PlainTextSelection>
          <PlainTextSelection guid="{_g(12)}" startPosition="0" endPosition="5">
            <Coding guid="{_g(13)}" creatingUser="{_g(1)}"><CodeRef targetGUID="c002"/></Coding></PlainTextSelection>
          <Coding guid="{_g(14)}" creatingUser="{_g(1)}"><CodeRef targetGUID="c001"/></Coding>
        </TextSource>
        <TextSource guid="{_g(3)}" name="second" plainTextPath="internal://{_g(3)}.txt" richTextPath="internal://{_g(3)}.docx"/>
        <PictureSource guid="{_g(4)}" path="internal://{_g(4)}.jpg">
          <PictureSelection guid="{_g(5)}" firstX="1" firstY="1" secondX="2" secondY="2"/></PictureSource>
      </Sources>
      <Sets/>
    </Project>"""
    path = tmp_path / "odd.qdpx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("Trial.qde", qde)  # named after the project, as ATLAS.ti 26 does
        archive.writestr("Sources/first.txt", "Apple pie.\r\nPears.")
        archive.writestr(f"Sources/{_g(3)}.txt", "\n")
        archive.writestr(f"Sources/{_g(3)}.docx", _docx_bytes(["Interviewer: How was it?", "P01: Fine, thanks."]))
        archive.writestr("Sources/.root", "")
    report = import_qdpx(path, tmp_path / "odd.qualcode")
    warnings = " | ".join(report.warnings)
    assert "does not validate against Project.xsd" in warnings
    assert "not GUIDs" in warnings and "turned into nesting" in warnings
    assert "text taken from" in warnings and "rgb(1,2,3)" in warnings
    assert "duplicate" in warnings
    assert report.dropped["picture sources"] == 1
    with Project.open(tmp_path / "odd.qualcode") as project:
        assert project.codebook.code("Fruit").parent == "Food"
        assert project.codebook.code("Food").colour == "#aabbcc"
        codings = {(c.transcript, c.code): c for c in project.coding.codings()}
        assert codings[("first", "Fruit")].text == "Apple"
        assert codings[("first", "Fruit")].coder == "Ann"
        assert codings[("first", "Food")].text == "Apple pie.\nPears."  # whole-document coding
        assert len(codings) == 2
        assert project.transcripts.get("second").text == "Interviewer: How was it?\nP01: Fine, thanks."
        person = project.study.participant("Jane_Doe")
        assert person.attributes == {"gender": "female"}
        assert project.transcripts.get("first").participant == "Jane_Doe"


def test_bare_qde_reads_texts_from_a_sources_folder_beside_it(tmp_path):
    path, _expected = _atlas_with_texts(tmp_path)
    folder = tmp_path / "unpacked"
    with zipfile.ZipFile(path) as archive:
        archive.extractall(folder)
    (folder / "sources").rename(folder / "SOURCES")
    report = import_qdpx(folder / "project.qde", tmp_path / "bare.qualcode")
    assert report.counts["codings"] == 9


# --- our export ------------------------------------------------------------------------------------

def _coded_project(path: Path) -> ExchangeProject:
    project = ExchangeProject.create(path, title="Tiny study")
    project.study.add_wave("W1", start="2024-01-01", description="first round")
    project.study.add_wave("W2")
    project.study.add_participant("P01", role="client", site="North", attributes={"age": "34", "gender": None})
    project.study.set_participant("P01", {"status": "employed"}, wave="W1")
    with project.action("transcript.import", "test"):
        for name, text, wave in (("P01_W1", "Interviewer: Hi 😀\nP01: Café, crème brûlée.\n", "W1"),
                                 ("P01_W2", "Interviewer: Again?\nP01: Yes 🎉 again.\n", "W2")):
            project.transcripts.store_parsed(ParsedTranscript(text, [], name + ".txt", name, "text"), participant="P01",
                                  wave=wave, kind="interview", speaker_map={}, date=None, name=name)
    project.codebook.add_code("Food", category=True)
    project.codebook.add_code("Dessert", parent="Food", colour="#112233", definition="Sweet things.")
    first, second = project.transcripts.get("P01_W1").text, project.transcripts.get("P01_W2").text
    a, b = first.index("crème"), first.index(".\n", first.index("crème"))
    c = second.index("Yes")
    project.coder = "ann"
    project.coding.apply_spans([("P01_W1", "Dessert", a, b), ("P01_W2", "Dessert", c, c + 7)], summary="t")
    project.coder = "bob"
    coding = project.coding.apply_spans([("P01_W1", "Dessert", a, b)], summary="t", memo="sure?")[0]
    project.coding.set_exemplar(coding.id)
    project.memos.add("code", "On desserts", "Line one\n\nLine two", links=[MemoLink("code", "Dessert"), MemoLink("coding", f"{coding.id}")])
    project.memos.add("participant", "About P01", "Moved house.", links=[MemoLink("participant", "P01"), MemoLink("wave", "W2")])
    project.memos.add("project", "Plan", "")
    return project


def test_export_validates_and_an_independent_reader_agrees(tmp_path):
    with _coded_project(tmp_path / "tiny.qualcode") as project:
        counts = project.exchange.export_refi(tmp_path / "tiny.qdpx")
        coded = sorted((c.transcript, project.codebook.code(c.code).guid, c.text) for c in project.coding.codings())
    assert counts.codings == 3 and counts.selections == 2
    other = independent_read(tmp_path / "tiny.qdpx")
    assert (other["users"], other["codes"], other["cases"], other["sources"]) == (3, 2, 1, 2)
    # Notes: three memos, a coding's memo and the mark of an exemplar quote.
    assert (other["selections"], other["codings"], other["notes"], other["sets"]) == (2, 3, 5, 2)
    assert other["quotes"] == coded  # the same text under the same code, read independently
    with zipfile.ZipFile(tmp_path / "tiny.qdpx") as archive:
        assert archive.namelist()[0] == "project.qde"
        assert all(re.fullmatch(r"sources/[0-9a-f-]{36}\.txt", n) for n in archive.namelist()[1:])


def test_round_trip_of_a_small_project(tmp_path):
    with _coded_project(tmp_path / "tiny.qualcode") as project:
        project.exchange.export_refi(tmp_path / "tiny.qdpx")
        before = snapshot(project)
    report = import_refi(tmp_path / "tiny.qdpx", tmp_path / "back.qualcode")
    assert report.warnings == () and report.dropped == {}
    with Project.open(tmp_path / "back.qualcode") as back:
        assert snapshot(back) == before
        assert back.coding.codings(code="Dessert")[0].text == "crème brûlée"


def test_round_trip_and_validation_of_the_example_study(example_project, tmp_path):
    with ExchangeProject.open(example_project) as project:
        counts = project.exchange.export_refi(tmp_path / "example.qdpx")
        before = snapshot(project)
    assert counts.codings == len(before["codings"])
    other = independent_read(tmp_path / "example.qdpx")  # validates against shared Project.xsd
    assert other["codings"] == counts.codings and other["sources"] == counts.sources
    report = import_qdpx(tmp_path / "example.qdpx", tmp_path / "back.qualcode")
    assert report.warnings == ()
    assert report.checks["quoted selections checked"] == report.checks["quoted selections matching the text"]
    with Project.open(tmp_path / "back.qualcode") as back:
        assert snapshot(back) == before
    # Missed and withdrawn interviews travel too (the example has both).
    assert {row[2] for row in before["attendance"]} >= {"interviewed", "missed", "withdrawn"}


@pytest.mark.parametrize("where", ["first", "last"])
def test_export_refuses_to_write_an_invalid_document(tmp_path, monkeypatch, where):
    # The document is validated as it is written: an element the schema forbids, early or
    # at the very end, leaves nothing behind.
    def empty_users(ctx):
        ctx.xml.leaf("Users")  # the schema wants at least one User in it

    sections = refi_export.SECTIONS
    monkeypatch.setattr(refi_export, "SECTIONS",
                        (empty_users, *sections) if where == "first" else (*sections, empty_users))
    with _coded_project(tmp_path / "tiny.qualcode") as project:
        with pytest.raises(QualcodeError, match="does not validate against Project.xsd") as info:
            project.exchange.export_refi(tmp_path / "bad.qdpx")
    assert "Users" in str(info.value)
    assert not (tmp_path / "bad.qdpx").exists()
    assert list(tmp_path.glob(".bad.qdpx*")) == []


def test_export_of_an_empty_project_validates(tmp_path):
    with ExchangeProject.create(tmp_path / "empty.qualcode") as project:
        project.exchange.export_refi(tmp_path / "empty.qdpx")
    other = independent_read(tmp_path / "empty.qdpx")
    assert other["sets"] == 0 and other["sources"] == 0


# --- round-trip property --------------------------------------------------------------------

_CHARS = st.characters(codec="utf-8", exclude_categories=("Cs", "Cc", "Cn", "Co"),
                       exclude_characters="\ufeff\u2028\u2029\x85:;")
_EMOJI = st.sampled_from(["😀", "🎉", "👩\u200d🔬", "é", "e\u0301", "\n", "\t", "ß", "日本"])
_TEXT = st.lists(st.one_of(_CHARS, _EMOJI), min_size=1, max_size=60).map("".join)
_LINE = st.text(_CHARS, min_size=1, max_size=20).map(lambda s: " ".join(s.split())).filter(bool)
_KEY = _LINE.filter(lambda k: k not in ("pseudonym", "role", "site"))
_PID = st.from_regex(r"[A-Za-z0-9][A-Za-z0-9_.\-]{0,8}", fullmatch=True)


@st.composite
def small_projects(draw):
    spec = {
        "waves": draw(st.lists(_LINE, max_size=2, unique=True)),
        "participants": draw(st.lists(_PID, max_size=3, unique=True)),
        "codes": draw(st.lists(_LINE, min_size=1, max_size=5, unique=True)),
        "texts": draw(st.lists(_TEXT.map(normalise).filter(lambda t: len(t) >= 2), min_size=1, max_size=3)),
    }
    spec["fields"] = [draw(st.fixed_dictionaries({
        "role": st.none() | _LINE, "pseudonym": st.none() | _LINE,
        "attributes": st.dictionaries(_KEY, st.none() | _TEXT, max_size=2)}))
        for _ in spec["participants"]]
    spec["wave_attrs"] = [draw(st.lists(st.tuples(st.sampled_from(spec["waves"]), _KEY, _LINE), max_size=2))
                          if spec["waves"] else [] for _ in spec["participants"]]
    spec["categories"] = draw(st.integers(0, len(spec["codes"]) - 1))  # codes before it nest under code 0?
    spec["code_fields"] = [draw(st.fixed_dictionaries({
        "colour": st.none() | st.from_regex(r"#[0-9a-f]{6}", fullmatch=True),
        "definition": st.none() | _LINE, "stage": st.sampled_from(schema.STAGES),
        "in_vivo": st.booleans(), "keywords": st.lists(st.from_regex(r"[a-z]{1,6}", fullmatch=True), max_size=2)}))
        for _ in spec["codes"]]
    spec["transcripts"] = [draw(st.fixed_dictionaries({
        "participant": st.none() | st.sampled_from(spec["participants"]) if spec["participants"] else st.none(),
        "wave": st.none() | st.sampled_from(spec["waves"]) if spec["waves"] else st.none(),
        "kind": st.sampled_from(schema.TRANSCRIPT_KINDS),
        "date": st.none() | st.dates().map(lambda d: d.isoformat())})) for _ in spec["texts"]]
    spans = []
    for ti, text in enumerate(spec["texts"]):
        for _ in range(draw(st.integers(0, 4))):
            a = draw(st.integers(0, len(text) - 1))
            b = draw(st.integers(a + 1, len(text)))
            spans.append((ti, draw(st.integers(0, len(spec["codes"]) - 1)), draw(st.sampled_from(["ann", "Bö"])),
                          a, b, draw(st.none() | _TEXT)))
    spec["spans"] = spans
    spec["memos"] = draw(st.lists(st.tuples(st.sampled_from(schema.MEMO_TYPES), _LINE, _TEXT | st.just(""),
                                            st.lists(st.integers(0, 99), max_size=3)), max_size=3))
    return spec


def _build(path: Path, spec: dict) -> Project:
    project = Project.create(path, title="random")
    for wave in spec["waves"]:
        project.study.add_wave(wave)
    for pid, fields, wave_attrs in zip(spec["participants"], spec["fields"], spec["wave_attrs"]):
        project.study.add_participant(pid, role=fields["role"], pseudonym=fields["pseudonym"],
                                attributes=fields["attributes"])
        for wave, key, value in wave_attrs:
            project.study.set_participant(pid, {key: value}, wave=wave)
    codes = spec["codes"]
    nest = len(codes) > 1 and spec["categories"] > 0
    for i, (name, fields) in enumerate(zip(codes, spec["code_fields"])):
        extra = {k: v for k, v in fields.items() if v not in (None, [])}
        if nest and i == 0:
            project.codebook.add_code(name, category=True, **extra)
        else:
            project.codebook.add_code(name, parent=codes[0] if nest and i <= spec["categories"] else None, **extra)
    names = []
    with project.action("transcript.import", "test"):
        for i, (text, t) in enumerate(zip(spec["texts"], spec["transcripts"])):
            names.append(f"T{i}")
            project.transcripts.store_parsed(ParsedTranscript(text, [], f"T{i}.txt", f"sha{i}", "text"),
                                  participant=t["participant"], wave=t["wave"], kind=t["kind"],
                                  speaker_map={}, date=t["date"], name=f"T{i}")
    coding_ids = []
    seen = set()
    for ti, ci, coder, a, b, memo in spec["spans"]:
        code = codes[ci]
        if (nest and ci == 0) or (ti, ci, coder, a, b) in seen:
            continue
        seen.add((ti, ci, coder, a, b))
        project.coder = coder
        coding_ids += [c.id for c in project.coding.apply_spans([(names[ti], code, a, b)], summary="t", memo=memo)]
    targets = ([f"code:{c}" for c in codes] + [f"participant:{p}" for p in spec["participants"]]
               + [f"transcript:{n}" for n in names] + [f"wave:{w}" for w in spec["waves"]]
               + [f"coding:{i}" for i in coding_ids])
    project.coder = "ann"
    for type_, title, body, picks in spec["memos"]:
        links = [MemoLink.parse(t) for t in sorted({targets[p % len(targets)] for p in picks})]
        if type_ in LONGITUDINAL_MEMO_TYPES and not any(link.kind == "participant" for link in links):
            # cumulative and through-line memos follow a participant
            if spec["participants"]:
                links.append(MemoLink("participant", spec["participants"][0]))
            else:
                type_ = "project"
        project.memos.add(type_, title, body, links=links)
    return project


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                HealthCheck.function_scoped_fixture])
@given(spec=small_projects())
def test_random_projects_survive_export_and_import(tmp_path_factory, spec):
    folder = tmp_path_factory.mktemp("rt")
    with _build(folder / "a.qualcode", spec) as project:
        export_qdpx(project, folder / "a.qdpx")
        before = snapshot(project)
    report = import_qdpx(folder / "a.qdpx", folder / "b.qualcode")
    assert report.dropped == {}, report
    with Project.open(folder / "b.qualcode") as back:
        assert snapshot(back) == before
    shutil.rmtree(folder)


# --- safety ------------------------------------------------------------------------------------------

XXE = (b'<?xml version="1.0"?><!DOCTYPE p [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
       b'<Project xmlns="urn:QDA-XML:project:1.0" name="&e;"/>')
LAUGHS = (b'<?xml version="1.0"?><!DOCTYPE p [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">'
          b'<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;">]><Project xmlns="urn:QDA-XML:project:1.0" name="&c;"/>')


def _zip(path: Path, entries: list[tuple[zipfile.ZipInfo | str, bytes]]) -> Path:
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries:
            archive.writestr(name, data)
    return path


def _symlink_entry() -> zipfile.ZipInfo:
    info = zipfile.ZipInfo("sources/link.txt")
    info.create_system = 3
    info.external_attr = (0o120777 << 16)
    return info


VALID_QDE = b'<Project xmlns="urn:QDA-XML:project:1.0" name="x"/>'


@pytest.mark.parametrize("entries, message", [
    ([("project.qde", XXE)], "refused: the XML declares a DTD or entities"),
    ([("project.qde", LAUGHS)], "refused: the XML declares a DTD or entities"),
    ([("project.qde", VALID_QDE), ("../evil.txt", b"x")], "points outside the archive"),
    ([("project.qde", VALID_QDE), ("sources/../../evil.txt", b"x")], "points outside the archive"),
    ([("project.qde", VALID_QDE), ("/etc/evil.txt", b"x")], "absolute path"),
    ([("project.qde", VALID_QDE), ("C:/evil.txt", b"x")], "absolute path"),
    ([("project.qde", VALID_QDE), (_symlink_entry(), b"/etc/passwd")], "symbolic link"),
    ([("project.qde", VALID_QDE), ("sources/bomb.txt", b"\0" * (8 * 2**20))], "zip bomb"),
    ([("sources/a.txt", b"x")], "no .qde file"),
    ([("project.qde", b"<Project><Sources>")], "not well-formed"),
    ([("project.qde", b"<CodeBook/>")], "not a REFI-QDA project"),
])
def test_unsafe_or_broken_files_are_one_clear_error_and_leave_nothing(tmp_path, run_cli, entries, message):
    path = _zip(tmp_path / "bad.qdpx", entries)
    with pytest.raises(InputError, match=re.escape(message)) as info:
        import_qdpx(path, tmp_path / "new.qualcode")
    assert "bad.qdpx" in str(info.value) and "\n" not in str(info.value)
    assert not (tmp_path / "new.qualcode").exists()
    result = run_cli("import-refi", path, "-o", tmp_path / "new.qualcode")
    assert result.exit_code == 1
    assert len(result.stderr.strip().splitlines()) == 1 and "bad.qdpx" in result.stderr
    assert list(tmp_path.glob("new.qualcode*")) == []


def test_total_unpacked_size_is_limited_before_extraction(tmp_path, monkeypatch):
    monkeypatch.setattr(refi_container, "MAX_UNPACKED_BYTES", 10_000)
    path = _zip(tmp_path / "big.qdpx", [("project.qde", VALID_QDE), ("sources/a.txt", b"abc" * 5000)])
    with pytest.raises(InputError, match=r"big.qdpx: refused: it unpacks to more than"):
        import_qdpx(path, tmp_path / "new.qualcode")


def test_bare_qde_with_entities_is_refused(tmp_path):
    path = tmp_path / "x.qde"
    path.write_bytes(XXE)
    with pytest.raises(InputError, match=r"x.qde: refused"):
        import_qdpx(path, tmp_path / "new.qualcode")
    assert not (tmp_path / "new.qualcode").exists()


def test_failure_while_writing_removes_the_new_project(tmp_path, monkeypatch):
    path = _nvivo_qdpx(tmp_path / "nv.qdpx", "x", quotes=True)

    def boom(self):
        raise QualcodeError("disk trouble")

    monkeypatch.setattr(refi_import_writer._Writer, "_memos", boom)
    with pytest.raises(QualcodeError, match="disk trouble"):
        import_qdpx(path, tmp_path / "new.qualcode")
    assert list(tmp_path.glob("new.qualcode*")) == []


def test_destination_must_be_new(tmp_path):
    path = _nvivo_qdpx(tmp_path / "nv.qdpx", "x", quotes=True)
    (tmp_path / "there.qualcode").write_bytes(b"keep me")
    with pytest.raises(QualcodeError, match="already exists"):
        import_qdpx(path, tmp_path / "there.qualcode")
    assert (tmp_path / "there.qualcode").read_bytes() == b"keep me"


# --- command line ------------------------------------------------------------------------------

def test_cli_export_and_import(tmp_path, run_cli):
    _coded_project(tmp_path / "tiny.qualcode").close()
    result = run_cli("-p", tmp_path / "tiny.qualcode", "export", "refi", "-o", tmp_path / "t.qdpx")
    assert result.exit_code == 0 and "3 codings in 2 selections" in result.stdout
    result = run_cli("import-refi", tmp_path / "t.qdpx", "-o", tmp_path / "back.qualcode", "--json")
    assert result.exit_code == 0
    report = json.loads(result.stdout)
    assert report["counts"]["codings"] == 3 and report["counts"]["participants"] == 1
    atlas = shared_path(*ATLAS_QDE)
    result = run_cli("import-refi", atlas, "-o", tmp_path / "atlas.qualcode", "--report")
    assert result.exit_code == 0
    assert "not kept:" in result.stderr and "1 picture sources" in result.stderr
    assert "warning: the text of 8 source(s) is not in the file" in result.stderr


def test_short_codings_after_emoji_keep_their_positions(tmp_path):
    # Regression: our own positions are code points; no guessing from word boundaries.
    with ExchangeProject.create(tmp_path / "e.qualcode") as project:
        with project.action("transcript.import", "test"):
            project.transcripts.store_parsed(ParsedTranscript("0👩\u200d🔬00", [], "e.txt", "e", "text"), participant=None,
                                  wave=None, kind="interview", speaker_map={}, date=None, name="e")
        project.codebook.add_code("c")
        project.coding.apply_spans([("e", "c", 3, 4)], summary="t")
        project.exchange.export_refi(tmp_path / "e.qdpx")
        before = snapshot(project)
    report = import_qdpx(tmp_path / "e.qdpx", tmp_path / "back.qualcode")
    assert not any("UTF-16" in w for w in report.warnings)
    with Project.open(tmp_path / "back.qualcode") as back:
        assert snapshot(back) == before
