"""Bytes to faithful text: reading, decoding and normalising a source file.

Transcripts arrive from word processors, transcription services and video-call
tools, so the bytes may be UTF-8 (with or without a byte-order mark), UTF-16 as
written by Windows "Unicode" exports, or legacy Windows-1252. We decode those and
refuse anything that is clearly not text, so that a PDF or a Word file renamed to
``.txt`` fails with a clear message instead of being imported as noise.

:func:`normalise` changes as little as possible: offsets into the stored text are
what codings point at, so every later change to the text would move them. It only
does what makes the same transcript read the same on every platform (NFC, one line
ending, no BOM).
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path
from typing import NamedTuple

from ..errors import InputError
from ..input_files import read_regular_file

#: Largest source file we read. A transcript of a two-hour interview is ~150 KB of
#: text and a Word file with a few images a few MB; 20 MB leaves ample room while
#: keeping a mistaken pick (a video, a database dump) from filling memory.
MAX_SOURCE_BYTES = 20 * 1024 * 1024

# Magic numbers of formats people mistake for transcripts (or rename by accident).
# Checked before any decoding: none of these can start a real text transcript.
_BINARY_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "PDF"),
    (b"PK\x03\x04", "zip (perhaps a .docx)"),
    (b"PK\x05\x06", "zip"),
    (b"PK\x07\x08", "zip"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "OLE (an old .doc or an encrypted Office file)"),
    (b"\x89PNG\r\n\x1a\n", "PNG image"),
    (b"\x7fELF", "ELF executable"),
    (b"GIF87a", "GIF image"),
    (b"GIF89a", "GIF image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"\x1f\x8b", "gzip"),
    (b"Rar!\x1a\x07", "RAR archive"),
    (b"7z\xbc\xaf\x27\x1c", "7-Zip archive"),
    (b"SQLite format 3\x00", "SQLite database"),
    (b"OggS", "Ogg audio"),
    (b"fLaC", "FLAC audio"),
)

# Share of control characters above which decoded "text" is really binary data.
# Real transcripts have essentially none (tabs, newlines and form feeds excepted).
_MAX_CONTROL_SHARE = 0.05
# Unicode category Cc is exactly U+0000-U+001F and U+007F-U+009F; tab, newline,
# carriage return and form feed are ordinary in text files.
_CONTROL = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")
# The same characters in UTF-8: one byte each below U+0080, C2 80-C2 9F above.
_CONTROL_BYTES = bytes([*range(0x00, 0x09), 0x0B, *range(0x0E, 0x20), 0x7F])
_C1_CONTROL_UTF8 = re.compile(b"\xc2[\x80-\x9f]")

_BINARY_PROBLEM = "looks like a binary file, not a transcript"


def _binary(path: str | Path, what: str | None = None) -> InputError:
    if what:
        return InputError(path, f"{_BINARY_PROBLEM} ({what})")
    return InputError(path, _BINARY_PROBLEM)


def _check_controls(text: str, path: str | Path) -> None:
    """Refuse decoded text that is mostly control characters (binary data)."""
    if not text:
        return
    if "\x00" in text:
        # A NUL never occurs in a real transcript; one is enough to refuse.
        raise _binary(path)
    if controls_in(text) / len(text) > _MAX_CONTROL_SHARE:
        raise _binary(path)


def controls_in(text: str) -> int:
    """How many control characters ``text`` has (as ``_CONTROL`` finds them). Counted
    on its UTF-8 bytes, which C code deletes from a copy at a fraction of the time the
    regular expression takes to scan the text (this runs on every file imported)."""
    data = text.encode("utf-8", "surrogatepass")
    count = len(data) - len(data.translate(None, _CONTROL_BYTES))
    if b"\xc2" in data:
        count += len(_C1_CONTROL_UTF8.findall(data))
    return count


def _utf16_without_bom(data: bytes) -> str | None:
    """Return "utf-16-le"/"utf-16-be" when BOM-less data is clearly UTF-16.

    Text that is mostly ASCII or Latin, encoded as UTF-16, has a NUL in every
    other byte (the high byte of each code unit). We require that pattern on
    nearly all code units of the first few KB, and NULs almost nowhere else, so a
    binary file that merely contains NULs does not pass.
    """
    sample = data[:8192]
    if len(sample) < 4 or len(sample) % 2:
        sample = sample[: len(sample) - len(sample) % 2]
    if len(sample) < 4:
        return None
    units = len(sample) // 2
    even_nuls = sample[0::2].count(0)
    odd_nuls = sample[1::2].count(0)
    if odd_nuls >= 0.9 * units and even_nuls <= 0.02 * units:
        return "utf-16-le"
    if even_nuls >= 0.9 * units and odd_nuls <= 0.02 * units:
        return "utf-16-be"
    return None


_ESCAPED = re.compile("[\udc80-\udcff]")  # bytes the cp1252 codec left undecoded


def _decode_cp1252(data: bytes) -> str:
    """Windows-1252, keeping the five bytes it leaves undefined as C1 controls.

    Python's cp1252 codec rejects 0x81, 0x8D, 0x8F, 0x90 and 0x9D; Windows itself
    maps them to U+0081... like Latin-1. Doing the same means the fallback never
    fails, and the control-character check then judges whether it is text at all.
    """
    text = data.decode("cp1252", errors="surrogateescape")
    if _ESCAPED.search(text):
        text = _ESCAPED.sub(lambda m: chr(ord(m.group()) - 0xDC00), text)
    return text


class Decoded(NamedTuple):
    text: str
    encoding: str  # a codec name, or MIXED
    notes: list[str]  # what the reader should be told (a legacy encoding, mixed lines)


#: The encoding recorded for a file of UTF-8 lines and Windows-1252 lines, decoded line
#: by line (see :func:`decode_text`).
MIXED = "utf-8+cp1252"

# A well-formed UTF-8 sequence of two to four bytes. Windows-1252 prose practically
# never holds one (an accented letter is followed by an ASCII one), so a line that is
# not UTF-8 yet holds one mixes the two encodings, and no decoding of it is safe.
_UTF8_SEQUENCE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|\xe0[\xa0-\xbf][\x80-\xbf]|[\xe1-\xec\xee\xef][\x80-\xbf]{2}"
    rb"|\xed[\x80-\x9f][\x80-\xbf]|\xf0[\x90-\xbf][\x80-\xbf]{2}|[\xf1-\xf3][\x80-\xbf]{3}"
    rb"|\xf4[\x80-\x8f][\x80-\xbf]{2}"
)
_UNDEFINED_IN_CP1252 = re.compile(rb"[\x81\x8d\x8f\x90\x9d]")


def describe_lines(numbers: list[int], most: int = 8) -> str:
    """``line 4``, ``lines 3, 7 and 12``, ``lines 3, 7, 9, ... (40 lines)``."""
    if len(numbers) == 1:
        return f"line {numbers[0]}"
    if len(numbers) <= most:
        return f"lines {', '.join(map(str, numbers[:-1]))} and {numbers[-1]}"
    return f"lines {', '.join(map(str, numbers[:most]))}, ... ({len(numbers)} lines)"


def _decode_by_line(data: bytes, path: str | Path) -> Decoded:
    """Bytes that are not UTF-8 as a whole: UTF-8 where a line is UTF-8, Windows-1252
    where a line can only be that; refused where a line is neither, or both.

    A file with no UTF-8 line beyond ASCII is Windows-1252 throughout, as an older
    Windows program writes it. Where some lines are UTF-8 and others are not (a
    transcript pasted together from two sources), decoding the whole file as
    Windows-1252 would turn every UTF-8 letter into two (``Zoë`` into ``ZoÃ«``), so
    each line is decoded as what it is.
    """
    lines = data.split(b"\n")
    legacy: list[int] = []
    unsure: list[int] = []
    utf8_lines = 0
    for number, line in enumerate(lines, start=1):
        if line.isascii():
            continue
        try:
            line.decode("utf-8")
            utf8_lines += 1
            continue
        except UnicodeDecodeError:
            pass
        if _UTF8_SEQUENCE.search(line):
            unsure.append(number)
        else:
            legacy.append(number)
    if not utf8_lines:
        # (Even where a line holds what looks like a UTF-8 sequence: with no UTF-8 line
        # anywhere, "ç" and "œœ" in Windows-1252 happening to form one is the likelier.)
        return Decoded(_decode_cp1252(data), "cp1252",
                       ["not UTF-8: read as Windows-1252 (cp1252); check accented letters and quotes"])
    if unsure:
        raise InputError(path, f"mixes UTF-8 with another encoding within {describe_lines(unsure)}; "
                               "save it as UTF-8 and import it again")
    undefined = [n for n in legacy if _UNDEFINED_IN_CP1252.search(lines[n - 1])]
    if undefined:
        raise InputError(path, f"is UTF-8 except {describe_lines(undefined)}, which "
                               f"{'is' if len(undefined) == 1 else 'are'} not Windows-1252 either; "
                               "save it as UTF-8 and import it again")
    for number in legacy:
        lines[number - 1] = lines[number - 1].decode("cp1252").encode("utf-8")
    return Decoded(b"\n".join(lines).decode("utf-8"), MIXED,
                   [f"{describe_lines(legacy)} {'is' if len(legacy) == 1 else 'are'} not UTF-8: "
                    "read as Windows-1252 (cp1252), the rest as UTF-8"])


def decode_text(data: bytes, path: str | Path) -> Decoded:
    """Decode the bytes of a text transcript, with notes on how it was decoded.

    Order: refuse known binary formats; honour a byte-order mark (UTF-8, UTF-16
    LE/BE); recognise BOM-less UTF-16 by its NUL pattern; refuse any other NUL;
    then UTF-8, strictly; bytes that are not UTF-8 are decoded line by line
    (:func:`_decode_by_line`): Windows-1252 for a file that is wholly that, each line
    as what it is in a file of both, refused where a line is ambiguous. The
    control-character check then decides whether the result is text at all.

    The returned text still has its BOM removed but is not normalised; see
    :func:`normalise`. Encoding names are Python codec names: ``utf-8``,
    ``utf-8-sig`` (UTF-8 with BOM), ``utf-16-le``, ``utf-16-be``, ``cp1252``, and
    :data:`MIXED` for UTF-8 with some lines of Windows-1252.
    """
    for magic, what in _BINARY_MAGIC:
        if data.startswith(magic):
            raise _binary(path, what)
    if data.startswith(b"{\\rtf"):
        raise InputError(path, "is an RTF file; save it as .docx or plain text (.txt)")

    if data.startswith(b"\xef\xbb\xbf"):
        try:
            text = data[3:].decode("utf-8")
        except UnicodeDecodeError as exc:
            line = data.count(b"\n", 0, exc.start + 3) + 1
            raise InputError(
                path, f"starts with a UTF-8 byte-order mark but is not valid UTF-8 (line {line}, "
                      f"byte {exc.start + 3})"
            ) from None
        _check_controls(text, path)
        _check_lines(text, path)
        return Decoded(text, "utf-8-sig", [])

    bom16 = {b"\xff\xfe": "utf-16-le", b"\xfe\xff": "utf-16-be"}.get(data[:2])
    encoding = bom16 or _utf16_without_bom(data)
    if encoding is not None:
        body = data[2:] if bom16 else data
        try:
            text = body.decode(encoding)
        except UnicodeDecodeError:
            if bom16:
                raise InputError(path, "starts with a UTF-16 byte-order mark but is not valid UTF-16") from None
            raise _binary(path) from None
        _check_controls(text, path)
        _check_lines(text, path)
        return Decoded(text, encoding, [])

    if b"\x00" in data:
        raise _binary(path)

    try:
        decoded = Decoded(data.decode("utf-8"), "utf-8", [])
    except UnicodeDecodeError:
        decoded = _decode_by_line(data, path)
    _check_controls(decoded.text, path)
    _check_lines(decoded.text, path)
    return decoded


#: Most lines a text file may have. The turn finder holds a few hundred bytes per line;
#: 20 MB of one-word lines (5 million) took 18 s and 1.7 GB before a turn was stored.
#: A two-hour interview has a few thousand lines.
MAX_LINES = 1_000_000


def _check_lines(text: str, path: str | Path) -> None:
    lines = text.count("\n") or text.count("\r")
    if lines > MAX_LINES:
        raise InputError(path, f"has more than {MAX_LINES:,} lines ({lines:,}); it is not a transcript (split it)")


def decode_bytes(data: bytes, path: str | Path) -> tuple[str, str]:
    """:func:`decode_text` without the notes: ``(text, encoding name)``."""
    decoded = decode_text(data, path)
    return decoded.text, decoded.encoding


def normalise(text: str) -> str:
    """NFC, every line ending as ``\\n``, leading BOM removed; nothing else.

    NFC makes "é" typed as one code point and as e + combining accent the same
    text (so search and offsets agree across sources). Whitespace, quotes and
    dashes are kept exactly as written: the stored text is the record.
    """
    if text.startswith("\ufeff"):
        text = text[1:]
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return unicodedata.normalize("NFC", text)


def read_source(path: str | Path, what: str = "transcript") -> bytes:
    """Read a source file's bytes, refusing empty files, files over the limit, and
    anything that is not a regular file (a named pipe would block the read forever).

    The limit is :data:`MAX_SOURCE_BYTES` (20 MB), looked up at call time. We read
    at most one byte past it, so a file that grows while we read it, or a device
    that reports no size, cannot make us read without bound.
    """
    data = read_regular_file(path, MAX_SOURCE_BYTES, what)
    if not data:
        raise InputError(path, "is empty")
    return data
