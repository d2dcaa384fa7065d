"""Write the bad-input corpus: malformed files of every format qualcode reads.

Run from the repository root (``python tests/bad_inputs/make_bad_inputs.py``); the files
are committed, so the test reads the same bytes everywhere. Each file's name says what is
wrong with it.
"""

from __future__ import annotations

import io
import sqlite3
import zipfile
from pathlib import Path

HERE = Path(__file__).parent
GOOD_TXT = "Interviewer: How are you?\n\nP01: Fine, thanks.\n"


def docx_bytes() -> bytes:
    from docx import Document

    doc = Document()
    doc.add_paragraph("Interviewer: How are you?")
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def zip_of(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in entries.items():
            z.writestr(name, data)
    return buffer.getvalue()


def docx_with_body(body: bytes) -> bytes:
    """A real .docx whose document body is ``body`` (raw WordprocessingML)."""
    with zipfile.ZipFile(io.BytesIO(docx_bytes())) as source:
        entries = {info.filename: source.read(info) for info in source.infolist()}
    document = entries["word/document.xml"]
    head = document[: document.index(b"<w:body>") + len(b"<w:body>")]
    entries["word/document.xml"] = head + body + b"</w:body></w:document>"
    return zip_of(entries)


def docx_of_short_paragraphs(megabytes: int = 190) -> bytes:
    """A .docx of about 700 KB whose document part is ``megabytes`` MB of one-letter
    paragraphs (5.4 million of them at 190 MB)."""
    paragraph = b"<w:p><w:r><w:t>a</w:t></w:r></w:p>"
    return docx_with_body(paragraph * (megabytes * 1024 * 1024 // len(paragraph)))


def docx_of_empty_elements(megabytes: int = 150) -> bytes:
    """A .docx whose body is ``megabytes`` MB of bookmarks: no paragraph at all, so only
    the budget of inflated bytes stops it."""
    element = b'<w:bookmarkStart w:id="1" w:name="b"/>'
    return docx_with_body(element * (megabytes * 1024 * 1024 // len(element)))


def with_lying_sizes(data: bytes, member: str, claimed: int = 1000) -> bytes:
    """The zip ``data`` with ``member``'s uncompressed size stated as ``claimed`` bytes
    in both its local header and the central directory."""
    out = bytearray(data)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        info = archive.getinfo(member)
    out[info.header_offset + 22: info.header_offset + 26] = claimed.to_bytes(4, "little")
    name = member.encode()
    at = out.find(b"PK\x01\x02")
    while at >= 0:
        name_length = int.from_bytes(out[at + 28: at + 30], "little")
        if bytes(out[at + 46: at + 46 + name_length]) == name:
            out[at + 24: at + 28] = claimed.to_bytes(4, "little")
            break
        at = out.find(b"PK\x01\x02", at + 4)
    return bytes(out)


QDE_OK = (b'<?xml version="1.0" encoding="utf-8"?><Project xmlns="urn:QDA-XML:project:1.0" name="x">'
          b"<CodeBook><Codes><Code guid=\"11111111-1111-4111-8111-111111111111\" name=\"A\" isCodable=\"true\"/>"
          b"</Codes></CodeBook></Project>")


def files() -> dict[str, bytes]:
    docx = docx_bytes()
    f: dict[str, bytes] = {
        # plain text
        "empty.txt": b"",
        "only_whitespace.txt": b"   \n\n\t  \n",
        "binary_elf.txt": b"\x7fELF\x02\x01\x01" + bytes(range(256)) * 4,
        "binary_png.txt": b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + bytes(200),
        "nul_bytes.txt": b"Interviewer: hello\x00\x00\x00 there\x00" * 20,
        "pdf_renamed.txt": b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\n",
        "zip_renamed.txt": zip_of({"a.txt": b"hello"}),
        # Word
        "empty.docx": b"",
        "truncated.docx": docx[: len(docx) // 2],
        "password_protected.docx": bytes.fromhex("D0CF11E0A1B11AE1") + bytes(2048),
        "zip_of_other_things.docx": zip_of({"photo.jpg": b"\xff\xd8\xff" + bytes(100)}),
        "text_renamed.docx": GOOD_TXT.encode(),
        "broken_document_xml.docx": zip_of({"[Content_Types].xml": b"<Types/>",
                                            "word/document.xml": b"<w:document><w:body><w:p>"}),
        # captions
        "empty.vtt": b"",
        "no_header.vtt": b"00:00:01.000 --> 00:00:02.000\nHello\n",
        "bad_timing.vtt": b"WEBVTT\n\n00:00:xx.000 --> 00:00:02.000\nHello\n",
        "header_only.vtt": b"WEBVTT\n\n",
        "binary.vtt": b"WEBVTT\n\n" + bytes(range(256)) * 8,
        "empty.srt": b"",
        "bad_timing.srt": b"1\n00:00:01,000 -> 00:00:02,000\nHello\n",
        "no_cues.srt": b"just some words\nwith no timings at all\n",
        "binary.srt": b"\x00\x01\x02\x03" * 300,
        # manifests
        "manifest_missing_file.csv": b"file,participant,wave\nnot_there.txt,P01,W1\n",
        "manifest_bad_kind.csv": b"file,participant,wave,kind\nok.txt,P01,W1,podcast\n",
        "manifest_bad_date.csv": b"file,participant,wave,date\nok.txt,P01,W1,31/02/2025\n",
        "manifest_bad_speaker_map.csv": b"file,participant,wave,kind,speaker_map\nok.txt,P01,W1,focus-group,Leanne\n",
        "manifest_status_without_wave.csv": b"file,participant,wave,status\n,P01,,missed\n",
        "manifest_no_file_column.csv": b"participant,wave\nP01,W1\n",
        "manifest_binary.csv": bytes(range(256)) * 4,
        "manifest_too_many_cells.csv": b"file,participant\nok.txt,P01,extra,cells\n",
        # codebooks
        "codebook_not_yaml.yaml": b"codes: [unclosed\n  - name: x\n",
        "codebook_no_codes.yaml": b"title: nothing here\n",
        "codebook_duplicate_names.yaml": b"codes:\n  - name: A\n  - name: A\n",
        "codebook_bad_guid.yaml": b"codes:\n  - name: A\n    guid: not-a-guid\n",
        "codebook_unknown_key.yaml": b"codes:\n  - name: A\n    colur: '#ff0000'\n",
        "codebook_bad_stage.yaml": b"codes:\n  - name: A\n    stage: final\n",
        "codebook_binary.yaml": b"\xff\xfe\x00\x00" + bytes(range(256)),
        # REFI-QDA codebooks
        "malformed.qdc": b"<CodeBook><Codes><Code guid='a'",
        "xxe.qdc": (b'<?xml version="1.0"?><!DOCTYPE c [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
                    b'<CodeBook><Codes><Code guid="a" name="&x;" isCodable="true"/></Codes></CodeBook>'),
        "billion_laughs.qdc": (b'<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "lol"><!ENTITY b "&a;&a;&a;&a;&a;">'
                               b'<!ENTITY c "&b;&b;&b;&b;&b;">]><CodeBook><Codes><Code guid="a" name="&c;" '
                               b'isCodable="true"/></Codes></CodeBook>'),
        "wrong_root.qdc": b"<Project name='x'/>",
        # REFI-QDA projects
        "not_a_zip.qdpx": b"this is not a zip archive",
        "no_qde_inside.qdpx": zip_of({"sources/readme.txt": b"hello"}),
        "malformed_qde.qdpx": zip_of({"project.qde": b"<Project><CodeBook>"}),
        "path_traversal.qdpx": zip_of({"project.qde": QDE_OK, "../../evil.txt": b"x"}),
        "absolute_path.qdpx": zip_of({"project.qde": QDE_OK, "/etc/evil.txt": b"x"}),
        "xxe.qde": (b'<?xml version="1.0"?><!DOCTYPE p [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
                    b'<Project xmlns="urn:QDA-XML:project:1.0" name="&x;"/>'),
        # project files
        "not_sqlite.qualcode": b"these are my notes, not a project\n",
        "empty.qualcode": b"",
    }
    return f


def sqlite_files() -> None:
    """Project files: another SQLite database, a newer schema, a truncated file."""
    other = HERE / "other_sqlite_database.qualcode"
    other.unlink(missing_ok=True)
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE things (a)")
    conn.execute("INSERT INTO things VALUES (1)")
    conn.commit()
    conn.close()
    fixture = HERE.parent / "fixtures" / "schema_v3.qualcode"
    newer = HERE / "newer_schema.qualcode"
    newer.write_bytes(fixture.read_bytes())
    conn = sqlite3.connect(newer)
    conn.execute("INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
                 "VALUES ('qualcode', 'm999_from_the_future', '2099-01-01')")
    conn.commit()
    conn.close()
    data = fixture.read_bytes()
    (HERE / "truncated_sqlite.qualcode").write_bytes(data[: len(data) // 3])


if __name__ == "__main__":
    for name, data in files().items():
        (HERE / name).write_bytes(data)
    (HERE / "ok.txt").write_text(GOOD_TXT, encoding="utf-8")  # the manifests' good file
    sqlite_files()
    print(f"wrote {len(list(HERE.iterdir()))} files")
