"""Records of transcripts: a transcript as listed, one read in full (text, speakers, turns,
sentences), and its parts.

The field names are those the ``--json`` output of ``qualcode transcript list``, ``show``
and ``speakers`` has always had, so :func:`qualcode.records.json_data` gives the same
objects as before these records existed. Flags stored as 0/1 (``interviewer``,
``time_estimated``) are kept as the integers they are in the project file: the JSON has
always printed them that way, and ``if turn.interviewer`` reads the same either way.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, fields
from typing import Any, NamedTuple

from . import INTERNAL


@dataclass(frozen=True, slots=True)
class Transcript:
    """A transcript as listed: who, when, where from, how long, how much is coded."""

    id: int = field(metadata=INTERNAL, repr=False)
    name: str
    kind: str  # "interview" or "focus_group"
    wave: str | None
    participant: str | None  # the interviewee's id (None for a focus group)
    date: str | None
    source_name: str | None
    source_format: str | None
    chars: int
    words: int
    turns: int
    codings: int


@dataclass(frozen=True, slots=True)
class Speaker:
    """A speaker label of one transcript and who it is: a participant, an interviewer
    (``interviewer`` 1), or nobody yet."""

    id: int
    label: str
    participant: str | None
    interviewer: int
    turns: int


@dataclass(frozen=True, slots=True)
class Turn:
    """One turn: its number (``seq``, from 1), its speaker, where it is in the text
    (``start``/``end`` character offsets) and in the recording (seconds, when known).
    The words are the transcript's ``text[start:end]`` (see :meth:`with_text`)."""

    id: int
    seq: int
    speaker: str | None
    participant: str | None
    interviewer: int | None
    start: int
    end: int
    start_time: float | None = None
    end_time: float | None = None
    time_estimated: int = 0

    def with_text(self, text: str) -> TurnWithText:
        """This turn with its words, cut from the transcript's ``text``."""
        return TurnWithText(self.id, self.seq, self.speaker, self.participant, self.interviewer,
                            self.start, self.end, self.start_time, self.end_time,
                            self.time_estimated, text[self.start:self.end])


@dataclass(frozen=True, slots=True)
class TurnWithText:
    """A turn and its words, as ``transcript show --json`` prints it."""

    id: int
    seq: int
    speaker: str | None
    participant: str | None
    interviewer: int | None
    start: int
    end: int
    start_time: float | None
    end_time: float | None
    time_estimated: int
    text: str


class Sentence(NamedTuple):
    """A sentence: ``seq`` counts sentences from 1 through the transcript, ``turn`` is
    the seq of the turn holding it.

    A named tuple rather than a dataclass: as immutable and as small, and made several
    times faster (a long transcript has tens of thousands, all read when it opens)."""

    seq: int
    turn: int
    start: int
    end: int

    def to_dict(self) -> dict[str, int]:
        return {"seq": self.seq, "turn": self.turn, "start": self.start, "end": self.end}


@dataclass(frozen=True, slots=True)
class TranscriptDocument:
    """A transcript read in full: what is stored about it, its text, speakers, turns (in
    seq order) and sentences (in text order)."""

    id: int = field(metadata=INTERNAL, repr=False)
    guid: str
    name: str
    kind: str
    wave_id: int | None = field(metadata=INTERNAL, repr=False)
    participant_id: int | None = field(metadata=INTERNAL, repr=False)
    date: str | None
    source_name: str | None
    source_format: str | None
    sha256: str
    encoding: str | None
    char_count: int
    word_count: int
    imported_at: str
    wave: str | None
    participant: str | None
    text: str = field(repr=False)
    speakers: tuple[Speaker, ...] = ()
    turns: tuple[Turn, ...] = ()
    sentences: tuple[Sentence, ...] = ()


# --- what a correction did ----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TranscriptSummary:
    """Where a transcript sits in the study: its name, kind, wave, participant and date
    (what ``transcript set`` changes)."""

    name: str
    kind: str
    wave: str | None
    participant: str | None
    date: str | None


@dataclass(frozen=True, slots=True)
class TurnsJoined:
    """Turns joined into one: the turn they became, what stood between them (now part
    of it, a label say) and the speaker labels no turn has any more."""

    turn: Turn
    included: tuple[str, ...] = ()
    speakers_removed: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class TranscriptDeleted:
    """A transcript deleted, with how many turns and codings went with it."""

    transcript: str
    turns: int
    codings: int


@dataclass(frozen=True, slots=True)
class ParticipantDeleted:
    """A participant deleted: their interview transcripts and codings went with them;
    their labels in other transcripts (``"transcript: label"``) are unmapped now."""

    participant: str
    transcripts: tuple[str, ...]
    codings: int
    unmapped: tuple[str, ...] = ()


# --- what an import did -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ImportResult:
    """What one file's import did (or why it did nothing)."""

    name: str
    source: str
    status: str  # "imported" or "duplicate"
    kind: str = "interview"
    encoding: str | None = None  # what a text file was decoded from (None for Word files)
    participant: str | None = None
    wave: str | None = None
    turns: int = 0
    sentences: int = 0
    words: int = 0
    #: {speaker label: participant id, or None when unmapped}.
    speakers: Mapping[str, str | None] = field(default_factory=dict)
    unmapped: Sequence[str] = ()
    notes: Sequence[str] = ()

    def to_dict(self) -> dict[str, Any]:
        """Plain data, as ``import --json`` prints it (the manifest report nests these)."""
        data: dict[str, Any] = {f.name: getattr(self, f.name) for f in fields(self)}
        data.update(speakers=dict(self.speakers), unmapped=list(self.unmapped), notes=list(self.notes))
        return data


# --- full-text search ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class KwicMatch:
    """One match of a search in its turn: offsets in the transcript's text, and the words
    either side (keyword in context, white space squashed, never past the turn)."""

    start: int
    end: int
    left: str
    match: str
    right: str


@dataclass(frozen=True, slots=True)
class SearchHit:
    """A turn that matches a search, with where it is and each match in context."""

    transcript: str
    turn: int
    speaker: str | None
    participant: str | None
    wave: str | None
    start: int
    end: int
    matches: tuple[KwicMatch, ...]
