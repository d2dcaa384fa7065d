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
from collections import Counter

from ..errors import InputError
from .cues import Segment, blocks, clean, last_line, transcript_from
from .encoding import decode_text, normalise
from .labels import HANDLE, label_prefix, label_shape
from .model import ParsedTranscript

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


def _cue_pieces(payload: str) -> list[tuple[str | None, str]]:
    """One cue's text cut at its voice tags: (voice or None, cleaned text)."""
    voice: str | None = None
    pos = 0
    pieces: list[tuple[str | None, str]] = []
    for m in _VOICE.finditer(payload):
        pieces.append((voice, payload[pos : m.start()]))
        if m.group(0).startswith("</"):
            voice = None
        else:
            # "<v Roger Dannenberg:>": the colon some tools add is punctuation, not name.
            name = " ".join(html.unescape(m.group("name") or "").split()).rstrip(":\uff1a").rstrip()
            voice = name or None
        pos = m.end()
    pieces.append((voice, payload[pos:]))
    return [(speaker, text) for speaker, raw in pieces if (text := clean(_strip(raw)))]


def _prefix_rule(cues: list[list[tuple[str | None, str]]]):
    """Which ``Name:`` prefixes at the start of an untagged cue name its speaker.

    Any label-shaped prefix does; a lower-case handle (``nflaig:``) only when it recurs
    in a file where most cues start with a prefix (Zoom writes one on every cue), so
    that a caption such as "listen: ..." keeps its words."""
    prefixes = [label_prefix(pieces[0][1]) for pieces in cues if pieces and pieces[0][0] is None]
    found = [p for p in prefixes if p is not None]
    counts = Counter(p[0] for p in found)
    dense = bool(cues) and len(found) >= 0.5 * len(cues)

    def accept(label: str) -> bool:
        if label_shape(label) != HANDLE:
            return True
        return dense and counts[label] >= 2

    return accept


def _cue_segments(pieces: list[tuple[str | None, str]], start: float, end: float, accept) -> list[Segment]:
    segments: list[Segment] = []
    for index, (speaker, text) in enumerate(pieces):
        if speaker is None and index == 0:
            # No voice tag: a "Name:" prefix at the start of the cue names it.
            prefix = label_prefix(text)
            if prefix is not None and accept(prefix[0]):
                speaker, at, _ = prefix
                text = text[at:]
        if text:
            segments.append(Segment(speaker, text, start, end))
    return segments


def read_vtt(data: bytes, source_name: str) -> ParsedTranscript:
    """Read a WebVTT file into turns (see the module docstring)."""
    raw, encoding, notes = decode_text(data, source_name)
    lines = normalise(raw).split("\n")
    if not re.fullmatch(r"WEBVTT(?:[ \t].*)?", lines[0]):
        raise InputError(source_name, "line 1: missing the 'WEBVTT' header; this is not a WebVTT file")

    # The header block runs to the first blank line (it may hold metadata).
    first = next((i for i, line in enumerate(lines) if not line.strip()), len(lines))
    warnings: list[str] = list(notes)
    cues: list[tuple[float, float, list[str]]] = []
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
            if cues:
                cues[-1][2].extend(block)
                warnings.append(f"line {line_number}: text after a blank line was kept with the cue before it")
            else:
                warnings.append(f"line {line_number}: text before the first cue was skipped")
            continue
        start, end = parse_timing(
            block[timing_at], line_number + timing_at, source_name, "00:00:01.000 --> 00:00:04.000"
        )
        cues.append((start, end, list(block[timing_at + 1 :])))
    if not cues:
        raise InputError(
            source_name,
            f"line {last_line(lines)}: reached the end without a cue timing line"
            " such as '00:00:01.000 --> 00:00:04.000'",
        )
    pieces = [_cue_pieces(" ".join(lines)) for _, _, lines in cues]
    accept = _prefix_rule(pieces)
    segments = [segment for (start, end, _), cue_pieces in zip(cues, pieces)
                for segment in _cue_segments(cue_pieces, start, end, accept)]
    return transcript_from(segments, data, source_name, "vtt", encoding, warnings)
