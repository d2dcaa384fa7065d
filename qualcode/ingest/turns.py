"""Turns from normalised text: who speaks where, and what is not speech at all.

Given the labels that count (:mod:`qualcode.ingest.label_evidence`), turns run
across wrapped lines until the next label. A blank line ends a turn; an unlabelled
paragraph after it is a new turn of the same speaker (a speaker's answer over several
paragraphs), with two exceptions, since transcribers also leave narration, notes and
colophons unlabelled:

* after a label with speech on its line, unlabelled paragraphs stay with that speaker
  only while they are turn-sized: a run longer than
  ``max(CONTINUATION_FLOOR, CONTINUATION_FACTOR x`` the 90th percentile of the
  file's labelled paragraphs) is narration, and each of its paragraphs is a turn
  without a speaker. (After a label alone on its line, a heading or an Otter line,
  the paragraphs below are that speaker's by construction.)
* paragraphs after the last label that look like a colophon (a link,
  "Transcribed by...", "copyright", "end of interview") are a footer, not speech.

Some lines are not speech and belong to no turn: a label whose every turn holds only
timestamps (an ad-break marker), a paragraph that is a word and timestamps (``Break:
[18:04] to [18:51]``), page markers (``- 12 -``, ``Page 3 of 9``, ``_page : 77``, page
numbers alone on their lines) and underscore-prefixed fields (``_note: ...``). A line
holding only a timestamp ends the current turn and times the next one.

Without any label, paragraphs are the turns (see :mod:`qualcode.ingest.paragraphs`
for single line breaks and hard-wrapped text). Spans exclude the label, the
turn-start timestamp and surrounding whitespace.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Set
from dataclasses import dataclass
from itertools import accumulate, count, pairwise
from operator import add

from .clock import only_times
from .label_evidence import accept_labels
from .labels import FIELD_LINE, LabelCandidate, label_candidate
from .model import Layout, ParsedTurn
from .override import LabelOverride
from .paragraphs import hard_wrap_width, paragraph_breaks

CONTINUATION_FLOOR = 3000
CONTINUATION_FACTOR = 5

_PAGE_MARKER = re.compile(
    r"[ \t]*(?:_?page[ \t]*[:.]?[ \t]*\d{1,4}(?:[ \t]*(?:of|/)[ \t]*\d{1,4})?"
    r"|\[[ \t]*page[ \t]*\d{1,4}[ \t]*\]|[-\u2013\u2014][ \t]*\d{1,4}[ \t]*[-\u2013\u2014])[ \t]*",
    re.IGNORECASE,
)
_MARKER_LINE = re.compile(r"[ \t]*[^\W\d_a-z][\w \t]{0,20}[:\uff1a][ \t]*(.+)")
_BARE_NUMBER = re.compile(r"[ \t]*(\d{1,4})[ \t]*")
_FOOTER = re.compile(
    r"https?://|www\.|\btranscri(?:bed|ption|pt)\b|\bgenerated\b|\bpowered by\b|copyright|\u00a9"
    r"|all rights reserved|\bend of (?:the )?(?:recording|interview|transcript|tape|session)\b|^\W*end\W*$",
    re.IGNORECASE,
)
_FOOTER_MAX = 300


@dataclass(slots=True)
class _Turn:
    speaker: str | None
    time: float | None
    # "label" (speech on the label's line), "under" (the first paragraph under a label
    # alone on its line), "below" (its later paragraphs), "continued", "none"
    origin: str
    first: int | None = None
    last: int | None = None


def _span(turn: _Turn) -> tuple[int, int]:
    """A built turn's (first, last) offsets: every turn of a built list has its text."""
    assert turn.first is not None and turn.last is not None
    return turn.first, turn.last


def _lines(text: str) -> list[tuple[int, str]]:
    """Each line of ``text`` with the offset where it starts."""
    lines = text.split("\n")
    # Line i starts after the lengths of the lines before it and i line breaks (built
    # from iterators that run in C: this is done for every line of every file).
    return list(zip(map(add, accumulate(map(len, lines), initial=0), count()), lines))


def find_turns(
    text: str,
    *,
    hints: Mapping[int, tuple[str, int]] | None = None,
    paragraph_starts: Set[int] = frozenset(),
    marked: Mapping[int, LabelCandidate] | None = None,
    override: LabelOverride | None = None,
) -> list[ParsedTurn]:
    """Split normalised text into speaker turns (see :func:`detect_turns`)."""
    return detect_turns(text, hints=hints, paragraph_starts=paragraph_starts, marked=marked,
                        override=override)[0]


def detect_turns(
    text: str,
    *,
    hints: Mapping[int, tuple[str, int]] | None = None,
    paragraph_starts: Set[int] = frozenset(),
    marked: Mapping[int, LabelCandidate] | None = None,
    override: LabelOverride | None = None,
) -> tuple[list[ParsedTurn], Layout]:
    """Turns of normalised text, and the layout decisions behind them.

    ``hints`` maps the offset of a line start to (speaker, offset where its speech
    begins) for labels known from outside the text, such as a table cell in a Word
    file; they always count. ``marked`` maps line starts to label candidates that
    markup made (a bold run, a heading): they are weighed like any other.
    ``paragraph_starts`` holds offsets of lines that start a paragraph although no
    blank line precedes them (each Word paragraph). ``override``: the researcher's
    own labels, which replace detection.
    """
    # (This runs over every line of every file imported: the lists are made in
    # comprehensions, and what only markup or an override needs only for them.)
    lines = _lines(text)
    plain = [line for _, line in lines]
    blank = [not line or line.isspace() for line in plain]
    if override is not None:
        candidates = [None if empty else override.candidate(line) for line, empty in zip(plain, blank)]
    elif marked:
        candidates = [marked.get(offset) or (None if empty else label_candidate(line))
                      for (offset, line), empty in zip(lines, blank)]
    else:
        candidates = [None if empty else label_candidate(line) for line, empty in zip(plain, blank)]
    # A line starts a paragraph after a blank line, at the start, or where the reader says.
    para_start = [True, *blank[:-1]]
    if paragraph_starts:
        for i, (offset, _line) in enumerate(lines):
            if offset in paragraph_starts:
                para_start[i] = True
    accepted = candidates if override is not None else accept_labels(plain, candidates, para_start)
    for i, (offset, _line) in enumerate(lines if hints else ()):
        hint = hints.get(offset)  # type: ignore[union-attr]
        if hint is not None:
            candidate = candidates[i]
            time = candidate.time if candidate is not None else None
            accepted[i] = LabelCandidate(hint[0], "bold", max(hint[1] - offset, 0), time, True, False, False)

    layout = Layout()
    skip = _skipped_lines(plain, accepted, layout, lines, para_start)
    if not any(c is not None and c.speaker is not None for c in accepted):
        # No labels: paragraphs are the units.
        breaks = paragraph_breaks(plain)
        for i in breaks:
            para_start[i] = True
        layout.paragraphs = ("wrapped lines" if hard_wrap_width(plain) else "lines") if breaks else "blank lines"
    turns = _build(lines, accepted, skip, para_start)

    # A label whose every turn holds only timestamps is a marker, not a speaker.
    by_label: dict[str, list[_Turn]] = {}
    for turn in turns:
        if turn.speaker is not None and turn.origin in ("label", "under"):
            by_label.setdefault(turn.speaker, []).append(turn)
    markers = {label for label, own in by_label.items()
               if all(only_times(text[t.first:t.last]) for t in own)}
    if markers and len(markers) < len(by_label):
        layout.markers = sorted(markers)
        for i, c in enumerate(accepted):
            if c is not None and c.speaker in markers:
                accepted[i] = None
                skip[i] = True
                layout.skipped.append((lines[i][0], lines[i][0] + len(plain[i]), "timestamp marker"))
        turns = _build(lines, accepted, skip, para_start)

    _unattribute_narration(text, turns, layout)
    _mark_header_and_footer(text, turns, layout)
    layout.skipped.sort()
    result = [ParsedTurn(t.speaker, *_span(t), t.time) for t in turns]
    return _with_end_times(result), layout


def _skipped_lines(plain: list[str], accepted: list[LabelCandidate | None], layout: Layout,
                   lines: list[tuple[int, str]], para_start: list[bool]) -> list[bool]:
    """Lines that are not speech: page markers, fields and markers."""
    skip = [False] * len(plain)

    def mark(i: int, why: str) -> None:
        skip[i] = True
        layout.skipped.append((lines[i][0], lines[i][0] + len(plain[i]), why))

    # (Cheap tests first: these run on every line, and nearly every line is speech.)
    numbers = [(i, int(m.group(1))) for i, line in enumerate(plain)
               if len(line) <= 8 and (m := _BARE_NUMBER.fullmatch(line)) and accepted[i] is None]
    # Numbers alone on their lines are page numbers when there are several, rising.
    rising = len(numbers) >= 2 and all(b[1] > a[1] for a, b in pairwise(numbers))
    last = len(plain) - 1
    for i, line in enumerate(plain):
        label = accepted[i]
        if not line or (label is not None and label.speaker is not None):
            continue
        if len(line) <= 40 and _PAGE_MARKER.fullmatch(line):
            mark(i, "page marker")
        elif "_" in line[:12] and FIELD_LINE.match(line):
            mark(i, "field")
        elif (
            para_start[i] and (i == last or not plain[i + 1].strip()) and ":" in line
            and (m := _MARKER_LINE.fullmatch(line)) and only_times(m.group(1))
        ):
            mark(i, "timestamp marker")  # "Break: [18:04] to [18:51]" as a paragraph of its own
    if rising:
        for i, _ in numbers:
            if not skip[i]:
                mark(i, "page marker")
    return skip


def _build(lines: list[tuple[int, str]], accepted: list[LabelCandidate | None],
           skip: list[bool], para_start: list[bool]) -> list[_Turn]:
    turns: list[_Turn] = []
    current: _Turn | None = None
    last_speaker: str | None = None
    below = False  # the last label stood alone on its line: the speech is below it
    fresh = False  # ...and no paragraph under it has started yet
    pending_time: float | None = None
    at_paragraph = True

    def close() -> None:
        nonlocal current, pending_time
        if current is not None:
            if current.first is not None and current.last is not None:
                turns.append(current)
            elif current.time is not None and pending_time is None:
                # An empty labelled turn ("Janet (02:10):" then a blank line) still
                # times the paragraph that follows.
                pending_time = current.time
        current = None

    def open_turn(speaker: str | None, time: float | None, origin: str) -> None:
        nonlocal current, pending_time
        close()
        current = _Turn(speaker, time if time is not None else pending_time, origin)
        pending_time = None

    def add(start: int, segment: str) -> None:
        # ``segment``: the speech on a line, from offset ``start`` to the line's end. The
        # span starts at its first non-space character and ends after its last.
        nonlocal fresh
        stripped = segment.strip()
        if current is None or not stripped:
            return
        if current.origin == "under":
            fresh = False  # the paragraph under the label has begun
        first = start + (len(segment) - len(segment.lstrip()) if segment[0].isspace() else 0)
        if current.first is None:
            current.first = first
        current.last = first + len(stripped)

    def continuation() -> str:
        nonlocal fresh
        if last_speaker is None:
            return "none"
        if below:
            origin = "under" if fresh else "below"
            fresh = False
            return origin
        return "continued"

    for i, ((offset, line), cand) in enumerate(zip(lines, accepted)):
        if not line or line.isspace():
            close()
            at_paragraph = True
            continue
        if para_start[i]:
            at_paragraph = True
        if skip[i]:
            close()
            at_paragraph = True
            continue
        if cand is not None and cand.speaker is not None:
            speech = line[cand.speech_start:].strip()
            open_turn(cand.speaker, cand.time, "label" if speech else "under")
            last_speaker, below, fresh = cand.speaker, not speech, not speech
            add(offset + cand.speech_start, line[cand.speech_start:])
        elif cand is not None and line[cand.speech_start:].strip() == "":
            # A line holding only a timestamp: it times the next turn.
            close()
            pending_time = cand.time
            at_paragraph = True
            continue
        elif cand is not None and at_paragraph:
            open_turn(last_speaker, cand.time, continuation())
            add(offset + cand.speech_start, line[cand.speech_start:])
        elif at_paragraph or current is None:
            open_turn(last_speaker, None, continuation())
            add(offset, line)
        else:
            add(offset, line)
        at_paragraph = False
    close()
    return turns


def _unattribute_narration(text: str, turns: list[_Turn], layout: Layout) -> None:
    """Runs of unlabelled paragraphs too long to be the labelled speaker's."""
    own = sorted(last - first for first, last in (_span(t) for t in turns if t.origin == "label"))
    if not own:
        return
    limit = max(CONTINUATION_FLOOR, CONTINUATION_FACTOR * own[min(len(own) - 1, int(len(own) * 0.9))])
    i = 0
    while i < len(turns):
        if turns[i].origin != "continued":
            i += 1
            continue
        j = i
        while j < len(turns) and turns[j].origin == "continued":
            j += 1
        if _span(turns[j - 1])[1] - _span(turns[i])[0] > limit:
            for turn in turns[i:j]:
                turn.speaker, turn.origin = None, "narration"
            layout.narration += j - i
        i = j


def _mark_header_and_footer(text: str, turns: list[_Turn], layout: Layout) -> None:
    labelled = [i for i, t in enumerate(turns) if t.origin in ("label", "under")]
    if not labelled:
        return
    first = labelled[0]
    if first > 0:
        layout.header = (_span(turns[0])[0], _span(turns[first - 1])[1])
    # A colophon: the last paragraphs after the last label, short and shaped like one.
    tail = [i for i in range(labelled[-1] + 1, len(turns))]
    footer = []
    for i in reversed(tail):
        piece = text[turns[i].first:turns[i].last]
        if len(piece) <= _FOOTER_MAX and _FOOTER.search(piece):
            footer.append(i)
        else:
            break
    if footer:
        for i in footer:
            if turns[i].origin == "narration":
                layout.narration -= 1  # a colophon, not narration
            turns[i].speaker, turns[i].origin = None, "none"
        layout.footer = (_span(turns[min(footer)])[0], _span(turns[max(footer)])[1])


def _with_end_times(turns: list[ParsedTurn]) -> list[ParsedTurn]:
    """A timed turn ends where the next timed turn starts (if that is later)."""
    result = list(turns)
    next_time: float | None = None
    for i in range(len(result) - 1, -1, -1):
        turn = result[i]
        if turn.start_time is not None:
            if next_time is not None and next_time >= turn.start_time:
                result[i] = ParsedTurn(turn.speaker, turn.start, turn.end, turn.start_time, next_time)
            next_time = turn.start_time
    return result
