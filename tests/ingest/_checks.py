"""Assertions every reader's output must satisfy, shared by the ingest tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from qualcode.ingest.model import ParsedTranscript

SHARED_TRANSCRIPTS = Path(__file__).resolve().parents[3] / "shared" / "transcripts"


def shared_file(name: str) -> Path:
    """A public example transcript from ../shared/transcripts, or skip the test."""
    path = SHARED_TRANSCRIPTS / name
    if not path.exists():
        pytest.skip(f"{path} is absent (public test transcripts live in ../shared/transcripts)")
    return path


def assert_valid(parsed: ParsedTranscript) -> None:
    """Offsets inside the text, turns ordered and disjoint, spans trimmed and non-empty."""
    text = parsed.text
    previous_end = 0
    for turn in parsed.turns:
        assert 0 <= turn.start <= turn.end <= len(text), turn
        assert turn.start >= previous_end, f"{turn} overlaps or precedes the turn before it"
        previous_end = turn.end
        span = text[turn.start : turn.end]
        assert span, f"empty turn {turn}"
        assert span == span.strip(), f"untrimmed span {span!r}"
        if turn.start_time is not None and turn.end_time is not None:
            assert turn.end_time >= turn.start_time


def texts(parsed: ParsedTranscript) -> list[str]:
    return [parsed.turn_text(turn) for turn in parsed.turns]


def speakers(parsed: ParsedTranscript) -> list[str | None]:
    return [turn.speaker for turn in parsed.turns]


def one_line_error(excinfo, filename: str) -> str:
    """The error's message, checked to be one line that names the file."""
    message = str(excinfo.value)
    assert "\n" not in message
    assert message.startswith(f"{filename}: "), message
    return message
