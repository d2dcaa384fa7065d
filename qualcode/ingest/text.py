"""Plain-text transcripts (.txt): decode, normalise, find the turns.

Label shapes are in :mod:`qualcode.ingest.labels`, the evidence that decides which
candidates are speakers in :mod:`qualcode.ingest.label_evidence`, and turns,
paragraphs and what is not speech in :mod:`qualcode.ingest.turns`. The names below
stay importable from here for the readers that share them (Word, WebVTT, SubRip).
"""

from __future__ import annotations

import hashlib

from .clock import parse_clock
from .encoding import decode_text, normalise
from .labels import LabelCandidate, classify_label, label_candidate, label_prefix
from .model import ParsedTranscript
from .turns import detect_turns, find_turns

__all__ = [
    "LabelCandidate", "classify_label", "find_turns", "label_candidate", "label_prefix",
    "parse_clock", "read_text",
]


def read_text(data: bytes, source_name: str) -> ParsedTranscript:
    """Read a plain-text transcript (any of the label styles of :mod:`.labels`)."""
    raw, encoding, notes = decode_text(data, source_name)
    text = normalise(raw)
    turns, layout = detect_turns(text)
    warnings = [*notes, *([] if turns else ["no text found"])]
    return ParsedTranscript(
        text=text,
        turns=turns,
        source_name=source_name,
        sha256=hashlib.sha256(data).hexdigest(),
        format="text",
        encoding=encoding,
        warnings=warnings,
        layout=layout,
    )
