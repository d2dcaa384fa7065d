"""Decoding, normalisation and the source-file checks (size, emptiness, binary)."""

from __future__ import annotations

import pytest

from qualcode.errors import InputError
from qualcode.ingest import encoding
from qualcode.ingest.encoding import MAX_SOURCE_BYTES, decode_bytes, normalise, read_source
from qualcode.ingest.text import read_text

from ._checks import assert_valid, one_line_error, speakers, texts

SAMPLE = "Interviewer: How did it go?\n\nJanet: “Fine”, it cost £5 – café naïve.\n"


@pytest.mark.parametrize(
    ("data", "expected_encoding"),
    [
        (SAMPLE.encode("utf-8"), "utf-8"),
        (b"\xef\xbb\xbf" + SAMPLE.encode("utf-8"), "utf-8-sig"),
        (b"\xff\xfe" + SAMPLE.encode("utf-16-le"), "utf-16-le"),
        (b"\xfe\xff" + SAMPLE.encode("utf-16-be"), "utf-16-be"),
        (SAMPLE.encode("utf-16-le"), "utf-16-le"),  # BOM-less, recognised by its NULs
        (SAMPLE.encode("utf-16-be"), "utf-16-be"),
        (SAMPLE.encode("cp1252"), "cp1252"),
    ],
)
def test_decode_each_encoding(data, expected_encoding):
    text, name = decode_bytes(data, "t.txt")
    assert name == expected_encoding
    assert normalise(text) == SAMPLE


@pytest.mark.parametrize("encoding_name", ["utf-8-sig", "utf-16", "cp1252"])
def test_read_text_recovers_the_same_turns_in_any_encoding(encoding_name):
    parsed = read_text(SAMPLE.encode(encoding_name), "t.txt")
    assert_valid(parsed)
    assert speakers(parsed) == ["Interviewer", "Janet"]
    assert texts(parsed) == ["How did it go?", "“Fine”, it cost £5 – café naïve."]
    assert not parsed.text.startswith("\ufeff")


def test_cp1252_curly_quotes_and_pound():
    data = b"Janet: \x93I paid \xa35\x94 \x96 it\x92s fine.\nJanet: ok"
    parsed = read_text(data, "t.txt")
    assert parsed.encoding == "cp1252"
    assert texts(parsed)[0] == "“I paid £5” – it’s fine."


def test_cp1252_undefined_bytes_do_not_fail():
    # 0x81 is undefined in Windows-1252; one such byte in real text still decodes.
    text, name = decode_bytes(b"Janet: caf\xe9 \x81 and some more ordinary words here", "t.txt")
    assert name == "cp1252"
    assert "café \x81 and" in text


@pytest.mark.parametrize("ending", ["\r\n", "\r"])
def test_crlf_and_cr_line_endings(ending):
    data = SAMPLE.replace("\n", ending).encode("utf-8")
    parsed = read_text(data, "t.txt")
    assert "\r" not in parsed.text
    assert parsed.text == SAMPLE
    assert texts(parsed) == ["How did it go?", "“Fine”, it cost £5 – café naïve."]


def test_normalise_is_nfc_and_nothing_else():
    decomposed = "\ufeffcafe\u0301  \t“x”\r\n\r\nend  \n"
    assert normalise(decomposed) == "caf\u00e9  \t“x”\n\nend  \n"


@pytest.mark.parametrize(
    "data",
    [
        b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj",
        b"PK\x03\x04\x14\x00\x06\x00" + b"\x00" * 30,
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 40,
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
        b"\x7fELF\x02\x01\x01\x00",
        b"some text\x00with a NUL in it",
        bytes(range(1, 32)) * 20,  # control characters, no NUL
    ],
    ids=["pdf", "zip", "ole", "png", "elf", "nul", "controls"],
)
def test_binary_data_is_refused(data):
    with pytest.raises(InputError) as excinfo:
        decode_bytes(data, "notes.txt")
    assert "looks like a binary file, not a transcript" in one_line_error(excinfo, "notes.txt")


def test_invalid_utf16_with_bom_is_refused():
    with pytest.raises(InputError) as excinfo:
        decode_bytes(b"\xff\xfe\x00\xd8a", "t.txt")  # lone surrogate, odd length
    one_line_error(excinfo, "t.txt")


def test_read_source_refuses_empty_file(tmp_path):
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    with pytest.raises(InputError) as excinfo:
        read_source(path)
    assert one_line_error(excinfo, "empty.txt") == "empty.txt: is empty"


def test_read_source_size_limit(tmp_path, monkeypatch):
    assert MAX_SOURCE_BYTES == 20 * 1024 * 1024
    monkeypatch.setattr(encoding, "MAX_SOURCE_BYTES", 1024)
    path = tmp_path / "big.txt"
    path.write_bytes(b"Janet: hello\n" * 100)
    with pytest.raises(InputError) as excinfo:
        read_source(path)
    message = one_line_error(excinfo, "big.txt")
    assert "1 KB" in message and "limit" in message
    small = tmp_path / "small.txt"
    small.write_bytes(b"x" * 1024)
    assert read_source(small) == b"x" * 1024


def test_read_source_missing_file_and_folder(tmp_path):
    with pytest.raises(InputError) as excinfo:
        read_source(tmp_path / "nope.txt")
    assert "does not exist" in one_line_error(excinfo, "nope.txt")
    with pytest.raises(InputError):
        read_source(tmp_path)


@pytest.mark.parametrize(("text", "controls"), [
    ("", 0),
    ("plain text\twith tabs\r\nand\x0cform feeds", 0),  # ordinary in text files
    ("\x00\x01 bell\x07 \x0b\x1f\x7f", 6),
    ("C1 controls \x80\x85\x9f, not the letters \xa0\xc2\xe9 near them", 3),
    ("\u0102\u0141\u2019\U0001f600 lone \ud800", 0),  # letters and symbols beyond Latin-1, a lone surrogate
])
def test_control_characters_are_counted_as_the_pattern_finds_them(text, controls):
    assert encoding.controls_in(text) == controls == len(encoding._CONTROL.findall(text))


def test_control_characters_are_counted_in_any_text():
    import random

    rng = random.Random(7)
    alphabet = [chr(i) for i in range(0x180)] + ["\u2019", "\ud800", "\U0001f600", "\u3002"]
    for _ in range(2000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 30)))
        assert encoding.controls_in(text) == len(encoding._CONTROL.findall(text)), repr(text)
