"""read_transcript: dispatch by extension, file checks, and the example study."""

from __future__ import annotations

import csv
import hashlib
import io
from pathlib import Path

import docx
import pytest

from qualcode.errors import InputError
from qualcode.ingest import encoding
from qualcode.ingest.readers import read_transcript

from ._checks import assert_valid, one_line_error, speakers, texts

EXAMPLE_DIR = Path(__file__).resolve().parents[2] / "transcripts_example"


def _docx_bytes(*paragraphs: str) -> bytes:
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


@pytest.mark.parametrize(
    ("name", "data", "fmt", "expected_encoding"),
    [
        ("a.txt", "I: hi\nR: hello\n".encode("utf-16"), "text", "utf-16-le"),
        ("a.TEXT", b"I: hi\nR: hello\n", "text", "utf-8"),
        ("a.md", b"I: hi\nR: hello\n", "markdown", "utf-8"),
        ("a.docx", _docx_bytes("I: hi", "R: hello"), "docx", None),
        ("a.vtt", b"WEBVTT\n\n00:00.000 --> 00:01.000\nI: hi\n\n00:01.000 --> 00:02.000\nR: hello\n", "vtt", "utf-8"),
        ("a.srt", b"1\n00:00:00,000 --> 00:00:01,000\nI: hi\n\n2\n00:00:01,000 --> 00:00:02,000\nR: hello\n", "srt", "utf-8"),
    ],
    # Stable ids: the .docx bytes carry a timestamp, and parallel test workers must
    # collect identical test names.
    ids=["utf16-txt", "upper-TEXT", "md", "docx", "vtt", "srt"],
)
def test_dispatch_by_extension(tmp_path, name, data, fmt, expected_encoding):
    path = tmp_path / name
    path.write_bytes(data)
    parsed = read_transcript(path)
    assert_valid(parsed)
    assert parsed.format == fmt
    assert parsed.encoding == expected_encoding
    assert parsed.source_name == name
    assert parsed.sha256 == hashlib.sha256(data).hexdigest()
    assert speakers(parsed) == ["I", "R"]
    assert texts(parsed) == ["hi", "hello"]


def _error(path: Path) -> str:
    with pytest.raises(InputError) as excinfo:
        read_transcript(path)
    return one_line_error(excinfo, path.name)


def test_unsupported_format(tmp_path):
    path = tmp_path / "interview.pdf"
    path.write_bytes(b"%PDF-1.4")
    assert _error(path) == ("interview.pdf: unsupported format .pdf; qualcode reads .txt, .md, .docx, .vtt, .srt, "
                            "Whisper .json, oTranscribe .otr and noScribe .html")
    bare = tmp_path / "README"
    bare.write_bytes(b"x")
    assert "unsupported format (no extension)" in _error(bare)


@pytest.mark.parametrize("name", ["empty.txt", "empty.docx", "empty.vtt", "empty.srt"])
def test_empty_files(tmp_path, name):
    path = tmp_path / name
    path.write_bytes(b"")
    assert _error(path) == f"{name}: is empty"


def test_binary_file_with_a_text_extension(tmp_path):
    path = tmp_path / "photo.txt"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    assert "looks like a binary file, not a transcript" in _error(path)


def test_size_limit(tmp_path, monkeypatch):
    monkeypatch.setattr(encoding, "MAX_SOURCE_BYTES", 100)
    path = tmp_path / "long.txt"
    path.write_bytes(b"I: hi\n" * 20)
    assert "limit for a transcript is 100 bytes" in _error(path)


def test_bad_docx_files(tmp_path):
    good = _docx_bytes("I: hi")
    (tmp_path / "cut.docx").write_bytes(good[:300])
    assert "damaged or truncated" in _error(tmp_path / "cut.docx")
    (tmp_path / "locked.docx").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"junk" * 50)
    assert "password-protected" in _error(tmp_path / "locked.docx")


def test_malformed_vtt_file(tmp_path):
    path = tmp_path / "call.vtt"
    path.write_bytes(b"WEBVTT\n\n00:00:01.000 --> soon\nhi\n")
    assert _error(path).startswith("call.vtt: line 3: cue timing")


# --- the example study ----------------------------------------------------------

INTERVIEWER_LABELS = {"Interviewer", "INT", "Int", "I", "INTERVIEWER", "Moderator"}


def _manifest_rows() -> list[dict[str, str]]:
    manifest = EXAMPLE_DIR / "manifest.csv"
    if not manifest.exists():
        pytest.skip(f"{manifest} is absent")
    with manifest.open(newline="", encoding="utf-8") as handle:
        return [row for row in csv.DictReader(handle) if row.get("file")]


def test_example_transcripts_have_only_the_expected_speakers():
    rows = _manifest_rows()
    assert rows
    for row in rows:
        path = EXAMPLE_DIR / row["file"]
        if not path.exists():
            pytest.skip(f"{path} is not written yet")
        parsed = read_transcript(path)
        assert_valid(parsed)
        found = set(parsed.speakers)
        group = {pair.split("=")[0] for pair in row.get("speaker_map", "").split(";") if "=" in pair}
        participant = {"R", "Several"} | group
        pseudonym = row.get("pseudonym", "")
        extra = {s for s in found - INTERVIEWER_LABELS - participant if s.lower() != pseudonym.lower()}
        assert not extra, f"{row['file']}: unexpected speakers {sorted(extra)}"
        # Both sides of the conversation are found.
        assert found & INTERVIEWER_LABELS, f"{row['file']}: no interviewer label among {sorted(found)}"
        assert found - INTERVIEWER_LABELS, f"{row['file']}: no participant label among {sorted(found)}"
        assert group <= found, f"{row['file']}: focus-group members {sorted(group - found)} not found"
        # Unattributed text is only a one-line heading at the top (or a caption cue).
        for index, turn in enumerate(parsed.turns):
            if turn.speaker is None and parsed.format in ("text", "docx"):
                assert index == 0, f"{row['file']}: unattributed turn {parsed.turn_text(turn)[:60]!r}"
                assert "\n" not in parsed.turn_text(turn)


@pytest.mark.parametrize("data", [b"   \n\n\t \r\n", "\u3000\n".encode("utf-8")])
def test_whitespace_only_file(tmp_path, data):
    path = tmp_path / "blank.txt"
    path.write_bytes(data)
    assert _error(path) == "blank.txt: has no text in it (only white space)"
