"""Start times for the turns a source left without one, estimated from their neighbours.

A transcript with some timestamps (a time every few turns, a speech-to-text file whose
edited turns lost theirs) can still be played turn by turn: a turn without a time gets
one interpolated between the nearest timed turns before and after it, in proportion to
the characters spoken in between (speech runs at a roughly even rate). Turns before the
first timed turn are placed between 0 (the start of the recording) and it; turns after
the last one continue at the transcript's own rate of speech. Times read from the source
are never changed; the estimated ones are marked so that they are shown as estimates.

Where the timed turns go backwards (a clock restarted, two recordings in one file), a
turn between them takes the earlier time rather than an interpolation across the jump.
"""

from __future__ import annotations

import itertools
from dataclasses import replace

from .model import ParsedTranscript, ParsedTurn

#: Characters per second of conversational speech (about 150 words a minute), used after
#: the last timed turn when the timed part gives no rate of its own.
DEFAULT_CHARS_PER_SECOND = 14.0


def estimate_times(parsed: ParsedTranscript) -> ParsedTranscript:
    """``parsed`` with a start time on every turn when at least one turn has one; the
    indexes of the turns given an estimate are in ``estimated``."""
    turns = parsed.turns
    anchors = [i for i, t in enumerate(turns) if t.start_time is not None]
    if not anchors or len(anchors) == len(turns):
        return parsed
    starts: list[float | None] = [t.start_time for t in turns]
    estimated: list[int] = []
    rate = _speech_rate(turns, anchors)

    def place(indexes: range, time_before: float, chars_before: int, time_after: float | None,
              chars_after: int | None) -> None:
        for i in indexes:
            offset = turns[i].start - chars_before
            if time_after is None or chars_after is None or time_after < time_before:
                starts[i] = time_before + (offset / rate if time_after is None else 0.0)
            else:
                span = max(chars_after - chars_before, 1)
                starts[i] = time_before + (time_after - time_before) * min(offset / span, 1.0)
            estimated.append(i)

    first = anchors[0]
    place(range(0, first), 0.0, 0, starts[first], turns[first].start)
    for before, after in itertools.pairwise(anchors):
        place(range(before + 1, after), starts[before] or 0.0, turns[before].start,
              starts[after], turns[after].start)
    last = anchors[-1]
    place(range(last + 1, len(turns)), starts[last] or 0.0, turns[last].start, None, None)
    placed = set(estimated)
    new_turns = [
        ParsedTurn(t.speaker, t.start, t.end, round(starts[i] or 0.0, 3), t.end_time) if i in placed else t
        for i, t in enumerate(turns)
    ]
    return replace(parsed, turns=new_turns, estimated=sorted(estimated))


def _speech_rate(turns: list[ParsedTurn], anchors: list[int]) -> float:
    """Characters per second between the first and last timed turns, if it is sensible."""
    first, last = anchors[0], anchors[-1]
    seconds = (turns[last].start_time or 0.0) - (turns[first].start_time or 0.0)
    chars = turns[last].start - turns[first].start
    if seconds > 0 and chars > 0:
        rate = chars / seconds
        if 2.0 <= rate <= 60.0:  # else the timestamps are not of one recording
            return rate
    return DEFAULT_CHARS_PER_SECOND
