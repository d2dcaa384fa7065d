"""What an import would do, shown before anything is written.

``qualcode import FILE --preview`` reads the file as an import would (with the
researcher's ``--labels`` if given) and reports the labels found with their turn counts,
the first turns, what was read as a header or footer and what was left out as not
speech, and where each label would map. Nothing is stored.
"""

from __future__ import annotations

import bisect
from collections import Counter
from dataclasses import dataclass, field

from .model import ParsedTranscript, ParsedTurn
from .override import LabelOverride
from .speakers import SpeakerPlan
from .turns import detect_turns

FIRST_TURNS = 8
EXCERPT = 70


def _excerpt(text: str, width: int = EXCERPT) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"


@dataclass(frozen=True)
class ImportPreview:
    """One file as it would be imported."""

    source: str
    format: str
    encoding: str | None
    turns: int
    labels: list[tuple[str, int]]  # (label, turns) in order of first appearance
    unattributed: int  # turns without a speaker
    first_turns: list[tuple[int, str | None, str]]  # (turn number, speaker, excerpt)
    header: str | None = None
    footer: str | None = None
    skipped: dict[str, int] = field(default_factory=dict)  # why -> lines ("page marker": 3)
    markers: list[str] = field(default_factory=list)
    narration: int = 0
    paragraphs: str = "labels"
    labels_given: str | None = None  # the researcher's --labels / --label-pattern
    mapping: dict[str, str | None] = field(default_factory=dict)  # label -> participant
    interviewers: list[str] = field(default_factory=list)
    unmapped: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {
            "source": self.source, "format": self.format, "encoding": self.encoding,
            "turns": self.turns, "labels": [{"label": k, "turns": n} for k, n in self.labels],
            "unattributed": self.unattributed,
            "first_turns": [{"turn": n, "speaker": s, "text": t} for n, s, t in self.first_turns],
            "header": self.header, "footer": self.footer, "skipped": self.skipped, "markers": self.markers,
            "narration": self.narration, "paragraphs": self.paragraphs, "labels_given": self.labels_given,
            "mapping": self.mapping, "interviewers": self.interviewers, "unmapped": self.unmapped,
            "notes": self.notes,
        }


def preview(parsed: ParsedTranscript, plan: SpeakerPlan | None = None,
            override: LabelOverride | None = None) -> ImportPreview:
    """The preview of a parsed file (``plan``: where its labels would map)."""
    counts = Counter(t.speaker for t in parsed.turns if t.speaker is not None)
    layout = parsed.layout
    text = parsed.text
    skipped = Counter(why for _, _, why in layout.skipped) if layout else Counter()
    return ImportPreview(
        source=parsed.source_name, format=parsed.format, encoding=parsed.encoding,
        turns=len(parsed.turns), labels=[(label, counts[label]) for label in parsed.speakers],
        unattributed=sum(1 for t in parsed.turns if t.speaker is None),
        first_turns=[(n, t.speaker, _excerpt(text[t.start:t.end]))
                     for n, t in enumerate(parsed.turns[:FIRST_TURNS], start=1)],
        header=_excerpt(text[slice(*layout.header)]) if layout and layout.header else None,
        footer=_excerpt(text[slice(*layout.footer)]) if layout and layout.footer else None,
        skipped=dict(skipped), markers=list(layout.markers) if layout else [],
        narration=layout.narration if layout else 0,
        paragraphs=layout.paragraphs if layout else "labels",
        labels_given=override.describe() if override else None,
        mapping=dict(plan.participant_of) if plan else {},
        interviewers=sorted(plan.interviewers) if plan else [],
        unmapped=list(plan.unmapped) if plan else [],
        notes=[*parsed.warnings, *(plan.notes if plan else [])],
    )


def layout_notes(parsed: ParsedTranscript) -> list[str]:
    """What an import should say about turns left without a speaker on purpose."""
    layout = parsed.layout
    if layout is None:
        return []
    notes = []
    if layout.narration:
        notes.append(f"{layout.narration} paragraph(s) after a labelled turn were too long a run to be that "
                     "speaker's and have no speaker (see `import --preview`; `transcript relabel --turn` "
                     "gives a turn to a speaker)")
    if layout.markers:
        notes.append(f"label(s) holding only timestamps read as markers, not speakers: {', '.join(layout.markers)}")
    if layout.footer:
        notes.append(f"read as a footer, not speech: {_excerpt(parsed.text[slice(*layout.footer)], 50)}")
    return notes


def apply_override(parsed: ParsedTranscript, override: LabelOverride) -> ParsedTranscript:
    """The file's turns found again with the researcher's labels instead of detection.

    Runs over the stored text, so it works for every format: a Word file's paragraphs
    each start a paragraph, and caption turns keep the cue times of the text they
    cover."""
    from dataclasses import replace

    text = parsed.text
    starts: frozenset[int] = frozenset()
    if parsed.format == "docx":
        starts = frozenset(i + 1 for i, ch in enumerate(text) if ch == "\n")
    turns, layout = detect_turns(text, paragraph_starts=starts, override=override)
    old = parsed.turns
    if any(t.start_time is not None for t in old):
        old_starts = [t.start for t in old]
        timed = []
        for turn in turns:
            i = bisect.bisect_right(old_starts, turn.start) - 1
            source = old[i] if 0 <= i < len(old) and turn.start < old[i].end else None
            if source is not None and turn.start_time is None:
                turn = ParsedTurn(turn.speaker, turn.start, turn.end, source.start_time, source.end_time)
            timed.append(turn)
        turns = timed
    warnings = [w for w in parsed.warnings if w != "no text found"]
    if not turns:
        warnings.append("no text found")
    return replace(parsed, turns=turns, layout=layout, warnings=warnings)
