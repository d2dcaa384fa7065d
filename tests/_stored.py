"""Checks on what an import stored, shared by the import, manifest and example tests."""

from __future__ import annotations

import re
from pathlib import Path

from qualcode.ingest.model import ParsedTranscript
from qualcode.ingest.readers import read_transcript
from qualcode.records.transcripts import TranscriptDocument


def assert_offsets_sound(info: TranscriptDocument) -> None:
    """Turns inside the text, ordered and disjoint; sentences non-empty, trimmed,
    ordered, disjoint and each inside the turn it belongs to."""
    text = info.text
    turns = info.turns
    assert [t.seq for t in turns] == list(range(1, len(turns) + 1))
    previous_end = 0
    for turn in turns:
        assert 0 <= turn.start < turn.end <= len(text), turn
        assert turn.start >= previous_end, f"turn {turn.seq} overlaps the one before"
        previous_end = turn.end
    by_seq = {t.seq: t for t in turns}
    previous_end = 0
    previous_seq = 0
    for sentence in info.sentences:
        turn = by_seq[sentence.turn]
        assert turn.start <= sentence.start < sentence.end <= turn.end, (sentence, turn)
        assert sentence.start >= previous_end, f"sentence {sentence} overlaps the one before"
        assert sentence.seq > previous_seq
        previous_end, previous_seq = sentence.end, sentence.seq
        body = text[sentence.start:sentence.end]
        assert body == body.strip() and body


def assert_stored_like_reader(project, name: str, source: Path) -> tuple[ParsedTranscript, TranscriptDocument]:
    """The stored transcript is exactly what the reader makes of the source file."""
    parsed = read_transcript(source)
    info = project.transcripts.get(name)
    text = info.text
    assert text == parsed.text
    assert info.char_count == len(text)
    assert [(t.speaker, t.start, t.end, t.start_time, t.end_time) for t in info.turns] == [
        (p.speaker, p.start, p.end, p.start_time, p.end_time) for p in parsed.turns
    ]
    for stored, turn in zip(info.turns, parsed.turns, strict=True):
        assert text[stored.start:stored.end] == parsed.turn_text(turn)
    assert [s.label for s in info.speakers] == parsed.speakers
    assert_offsets_sound(info)
    # Every turn has at least one sentence (no turn is blank).
    assert {s.turn for s in info.sentences} == {t.seq for t in info.turns}
    return parsed, info


def assert_turns_searchable(project, name: str) -> None:
    """Full-text search finds every turn of the transcript by its longest word."""
    info = project.transcripts.get(name)
    for turn in info.turns:
        words = re.findall(r"\w+", info.text[turn.start:turn.end])
        word = max(words, key=len)
        hits = project.search.turns(f'"{word}"', limit=10_000)
        assert (name, turn.seq) in {(h.transcript, h.turn) for h in hits}, (word, turn)
