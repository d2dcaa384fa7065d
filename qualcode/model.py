"""The project's vocabulary and the validation every layer shares.

Every layer may import this module (the faces, :class:`qualcode.project.Project`, the
services, the store), so it imports nothing of qualcode but :mod:`qualcode.errors`: the
words a researcher can type (stages, memo types, attendance states, kinds of
transcript...), the checks on what they type (participant ids, dates), and the small
value types a face hands to the core (a coding target, a CSV style).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass

from .errors import QualcodeError

# --- vocabulary -----------------------------------------------------------------------

#: Kinds of memo (a memo's ``type``).
MEMO_TYPES = ("code", "transcript", "participant", "segment", "comparison", "theoretical", "theme",
              "project", "cumulative", "through-line")
#: Memo types of Saldana's longitudinal questions, each tied to one participant across
#: waves: what accumulates over time (cumulative) and the thread running through (through-line).
LONGITUDINAL_MEMO_TYPES = ("cumulative", "through-line")
#: Kinds of transcript.
TRANSCRIPT_KINDS = ("interview", "focus-group", "notes", "document")
#: Kinds of recording linked to a transcript.
MEDIA_KINDS = ("audio", "video")
#: Media players qualcode can drive, in the order they are looked for on PATH.
MEDIA_PLAYERS = ("mpv", "ffplay", "vlc")
#: What a recording's link found when checked: the file as linked, changed since, or gone.
MEDIA_STATES = ("ok", "changed", "missing")


def recording_clock(seconds: float | None, estimated: bool = False) -> str:
    """Where in a recording, as quotes cite it: ``00:14:32``, ``~00:14:32`` for a time
    estimated from neighbouring turns, "" when no time is known."""
    if seconds is None:
        return ""
    whole = int(seconds)
    text = f"{whole // 3600:02d}:{whole % 3600 // 60:02d}:{whole % 60:02d}"
    return f"~{text}" if estimated else text


#: What a participant did at a wave, as recorded.
ATTENDANCE = ("interviewed", "missed", "withdrawn", "not_yet")
#: Grounded-theory stages of a code.
STAGES = ("initial", "focused", "axial", "theoretical")
#: What a memo can be linked to (``KIND:TARGET``).
MEMO_LINK_KINDS = ("code", "coding", "participant", "transcript", "wave")
#: Fields of a participant that are columns, not attributes.
PARTICIPANT_FIELDS = ("pseudonym", "role", "site")
#: Types an attribute can be declared with (a value of an undeclared attribute is text).
ATTRIBUTE_KINDS = ("text", "number", "date", "category")
#: Names the filter language (``--where``, queries) keeps for fields, never attributes:
#: fields of the participant, fields of a coding, and the wave.
PARTICIPANT_FILTER_FIELDS = ("participant", "pid", "pseudonym", "role", "site")
CODING_FILTER_FIELDS = ("coder", "speaker", "transcript")
RESERVED_FILTER_NAMES = (*PARTICIPANT_FILTER_FIELDS, *CODING_FILTER_FIELDS, "wave")
#: Kinds of name in the name key.
NAME_KINDS = ("person", "place", "organisation", "other")

#: Rows of the participant x wave x code matrix, and its cell measures.
MATRIX_BY = ("participant", "wave", "role", "site")
MATRIX_MEASURES = ("count", "chars", "presence")
#: Co-occurrence: what counts as together, and the edge weights.
COOCCURRENCE_SCOPES = ("overlap", "turn", "transcript")
COOCCURRENCE_MEASURES = ("count", "jaccard", "c")
#: Units of inter-coder agreement.
AGREEMENT_UNITS = ("char", "segment", "turn")
#: How constant comparison groups segments.
SEGMENT_GROUPINGS = ("wave", "participant", "role", "site", "coder", "transcript")
#: What an auto-coding suggestion covers.
AUTOCODE_SCOPES = ("sentence", "turn", "match")
#: Formats of the theme summary and other documents.
DOCUMENT_FORMATS = ("docx", "md", "csv")
#: Files a co-occurrence network can be written to.
NETWORK_SUFFIXES = (".graphml", ".gexf", ".json", ".csv", ".png")

#: Study facts a methods appendix reports: key -> (COREQ item, what it is).
FACTS = {
    "orientation": (9, "Methodological orientation and theory"),
    "sampling": (10, "How participants were selected"),
    "approach": (11, "How participants were approached"),
    "refusals": (13, "How many refused to take part, and why"),
    "setting": (14, "Where the data were collected"),
    "others_present": (15, "Anyone else present besides participants and researchers"),
    "interview_guide": (17, "Questions, prompts and guides; pilot testing"),
    "recording": (19, "Audio or visual recording"),
    "field_notes": (20, "Field notes made during or after the interviews"),
    "saturation": (22, "How data saturation was discussed"),
    "transcripts_returned": (23, "Transcripts returned to participants for comment"),
    "theme_derivation": (26, "Themes identified in advance or derived from the data"),
    "software": (27, "Software used besides qualcode"),
    "participant_checking": (28, "Participants' feedback on the findings"),
}
#: Fields of an interviewer: key -> (COREQ item, what it is).
INTERVIEWER_FIELDS = {
    "credentials": (2, "Credentials"),
    "occupation": (3, "Occupation at the time of the study"),
    "gender": (4, "Gender"),
    "experience": (5, "Experience and training"),
    "relationship": (6, "Relationship with participants before the study"),
    "known_to_participants": (7, "What the participants knew about the interviewer"),
    "characteristics": (8, "Characteristics reported: assumptions, reasons and interests"),
}
#: A time point that holds for every role.
ALL_ROLES = "*"

# --- validation -----------------------------------------------------------------------

PARTICIPANT_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,63}$")


def check_pid(pid: str | None) -> str:
    """A participant id as stored, or the error saying what is wrong with it."""
    pid = (pid or "").strip()
    if not PARTICIPANT_ID.match(pid):
        raise QualcodeError(
            f"participant id {pid!r} is not valid (letters, digits, '-', '_', '.'; up to 64)"
        )
    if pid.casefold() == "interviewer":
        raise QualcodeError("participant id 'interviewer' is reserved: in a speaker map it marks "
                            "the interviewer's label")
    return pid


def check_date(value: str | None, what: str) -> str | None:
    """An ISO date (YYYY-MM-DD) as stored, None for nothing, or the error."""
    if value in (None, ""):
        return None
    try:
        return dt.date.fromisoformat(str(value)).isoformat()
    except ValueError:
        raise QualcodeError(f"{what} {value!r} is not a date (use YYYY-MM-DD)") from None


def check_choice(value: str, choices: Iterable[str], what: str) -> str:
    """``value`` if it is one of ``choices``, else the error naming them."""
    choices = tuple(choices)
    if value not in choices:
        raise QualcodeError(f"{what} {value!r} is not one of {', '.join(choices)}")
    return value


def parse_speaker_map(pairs: str | Iterable[str]) -> dict[str, str]:
    """``["Leanne=H01", "Dave=H02"]`` or ``"Leanne=H01;Dave=H02"`` -> dict."""
    if isinstance(pairs, str):
        pairs = [p for p in pairs.split(";") if p.strip()]
    result = {}
    for pair in pairs:
        label, sep, pid = pair.partition("=")
        if not sep or not label.strip() or not pid.strip():
            raise QualcodeError(f"speaker map entry {pair!r} is not LABEL=ID")
        result[label.strip()] = pid.strip()
    return result


# --- typed attributes -----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class AttributeType:
    """The declared type of a participant attribute (fixed or per wave).

    Values stay stored as text; the type says how they are checked, compared and
    sorted: numbers numerically, dates as dates, categories in their declared order.
    """

    key: str
    kind: str = "text"
    values: tuple[str, ...] = ()
    description: str | None = None

    def __post_init__(self) -> None:
        check_choice(self.kind, ATTRIBUTE_KINDS, "attribute type")
        if self.kind == "category" and not self.values:
            raise QualcodeError(f"category attribute {self.key!r} needs its values (--values a,b,c)")
        if self.kind != "category" and self.values:
            raise QualcodeError(f"only a category attribute takes values; {self.key!r} is {self.kind}")
        if len(set(self.values)) != len(self.values):
            raise QualcodeError(f"category attribute {self.key!r} lists a value twice")

    def coerce(self, value: str) -> object:
        """The typed value of stored text, or the error saying why it is not one."""
        text = str(value).strip()
        if self.kind == "number":
            number = parse_number(text)
            if number is None:
                raise QualcodeError(f"{self.key} {value!r} is not a number")
            return number
        if self.kind == "date":
            try:
                return dt.date.fromisoformat(text)
            except ValueError:
                raise QualcodeError(f"{self.key} {value!r} is not a date (use YYYY-MM-DD)") from None
        if self.kind == "category" and text not in self.values:
            raise QualcodeError(f"{self.key} {value!r} is not one of {', '.join(self.values)}")
        return text

    def normalise(self, value: str) -> str:
        """The text stored for ``value``: checked, and written one way (``7.0`` -> ``7``)."""
        typed = self.coerce(value)
        if isinstance(typed, dt.date):
            return typed.isoformat()
        return format_number(typed) if isinstance(typed, float) else str(typed)

    def sort_key(self, value: object) -> tuple:
        """Order values by type; values that do not fit the type come last, as text."""
        if value is None:
            return (2, "")
        try:
            typed = value if not isinstance(value, str) else self.coerce(value)
        except QualcodeError:
            return (1, str(value))
        if self.kind == "category":
            return (0, self.values.index(str(typed)))
        if self.kind == "text":
            return (0, str(typed).casefold(), str(typed))
        return (0, typed)


def parse_number(text: str) -> float | None:
    """A finite number written in ``text`` (``50``, ``-3.5``, ``1e3``), else None."""
    try:
        number = float(text.replace("_", "x"))  # no "1_000" digit separators
    except (ValueError, AttributeError):
        return None
    return number if number == number and abs(number) != float("inf") else None


def format_number(number: float) -> str:
    """``7.0`` -> ``7``; other numbers as Python writes them."""
    return str(int(number)) if number.is_integer() else repr(number)


# --- value types a face hands to the core ---------------------------------------------


@dataclass(frozen=True)
class Target:
    """What to code in a transcript: exactly one of these is set."""

    range: tuple[int, int] | None = None
    turn: int | None = None
    sentence: str | int | None = None  # global number "12", or "TURN.N" ("5.3")
    speaker: str | None = None

    @classmethod
    def parse_range(cls, text: str) -> Target:
        start, _sep, end = str(text).partition(":")
        try:
            return cls(range=(int(start), int(end)))
        except ValueError:
            raise QualcodeError(f"range {text!r} is not START:END (code points)") from None


@dataclass(frozen=True)
class CsvStyle:
    """How a CSV file is written: formula cells neutralised (default), a BOM (off)."""

    neutralise: bool = True
    bom: bool = False


DEFAULT_CSV = CsvStyle()
