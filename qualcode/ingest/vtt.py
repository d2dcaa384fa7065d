"""WebVTT transcripts (video-call recordings: Zoom, Teams, podcast captions).

Speakers come from voice tags (``<v Sarah>``, ``<v.loud Sarah>``, closed by
``</v>`` or not) or, without a voice tag, a ``Name:`` prefix at the start of the
cue text. A cue with neither is its own unattributed turn: captions without voice
tags carry no speaker information, and guessing "same as before" would silently
attribute speech to the wrong person. Consecutive cues of the same speaker are one
turn (their texts joined with a space), timed from the first cue's start to the
last cue's end.

Other tags (``<b>``, ``<i>``, ``<c.yellow>``, ``<00:00:01.000>``) are removed and
HTML entities decoded. NOTE, STYLE and REGION blocks and cue identifiers are
skipped; text cut from its cue by a stray blank line is kept with that cue (with
a warning). Malformed files raise :class:`~qualcode.errors.InputError` naming the
line: no ``WEBVTT`` header, a cue timing that does not parse, or no cue at all.
"""

from __future__ import annotations

import html
import re

from ..errors import InputError
from .cues import Segment, blocks, clean, last_line, transcript_from
from .encoding import decode_bytes, normalise
from .model import ParsedTranscript
from .text import label_prefix

# The spec wants mm:ss.ttt with an optional hours field; we also take a comma and
# fewer millisecond digits, which some tools write, since the meaning is clear.
_TIME = r"(?:(\d{1,5}):)?(\d{1,2}):(\d{1,2})(?:[.,](\d{1,3}))?"
_TIMING = re.compile(rf"[ \t]*{_TIME}[ \t]+-->[ \t]+{_TIME}(?:[ \t]+.*)?")
# Tag bodies exclude "<" so that a run of unclosed "<" costs linear, not quadratic, time.
_VOICE = re.compile(r"<v(?:\.[^\s<>]*)?(?:[ \t]+(?P<name>[^<>]*))?>|</v[ \t]*>", re.IGNORECASE)
_TAG = re.compile(r"<[^<>]*>")
_SKIPPED_BLOCKS = frozenset({"NOTE", "STYLE", "REGION"})


def _seconds(hours: str | None, minutes: str, seconds: str, millis: str | None) -> float | None:
    m, s = int(minutes), int(seconds)
    if m >= 60 or s >= 60:
        return None
    fraction = int(millis.ljust(3, "0")) / 1000 if millis else 0.0
    return int(hours or 0) * 3600 + m * 60 + s + fraction


def parse_timing(line: str, line_number: int, source_name: str, example: str) -> tuple[float, float]:
    """Parse ``start --> end`` (shared with SubRip); raise a located InputError."""
    m = _TIMING.fullmatch(line)
    start = _seconds(*m.group(1, 2, 3, 4)) if m else None
    end = _seconds(*m.group(5, 6, 7, 8)) if m else None
    shown = line.strip()
    if len(shown) > 60:
        shown = shown[:57] + "..."
    if start is None or end is None:
        raise InputError(
            source_name, f"line {line_number}: cue timing '{shown}' does not parse (expected '{example}')"
        )
    if end < start:
        raise InputError(source_name, f"line {line_number}: cue ends before it starts ('{shown}')")
    return start, end


def _strip(text: str) -> str:
    return html.unescape(_TAG.sub("", text))


def _cue_segments(payload: str, start: float, end: float) -> list[Segment]:
    """Split one cue's text at its voice tags."""
    segments: list[Segment] = []
    voice: str | None = None
    pos = 0
    pieces: list[tuple[str | None, str]] = []
    for m in _VOICE.finditer(payload):
        pieces.append((voice, payload[pos : m.start()]))
        if m.group(0).startswith("</"):
            voice = None
        else:
            name = " ".join(html.unescape(m.group("name") or "").split())
            voice = name or None
        pos = m.end()
    pieces.append((voice, payload[pos:]))

    for index, (speaker, raw) in enumerate(pieces):
        text = clean(_strip(raw))
        if not text:
            continue
        if speaker is None and not segments and index == 0:
            # No voice tag: a "Name:" prefix at the start of the cue names it.
            prefix = label_prefix(text)
            if prefix is not None:
                speaker, at, _ = prefix
                text = text[at:]
        segments.append(Segment(speaker, text, start, end))
    return segments


def read_vtt(data: bytes, source_name: str) -> ParsedTranscript:
    """Read a WebVTT file into turns (see the module docstring)."""
    raw, encoding = decode_bytes(data, source_name)
    lines = normalise(raw).split("\n")
    if not re.fullmatch(r"WEBVTT(?:[ \t].*)?", lines[0]):
        raise InputError(source_name, "line 1: missing the 'WEBVTT' header; this is not a WebVTT file")

    # The header block runs to the first blank line (it may hold metadata).
    first = next((i for i, line in enumerate(lines) if not line.strip()), len(lines))
    segments: list[Segment] = []
    warnings: list[str] = []
    cues = 0
    cue: tuple[float, float, list[str]] | None = None  # the cue being read
    for line_number, block in blocks(lines, first):
        head = block[0]
        if head.split(None, 1)[0] in _SKIPPED_BLOCKS:
            continue  # "NOTE ...", "STYLE", "REGION": not speech
        if "-->" in head:
            timing_at = 0
        elif len(block) > 1 and "-->" in block[1]:
            timing_at = 1  # the first line is a cue identifier
        else:
            # The spec drops such blocks, but they are usually a cue's text cut by
            # a stray blank line: keep the speech with the cue before it.
            if cue is not None:
                cue[2].extend(block)
                warnings.append(f"line {line_number}: text after a blank line was kept with the cue before it")
            else:
                warnings.append(f"line {line_number}: text before the first cue was skipped")
            continue
        start, end = parse_timing(
            block[timing_at], line_number + timing_at, source_name, "00:00:01.000 --> 00:00:04.000"
        )
        if cue is not None:
            segments.extend(_cue_segments(" ".join(cue[2]), cue[0], cue[1]))
        cue = (start, end, list(block[timing_at + 1 :]))
        cues += 1
    if cue is not None:
        segments.extend(_cue_segments(" ".join(cue[2]), cue[0], cue[1]))
    if cues == 0:
        raise InputError(
            source_name,
            f"line {last_line(lines)}: reached the end without a cue timing line"
            " such as '00:00:01.000 --> 00:00:04.000'",
        )
    return transcript_from(segments, data, source_name, "vtt", encoding, warnings)
