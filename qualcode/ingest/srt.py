"""SubRip (.srt) transcripts.

SubRip has no speaker markup. Transcription services write the speaker as a
``Name:`` prefix only when the speaker changes, so a cue without a prefix
continues the current speaker, and each prefix starts a new turn. Before the
first prefix there is no current speaker: each cue is then its own unattributed
turn (as in WebVTT), which keeps the cue timing of unlabelled captions.

A prefix at the start of a cue counts when it is shaped like a label (see
:func:`qualcode.ingest.text.label_prefix`); one at the start of a later line of a
cue (a speaker change mid-cue) must also be a known role or id, or be used as a
prefix at least twice in the file, since wrapped caption lines often begin with a
word and a colon.

Cue lines are joined with spaces; formatting tags (``<i>``, ``<b>``, ``<font>``)
and ASS overrides (``{\\an8}``) are removed. We parse SubRip ourselves rather than
with a library so that every problem is reported as our one-line error naming the
line.
"""

from __future__ import annotations

import re
from collections import Counter

from ..errors import InputError
from .cues import Segment, blocks, clean, last_line, transcript_from
from .encoding import decode_text, normalise
from .labels import HANDLE, label_prefix, label_shape
from .model import ParsedTranscript
from .vtt import parse_timing

_EXAMPLE = "00:00:01,000 --> 00:00:04,000"
_TAGS = re.compile(r"</?(?:b|i|u|s|font)(?:[ \t][^<>]*)?>|\{\\[^{}]*\}", re.IGNORECASE)
_DASH = re.compile(r"-[ \t]*")  # "- Name: ..." marks a change of speaker in captions


def _prefix(line: str) -> tuple[str, int, bool] | None:
    dash = _DASH.match(line)
    skip = dash.end() if dash else 0
    found = label_prefix(line[skip:])
    if found is None:
        return None
    speaker, at, strong = found
    return speaker, skip + at, strong


def read_srt(data: bytes, source_name: str) -> ParsedTranscript:
    """Read a SubRip file into turns (see the module docstring)."""
    raw, encoding, notes = decode_text(data, source_name)
    lines = normalise(raw).split("\n")
    warnings: list[str] = list(notes)

    # Pass 1: cues as (start, end, cleaned lines).
    cues: list[tuple[float, float, list[str]]] = []
    for line_number, block in blocks(lines):
        if "-->" in block[0]:
            timing_at = 0  # the cue number is missing; the timing is enough
        elif len(block) > 1 and "-->" in block[1]:
            timing_at = 1
        elif len(block) == 1 and block[0].strip().isdigit():
            continue  # a cue number left without a cue
        else:
            # Some editors leave a blank line inside a cue's text: keep the text
            # with the cue before it rather than lose speech.
            if cues:
                cues[-1][2].extend(_TAGS.sub("", extra).strip() for extra in block)
                warnings.append(f"line {line_number}: text after a blank line was kept with the cue before it")
            else:
                warnings.append(f"line {line_number}: text before the first cue was skipped")
            continue
        start, end = parse_timing(block[timing_at], line_number + timing_at, source_name, _EXAMPLE)
        cues.append((start, end, [_TAGS.sub("", line).strip() for line in block[timing_at + 1 :]]))
    if not cues:
        raise InputError(
            source_name, f"line {last_line(lines)}: reached the end without a cue timing line such as '{_EXAMPLE}'"
        )

    # Prefixes used at least twice (or roles and ids) may also start a later line.
    counts = Counter(p[0] for _, _, cue_lines in cues for line in cue_lines if (p := _prefix(line)))

    # Pass 2: segments, carrying the current speaker from cue to cue.
    segments: list[Segment] = []
    speaker: str | None = None
    for start, end, cue_lines in cues:
        parts: list[tuple[str | None, bool, list[str]]] = [(speaker, False, [])]
        for index, line in enumerate(cue_lines):
            found = _prefix(line)
            # A lower-case handle ("jdoe:") must recur: once, "listen: ..." is a lyric.
            if found and label_shape(found[0]) == HANDLE and counts[found[0]] < 2:
                found = None
            if found and (index == 0 or found[2] or counts[found[0]] >= 2):
                speaker = found[0]
                parts.append((speaker, True, [line[found[1] :]]))
            else:
                parts[-1][2].append(line)
        for who, labelled, texts in parts:
            text = clean("\n".join(texts))
            if text:
                # Unattributed cues stay separate turns; a new prefix starts a turn.
                segments.append(Segment(who, text, start, end, new_turn=labelled))
    return transcript_from(segments, data, source_name, "srt", encoding, warnings)
