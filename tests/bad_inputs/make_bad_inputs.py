"""Write the bad-input corpus: malformed files of every format qualcode reads.

Run from the repository root (``python tests/bad_inputs/make_bad_inputs.py``); the files
are committed, so the test reads the same bytes everywhere. Each file's name says what is
wrong with it. Only files that are missing are written (``--all`` rewrites every one), so
adding a case does not rewrite the others.

Inputs too large to commit (bombs of hundreds of megabytes once inflated, files at the
size limits) are made by :func:`generated_files` when a test runs.
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
            # A fixed date: the same entries give the same bytes.
            z.writestr(zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0)), data,
                       compress_type=zipfile.ZIP_DEFLATED)
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


# The "billion laughs" in YAML: nine levels of nine aliases, 387 million strings.
YAML_LAUGHS = "\n".join(
    ["a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    + [f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]" for i in range(8)]
) + "\n"
GUID = "11111111-1111-4111-8111-{:012d}"
SOURCE_GUID = "44444444-4444-4444-8444-444444444444"


def nested_codes_yaml(levels: int) -> bytes:
    lines = ["codes:"]
    for depth in range(levels):
        pad = "  " * (2 * depth)
        lines += [f"{pad}  - name: Level {depth}", f"{pad}    children:"]
    lines[-1] = lines[-1].replace("children:", "definition: the deepest")
    return ("\n".join(lines) + "\n").encode()


def nested_codes_xml(levels: int) -> str:
    return ("".join(f'<Code guid="{GUID.format(i)}" name="c{i}" isCodable="true">' for i in range(levels))
            + "</Code>" * levels)


def project_qde(body: str) -> bytes:
    return (f'<?xml version="1.0" encoding="utf-8"?><Project xmlns="urn:QDA-XML:project:1.0" name="x">'
            f"{body}</Project>").encode()


def qdpx_with(body: str, more_sources: str = "") -> bytes:
    """A .qdpx of one text source and ``body`` (more elements of the project)."""
    sources = (f'<Sources><TextSource guid="{SOURCE_GUID}" name="a" plainTextPath="internal://{SOURCE_GUID}.txt"/>'
               f"{more_sources}</Sources>")
    return zip_of({"project.qde": project_qde(body + sources),
                   f"sources/{SOURCE_GUID}.txt": b"Interviewer: hello\n\nP01: hi there\n"})


def plan_yaml(decisions: str) -> bytes:
    return f"format: qualcode-merge-plan\nversion: 1\ndecisions:\n{decisions}".encode()


def codebook_of(codes: int) -> bytes:
    """A codebook of ``codes`` codes in categories of ten, with GUIDs in capitals and
    braces half the time (as some programs write them)."""
    import uuid

    lines = ["format: qualcode-codebook", "version: 1", "title: many codes", "codes:"]
    for i in range(codes // 10):
        lines += [f"  - name: Category {i}", f"    guid: {uuid.uuid4()}", "    category: true", "    children:"]
        for j in range(9):
            guid = uuid.uuid4()
            lines += [f"      - name: Code {i}-{j}", f"        guid: '{{{str(guid).upper()}}}'" if j % 2 else
                      f"        guid: {guid}", f"        definition: What was said about topic {i} {j}"]
    return ("\n".join(lines) + "\n").encode()


def generated_files() -> dict:
    """Inputs too large to commit: name -> (a function making its bytes, whether the
    command should accept it). Each is refused at once or read well within a minute and
    a gigabyte."""
    import random

    def long_turn() -> bytes:  # one turn over spaCy's 5,000,000-character ceiling
        rng = random.Random(1)
        words = "the a and I you it was that to of in we but so money food bank week".split()
        sentences = (" ".join(rng.choice(words) for _ in range(rng.randint(3, 14))).capitalize() + ". "
                     for _ in range(600_000))
        return ("P01: " + "".join(sentences)).encode()

    return {
        "short_paragraphs_190mb.docx": (lambda: docx_of_short_paragraphs(190), False),
        "lying_sizes_190mb.docx": (lambda: with_lying_sizes(docx_of_short_paragraphs(190), "word/document.xml"),
                                   False),
        "bookmarks_150mb.docx": (lambda: docx_of_empty_elements(150), False),
        "one_turn_over_spacy_limit.txt": (long_turn, True),
        "five_million_lines.txt": (lambda: b"P01: a\n\n" * 2_500_000, False),
        "turns_250000.txt": (lambda: b"P01: a\n\n" * 250_000, False),
        "manifest_10001_rows.csv": (lambda: b"file,participant,wave\n" + b"ok.txt,P01,W1\n" * 10_001, False),
        "turns_199999.txt": (lambda: b"P01: a b c.\n\n" * 199_999 + b"\n" * 590_000, True),
        "paragraphs_60000.docx": (lambda: docx_with_body(b"".join(
            b"<w:p><w:r><w:t>P01: answer %d.</w:t></w:r></w:p>" % i for i in range(60_000))), True),
        "codebook_30000_codes.yaml": (lambda: codebook_of(30_000), True),
        "codebook_nested_100000.yaml": (lambda: b"codes: " + b"[" * 100_000 + b"]" * 100_000 + b"\n", False),
        "codebook_2100000_values.yaml": (lambda: b"codes: [" + b"a," * 2_100_000 + b"]\n", False),
        "codes_nested_20000.qdc": (lambda: (
            '<?xml version="1.0"?><CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes>'
            + nested_codes_xml(20_000) + "</Codes></CodeBook>").encode(), False),
        "codes_nested_20000.qdpx": (lambda: qdpx_with(f"<CodeBook><Codes>{nested_codes_xml(20_000)}</Codes></CodeBook>"),
                                    False),
        "source_of_21mb.qdpx": (lambda: zip_of({
            "project.qde": project_qde(f'<Sources><TextSource guid="{SOURCE_GUID}" name="long" '
                                      f'plainTextPath="internal://{SOURCE_GUID}.txt"/></Sources>'),
            f"sources/{SOURCE_GUID}.txt": b"P01: " + b"word " * (21 * 1024 * 1024 // 5)}), False),
        # The .qde is read as a stream with a limit on nesting: refused in one line.
        "elements_nested_100000.qdpx": (lambda: qdpx_with(
            "".join(f"<E{i}>" for i in range(100_000)) + "".join(f"</E{i}>" for i in reversed(range(100_000)))),
            False),
    }


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
        # YAML from a user's file: bombs, depth, sizes, types
        "codebook_yaml_bomb.yaml": (YAML_LAUGHS + "codes:\n  - name: *i\n").encode(),
        "codebook_yaml_bomb_in_title.yaml": (YAML_LAUGHS + "title: *i\ncodes: []\n").encode(),
        "codebook_nested_lists.yaml": b"codes: " + b"[" * 5000 + b"]" * 5000 + b"\n",
        "codebook_codes_nested_60.yaml": nested_codes_yaml(60),
        "codebook_huge_version.yaml": b"version: " + b"9" * 5000 + b"\ncodes: []\n",
        "codebook_python_tag.yaml": b"codes:\n  - name: !!python/object/apply:os.system [ls]\n",
        "codebook_list_as_definition.yaml": b"codes:\n  - name: A\n    definition: [1, 2, 3]\n",
        "codebook_two_documents.yaml": b"codes: []\n---\ncodes: []\n",
        "plan_yaml_bomb.yaml": (YAML_LAUGHS + "format: qualcode-merge-plan\ndecisions: *i\n").encode(),
        "plan_decision_not_a_mapping.yaml": plan_yaml("  - just text\n"),
        "plan_action_a_list.yaml": plan_yaml(f"  - {{action: [1], incoming: {{name: A, guid: {GUID.format(1)}}}}}\n"),
        "plan_bad_guid.yaml": plan_yaml("  - {action: add, incoming: {name: A, guid: nope}}\n"),
        # text: encodings that cannot be told apart, sizes
        "utf8_and_cp1252_in_one_line.txt": "Interviewer: Did Zoë come?\n".encode() + b"P01: Zo\xc3\xab went to the caf\xe9.\n",
        "utf8_and_undefined_bytes.txt": "Interviewer: Did Zoë come?\n".encode() + b"P01: caf\x81\x8d\n",
        # Word: sizes its headers understate, nesting
        "lying_sizes.docx": with_lying_sizes(docx_with_body(b"<w:p><w:r><w:t>a</w:t></w:r></w:p>" * 200),
                                             "word/document.xml", 100),
        "content_controls_nested_60.docx": docx_with_body(
            b"<w:sdt><w:sdtContent>" * 60 + b"<w:p/>" + b"</w:sdtContent></w:sdt>" * 60),
        # REFI-QDA: nesting, repeated GUIDs, numbers
        "codes_nested_60.qdc": ('<?xml version="1.0"?><CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes>'
                                + nested_codes_xml(60) + "</Codes></CodeBook>").encode(),
        "codes_nested_in_names.qdc": ('<?xml version="1.0"?><CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes>'
                                      f'<Code guid="{GUID.format(1)}" name="{"::".join(["a"] * 500)}" '
                                      'isCodable="true"/></Codes></CodeBook>').encode(),
        "codes_nested_60.qdpx": qdpx_with(f"<CodeBook><Codes>{nested_codes_xml(60)}</Codes></CodeBook>"),
    }
    return f


def accepted_files() -> dict[str, bytes]:
    """Careless files the command reads, with a warning where something was off; made
    when the corpus runner runs (it expects them to be read, not refused)."""
    return {
        "repeated_source_guid.qdpx": qdpx_with("", f'<TextSource guid="{SOURCE_GUID}" name="b" '
                                                    f'plainTextPath="internal://{SOURCE_GUID}.txt"/>'),
        "repeated_case_guid.qdpx": qdpx_with(
            f'<Cases><Case guid="{GUID.format(1)}" name="P01"><SourceRef targetGUID="{SOURCE_GUID}"/></Case>'
            f'<Case guid="{GUID.format(1)}" name="P02"/></Cases>'),
        "repeated_wave_set_guid.qdpx": qdpx_with(
            f'<Sets><Set guid="{GUID.format(1)}" name="W1"><Description>qualcode wave\norder: 1</Description></Set>'
            f'<Set guid="{GUID.format(1)}" name="W2"><Description>qualcode wave\norder: 2</Description></Set></Sets>'),
        "wave_order_of_5000_digits.qdpx": qdpx_with(
            f'<Sets><Set guid="{GUID.format(1)}" name="W1"><Description>qualcode wave\norder: {"9" * 5000}'
            "</Description></Set></Sets>"),
        "utf8_and_cp1252_lines.txt": "Interviewer: Did Zoë come?\n\n".encode()
                                     + "P01: She did, to the café.\n".encode("cp1252"),
    }


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
    import sys

    everything = "--all" in sys.argv[1:]
    written = 0
    for name, data in files().items():
        if everything or not (HERE / name).exists():
            (HERE / name).write_bytes(data)
            written += 1
    (HERE / "ok.txt").write_text(GOOD_TXT, encoding="utf-8")  # the manifests' good file
    if everything or not (HERE / "newer_schema.qualcode").exists():
        sqlite_files()
    print(f"wrote {written} files")
