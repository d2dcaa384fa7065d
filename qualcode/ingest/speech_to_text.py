"""Speech-to-text output as transcripts: Whisper and WhisperX JSON, whisper.cpp JSON.

Whisper writes ``{"segments": [{"start": 0.0, "end": 2.5, "text": " Hello"}, ...]}``;
WhisperX adds the diarisation's speaker to each segment and to each word
(``"speaker": "SPEAKER_00"``); whisper.cpp writes ``{"transcription": [{"offsets":
{"from": 0, "to": 2500}, "text": ...}]}`` in milliseconds. Every segment keeps its
times. With speakers, consecutive segments of one speaker are one turn, and a segment
whose words change speaker part-way is cut where they change (the word times time the
parts); without speakers each segment is its own unattributed turn, as a caption file's
cues are (see :mod:`qualcode.ingest.cues`, which builds the text).
"""

from __future__ import annotations

import json
import math
from typing import Any

from ..errors import InputError
from .cues import Segment, clean, transcript_from
from .encoding import decode_text
from .model import ParsedTranscript

#: Languages written without spaces between words: their word pieces join as they are.
_UNSPACED = frozenset({"zh", "ja", "th", "lo", "km", "my", "yue"})


def read_whisper_json(data: bytes, source_name: str) -> ParsedTranscript:
    """Read Whisper, WhisperX or whisper.cpp JSON into timed turns."""
    raw, encoding, notes = decode_text(data, source_name)
    try:
        document = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise InputError(source_name, f"line {exc.lineno}: is not valid JSON ({exc.msg})") from None
    if not isinstance(document, dict):
        raise InputError(source_name, "is not speech-to-text JSON: expected an object with \"segments\"")
    warnings = list(notes)
    if isinstance(document.get("segments"), list):
        language = str(document.get("language") or "")
        segments = _whisper_segments(document["segments"], source_name, language, warnings)
    elif isinstance(document.get("transcription"), list):
        segments = _whisper_cpp_segments(document["transcription"], source_name)
    else:
        raise InputError(source_name, "is not speech-to-text JSON: no \"segments\" list (Whisper, WhisperX) "
                                      "or \"transcription\" list (whisper.cpp)")
    if not segments:
        raise InputError(source_name, "has no speech: every segment is empty")
    return transcript_from(segments, data, source_name, "whisper", encoding, warnings)


def _seconds(value: Any, where: str, source_name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value) or value < 0:
        raise InputError(source_name, f"{where}: time {value!r} is not a number of seconds")
    return float(value)


def _whisper_segments(items: list, source_name: str, language: str, warnings: list[str]) -> list[Segment]:
    segments: list[Segment] = []
    for number, item in enumerate(items, start=1):
        where = f"segment {number}"
        if not isinstance(item, dict):
            raise InputError(source_name, f"{where} is not an object")
        start = _seconds(item.get("start"), where, source_name)
        end = _seconds(item.get("end", start), where, source_name)
        if end < start:
            raise InputError(source_name, f"{where}: ends ({end}) before it starts ({start})")
        speaker = _speaker(item.get("speaker"))
        words = item.get("words") if isinstance(item.get("words"), list) else []
        parts = _parts_by_word_speaker(words, language, start, end) if words else []
        if len(parts) > 1:
            segments.extend(Segment(who, text, s, e) for who, text, s, e in parts)
            continue
        text = clean(str(item.get("text") or ""))
        if not text:
            continue
        if speaker is None and parts:
            speaker = parts[0][0]
        segments.append(Segment(speaker, text, start, end))
    speakers = {s.speaker for s in segments}
    if None in speakers and len(speakers) > 1:
        warnings.append("some segments have no speaker (diarisation left them out): they are unattributed turns")
    return segments


def _parts_by_word_speaker(words: list, language: str, start: float, end: float
                           ) -> list[tuple[str | None, str, float, float]]:
    """A segment's words cut where their speaker changes: (speaker, text, start, end).
    Words without a speaker stay with the speaker before them; a part starts at its first
    timed word (the segment's start for the first part) and ends where the next starts."""
    parts: list[dict] = []
    for word in words:
        if not isinstance(word, dict) or not str(word.get("word") or "").strip():
            continue
        who = _speaker(word.get("speaker")) or (parts[-1]["who"] if parts else None)
        if not parts or who != parts[-1]["who"]:
            parts.append({"who": who, "pieces": [], "start": _time(word.get("start"))})
        parts[-1]["pieces"].append(str(word["word"]))
    glue = "" if language.lower() in _UNSPACED else " "
    result = []
    for index, part in enumerate(parts):
        part_start = start if index == 0 or part["start"] is None else max(part["start"], start)
        following = parts[index + 1]["start"] if index + 1 < len(parts) else None
        part_end = end if following is None else min(max(following, part_start), end)
        pieces = part["pieces"]
        # Whisper's word pieces carry their own leading space; WhisperX's do not.
        text = clean("".join(pieces) if any(p[:1].isspace() for p in pieces) else glue.join(pieces))
        if text:
            result.append((part["who"], text, part_start, part_end))
    return result


def _time(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        return None
    return float(value)


def _whisper_cpp_segments(items: list, source_name: str) -> list[Segment]:
    segments: list[Segment] = []
    for number, item in enumerate(items, start=1):
        where = f"transcription entry {number}"
        offsets = item.get("offsets") if isinstance(item, dict) else None
        if not isinstance(offsets, dict):
            raise InputError(source_name, f"{where} has no \"offsets\" (milliseconds from and to)")
        start = _seconds(offsets.get("from"), where, source_name) / 1000
        end = _seconds(offsets.get("to"), where, source_name) / 1000
        if end < start:
            raise InputError(source_name, f"{where}: ends before it starts")
        text = clean(str(item.get("text") or ""))
        if text:
            segments.append(Segment(_speaker(item.get("speaker")), text, start, end))
    return segments


def _speaker(value: Any) -> str | None:
    if value is None:
        return None
    text = " ".join(str(value).split())
    return text or None
