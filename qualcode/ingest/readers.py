"""Choose the reader for a transcript file by its extension.

This is the only reader entry point that touches the file system: it reads the
bytes (with the size and emptiness checks of :func:`read_source`) and hands them
to the pure reader for the format. The extension decides, not the content, so a
mislabelled file fails with that reader's clear message ("is not a Word .docx
file", "looks like a binary file") instead of being guessed at.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ..errors import InputError
from .encoding import read_source
from .markdown import read_markdown
from .model import ParsedTranscript
from .override import LabelOverride
from .speech_to_text import read_whisper_json
from .srt import read_srt
from .text import read_text
from .timed_html import read_otr, read_timed_html
from .timing import estimate_times
from .vtt import read_vtt

Reader = Callable[[bytes, str], ParsedTranscript]


def read_docx(data: bytes, source_name: str) -> ParsedTranscript:
    """:func:`qualcode.ingest.docx.read_docx`, imported when a Word file is read: python-docx
    and lxml take longer to import (about 60 ms) than a text file of 5,000 words takes
    to read, and most imports are of text files."""
    from .docx import read_docx as read

    return read(data, source_name)


#: Most turns one transcript may have: a long focus group has a few thousand. Storing a
#: turn, its sentences and its index entries costs about a kilobyte of memory at once.
MAX_TURNS = 200_000

READERS: dict[str, Reader] = {
    ".txt": read_text,
    ".text": read_text,
    ".md": read_markdown,
    ".markdown": read_markdown,
    ".docx": read_docx,
    ".vtt": read_vtt,
    ".srt": read_srt,
    ".json": read_whisper_json,
    ".otr": read_otr,
    ".html": read_timed_html,
    ".htm": read_timed_html,
}


def reader_for(path: str | Path) -> Reader:
    """The reader for a path's extension, or an InputError naming the formats we read."""
    suffix = Path(path).suffix.lower()
    reader = READERS.get(suffix)
    if reader is None:
        shown = suffix or "(no extension)"
        raise InputError(path, f"unsupported format {shown}; qualcode reads .txt, .md, .docx, .vtt, .srt, "
                                     "Whisper .json, oTranscribe .otr and noScribe .html")
    return reader


def read_transcript(path: str | Path, override: LabelOverride | None = None) -> ParsedTranscript:
    """Read one transcript file of any supported format into a ParsedTranscript;
    with ``override``, its turns are found with the researcher's labels instead."""
    path = Path(path)
    reader = reader_for(path)  # before reading, so a .pdf is refused without loading it
    data = read_source(path)
    parsed = reader(data, path.name)
    if not parsed.text.strip():
        raise InputError(path, "has no text in it (only white space)")
    if override is not None:
        from .preview import apply_override

        parsed = apply_override(parsed, override)
    if len(parsed.turns) > MAX_TURNS:
        raise InputError(path, f"has {len(parsed.turns):,} turns, more than {MAX_TURNS:,}; "
                               "it is not a transcript (split it)")
    return estimate_times(parsed)
