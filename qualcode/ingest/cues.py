"""What the subtitle readers (WebVTT, SubRip) share: blocks, segments, rebuilt text.

Subtitle files hold speech cut into display-sized cues. We rebuild it as a
transcript a person can read and code: one paragraph per turn, ``Speaker: speech``
(no label for unattributed speech), paragraphs separated by a blank line. The
label stays in the text but outside the turn's span, as in every reader.
"""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

from .model import ParsedTranscript, ParsedTurn


@dataclass(slots=True)
class Segment:
    """Speech from one cue (or part of one) with its speaker and cue times."""

    speaker: str | None
    text: str
    start: float
    end: float
    new_turn: bool = False  # starts a turn even if the speaker is unchanged


def blocks(lines: list[str], first: int = 0) -> Iterator[tuple[int, list[str]]]:
    """Runs of non-blank lines from ``lines[first:]``, with 1-based line numbers."""
    block: list[str] = []
    start = 0
    for index in range(first, len(lines)):
        line = lines[index]
        if line.strip():
            if not block:
                start = index + 1
            block.append(line)
        elif block:
            yield start, block
            block = []
    if block:
        yield start, block


def last_line(lines: list[str]) -> int:
    """1-based number of the last line (a final newline does not start a line)."""
    return max(1, len(lines) - (1 if lines and lines[-1] == "" else 0))


def clean(text: str) -> str:
    """Join display lines into running speech: NFC, single spaces at the joins."""
    return unicodedata.normalize("NFC", " ".join(part.strip() for part in text.split("\n") if part.strip()))


def assemble(segments: list[Segment]) -> tuple[str, list[ParsedTurn]]:
    """Merge consecutive segments of the same (named) speaker into turns; build text.

    Unattributed segments (speaker None) are never merged: with no speaker we
    cannot tell one voice from the next, so each cue stays its own turn.
    """
    merged: list[Segment] = []
    pieces: list[list[str]] = []  # joined once at the end: merging is then linear
    for seg in segments:
        # Whitespace inside a cue is kept but trimmed at the ends, so the rebuilt
        # paragraph holds exactly "Speaker: speech".
        text = seg.text.strip()
        if not text:
            continue
        prev = merged[-1] if merged else None
        if prev is not None and seg.speaker is not None and seg.speaker == prev.speaker and not seg.new_turn:
            pieces[-1].append(text)
            prev.end = max(prev.end, seg.end)
        else:
            merged.append(Segment(seg.speaker, text, seg.start, seg.end, seg.new_turn))
            pieces.append([text])
    for seg, texts in zip(merged, pieces):
        seg.text = " ".join(texts)

    parts: list[str] = []
    turns: list[ParsedTurn] = []
    offset = 0
    for seg in merged:
        label = f"{seg.speaker}: " if seg.speaker is not None else ""
        start = offset + len(label)
        turns.append(ParsedTurn(seg.speaker, start, start + len(seg.text), seg.start, seg.end))
        paragraph = label + seg.text
        parts.append(paragraph)
        offset += len(paragraph) + 2  # the blank line between paragraphs
    return "\n\n".join(parts), turns


def transcript_from(segments: list[Segment], data: bytes, source_name: str, fmt: str,
                    encoding: str, warnings: list[str]) -> ParsedTranscript:
    """The ParsedTranscript of a caption file: its segments assembled into turns."""
    text, turns = assemble(segments)
    return ParsedTranscript(text=text, turns=turns, source_name=source_name,
                            sha256=hashlib.sha256(data).hexdigest(), format=fmt,
                            encoding=encoding, warnings=warnings)
