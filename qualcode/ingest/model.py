"""What every transcript reader produces.

Readers are pure: bytes in, :class:`ParsedTranscript` out. They never touch a
project; :mod:`qualcode.ingest.importer` stores the result.

Offsets count code points of ``ParsedTranscript.text`` (Python ``str`` indexes),
end exclusive. ``text[turn.start:turn.end]`` is exactly what the speaker said:
speaker labels and turn-start timestamps stay in the text (so an exported plain
text still reads like a transcript) but fall outside the turn's span.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple


class ParsedTurn(NamedTuple):
    """One speaker turn: a span of the normalised text.

    A named tuple rather than a dataclass: turns cross process boundaries by the
    thousand when files are read in worker processes, and a tuple pickles about ten
    times faster."""

    speaker: str | None  # label as written ("Interviewer", "P07"); None = unattributed
    start: int
    end: int
    start_time: float | None = None  # seconds from the start of the recording
    end_time: float | None = None


@dataclass(slots=True)
class Layout:
    """What the turn finder decided besides the turns, for a preview."""

    header: tuple[int, int] | None = None  # unattributed text before the first label
    footer: tuple[int, int] | None = None  # a colophon after the last label
    skipped: list[tuple[int, int, str]] = field(default_factory=list)  # (start, end, why)
    narration: int = 0  # paragraphs not given to the speaker before them (too long a run)
    markers: list[str] = field(default_factory=list)  # labels that only hold timestamps
    paragraphs: str = "labels"  # or, without labels: "blank lines", "lines", "wrapped lines"


@dataclass(slots=True)
class ParsedTranscript:
    """The normalised, immutable text of one source file and its turns."""

    text: str
    turns: list[ParsedTurn]
    source_name: str
    sha256: str  # of the original bytes, before any decoding or normalisation
    format: str  # "text", "docx", "vtt", "srt"
    encoding: str | None = None  # what the bytes were decoded from (text formats)
    warnings: list[str] = field(default_factory=list)
    layout: Layout | None = None  # how the turns were found (text formats), for a preview
    estimated: list[int] = field(default_factory=list)  # turns whose start time is an estimate

    def turn_text(self, turn: ParsedTurn) -> str:
        return self.text[turn.start : turn.end]

    @property
    def speakers(self) -> list[str]:
        """Speaker labels in order of first appearance."""
        seen: dict[str, None] = {}
        for turn in self.turns:
            if turn.speaker is not None:
                seen.setdefault(turn.speaker, None)
        return list(seen)
