"""Mapping speaker labels to participants, without guessing.

Interviewer labels are recognised by name, or marked by mapping them to
``interviewer``. In an interview every other label is the
participant being interviewed. In a focus group a label maps only through the
speaker map (``Leanne=H01``) or when it is exactly a registered participant id; the
rest are reported as unmapped, never matched on a hunch.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

INTERVIEWER_LABELS = frozenset(
    {"interviewer", "int", "i", "q", "moderator", "mod", "facilitator", "researcher",
     "interviewer 1", "interviewer 2"}
)


# A role word, optionally numbered or named: "Interviewer 2", "Moderator B",
# "Interviewer (Anna)", "Researcher - Sam", "Int.1".
_NUMBERED_ROLE = re.compile(
    r"(?:interviewer|int|moderator|mod|facilitator|co-facilitator|researcher)\.?"
    r"(?:\s*\d{1,2}|\s+[a-z]|\s*\([^()]{1,40}\)|\s+[-–]\s+\S.{0,38})",
    re.IGNORECASE,
)


#: The speaker-map value that marks a label as the interviewer's (``访谈者=interviewer``):
#: for interviewer labels not recognised by name, such as those in other languages.
INTERVIEWER = "interviewer"


def marks_interviewer(value: str | None) -> bool:
    """Whether a speaker-map value is :data:`INTERVIEWER` (in any case)."""
    return value is not None and value.strip().casefold() == INTERVIEWER


def is_interviewer_label(label: str) -> bool:
    label = label.strip().rstrip(".")
    return label.casefold() in INTERVIEWER_LABELS or _NUMBERED_ROLE.fullmatch(label) is not None


@dataclass
class SpeakerPlan:
    """Where each label of one transcript goes."""

    participant_of: dict[str, str | None] = field(default_factory=dict)  # label -> pid
    interviewers: set[str] = field(default_factory=set)
    unmapped: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def plan_speakers(
    labels: Iterable[str],
    *,
    kind: str,
    participant: str | None,
    speaker_map: Mapping[str, str],
    registered: set[str],
) -> SpeakerPlan:
    plan = SpeakerPlan()
    by_fold = {label.casefold(): pid for label, pid in speaker_map.items()}
    labels = list(labels)
    folded = {label.casefold() for label in labels}
    for label in speaker_map:
        if label.casefold() not in folded:
            # Most often a typo: say so rather than let the real label go unmapped quietly.
            plan.notes.append(
                f"speaker map label {label!r} matches no speaker of this transcript "
                f"(speakers: {', '.join(labels) or 'none'})"
            )
    respondents = []
    for label in labels:
        mapped = by_fold.get(label.casefold())
        if marks_interviewer(mapped) or (mapped is None and is_interviewer_label(label)):
            plan.interviewers.add(label)
            plan.participant_of[label] = None
        elif mapped is not None:
            plan.participant_of[label] = mapped
        elif label in registered:
            plan.participant_of[label] = label
            plan.notes.append(f"speaker {label!r} mapped to participant {label} by id")
        elif kind == "interview" and participant:
            plan.participant_of[label] = participant
            respondents.append(label)
        else:
            plan.participant_of[label] = None
            plan.unmapped.append(label)
    if len(respondents) > 1:
        plan.notes.append(
            f"several non-interviewer speakers ({', '.join(respondents)}) all mapped to "
            f"{participant}; use --speaker-map to say otherwise"
        )
    return plan
