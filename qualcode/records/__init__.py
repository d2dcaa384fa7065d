"""Typed records: what the core hands to the faces, and their JSON.

The services return these instead of dictionaries, so a face reads ``person.role``
(checked by mypy, found by an editor) rather than ``person["role"]`` (a typo is a
``KeyError`` at run time). Each record is a frozen dataclass with slots: a face cannot
change what it was given by accident, and a list of thousands costs little memory.

:func:`json_data` is the one place JSON output is made from them (``--json`` of every
command goes through it): the fields in their declared order, without those marked
:data:`INTERNAL` (row ids that mean nothing outside one project file).

The store builds these records; this package imports nothing of qualcode but the
vocabulary and the errors, so every layer may use it. Records of one topic with many
fields (codes, codings, transcripts, analysis results) live in a submodule of their own
(``qualcode.records.codes`` and so on) and are imported from there.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any

from ..errors import QualcodeError
from ..model import MEMO_LINK_KINDS, recording_clock

#: Metadata of a field left out of JSON output.
INTERNAL = {"json": False}


# --- the study design -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Participant:
    """A participant with fixed attributes and those recorded per wave."""

    id: int = field(metadata=INTERNAL, repr=False)
    guid: str
    pid: str
    pseudonym: str | None = None
    role: str | None = None
    site: str | None = None
    #: {key: value}, keys in alphabetical order.
    attributes: Mapping[str, str | None] = field(default_factory=dict)
    #: {wave label: {key: value}}, waves in time order.
    wave_attributes: Mapping[str, Mapping[str, str | None]] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Wave:
    """A wave (time point) of the study, with how it is cited per role."""

    id: int = field(metadata=INTERNAL, repr=False)
    guid: str
    label: str
    ordinal: int
    start_date: str | None = None
    end_date: str | None = None
    description: str | None = None
    #: {role, or "*" for every role: the label a report cites}.
    time_points: Mapping[str, str] = field(default_factory=dict)


# --- memos ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class MemoLink:
    """What a memo is about: a code (by name), a coding (by id), a participant (by id),
    a transcript (by name) or a wave (by label)."""

    kind: str
    target: str

    @classmethod
    def parse(cls, text: str) -> MemoLink:
        """``"code:Trust and rapport"`` as typed by a researcher."""
        kind, sep, value = str(text).partition(":")
        if not sep or not value.strip():
            raise QualcodeError(f"memo link {text!r} is not KIND:TARGET "
                                f"({', '.join(k + ':' for k in MEMO_LINK_KINDS)})")
        return cls(kind.strip(), value.strip())

    def __str__(self) -> str:
        return f"{self.kind}:{self.target}"


@dataclass(frozen=True, slots=True)
class Memo:
    id: int
    guid: str
    type: str
    title: str
    body: str
    author: str | None
    created: str
    updated: str
    links: tuple[MemoLink, ...] = ()

    def linked_to(self, kind: str, target: str) -> bool:
        return any(link.kind == kind and link.target == target for link in self.links)


# --- the summary grid -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SummaryCitation:
    """A coding a summary cites. ``present`` is False once the coding is deleted: the
    citation dangles, and ``quote`` keeps the words it cited."""

    coding_id: int
    quote: str
    present: bool = True
    transcript: str | None = None
    code: str | None = None
    start: int | None = None
    end: int | None = None


@dataclass(frozen=True, slots=True)
class Summary:
    """The analyst's summary of one cell of the grid: a row (a participant, or a case:
    a site) at a wave under a theme (a code, or a named dimension of the case grid)."""

    id: int = field(metadata=INTERNAL, repr=False)
    guid: str
    row: str
    row_kind: str  # "participant" or "case"
    wave: str
    theme: str
    theme_kind: str  # "code" or "dimension"
    body: str
    author: str | None
    created: str
    updated: str
    citations: tuple[SummaryCitation, ...] = ()


@dataclass(frozen=True, slots=True)
class SummaryGrid:
    """Summaries laid out as a grid: rows (participants or cases) x waves x themes, in
    the study's order (waves by time, themes in codebook order, dimensions as first set)."""

    row_kind: str
    rows: tuple[str, ...]
    waves: tuple[str, ...]
    themes: tuple[str, ...]
    summaries: tuple[Summary, ...]

    def by_cell(self) -> dict[tuple[str, str, str], Summary]:
        """{(row, wave, theme): summary} for the cells that have one."""
        return {(s.row, s.wave, s.theme): s for s in self.summaries}


# --- the log ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Event:
    """One user action in the log: what was done, by whom, and whether it is undone."""

    id: int
    ts: str
    coder: str | None
    action: str
    summary: str
    status: str
    undoable: bool
    target_event_id: int | None
    details: Mapping[str, Any] | None


# --- code queries -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class QueryPassage:
    """One passage a code query returned, with who said it, when, and who coded it."""

    transcript: str
    start: int
    end: int
    participant: str | None
    pseudonym: str | None
    role: str | None
    site: str | None
    wave: str | None
    speaker: str | None
    #: The number (seq) of the turn the passage starts in.
    turn: int | None
    #: Codes of the query with a coding sharing a character with the passage.
    codes: tuple[str, ...] = ()
    coders: tuple[str, ...] = ()
    text: str = ""
    before: str = ""
    after: str = ""


@dataclass(frozen=True, slots=True)
class QueryResult:
    """What a code query returned: its passages (text order within each transcript) and
    the totals a methodologist recounts (see docs/query.md)."""

    query: str
    passages: tuple[QueryPassage, ...]
    #: passages, participants, participant_waves, transcripts, turns.
    totals: Mapping[str, int] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class QuerySet:
    """A named set of passages saved from a query."""

    name: str
    query: str
    passages: int
    created: str
    updated: str
    author: str | None = None


# --- JSON -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class MediaLink:
    """A recording linked to a transcript, and what checking the file found.

    ``path`` is as stored (relative to the project file's folder when it can be);
    ``resolved`` is where that points now. ``state`` is one of ``model.MEDIA_STATES``:
    "ok", "changed" (the file there is not the one linked: another hash) or "missing"."""

    transcript: str
    path: str
    resolved: str
    kind: str
    sha256: str
    size: int
    duration: float | None
    linked_at: str
    state: str = "ok"


@dataclass(frozen=True, slots=True)
class TurnTime:
    """Where a turn starts in its recording, and how that time was had."""

    transcript: str
    turn: int
    start: float | None  # seconds; None when no turn at or before it has a time
    end: float | None  # where playing should stop (the turn's end, else the next turn's start)
    estimated: bool  # interpolated from neighbouring turns, not read from the source
    from_turn: int | None = None  # the earlier turn whose time is used, when this one has none

    @property
    def clock(self) -> str:
        """``00:14:32`` (with a ``~`` before an estimated time), or "" without a time."""
        return recording_clock(self.start, self.estimated)


def json_data(value: Any) -> Any:
    """``value`` as plain JSON data: records (and other dataclasses) as objects of their
    public fields, other results by their ``to_dict()``, mappings and sequences item by
    item, paths as text."""
    to_dict = getattr(value, "to_dict", None)
    if callable(to_dict) and not isinstance(value, type):
        return json_data(to_dict())
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: json_data(getattr(value, f.name)) for f in dataclasses.fields(value)
                if f.metadata.get("json", True)}
    if isinstance(value, Mapping):
        return {k if isinstance(k, str) else str(k): json_data(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [json_data(v) for v in value]
    if isinstance(value, PurePath):
        return str(value)
    return value
