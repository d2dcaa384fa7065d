"""Records of coding: a code applied to a span of a transcript, a segment shown for
constant comparison, and an auto-coding suggestion.

Their JSON (through :func:`qualcode.records.json_data`) is what ``qualcode codings``,
``tag``, ``segments`` and ``autocode`` print with ``--json``: the fields in the order
declared here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, NamedTuple


@dataclass(frozen=True, slots=True)
class Coding:
    """A code applied by one coder to characters ``start`` to ``end`` (end exclusive)
    of a transcript, with the words it covers."""

    id: int
    guid: str
    transcript: str
    code: str
    coder: str
    start: int
    end: int
    memo: str | None
    exemplar: bool
    created: str
    text: str


class Segment(NamedTuple):
    """A coding as constant comparison shows it: its words, who said them (the turn's
    speaker, the interview's participant), at which wave, and who coded them.

    ``coders`` and ``ids`` are set only when the codings of several coders on one
    passage were merged (the passage then spans all of theirs); ``before`` and ``after``
    only when context was asked for. Unset, they are left out of the JSON, as they
    always were.

    A named tuple rather than a frozen dataclass like the other records: as immutable,
    read the same way, and built in one step: a listing of 10,000 segments (timed by
    benchmarks/bench_coding.py) spent 45 ms setting a frozen dataclass's 28 fields one
    by one, against 8 ms for the tuple."""

    id: int
    start: int
    end: int
    memo: str | None
    exemplar: bool
    code: str
    coder: str | None
    transcript: str
    #: The transcript's kind (interview, focus group...).
    kind: str | None
    wave: str | None
    #: The wave's place in time order.
    wave_order: int | None
    #: The number (seq) of the turn the segment starts in, and that turn's span.
    turn: int | None
    turn_start: int | None
    turn_end: int | None
    speaker: str | None
    #: The words are the interviewer's, not the participant's.
    interviewer: bool
    #: The participant who spoke (or whose interview it is), with their fixed attributes.
    participant: str | None
    pseudonym: str | None
    role: str | None
    site: str | None
    #: Where the turn starts in the recording, in seconds, and whether that is estimated.
    turn_time: float | None
    turn_time_estimated: bool
    #: Every coder of the merged passage, and their codings' ids (merged segments only).
    coders: tuple[str, ...] | None
    ids: tuple[int, ...] | None
    text: str
    #: ``turn_time`` as a clock (``00:14:32``, ``~`` before an estimate), "" without one.
    time: str
    #: The characters either side (with context only).
    before: str | None
    after: str | None

    @property
    def coding_ids(self) -> tuple[int, ...]:
        """The codings this segment stands for: its own, or every merged one's."""
        return self.ids if self.ids is not None else (self.id,)

    def to_dict(self) -> dict[str, Any]:
        """Its JSON object: every field, but the merged and context ones only when set."""
        optional = ("coders", "ids", "before", "after")
        return {name: value for name, value in zip(self._fields, self)
                if name not in optional or value is not None}


@dataclass(frozen=True, slots=True)
class Suggestion:
    """A span auto-coding proposes for a code, and why; nothing is coded until accepted."""

    transcript: str
    code: str
    start: int
    end: int
    reason: str
    text: str


# --- what the exports quote and list ----------------------------------------------------


@dataclass(frozen=True, slots=True)
class Passage:
    """A coded passage as the Word, Markdown and CSV exports count and quote it: the
    codings (segments) of one code, or of the codes of a theme, that overlap, merged
    into one stretch of a transcript (:mod:`qualcode.analysis.passages`).

    Who said it, where and when come from its earliest coding; ``codes`` (in order of
    first use), ``coders``, ``coding_ids`` and ``memos`` from all of them. ``quote`` is
    the passage widened to whole sentences and capped in length, ``cut`` whether the
    cap shortened it; ``attribution`` is how the exports cite it ("Client C07 (Sharon),
    Six months, C07_W2, turn 12")."""

    #: The earliest coding's id and code.
    id: int
    code: str
    transcript: str
    start: int
    end: int
    #: The characters ``start`` to ``end``: the union of the codings.
    text: str
    codes: tuple[str, ...]
    coders: tuple[str, ...]
    coding_ids: tuple[int, ...]
    memos: tuple[str, ...]
    #: Any of its codings is marked as an exemplar.
    exemplar: bool
    #: All of its codings are the interviewer's words.
    interviewer: bool
    wave: str | None
    wave_order: int | None
    turn: int | None
    #: The turn's time in the recording (as :attr:`Segment.time`).
    time: str
    participant: str | None
    pseudonym: str | None
    role: str | None
    site: str | None
    attribution: str
    quote: str
    cut: bool


@dataclass(frozen=True, slots=True)
class ListedSegment:
    """A coding as the segments export lists it (one row of the CSV, the spreadsheet):
    the segment, the number of the coded passage it belongs to (codings of one code
    that overlap share it, numbered in the order the rows come), the time point its
    speaker's role cites and its attribution."""

    segment: Segment
    passage: int
    time_point: str
    attribution: str
