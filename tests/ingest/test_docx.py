"""Word transcripts: paragraphs, bold and text labels, speaker tables, bad files."""

from __future__ import annotations

import hashlib
import io
import zipfile

import docx
import pytest

from qualcode.errors import InputError
from qualcode.ingest.docx import read_docx

from ._checks import assert_valid, one_line_error, shared_file, speakers, texts


def build(*items) -> bytes:
    """A .docx from items: a str paragraph, a list of (text, bold) runs, or ("table", rows)."""
    document = docx.Document()
    for item in items:
        if isinstance(item, str):
            document.add_paragraph(item)
        elif isinstance(item, tuple) and item[0] == "table":
            rows = item[1]
            table = document.add_table(rows=len(rows), cols=len(rows[0]))
            for r, row in enumerate(rows):
                for c, value in enumerate(row):
                    table.cell(r, c).text = value
        else:
            paragraph = document.add_paragraph()
            for text, bold in item:
                paragraph.add_run(text).bold = bold
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def parse(data: bytes):
    parsed = read_docx(data, "t.docx")
    assert_valid(parsed)
    assert parsed.format == "docx"
    return parsed


def test_paragraphs_and_text_labels():
    parsed = parse(build("Interview C03, wave 1", "INT: How was it?", "Kirsty: Good.", "Really good.", "INT: Great."))
    assert parsed.text == "Interview C03, wave 1\nINT: How was it?\nKirsty: Good.\nReally good.\nINT: Great."
    # Every Word paragraph is a paragraph: an unlabelled one is a new turn of the same speaker.
    assert speakers(parsed) == [None, "INT", "Kirsty", "Kirsty", "INT"]
    assert texts(parsed) == ["Interview C03, wave 1", "How was it?", "Good.", "Really good.", "Great."]


def test_bold_labels():
    parsed = parse(
        build(
            [("Interviewer:", True), (" How was it?", None)],
            [("Kirsty", True), (" It was good.", None)],
            [("Interviewer", True), (":", None), (" And then?", None)],
            [("Kirsty", True), ("  Then it got better.", None)],
            [("Imran:", True), (" Only once, in bold with a colon.", None)],
            [("Really", True), (" good, I mean it.", None)],
            [("A bold heading", True)],
        )
    )
    assert speakers(parsed) == ["Interviewer", "Kirsty", "Interviewer", "Kirsty", "Imran", "Imran", "Imran"]
    assert texts(parsed) == [
        "How was it?",
        "It was good.",
        "And then?",
        "Then it got better.",
        "Only once, in bold with a colon.",
        "Really good, I mean it.",  # bold for emphasis is not a label
        "A bold heading",
    ]


def test_bold_label_alone_in_its_paragraph():
    parsed = parse(build([("Interviewer:", True)], "How was it?", [("Kirsty:", True)], "Fine."))
    assert speakers(parsed) == ["Interviewer", "Kirsty"]
    assert texts(parsed) == ["How was it?", "Fine."]


def test_speaker_table_interleaved_in_document_order():
    parsed = parse(
        build(
            "Interview C03, wave 2",
            ("table", [["Speaker", "Text"], ["Interviewer", "How have you been?"], ["Kirsty", "Up and down."],
                       ["Zed", "I speak once."], ["", "More from Zed."]]),
            "Interviewer: Thanks.",
        )
    )
    assert parsed.text == (
        "Interview C03, wave 2\nInterviewer: How have you been?\nKirsty: Up and down.\n"
        "Zed: I speak once.\nMore from Zed.\nInterviewer: Thanks."
    )
    assert speakers(parsed) == [None, "Interviewer", "Kirsty", "Zed", "Zed", "Interviewer"]
    assert texts(parsed)[1:4] == ["How have you been?", "Up and down.", "I speak once."]


def test_timed_speaker_table():
    parsed = parse(build(("table", [["Time", "Speaker", "Text"], ["00:01", "Interviewer", "Hi."], ["00:05", "Kirsty", "Hello."]])))
    assert parsed.text == "[00:01] Interviewer: Hi.\n[00:05] Kirsty: Hello."
    assert [(t.speaker, t.start_time, t.end_time) for t in parsed.turns] == [("Interviewer", 1, 5), ("Kirsty", 5, None)]


def test_other_tables_keep_their_cells():
    parsed = parse(build(("table", [["a", "b", "c"], ["d", "e", "f"]])))
    assert parsed.text == "a\tb\tc\nd\te\tf"
    assert speakers(parsed) == [None, None]


def test_line_break_inside_a_paragraph_and_unicode():
    document = docx.Document()
    paragraph = document.add_paragraph("INT: first line")
    paragraph.add_run().add_break()
    paragraph.add_run("second line costs €5 – café")
    document.add_paragraph("INT: again")
    out = io.BytesIO()
    document.save(out)
    parsed = parse(out.getvalue())
    assert texts(parsed) == ["first line\nsecond line costs €5 – café", "again"]


def test_empty_document_has_no_turns():
    parsed = parse(build())
    assert parsed.turns == [] and parsed.warnings == ["no text found"]


# --- bad files ---------------------------------------------------------------


def _error(data: bytes, name: str = "bad.docx") -> str:
    with pytest.raises(InputError) as excinfo:
        read_docx(data, name)
    return one_line_error(excinfo, name)


def test_truncated_docx():
    data = build("INT: hello", "Kirsty: hi")
    assert "damaged or truncated" in _error(data[: len(data) // 2])
    assert "damaged or truncated" in _error(data[:40])


def test_password_protected_docx():
    message = _error(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00\x01junk" * 100)
    assert message == (
        "bad.docx: is encrypted (password-protected) or an old .doc file; save it as .docx without a password"
    )


def test_renamed_zip_of_something_else():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("notes.txt", "hello")
        archive.writestr("xl/workbook.xml", "<workbook/>")
    assert _error(out.getvalue()) == "bad.docx: is a zip archive but not a Word document"


def test_not_a_zip_at_all():
    assert _error(b"Interviewer: this is plain text saved as .docx\n") == "bad.docx: is not a Word .docx file"


def test_corrupt_document_xml():
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(build("INT: hello"))) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "word/document.xml":
                data = data[: len(data) // 2]
            target.writestr(info, data)
    assert "damaged Word file" in _error(out.getvalue())


# --- public example -----------------------------------------------------------


def test_qualcoder_id1_docx():
    path = shared_file("qualcoder_ID1.docx")
    data = path.read_bytes()
    parsed = read_docx(data, path.name)
    assert_valid(parsed)
    assert parsed.sha256 == hashlib.sha256(data).hexdigest()
    assert parsed.sha256 == "ce294fa5bab73a67a35d1dcfcad552a1e3731ae5fc07c1c7f6db3a11bda19cef"
    # Three paragraphs of answer and an empty last paragraph, joined with "\n".
    assert parsed.text.count("\n") == 3 and parsed.text.endswith("\n")
    assert speakers(parsed) == [None, None, None]
    assert texts(parsed) == parsed.text.split("\n")[:3]
    assert texts(parsed)[0].startswith("I really like learning new things.")
    assert texts(parsed)[2].endswith("I'm happy to pay €200.")
    assert parsed.turns[1].start == parsed.turns[0].end + 1


def test_bold_run_that_is_not_a_label():
    parsed = parse(
        build(
            [("Interviewer: Okay", True), (" so tell me.", None)],
            [("So, how did you", True), (" find it?", None)],
            "Kirsty: Fine.",
        )
    )
    # The first paragraph still has its text label; the bold words are speech.
    assert speakers(parsed) == ["Interviewer", "Interviewer", "Kirsty"]
    assert texts(parsed) == ["Okay so tell me.", "So, how did you find it?", "Fine."]
