"""UTF-8 first and strictly; a file of UTF-8 lines and Windows-1252 lines decoded line
by line; a line that is neither, or both, refused by number; the encoding shown."""

from __future__ import annotations

import json

import pytest

from qualcode import Project
from qualcode.errors import InputError
from qualcode.ingest.encoding import MIXED, decode_text, describe_lines
from qualcode.ingest.text import read_text

from ..conftest import file_digest

UTF8_LINE = "Interviewer: Did Zoë come?\n".encode()
CP1252_LINE = "P01: She did, to the café \u201cLe Nid\u201d.\n".encode("cp1252")


def test_mixed_lines_are_each_decoded_as_what_they_are():
    decoded = decode_text(UTF8_LINE + b"\n" + CP1252_LINE, "t.txt")
    assert decoded.text == "Interviewer: Did Zoë come?\n\nP01: She did, to the café \u201cLe Nid\u201d.\n"
    assert "ZoÃ«" not in decoded.text
    assert decoded.encoding == MIXED
    assert decoded.notes == ["line 3 is not UTF-8: read as Windows-1252 (cp1252), the rest as UTF-8"]


def test_a_whole_windows_file_is_windows_1252_and_says_so():
    decoded = decode_text(CP1252_LINE * 3, "t.txt")
    assert decoded.encoding == "cp1252" and decoded.text == CP1252_LINE.decode("cp1252") * 3
    assert decoded.notes == ["not UTF-8: read as Windows-1252 (cp1252); check accented letters and quotes"]
    parsed = read_text(CP1252_LINE * 3, "t.txt")
    assert parsed.encoding == "cp1252" and parsed.warnings[0].startswith("not UTF-8")


def test_utf8_is_read_strictly_and_without_notes():
    decoded = decode_text(UTF8_LINE * 2, "t.txt")
    assert (decoded.encoding, decoded.notes) == ("utf-8", [])


def test_a_line_mixing_both_is_refused_by_its_number():
    data = UTF8_LINE + b"P01: Zo\xc3\xab went to the caf\xe9.\n" + UTF8_LINE + b"P01: caf\xe9 \xc3\xa9\n"
    with pytest.raises(InputError) as caught:
        decode_text(data, "mixed.txt")
    assert str(caught.value) == ("mixed.txt: mixes UTF-8 with another encoding within lines 2 and 4; "
                                 "save it as UTF-8 and import it again")


def test_a_windows_file_whose_letters_happen_to_form_a_utf8_sequence_is_windows_1252():
    # "ç" then "œœ" in Windows-1252 are the bytes E7 9C 9C, a well-formed UTF-8 sequence;
    # with no UTF-8 line anywhere in the file, the file is Windows-1252 throughout.
    data = "Interviewer: ç çœœ.\n".encode("cp1252")
    assert b"\xe7\x9c\x9c" in data
    decoded = decode_text(data, "t.txt")
    assert (decoded.encoding, decoded.text) == ("cp1252", "Interviewer: ç çœœ.\n")


def test_a_line_that_is_neither_is_refused_by_its_number():
    data = UTF8_LINE + b"P01: caf\x81\x8d\n"
    with pytest.raises(InputError, match="t.txt: is UTF-8 except line 2, which is not Windows-1252 either"):
        decode_text(data, "t.txt")


def test_describe_lines():
    assert describe_lines([4]) == "line 4"
    assert describe_lines([3, 7, 12]) == "lines 3, 7 and 12"
    assert describe_lines(list(range(1, 41))) == "lines 1, 2, 3, 4, 5, 6, 7, 8, ... (40 lines)"


@pytest.fixture
def study(tmp_path):
    path = tmp_path / "study.qualcode"
    with Project.create(path) as project:
        project.study.add_wave("W1")
        project.study.add_participant("P01")
    return path


def test_the_import_summary_and_transcript_show_name_the_encoding(study, tmp_path, run_cli):
    source = tmp_path / "zoe.txt"
    source.write_bytes(UTF8_LINE + b"\n" + CP1252_LINE)
    result = run_cli("-p", study, "import", source, "--participant", "P01", "--wave", "W1")
    assert result.exit_code == 0, result.output
    assert "utf-…" in result.stdout or MIXED in result.stdout  # the table's encoding column
    assert "note: zoe: line 3 is not UTF-8: read as Windows-1252 (cp1252), the rest as UTF-8" in result.stderr
    as_json = json.loads(run_cli("-p", study, "transcript", "show", "zoe", "--json").stdout)
    assert as_json["encoding"] == MIXED and "Zoë" in as_json["text"] and "café" in as_json["text"]
    shown = run_cli("-p", study, "transcript", "show", "zoe")
    assert shown.stderr == f"zoe: from zoe.txt, text, {MIXED}\n"
    assert shown.stdout == as_json["text"] + "\n"
    turns = run_cli("-p", study, "transcript", "show", "zoe", "--turns")
    assert f"from zoe.txt, text, {MIXED}" in " ".join(turns.stdout.split())
    windows = tmp_path / "windows.txt"
    windows.write_bytes(CP1252_LINE)
    result = run_cli("-p", study, "import", windows, "--participant", "P01", "--wave", "W1", "--json")
    assert json.loads(result.stdout)[0]["encoding"] == "cp1252"
    assert json.loads(result.stdout)[0]["notes"][0].startswith("not UTF-8: read as Windows-1252")


def test_a_refused_file_leaves_the_project_as_it_was(study, tmp_path, run_cli):
    source = tmp_path / "mixed.txt"
    source.write_bytes(UTF8_LINE + b"P01: Zo\xc3\xab went to the caf\xe9.\n")
    before = file_digest(study)
    result = run_cli("-p", study, "import", source, "--participant", "P01", "--wave", "W1")
    assert result.exit_code == 1
    assert result.stderr == ("Error: mixed.txt: mixes UTF-8 with another encoding within line 2; "
                             "save it as UTF-8 and import it again\n")
    assert file_digest(study) == before
