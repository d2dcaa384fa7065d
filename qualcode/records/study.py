"""Records of the study's people and facts, the name key, and query counts.

Their JSON (through :func:`qualcode.records.json_data`) is what the ``--json`` output of
``qualcode study show``, ``namekey list``, ``deidentify --suggest`` and ``query
--count-by`` has always printed: where an object used to carry only the keys that had a
value (an interviewer's fields, a suggestion's pseudonym, the grouping of a count), the
record's ``to_dict`` leaves the empty ones out in the same way.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ..model import INTERVIEWER_FIELDS
from . import INTERNAL


@dataclass(frozen=True, slots=True)
class Coder:
    """Someone who codes, and how many codings are theirs."""

    id: int = field(metadata=INTERNAL, repr=False)
    guid: str
    name: str
    created: str
    codings: int


@dataclass(frozen=True, slots=True)
class Interviewer:
    """An interviewer or facilitator and what a methods appendix reports about them
    (the fields of ``model.INTERVIEWER_FIELDS``; None where nothing is recorded)."""

    name: str
    credentials: str | None = None
    occupation: str | None = None
    gender: str | None = None
    experience: str | None = None
    relationship: str | None = None
    known_to_participants: str | None = None
    characteristics: str | None = None

    @classmethod
    def from_stored(cls, stored: Mapping[str, Any]) -> Interviewer:
        """From the stored settings object (keys other than the known fields ignored)."""
        return cls(str(stored["name"]), **{k: stored[k] for k in INTERVIEWER_FIELDS if stored.get(k)})

    def value(self, key: str) -> str | None:
        """The recorded value of field ``key`` (one of ``model.INTERVIEWER_FIELDS``)."""
        if key not in INTERVIEWER_FIELDS:
            raise KeyError(key)
        value: str | None = getattr(self, key)
        return value

    def recorded(self) -> dict[str, str]:
        """{field: value} of the fields that have one, in ``INTERVIEWER_FIELDS`` order."""
        return {k: v for k in INTERVIEWER_FIELDS if (v := getattr(self, k))}

    def to_dict(self) -> dict[str, str]:
        return {"name": self.name, **self.recorded()}


@dataclass(frozen=True, slots=True)
class StudyFacts:
    """The study facts (keys of ``model.FACTS``) and the interviewers."""

    facts: Mapping[str, str] = field(default_factory=dict)
    interviewers: tuple[Interviewer, ...] = ()


@dataclass(frozen=True, slots=True)
class NameKeyEntry:
    """A real name and the pseudonym that replaces it. The JSON keeps ``id`` as
    ``namekey list --json`` always printed it."""

    id: int
    real: str
    pseudonym: str
    kind: str
    participant: str | None


@dataclass(frozen=True, slots=True)
class NameSuggestion:
    """A likely identifying word still in the transcripts, how it was found, where, and
    the pseudonym proposed (the key's own when the word is a real name of the key)."""

    text: str
    kind: str
    source: str
    count: int
    transcripts: tuple[str, ...]
    example: str | None
    proposed: str
    #: The key's pseudonym of a real name found still in the text, else None.
    pseudonym: str | None = None

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"text": self.text, "kind": self.kind, "source": self.source,
                                "count": self.count, "transcripts": list(self.transcripts),
                                "example": self.example}
        if self.pseudonym is not None:
            data["pseudonym"] = self.pseudonym
        data["proposed"] = self.proposed
        return data


@dataclass(frozen=True, slots=True)
class QueryCount:
    """How many passages of a query fall in one group: a wave, a participant, or a
    participant at a wave (``by``: "wave", "participant" or "participant-wave")."""

    by: str
    participant: str | None
    wave: str | None
    passages: int

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {}
        if self.by != "wave":
            data["participant"] = self.participant
        if self.by != "participant":
            data["wave"] = self.wave
        data["passages"] = self.passages
        return data
